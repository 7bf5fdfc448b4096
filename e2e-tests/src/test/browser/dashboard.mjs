// Drives the operator dashboard in Debian's headless Chromium (playwright-core), as a person would:
// log in, look at the fleet, create an instance from the form, watch it become ACTIVE without reloading,
// stop it, then visit every other page. Asserts what each page shows and keeps a screenshot of each.
//
// Environment: VIRGA_URL (gateway base URL), VIRGA_TOKEN (a cloud-admin token), VIRGA_HOSTS (hosts
// expected UP), VIRGA_ERROR_INSTANCE (an instance the scheduler found no host for), SCREENSHOT_DIR,
// USER_DATA_DIR (a fresh, empty directory), CHROMIUM (default /usr/bin/chromium).
// Prints one line per step; exits 0 when every step passed, 1 otherwise (after a failure screenshot).

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (k, d) => {
  const v = process.env[k] ?? d;
  if (v === undefined) throw new Error(`${k} is not set`);
  return v;
};
const base = env('VIRGA_URL');
const token = env('VIRGA_TOKEN');
const hostCount = Number(env('VIRGA_HOSTS', '3'));
const errorInstance = env('VIRGA_ERROR_INSTANCE');
const shots = env('SCREENSHOT_DIR');
mkdirSync(shots, { recursive: true });

const ACTIVE_BUDGET_MS = 180_000;
const STEP_BUDGET_MS = 60_000;

const log = (msg) => console.log(`browser: ${msg}`);
function check(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}

const context = await chromium.launchPersistentContext(env('USER_DATA_DIR'), {
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
context.setDefaultTimeout(STEP_BUDGET_MS);
const page = context.pages()[0] ?? await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
page.on('console', (m) => {
  // the deliberate wrong-token login answers 401: the browser logs that failed fetch, nothing else may fail
  if (m.type() === 'error' && !/status of 401/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
});

async function shot(name) {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  log(`screenshot ${path}`);
}

const text = (sel) => page.locator(sel).innerText();

async function run() {
  log(`chromium ${context.browser()?.version() ?? '(persistent context)'}, ${base}/dashboard/`);

  // 1. login page; a wrong token is refused, the admin token gets in
  await page.goto(`${base}/dashboard/`);
  await page.locator('#token').waitFor();
  await shot('01-login');
  await page.fill('#token', 'vgt_not-a-real-token');
  await page.click('form button[type=submit]');
  await page.getByText('This token is not valid.').waitFor();
  check(await page.evaluate(() => sessionStorage.getItem('virga.token')) === null, 'a refused token is not kept');
  await page.fill('#token', token);
  await page.click('form button[type=submit]');
  log('logged in');

  // 2. fleet: every host UP, one heat-map cell per host, capacity bars
  await page.waitForFunction((n) => document.querySelectorAll('#hosts tbody tr').length >= n
    && document.querySelectorAll('#heatmap .cell').length >= n, hostCount);
  check((await text('#card-hosts')).includes(String(hostCount)), 'the summary counts the hosts');
  const hostsTable = await text('#hosts');
  for (let n = 1; n <= hostCount; n++) check(hostsTable.includes(`host-${n}`), `host-${n} is listed`);
  check((await page.locator('#hosts tbody .badge.UP').count()) === hostCount, 'every host is UP');
  check(await page.evaluate(() => sessionStorage.getItem('virga.token')) !== null, 'the token is kept in sessionStorage');
  await shot('02-fleet');

  // 3. create an instance from the form (choices come from the API)
  await page.click('#nav a[data-page=create]');
  await page.waitForFunction(() => document.querySelector('#create-flavor')?.options.length > 0
    && document.querySelector('#create-image')?.options[0]?.value
    && document.querySelector('#create-network')?.options[0]?.value);
  const flavorValue = await page.locator('#create-flavor option', { hasText: 'm1.small' }).getAttribute('value');
  await page.selectOption('#create-flavor', flavorValue);
  await page.fill('#create-name', 'dash-1');
  await shot('03-create');
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.click('#create-submit');
  await page.waitForURL(/#\/instances\/i-/);
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
  log(`created ${id}`);

  // 4. watch it live: the status changes on the page without a reload
  const seen = new Set();
  const deadline = Date.now() + ACTIVE_BUDGET_MS;
  let status = '';
  while (Date.now() < deadline) {
    status = (await page.locator('#prop-status').innerText().catch(() => '')).trim();
    if (status) seen.add(status);
    if (status === 'ACTIVE' || status === 'ERROR') break;
    await page.waitForTimeout(250);
  }
  check(status === 'ACTIVE', `the instance became ACTIVE (last status ${status}, seen ${[...seen]})`);
  check(await page.evaluate(() => window.__sameDocument === true), 'the page was updated in place, not reloaded');
  log(`statuses seen live: ${[...seen].join(' → ')}`);
  await page.waitForFunction(() => document.querySelector('#prop-host')?.textContent.includes('host-'));
  check(/10\.20\.0\.\d+/.test(await text('#prop-addresses')), 'the address comes from the subnet');
  check((await text('#prop-volumes')).includes('(boot)'), 'the boot volume is shown');
  await page.waitForFunction(() => document.querySelector('#history')?.textContent.includes('SUCCEEDED'));
  await shot('04-instance-active');

  // 5. stop it
  check(await page.locator('#action-start').isDisabled(), 'start is offered only when stopped');
  await page.click('#action-stop');
  await page.waitForFunction(() => document.querySelector('#prop-status')?.textContent.trim() === 'STOPPED',
    null, { timeout: ACTIVE_BUDGET_MS });
  await page.waitForFunction(() => !document.querySelector('#action-start')?.disabled);
  log('stopped');
  await shot('05-instance-stopped');

  // 6. instances list with the status filter
  await page.click('#nav a[data-page=instances]');
  await page.locator('#instances tbody tr', { hasText: 'dash-1' }).waitFor();
  check((await page.locator('#instances tbody tr', { hasText: 'dash-1' }).innerText()).includes('STOPPED'), 'listed as STOPPED');
  await page.locator('#instances tbody tr', { hasText: errorInstance }).waitFor();
  await shot('06-instances');
  await page.selectOption('#status-filter', 'ERROR');
  await page.locator('#instances tbody tr', { hasText: 'dash-1' }).waitFor({ state: 'detached' });
  check((await page.locator('#instances tbody tr').count()) >= 1, 'the ERROR filter shows the failed instance');

  // 7. the failed instance explains why no host was found
  await page.goto(`${base}/dashboard/#/instances/${errorInstance}`);
  await page.locator('#fault').waitFor();
  const fault = await text('#fault');
  check(fault.includes('No valid host') && fault.includes('64 GiB'), `the fault explains the missing host: ${fault}`);
  check(await page.locator('#action-start').isDisabled(), 'an ERROR instance cannot be started');
  await shot('07-instance-no-valid-host');
  // delete it from its page (after the browser's confirm dialog)
  page.once('dialog', (d) => d.accept());
  await page.click('#action-delete');
  await page.waitForFunction(() => ['DELETING', 'DELETED'].includes(document.querySelector('#prop-status')?.textContent.trim()),
    null, { timeout: ACTIVE_BUDGET_MS });
  log('deleted the failed instance');

  // 8. volumes, networks, operations
  await page.click('#nav a[data-page=volumes]');
  await page.locator('#volumes tbody tr', { hasText: id }).waitFor();
  await shot('08-volumes');
  await page.click('#nav a[data-page=networks]');
  await page.locator('#networks tbody tr', { hasText: '10.20.0.0/24' }).waitFor();
  check((await text('#networks')).includes('public'), 'the network is listed');
  await shot('09-networks');
  await page.click('#nav a[data-page=operations]');
  await page.locator('#operations tbody tr', { hasText: id }).first().waitFor();
  check((await page.locator('#operations tbody tr', { hasText: id }).count()) >= 2, 'create and stop are operations');
  await shot('10-operations');

  // 9. logging out forgets the token
  await page.click('#logout');
  await page.locator('#token').waitFor();
  check(await page.evaluate(() => sessionStorage.getItem('virga.token')) === null, 'logout forgets the token');

  check(pageErrors.length === 0, `no script errors: ${pageErrors.join(' | ')}`);
  log(`instance ${id}`);
}

let failed = false;
try {
  await run();
  log('all steps passed');
} catch (e) {
  failed = true;
  console.log(`browser: FAILED: ${e.stack ?? e}`);
  if (pageErrors.length) console.log(`browser: page errors: ${pageErrors.join(' | ')}`);
  await shot('failure').catch(() => {});
} finally {
  await context.close();
}
process.exit(failed ? 1 : 0);
