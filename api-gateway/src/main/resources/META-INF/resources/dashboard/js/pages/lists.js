// Volumes, networks and operations of the project: plain tables refreshed in place
// (cloud admins may pick another project).

import { listAll, query } from '../api.js';
import { badge, fill, fmt, h, instanceLink, setText, syncRows, table } from '../dom.js';
import { projectSelect } from './instances.js';

/**
 * A list page: path is fetched (all pages, newest first), each item one row of cells by columns:
 * [header, (item) => node or text].
 */
function listPage({ admin, title, id, path, columns, filter }) {
  const count = h('span', { class: 'muted', id: `${id}-count` });
  const project = projectSelect(admin, () => refresh());
  const { table: t, tbody } = table(columns.map(([label]) => label), { id });

  async function refresh() {
    let items = (await listAll(`${path}${query({ project_id: project.value })}`, 5000)).reverse();
    if (filter) items = items.filter(filter);
    setText(count, `${items.length} ${id}`);
    syncRows(tbody, items, (x) => x.id, () => h('tr', {}, columns.map(() => h('td'))), (tr, item) => {
      columns.forEach(([, cell], n) => {
        const v = cell(item);
        const td = tr.children[n];
        if (v instanceof Node) {
          const key = v.outerHTML;
          if (td.dataset.v !== key) {
            td.dataset.v = key;
            fill(td, v);
          }
        } else {
          setText(td, v === undefined || v === null ? '' : String(v));
        }
      });
    });
  }

  const el = h('section', {}, h('h1', { text: title }), h('div', { class: 'toolbar' }, project, count), t);
  return { el, title, refresh };
}

const idCell = (x) => h('span', {}, h('strong', { text: x.name || '(unnamed)' }), h('div', { class: 'muted mono', text: x.id }));

export function volumesPage({ admin }) {
  return listPage({
    admin, title: 'Volumes', id: 'volumes', path: '/v1/volumes',
    columns: [
      ['Volume', idCell],
      ['Status', (v) => badge(v.status)],
      ['Size', (v) => fmt.gb(v.size_gb)],
      ['Type', (v) => v.volume_type ?? '—'],
      ['Owner', (v) => (v.owner_id ? instanceLink(v.owner_id) : h('span', { class: 'muted', text: '—' }))],
      ['Attached to', (v) => (v.attachments ?? []).join(', ')],
      ['Bootable', (v) => (v.bootable ? 'yes' : 'no')],
      ['Source', (v) => v.image_id ?? v.snapshot_id ?? v.source_volume_id ?? 'blank'],
      ['Error', (v) => v.error ?? ''],
      ['Created', (v) => fmt.time(v.created_at)],
    ],
  });
}

export function networksPage({ admin }) {
  return listPage({
    admin, title: 'Networks', id: 'networks', path: '/v1/networks',
    columns: [
      ['Network', idCell],
      ['Status', (n) => badge(n.status)],
      ['VNI', (n) => n.vni],
      ['Shared', (n) => (n.shared ? 'yes' : 'no')],
      ['Subnets', (n) => (n.subnets ?? []).map((s) => `${s.name || s.id} ${s.cidr}${s.gateway_ip ? ` gw ${s.gateway_ip}` : ''}`).join('; ') || '—'],
      ['Project', (n) => n.project_id],
      ['Created', (n) => fmt.time(n.created_at)],
    ],
  });
}

function currentStep(o) {
  const steps = o.steps ?? [];
  const done = steps.filter((s) => s.status === 'SUCCEEDED' || s.status === 'DONE').length;
  const now = steps.find((s) => s.status === 'RUNNING') ?? steps[steps.length - 1];
  return `${done}/${steps.length}${now ? ` · ${now.name}` : ''}`;
}

export function operationsPage({ admin }) {
  return listPage({
    admin, title: 'Operations', id: 'operations', path: '/v1/operations',
    columns: [
      ['Operation', (o) => h('span', { class: 'mono', text: o.id })],
      ['Kind', (o) => o.kind],
      ['Resource', (o) => (o.resource_id?.startsWith('i-') ? instanceLink(o.resource_id) : (o.resource_id ?? ''))],
      ['Status', (o) => badge(o.status)],
      ['Steps', currentStep],
      ['Started', (o) => fmt.time(o.created_at)],
      ['Took', (o) => fmt.duration(o.created_at, o.finished_at)],
      ['Fault', (o) => (o.fault ? `${o.fault.code}: ${o.fault.message}` : '')],
    ],
  });
}
