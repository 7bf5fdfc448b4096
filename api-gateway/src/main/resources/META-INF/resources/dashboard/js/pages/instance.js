// One instance: status, task, host, addresses, volumes, fault (with the scheduler's "no valid host"
// explanation), its operations as a state history, the actions stop / start / reboot / delete, and its
// console: a VM's screen (console.html, noVNC) or, for a container, its serial / output log on this page.

import { ApiError, del, get, getText, listAll, post } from '../api.js';
import { badge, fill, fmt, h, setText } from '../dom.js';

/** Which buttons make sense in which status (the gateway's action table has the final word: 409). */
const ACTIONS = [
  { action: 'stop', label: 'Stop', when: ['ACTIVE', 'PAUSED', 'SUSPENDED', 'ERROR'], needsHost: true },
  { action: 'start', label: 'Start', when: ['STOPPED'], needsHost: true },
  { action: 'reboot', label: 'Reboot', when: ['ACTIVE'], needsHost: true },
];

function faultBox(fault) {
  if (!fault) return null;
  const noHost = fault.code === 'NoValidHost';
  return h('div', { class: 'fault', id: 'fault' },
    h('strong', { text: noHost ? 'No valid host: the scheduler found no host for this instance' : `Fault: ${fault.code}` }),
    h('span', { text: fault.message }));
}

function stepsList(steps) {
  return h('ol', { class: 'steps' }, (steps ?? []).map((s) => h('li', { class: s.status },
    `${s.name} · ${s.status} · ${fmt.duration(s.started_at, s.finished_at)}${s.detail ? ` · ${s.detail}` : ''}`)));
}

export function instancePage({ args, navigate }) {
  const id = args[0];
  const title = h('h1', { text: id });
  const props = h('dl', { class: 'props', id: 'instance-props' });
  const faultSlot = h('div');
  const message = h('p', { id: 'action-message', role: 'status' });
  const buttons = ACTIONS.map((a) => h('button', { type: 'button', id: `action-${a.action}`, text: a.label,
    onclick: () => act(a.action) }));
  const deleteButton = h('button', { type: 'button', class: 'danger', id: 'action-delete', text: 'Delete',
    onclick: () => remove() });
  const consoleButton = h('button', { type: 'button', id: 'action-console', text: 'Open console',
    onclick: () => openConsole() });
  const serial = h('pre', { class: 'serial-log', id: 'serial-log', hidden: true });
  let serialShown = false;
  const history = h('div', { id: 'history' });
  const fields = new Map();
  let instance = null;

  function prop(label, key) {
    const dd = h('dd', { id: `prop-${key}` });
    props.append(h('dt', { text: label }), dd);
    fields.set(key, dd);
    return dd;
  }
  for (const [label, key] of [['Status', 'status'], ['Task', 'task'], ['Power state', 'power_state'],
    ['Flavor', 'flavor'], ['Image', 'image'], ['Host', 'host'], ['Addresses', 'addresses'], ['Volumes', 'volumes'],
    ['Project', 'project'], ['Created', 'created'], ['Updated', 'updated'], ['Locked', 'locked']]) {
    prop(label, key);
  }

  async function act(action) {
    setText(message, `${action}…`);
    try {
      await post(`/v1/instances/${encodeURIComponent(id)}/actions`, { action });
      setText(message, `${action} accepted`);
    } catch (e) {
      setText(message, `${action} refused: ${e.message}`);
    }
  }

  /** A VM's screen in console.html (single-use ticket); a container (or a driver without a screen): its log. */
  async function openConsole() {
    if (instance?.flavor?.kind !== 'container') {
      try {
        const c = await post(`/v1/instances/${encodeURIComponent(id)}/console`, { type: 'vnc' });
        location.href = c.url;
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 409 && /no graphical console/.test(e.message))) {
          setText(message, `console refused: ${e.message}`);
          return;
        }
      }
    }
    serialShown = true;
    serial.hidden = false;
    setText(message, 'serial console (the guest\'s output; refreshed every 2 s)');
    await refreshSerial();
  }

  async function refreshSerial() {
    if (!serialShown) return;
    try {
      const c = await post(`/v1/instances/${encodeURIComponent(id)}/console`, { type: 'serial' });
      const text = await getText(`${c.url}?bytes=16384`);
      const atEnd = serial.scrollTop + serial.clientHeight >= serial.scrollHeight - 4;
      setText(serial, text || '(no output yet)');
      if (atEnd) serial.scrollTop = serial.scrollHeight;
    } catch (e) {
      setText(serial, `no console: ${e.message}`);
    }
  }

  async function remove() {
    if (!window.confirm(`Delete instance ${instance?.name ?? id}?`)) return;
    try {
      await del(`/v1/instances/${encodeURIComponent(id)}`);
      setText(message, 'delete accepted');
    } catch (e) {
      setText(message, `delete refused: ${e.message}`);
    }
  }

  function render(i) {
    setText(title, `${i.name}`);
    const f = fields;
    if (f.get('status').dataset.v !== i.status) {
      f.get('status').dataset.v = i.status;
      fill(f.get('status'), badge(i.status));
    }
    setText(f.get('task'), i.task ?? '—');
    setText(f.get('power_state'), i.power_state ?? '—');
    setText(f.get('flavor'), i.flavor ? `${i.flavor.name}: ${i.flavor.vcpus} vCPU, ${fmt.mb(i.flavor.ram_mb)}, ${i.flavor.disk_gb} GiB (${i.flavor.kind}, ${i.flavor.virt_mode})` : '—');
    setText(f.get('image'), i.image ?? '—');
    setText(f.get('host'), i.host ? `${i.host_name ?? ''} (${i.host})` : '—');
    setText(f.get('addresses'), (i.addresses ?? []).map((a) => `${a.ip ?? '?'} on ${a.network} (mac ${a.mac}, port ${a.port})`).join('; ') || '—');
    setText(f.get('volumes'), (i.volumes ?? []).map((v) => `${v.id} ${v.size_gb} GiB${v.boot ? ' (boot)' : ''}`).join('; ') || '—');
    setText(f.get('project'), i.project_id);
    setText(f.get('created'), fmt.time(i.created_at));
    setText(f.get('updated'), fmt.time(i.updated_at));
    setText(f.get('locked'), i.locked ? 'yes' : 'no');
    const faultKey = i.fault ? `${i.fault.code}|${i.fault.message}` : '';
    if (faultSlot.dataset.v !== faultKey) {
      faultSlot.dataset.v = faultKey;
      fill(faultSlot, faultBox(i.fault));
    }
    ACTIONS.forEach((a, n) => {
      buttons[n].disabled = !!i.task || !a.when.includes(i.status) || (a.needsHost && !i.host);
    });
    deleteButton.disabled = i.status === 'DELETED' || i.status === 'DELETING';
    consoleButton.disabled = !i.host || !['ACTIVE', 'PAUSED'].includes(i.status);
  }

  function renderHistory(ops) {
    const key = ops.map((o) => `${o.id}:${o.status}:${o.steps?.length}:${o.finished_at}`).join(',');
    if (history.dataset.v === key) return;
    history.dataset.v = key;
    fill(history, ops.length === 0 ? h('p', { class: 'muted', text: 'no operations yet' }) : ops.map((o) =>
      h('details', { open: o.status !== 'SUCCEEDED' },
        h('summary', {}, `${fmt.time(o.created_at)} · ${o.kind} · `, badge(o.status), ` · ${fmt.duration(o.created_at, o.finished_at)}`,
          o.fault ? h('span', { class: 'error-text', text: ` · ${o.fault.message}` }) : null),
        stepsList(o.steps))));
  }

  const el = h('section', {},
    h('p', {}, h('a', { href: '#/instances', text: '← Instances' })),
    title, faultSlot,
    h('div', { class: 'toolbar' }, buttons, consoleButton, deleteButton, message),
    serial,
    props,
    h('h2', { text: 'History (operations)' }), history);

  return {
    el,
    title: 'Instance',
    refresh: async () => {
      try {
        instance = await get(`/v1/instances/${encodeURIComponent(id)}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          fill(el, h('p', { class: 'notice', text: `Instance ${id} does not exist (or belongs to another project).` }),
            h('a', { href: '#/instances', text: '← Instances' }));
          return;
        }
        throw e;
      }
      render(instance);
      await refreshSerial();
      const q = instance.project_id ? `?project_id=${encodeURIComponent(instance.project_id)}` : '';
      const ops = (await listAll(`/v1/operations${q}`, 5000)).filter((o) => o.resource_id === id).reverse();
      renderHistory(ops);
    },
  };
}
