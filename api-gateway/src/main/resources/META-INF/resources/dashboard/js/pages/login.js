// Login: asks for an API token, checks it against the API and keeps it in sessionStorage (this tab only).

import { h } from '../dom.js';

export function loginPage({ message, onToken }) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', placeholder: 'vgt_…', required: true });
  const error = h('p', { class: 'error-text', role: 'alert' });
  const button = h('button', { class: 'primary', type: 'submit', text: 'Log in' });
  const form = h('form', {
    class: 'stack',
    onsubmit: async (ev) => {
      ev.preventDefault();
      button.disabled = true;
      error.textContent = '';
      try {
        await onToken(input.value);
      } catch (e) {
        error.textContent = e.status === 401 ? 'This token is not valid.' : `Cannot log in: ${e.message}`;
      } finally {
        button.disabled = false;
      }
    },
  },
  h('label', { for: 'token', text: 'API token' }), input,
  h('span'), button,
  h('p', { class: 'full muted', text: 'A token of any role works; cloud admins also see the fleet. `./virga up` writes one to .virga/admin-token. It is kept for this browser tab only.' }),
  h('div', { class: 'full' }, error));
  const el = h('section', { class: 'login' }, h('h1', { text: 'Log in to Virga' }),
    message ? h('p', { class: 'notice', text: message }) : null, form);
  return { el, title: 'Log in', refresh: async () => {} };
}
