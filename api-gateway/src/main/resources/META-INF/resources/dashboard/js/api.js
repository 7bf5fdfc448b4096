// The gateway's REST API as the dashboard uses it: Bearer token from sessionStorage, JSON in and out,
// problem+json errors turned into ApiError.

const TOKEN_KEY = 'virga.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  login: (t) => sessionStorage.setItem(TOKEN_KEY, t.trim()),
  logout: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An answer other than 2xx: status, the problem document (if any) and a readable message. */
export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    super([problem?.detail ?? problem?.title ?? `HTTP ${status}`, fields].filter(Boolean).join(' — '));
    this.status = status;
    this.problem = problem;
  }

  /** The message for one field of a validation problem, or undefined. */
  fieldMessage(field) {
    return this.problem?.errors?.find((e) => e.field === field)?.message;
  }
}

/** Calls the API; resolves with the parsed JSON body (null when empty), rejects with ApiError. */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${session.token() ?? ''}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (!r.ok) {
    throw new ApiError(r.status, data);
  }
  return data;
}

export const get = (path) => call('GET', path);

/** GET of a text/plain resource (e.g. a console log); rejects with ApiError. */
export async function getText(path) {
  const r = await fetch(path, { headers: { Accept: 'text/plain, application/problem+json',
    Authorization: `Bearer ${session.token() ?? ''}` } });
  const text = await r.text();
  if (!r.ok) {
    let problem = null;
    try { problem = JSON.parse(text); } catch { problem = { detail: text.slice(0, 200) }; }
    throw new ApiError(r.status, problem);
  }
  return text;
}
export const post = (path, body) => call('POST', path, body ?? {});
export const del = (path) => call('DELETE', path);

/** Every item of a paged list, following next_cursor (at most maxItems). */
export async function listAll(path, maxItems = 10000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(`${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < maxItems);
  return items;
}

/** A query string from the non-empty entries of params ('' when none). */
export function query(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const s = q.toString();
  return s ? `?${s}` : '';
}
