// Fleet: capacity and usage of every host (GET /v1/hosts, cloud admins), a RAM heat map that stays
// readable at 1,000+ hosts (one 14 px cell per host) and a filterable host table.

import { ApiError, listAll } from '../api.js';
import { badge, fill, fmt, h, setText, syncRows, table, usageBar } from '../dom.js';

/** Rows shown in the table at once; the heat map always shows every host. */
const TABLE_ROWS = 200;

/**
 * Used and capacity of one resource class of a host: from its inventory row when there is one
 * ((total - reserved) × allocation_ratio), else from the host's total/used and ratio fields.
 */
export function capacity(host, cls) {
  const inv = (host.inventories ?? []).find((i) => i.resource_class === cls);
  if (inv) {
    return { used: inv.used, total: inv.total, ratio: inv.allocation_ratio, cap: (inv.total - inv.reserved) * inv.allocation_ratio };
  }
  const key = { VCPU: 'vcpus', MEMORY_MB: 'ram_mb', DISK_GB: 'disk_gb' }[cls];
  const ratio = cls === 'VCPU' ? host.cpu_allocation_ratio : cls === 'MEMORY_MB' ? host.ram_allocation_ratio : 1;
  const total = host.total?.[key] ?? 0;
  return { used: host.used?.[key] ?? 0, total, ratio: ratio || 1, cap: total * (ratio || 1) };
}

/** The fraction of a host's RAM capacity in use (0 when it has none). */
export function ramUse(host) {
  const c = capacity(host, 'MEMORY_MB');
  return c.cap > 0 ? c.used / c.cap : 0;
}

/** Green (idle) through yellow to red (full). */
function heatColor(frac) {
  const f = Math.max(0, Math.min(1, frac));
  return `hsl(${Math.round(140 - 140 * f)} ${60 + 20 * f}% ${45 + 5 * Math.sin(Math.PI * f)}%)`;
}

function hostState(host) {
  if (host.status !== 'UP') return 'DOWN';
  if (!host.enabled) return 'DISABLED';
  return 'UP';
}

export function fleetPage() {
  const cards = h('div', { class: 'cards', id: 'fleet-summary' });
  const heat = h('div', { class: 'heatmap', id: 'heatmap', role: 'list', 'aria-label': 'hosts by RAM use' });
  const filter = h('input', { type: 'search', id: 'host-filter', placeholder: 'filter: name, trait, status, zone' });
  const shown = h('span', { class: 'muted', id: 'hosts-shown' });
  const { table: hostTable, tbody } = table(
    ['Host', 'State', 'Type / zone', 'vCPU', 'RAM', 'Disk', 'Guests', 'Traits', 'Heartbeat'], { id: 'hosts' });
  const notice = h('div');
  let hosts = [];
  let selected = null;

  const cellOf = new Map();
  filter.addEventListener('input', () => renderTable());

  function summary() {
    const sum = (cls, f) => hosts.reduce((a, x) => a + capacity(x, cls)[f], 0);
    const up = hosts.filter((x) => x.status === 'UP').length;
    const disabled = hosts.filter((x) => !x.enabled || x.maintenance).length;
    const guests = hosts.reduce((a, x) => a + (x.instances ?? 0), 0);
    const card = (label, value, id) => h('div', { class: 'card', id }, h('div', { class: 'label', text: label }), h('div', { class: 'value', text: value }));
    fill(cards,
      card('Hosts', `${hosts.length}`, 'card-hosts'),
      card('Up / down / disabled', `${up} / ${hosts.length - up} / ${disabled}`, 'card-states'),
      card('Guests', `${guests}`, 'card-guests'),
      card('vCPU used / capacity', `${sum('VCPU', 'used')} / ${Math.round(sum('VCPU', 'cap'))}`, 'card-vcpu'),
      card('RAM used / capacity', `${fmt.mb(sum('MEMORY_MB', 'used'))} / ${fmt.mb(Math.round(sum('MEMORY_MB', 'cap')))}`, 'card-ram'),
      card('Disk used / capacity', `${fmt.gb(sum('DISK_GB', 'used'))} / ${fmt.gb(Math.round(sum('DISK_GB', 'cap')))}`, 'card-disk'));
  }

  function renderHeat() {
    const seen = new Set();
    for (const host of hosts) {
      seen.add(host.id);
      let cell = cellOf.get(host.id);
      if (!cell) {
        cell = h('div', { class: 'cell', role: 'listitem', onclick: () => select(host.id) });
        cellOf.set(host.id, cell);
        heat.append(cell);
      }
      const frac = ramUse(host);
      const st = hostState(host);
      cell.style.background = heatColor(frac);
      cell.className = `cell${st === 'DOWN' ? ' down' : ''}${!host.enabled || host.maintenance ? ' disabled' : ''}${selected === host.id ? ' selected' : ''}`;
      cell.title = `${host.name} · ${st} · RAM ${fmt.pct(frac)} · ${host.instances} guests`;
      cell.dataset.host = host.name;
    }
    for (const [id, cell] of cellOf) {
      if (!seen.has(id)) {
        cell.remove();
        cellOf.delete(id);
      }
    }
  }

  function select(id) {
    selected = selected === id ? null : id;
    const host = hosts.find((x) => x.id === id);
    filter.value = selected && host ? host.name : '';
    renderHeat();
    renderTable();
  }

  function matches(host, q) {
    if (!q) return true;
    const hay = [host.name, host.id, hostState(host), host.hypervisor_type, host.availability_zone,
      ...(host.traits ?? []), ...(host.aggregates ?? [])].join(' ').toLowerCase();
    return q.split(/\s+/).every((w) => hay.includes(w));
  }

  function renderTable() {
    const q = filter.value.trim().toLowerCase();
    const rows = hosts.filter((x) => matches(x, q));
    setText(shown, rows.length > TABLE_ROWS ? `showing ${TABLE_ROWS} of ${rows.length} hosts (fullest first; filter to narrow)`
      : `${rows.length} of ${hosts.length} hosts`);
    const top = rows.length > TABLE_ROWS ? [...rows].sort((a, b) => ramUse(b) - ramUse(a)).slice(0, TABLE_ROWS) : rows;
    syncRows(tbody, top, (x) => x.id, () => h('tr', {}, ...Array.from({ length: 9 }, () => h('td'))), updateRow);
  }

  function updateRow(tr, host) {
    const c = tr.children;
    setText(c[8], fmt.ago(host.last_heartbeat_at));
    // heartbeats change every second, the rest seldom: rebuild the other cells only when they changed
    const sig = JSON.stringify({ ...host, last_heartbeat_at: null });
    if (tr._sig === sig) return;
    tr._sig = sig;
    const res = (cls, show) => {
      const x = capacity(host, cls);
      return usageBar(x.used, x.cap, `${show(x.used)} / ${show(x.total)}${fmt.ratio(x.ratio)}`);
    };
    fill(c[0], h('strong', { text: host.name }), h('div', { class: 'muted mono', text: host.id }));
    const st = hostState(host);
    fill(c[1], badge(st), host.maintenance ? ' maintenance' : '',
      host.disabled_reason ? h('div', { class: 'muted', text: host.disabled_reason }) : null);
    fill(c[2], host.hypervisor_type ?? '—', h('div', { class: 'muted', text: host.availability_zone ?? '' }));
    fill(c[3], res('VCPU', (v) => `${v}`));
    fill(c[4], res('MEMORY_MB', fmt.mb));
    fill(c[5], res('DISK_GB', fmt.gb));
    setText(c[6], `${host.instances ?? 0}`);
    c[6].className = 'num';
    const traits = (host.traits ?? []).join(' ');
    if (c[7].dataset.traits !== traits) {
      c[7].dataset.traits = traits;
      // what guests the host takes stays visible; every trait is one click away (a row stays one line high)
      const all = host.traits ?? [];
      const key = all.filter((t) => t.startsWith('COMPUTE_GUEST_') || t.startsWith('VIRT_MODE_'));
      fill(c[7], key.map((t) => h('span', { class: 'chip', text: t.replace(/^COMPUTE_GUEST_|^VIRT_MODE_/, '') })),
        all.length ? h('details', { class: 'traits' }, h('summary', { text: `${all.length} traits` }),
          all.map((t) => h('span', { class: 'chip', text: t }))) : '—');
    }
  }

  const el = h('section', {},
    h('h1', { text: 'Fleet' }), notice, cards,
    h('h2', { text: 'RAM use per host' }),
    h('div', { class: 'legend' }, h('span', {}, '0 %'), h('span', { class: 'gradient' }), h('span', {}, '100 %'),
      h('span', {}, h('span', { class: 'swatch', style: 'background:#111827' }), 'down'),
      h('span', {}, h('span', { class: 'swatch', style: 'background:#9ca3af;opacity:.55' }), 'disabled / maintenance'),
      h('span', {}, 'click a cell to show its host')),
    heat,
    h('h2', { text: 'Hosts' }),
    h('div', { class: 'toolbar' }, filter, shown),
    hostTable);

  return {
    el,
    title: 'Fleet',
    refresh: async () => {
      try {
        hosts = await listAll('/v1/hosts');
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) {
          fill(notice, h('p', { class: 'notice', text: 'Hosts are visible to cloud admins only.' }));
          return;
        }
        throw e;
      }
      hosts.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
      summary();
      renderHeat();
      renderTable();
    },
  };
}
