// Create an instance: flavor, image and network chosen from the API; POST /v1/instances, then the
// instance's page (which follows it live until ACTIVE or ERROR).

import { ApiError, listAll, post } from '../api.js';
import { fmt, h, setText } from '../dom.js';

export function createPage({ navigate }) {
  const name = h('input', { id: 'create-name', name: 'name', required: true, pattern: '[A-Za-z0-9._\\-]{1,64}', placeholder: 'web-1' });
  const flavor = h('select', { id: 'create-flavor', name: 'flavor', required: true });
  const image = h('select', { id: 'create-image', name: 'image', required: true });
  const network = h('select', { id: 'create-network', name: 'network', required: true });
  const errors = { name: h('div', { class: 'field-error' }), flavor: h('div', { class: 'field-error' }),
    image: h('div', { class: 'field-error' }), networks: h('div', { class: 'field-error' }) };
  const message = h('p', { class: 'full error-text', role: 'alert', id: 'create-message' });
  const submit = h('button', { class: 'primary', type: 'submit', id: 'create-submit', text: 'Create' });
  let loaded = false;

  async function load() {
    const [flavors, images, networks] = await Promise.all([
      listAll('/v1/flavors', 1000), listAll('/v1/images', 1000), listAll('/v1/networks', 1000)]);
    const fillSelect = (select, items, label) => {
      select.replaceChildren(...items.map((x) => h('option', { value: x.id, text: label(x) })));
      if (items.length === 0) select.append(h('option', { value: '', text: 'none available' }));
    };
    fillSelect(flavor, flavors, (f) => `${f.name} · ${f.vcpus} vCPU · ${fmt.mb(f.ram_mb)} · ${f.disk_gb} GiB · ${f.kind ?? 'vm'}`);
    fillSelect(image, images.filter((i) => i.status === 'ACTIVE'), (i) => `${i.name} (${i.disk_format}, ${i.visibility})`);
    fillSelect(network, networks, (n) => `${n.name}${n.shared ? ' (shared)' : ''} ${(n.subnets ?? []).map((s) => s.cidr).join(', ')}`);
    loaded = true;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    Object.values(errors).forEach((e) => setText(e, ''));
    setText(message, '');
    submit.disabled = true;
    try {
      const created = await post('/v1/instances', {
        name: name.value.trim(), flavor: flavor.value, image: image.value, networks: [{ network: network.value }],
      });
      navigate(`#/instances/${encodeURIComponent(created.id)}`);
    } catch (e) {
      if (e instanceof ApiError) {
        for (const [field, el] of Object.entries(errors)) {
          const m = e.fieldMessage(field) ?? (field === 'networks' ? e.problem?.errors?.find((x) => x.field?.startsWith('networks'))?.message : undefined);
          setText(el, m ?? '');
        }
      }
      setText(message, `Not created: ${e.message}`);
    } finally {
      submit.disabled = false;
    }
  }

  const form = h('form', { class: 'stack', id: 'create-form', onsubmit: onSubmit },
    h('label', { for: 'create-name', text: 'Name' }), name, errors.name,
    h('label', { for: 'create-flavor', text: 'Flavor' }), flavor, errors.flavor,
    h('label', { for: 'create-image', text: 'Image' }), image, errors.image,
    h('label', { for: 'create-network', text: 'Network' }), network, errors.networks,
    h('span'), submit, message);
  const el = h('section', {}, h('h1', { text: 'New instance' }), form);
  // the choices are loaded once (not every 2 s: a poll must not reset what the user picked)
  return { el, title: 'New instance', refresh: async () => { if (!loaded) await load(); } };
}
