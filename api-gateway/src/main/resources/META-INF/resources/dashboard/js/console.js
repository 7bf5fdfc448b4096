// The graphical console of one instance: noVNC (npm @novnc/novnc, served by the gateway under novnc/)
// speaking RFB over the gateway's WebSocket /console/vnc/{instance}?ticket=…. The page is opened with
// #instance=…&ticket=… from POST /v1/instances/{id}/console {"type":"vnc"}; the ticket is single-use and
// short-lived, and is wiped from the address bar at once. The page needs no API token.

import RFB from '../novnc/core/rfb.js';

const params = new URLSearchParams(location.hash.slice(1));
const instance = params.get('instance') ?? '';
const ticket = params.get('ticket') ?? '';
history.replaceState(null, '', `${location.pathname}#instance=${encodeURIComponent(instance)}`);

const status = document.getElementById('console-status');
const title = document.getElementById('console-title');
const back = document.getElementById('back');
const cad = document.getElementById('ctrl-alt-del');
const screen = document.getElementById('screen');
title.textContent = `console of ${instance}`;
back.href = `index.html#/instances/${encodeURIComponent(instance)}`;

function show(state, text) {
  document.body.dataset.console = state;
  status.textContent = text;
  status.classList.toggle('error', state === 'disconnected' || state === 'refused');
}

if (!instance || !ticket) {
  show('refused', 'no console ticket: open the console from the instance page');
} else {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/console/vnc/${encodeURIComponent(instance)}?ticket=${encodeURIComponent(ticket)}`;
  let connected = false;
  const rfb = new RFB(screen, url, { shared: true });
  rfb.scaleViewport = true;
  rfb.background = '#111827';
  rfb.addEventListener('connect', () => {
    connected = true;
    cad.disabled = false;
    show('connected', `connected to ${instance}`);
  });
  rfb.addEventListener('disconnect', (e) => {
    cad.disabled = true;
    show(connected ? 'disconnected' : 'refused', connected
      ? `disconnected${e.detail.clean ? '' : ' (connection lost)'}; open the console again from the instance page`
      : 'the console could not be opened (ticket used, expired or refused); ask for a new one on the instance page');
  });
  rfb.addEventListener('desktopname', (e) => { title.textContent = `${e.detail.name} (${instance})`; });
  cad.addEventListener('click', () => rfb.sendCtrlAltDel());
  show('connecting', 'connecting…');
}
