// Small DOM helpers: element builder, in-place text updates, keyed table rows, formatting.

/** Creates an element: attrs may hold class, text, on<Event> handlers, dataset; children are nodes or strings. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces el's children (used for cells whose content is more than text). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets text only when it changed, so polling does not disturb selections. */
export function setText(el, text) {
  const t = text ?? '';
  if (el.textContent !== t) el.textContent = t;
}

/**
 * Keeps tbody's rows in step with items, keyed by key(item): new items get create(item) (a <tr>),
 * every row gets update(tr, item), rows of vanished items are removed, order follows items.
 */
export function syncRows(tbody, items, key, create, update) {
  const rows = tbody._rows ?? (tbody._rows = new Map());
  const seen = new Set();
  let prev = null;
  for (const item of items) {
    const k = key(item);
    seen.add(k);
    let tr = rows.get(k);
    if (!tr) {
      tr = create(item);
      tr.dataset.key = k;
      rows.set(k, tr);
    }
    update(tr, item);
    const expected = prev ? prev.nextSibling : tbody.firstChild;
    if (expected !== tr) tbody.insertBefore(tr, expected);
    prev = tr;
  }
  for (const [k, tr] of rows) {
    if (!seen.has(k)) {
      tr.remove();
      rows.delete(k);
    }
  }
}

/** A table with the given header labels; returns {table, tbody}. */
export function table(headers, attrs = {}) {
  const tbody = h('tbody');
  const table = h('table', attrs, h('thead', {}, h('tr', {}, headers.map((x) => h('th', { text: x })))), tbody);
  return { table, tbody };
}

export function badge(status) {
  return h('span', { class: `badge ${status ?? ''}`, text: status ?? '—' });
}

/** A usage bar: used of capacity, with the ratio as a tooltip. */
export function usageBar(used, capacity, label) {
  const frac = capacity > 0 ? used / capacity : 0;
  const bar = h('span', { class: `bar${frac >= 0.95 ? ' full' : frac >= 0.75 ? ' hot' : ''}` },
    h('span', { style: `width:${Math.min(100, frac * 100).toFixed(1)}%` }));
  return h('span', { class: 'usage', title: `${(frac * 100).toFixed(1)} % used` }, bar, h('small', { text: label }));
}

export const fmt = {
  mb: (mb) => (mb >= 1048576 ? `${(mb / 1048576).toFixed(1)} TiB`
    : mb >= 1024 ? `${(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GiB` : `${mb} MiB`),
  gb: (gb) => (gb >= 1024 ? `${(gb / 1024).toFixed(1)} TiB` : `${gb} GiB`),
  pct: (x) => `${(x * 100).toFixed(0)} %`,
  ratio: (r) => (r && r !== 1 ? ` ×${r}` : ''),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : '—'),
  ago: (iso) => {
    if (!iso) return '—';
    const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
  },
  duration: (from, to) => {
    if (!from) return '—';
    const ms = (to ? new Date(to) : new Date()) - new Date(from);
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  },
};

/** The link to an instance's page. */
export function instanceLink(id, name) {
  return h('a', { href: `#/instances/${encodeURIComponent(id)}`, text: name ?? id });
}
