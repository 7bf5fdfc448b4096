// Renders a Helm chart the way `helm template` does for charts that use plain Go-template features:
// every templates/*.yaml (and NOTES.txt) is executed by Go's own text/template (compiled to wasm,
// missing keys are errors) with _helpers.tpl's definitions, given .Values (values.yaml deep-merged
// with override files), .Release and .Chart. Then validates every manifest against the Kubernetes
// (and prometheus-operator) JSON schemas of kubernetes-models.
//
// Usage: node check-chart.mjs CHART_DIR RELEASE NAMESPACE [OVERRIDE.yaml ...]
// Prints one JSON object: { manifests: [{ template, manifest, errors: [...] }], notes, renderError }.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { parse } from '@evertdespiegeleer/go-template';

const [chartDir, release, namespace, ...overrides] = process.argv.slice(2);

function merge(base, over) {
  if (over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const out = { ...(base && typeof base === 'object' && !Array.isArray(base) ? base : {}) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

let values = YAML.parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {};
for (const f of overrides) values = merge(values, YAML.parse(readFileSync(f, 'utf8')) ?? {});
const chart = YAML.parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
const context = {
  Values: values,
  Release: { Name: release, Namespace: namespace, Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
  Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
};
const tplDir = join(chartDir, 'templates');
const helpersFile = join(tplDir, '_helpers.tpl');
const helpers = existsSync(helpersFile) ? readFileSync(helpersFile, 'utf8') : '';

async function render(file) {
  // helpers first: their {{ define }}s are then known; they print nothing themselves
  const out = await parse(helpers + readFileSync(join(tplDir, file), 'utf8'), context);
  return out;
}

const result = { manifests: [], notes: null, renderError: null };
try {
  for (const file of readdirSync(tplDir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = await render(file);
    for (const doc of YAML.parseAllDocuments(text)) {
      if (doc.errors.length) throw new Error(`${file}: YAML: ${doc.errors[0].message}`);
      const manifest = doc.toJS();
      if (manifest === null || manifest === undefined) continue;
      result.manifests.push({ template: file, manifest, errors: await validate(manifest) });
    }
  }
  if (existsSync(join(tplDir, 'NOTES.txt'))) result.notes = (await render('NOTES.txt')).trimStart();
} catch (e) {
  result.renderError = `${e.name}: ${e.message}`;
}
process.stdout.write(JSON.stringify(result));

async function validate(m) {
  if (!m.apiVersion || !m.kind) return ['missing apiVersion or kind'];
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : [null, m.apiVersion];
  const module = group === 'monitoring.coreos.com'
    ? `@kubernetes-models/prometheus-operator/${group}/${version}`
    : group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  let Kind;
  try {
    Kind = (await import(module))[m.kind];
  } catch (e) {
    return [`no schema for ${m.apiVersion}: ${e.message}`];
  }
  if (!Kind) return [`no schema for kind ${m.kind} in ${m.apiVersion}`];
  try {
    new Kind(m).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}
