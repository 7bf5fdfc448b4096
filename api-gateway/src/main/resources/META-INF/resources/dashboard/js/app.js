// The dashboard shell: hash routes, the login gate and the 2-second live refresh of the current page.
//
// A page module exports a function (ctx) => {el, refresh, title}: el is mounted once, refresh() is
// awaited on mount and then every POLL_MS after the previous refresh ended, updating el in place.

import { ApiError, get, session } from './api.js';
import { loginPage } from './pages/login.js';
import { fleetPage } from './pages/fleet.js';
import { instancesPage } from './pages/instances.js';
import { instancePage } from './pages/instance.js';
import { volumesPage, networksPage, operationsPage } from './pages/lists.js';
import { createPage } from './pages/create.js';

export const POLL_MS = 2000;

const routes = [
  [/^fleet$/, 'fleet', fleetPage],
  [/^instances$/, 'instances', instancesPage],
  [/^instances\/([^/]+)$/, 'instances', instancePage],
  [/^volumes$/, 'volumes', volumesPage],
  [/^networks$/, 'networks', networksPage],
  [/^operations$/, 'operations', operationsPage],
  [/^create$/, 'create', createPage],
];

const state = { admin: false, current: null, generation: 0, timer: null };

/** Who the token belongs to: {admin} when valid; throws ApiError 401 when not. */
async function whoAmI() {
  await get('/v1/projects?limit=1');
  try {
    await get('/v1/hosts?limit=1');
    return { admin: true };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return { admin: false };
    return { admin: true }; // hosts readable in principle; the scheduler may just be away
  }
}

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#\/?/, '').split('?')[0]);
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  return { path: raw || 'fleet', params };
}

function setLive(text, error = false) {
  const live = document.getElementById('live');
  live.textContent = text;
  live.classList.toggle('error', error);
}

async function showLogin(message) {
  stopPolling();
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  setLive('');
  const page = loginPage({
    message,
    onToken: async (token) => {
      session.login(token);
      try {
        Object.assign(state, await whoAmI());
      } catch (e) {
        session.logout();
        throw e;
      }
      if (!location.hash || location.hash === '#/login') location.hash = '#/fleet';
      else route();
    },
  });
  document.getElementById('page').replaceChildren(page.el);
}

function stopPolling() {
  state.generation++;
  clearTimeout(state.timer);
}

async function refreshLoop(page, generation) {
  if (generation !== state.generation) return;
  try {
    await page.refresh();
    setLive(`live · updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.logout();
      showLogin('Your token is no longer valid: log in again.');
      return;
    }
    setLive(`refresh failed: ${e.message}`, true);
  }
  if (generation === state.generation) {
    state.timer = setTimeout(() => refreshLoop(page, generation), POLL_MS);
  }
}

async function route() {
  if (!session.token()) {
    showLogin();
    return;
  }
  const { path, params } = parseHash();
  const match = routes.map(([re, nav, make]) => [path.match(re), nav, make]).find(([m]) => m);
  if (!match) {
    location.hash = '#/fleet';
    return;
  }
  const [m, nav, make] = match;
  stopPolling();
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === nav);
  const page = make({ args: m.slice(1), params, admin: state.admin, navigate: (h) => { location.hash = h; } });
  document.title = `${page.title} · Virga`;
  document.getElementById('page').replaceChildren(page.el);
  refreshLoop(page, state.generation);
}

async function start() {
  document.getElementById('logout').addEventListener('click', () => {
    session.logout();
    showLogin('Logged out.');
  });
  window.addEventListener('hashchange', route);
  if (session.token()) {
    try {
      Object.assign(state, await whoAmI());
    } catch (e) {
      session.logout();
      showLogin(e instanceof ApiError && e.status === 401 ? 'Your token is no longer valid: log in again.' : e.message);
      return;
    }
  }
  route();
}

start();
