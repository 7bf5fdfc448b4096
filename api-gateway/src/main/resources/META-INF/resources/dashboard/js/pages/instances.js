// Instances of the project (GET /v1/instances), filtered by status; cloud admins may pick a project.

import { get, listAll, query } from '../api.js';
import { badge, fill, fmt, h, instanceLink, setText, syncRows, table } from '../dom.js';

export const STATUSES = ['BUILDING', 'ACTIVE', 'STOPPED', 'PAUSED', 'SUSPENDED', 'MIGRATING', 'RESIZING',
  'VERIFY_RESIZE', 'REBUILDING', 'ERROR', 'DELETING', 'DELETED'];

/** A select of the projects a cloud admin may look into (own project first, as ''). */
export function projectSelect(admin, onChange) {
  const select = h('select', { id: 'project-filter', hidden: !admin, onchange: onChange },
    h('option', { value: '', text: 'my project' }));
  if (admin) {
    listAll('/v1/projects', 1000).then((projects) => {
      for (const p of projects) select.append(h('option', { value: p.id, text: `${p.name} (${p.id})` }));
    }).catch(() => {});
  }
  return select;
}

export function instancesPage({ params, admin }) {
  const status = h('select', { id: 'status-filter' }, h('option', { value: '', text: 'all statuses' }),
    STATUSES.map((s) => h('option', { value: s, text: s })));
  status.value = params.get('status') ?? '';
  const project = projectSelect(admin, () => refresh());
  status.addEventListener('change', () => refresh());
  const count = h('span', { class: 'muted', id: 'instances-count' });
  const { table: t, tbody } = table(['Name', 'Status', 'Task', 'Flavor', 'Host', 'Addresses', 'Created', 'Fault'],
    { id: 'instances' });

  async function refresh() {
    const page = await get(`/v1/instances${query({ status: status.value, project_id: project.value, limit: 500 })}`);
    const items = [...page.items].reverse(); // newest first
    setText(count, `${items.length}${page.next_cursor ? '+' : ''} instances`);
    syncRows(tbody, items, (i) => i.id, () => h('tr', {}, ...Array.from({ length: 8 }, () => h('td'))), (tr, i) => {
      const c = tr.children;
      if (!c[0].firstChild) fill(c[0], instanceLink(i.id, i.name), h('div', { class: 'muted mono', text: i.id }));
      if (c[1].dataset.v !== i.status) {
        c[1].dataset.v = i.status;
        fill(c[1], badge(i.status));
      }
      setText(c[2], i.task ?? '');
      setText(c[3], i.flavor ? `${i.flavor.name} (${i.flavor.vcpus} vCPU, ${fmt.mb(i.flavor.ram_mb)})` : '');
      setText(c[4], i.host_name ?? i.host ?? '');
      setText(c[5], (i.addresses ?? []).map((a) => a.ip).filter(Boolean).join(', '));
      setText(c[6], fmt.time(i.created_at));
      setText(c[7], i.fault ? `${i.fault.code}: ${i.fault.message}` : '');
      c[7].className = i.fault ? 'error-text' : '';
    });
  }

  const el = h('section', {}, h('h1', { text: 'Instances' }),
    h('div', { class: 'toolbar' }, status, project, count, h('span', { class: 'spacer' }),
      h('a', { href: '#/create', text: 'New instance' })),
    t);
  return { el, title: 'Instances', refresh };
}
