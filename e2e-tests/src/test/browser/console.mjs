// Drives the dashboard's consoles in Debian's headless Chromium (playwright-core): opens a VM's console
// from its instance page, waits for noVNC to connect and for the guest's screen to show (the canvas'
// pixels are not blank), screenshots it; reloading the console with the spent ticket is refused; a
// container's page shows its serial log. Screenshots: console-vm.png, console-refused.png,
// console-container.png.
//
// Environment: VIRGA_URL, VIRGA_TOKEN (a cloud-admin token), VIRGA_VM and VIRGA_CONTAINER (ACTIVE
// instances), SCREENSHOT_DIR, USER_DATA_DIR (a fresh, empty directory), CHROMIUM (default /usr/bin/chromium).
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
const vm = env('VIRGA_VM');
const container = env('VIRGA_CONTAINER');
const shots = env('SCREENSHOT_DIR');
mkdirSync(shots, { recursive: true });

const SCREEN_BUDGET_MS = 120_000;
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

async function shot(name) {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path });
  log(`screenshot ${path}`);
}

/** What noVNC's canvas shows: pixel count, pixels that are not black, distinct colours. */
const screenStats = () => page.evaluate(() => {
  const c = document.querySelector('#screen canvas');
  if (!c || c.width === 0 || c.height === 0) return { pixels: 0, lit: 0, colours: 0 };
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let lit = 0;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] + d[i + 1] + d[i + 2] > 48) lit++;
    if (colours.size < 256) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  return { pixels: d.length / 4, lit, colours: colours.size, width: c.width, height: c.height };
});

async function run() {
  await page.goto(`${base}/dashboard/`);
  await page.locator('#token').waitFor();
  await page.fill('#token', token);
  await page.click('form button[type=submit]');
  log('logged in');

  // 1. the VM's page: Open console leads to console.html, which connects through the gateway
  await page.goto(`${base}/dashboard/#/instances/${vm}`);
  await page.waitForFunction(() => document.querySelector('#prop-status')?.textContent.trim() === 'ACTIVE');
  await page.waitForFunction(() => !document.querySelector('#action-console')?.disabled);
  // read the answer on its way to the page (the page navigates away at once, taking the body with it)
  let consoleUrl = '';
  await page.route(`**/v1/instances/${vm}/console`, async (route) => {
    const response = await route.fetch();
    consoleUrl = (await response.json()).url ?? '';
    await route.fulfill({ response });
  });
  await page.click('#action-console');
  await page.waitForURL(/console\.html/);
  await page.unroute(`**/v1/instances/${vm}/console`);
  check(consoleUrl.startsWith('/dashboard/console.html#instance='), `a console page URL: ${consoleUrl}`);
  await page.waitForFunction(() => document.body.dataset.console === 'connected', null, { timeout: SCREEN_BUDGET_MS });
  log('noVNC connected');
  check(!page.url().includes('ticket='), 'the ticket is wiped from the address bar');
  const t0 = Date.now();
  let stats = await screenStats();
  while (Date.now() - t0 < SCREEN_BUDGET_MS && !(stats.lit > 500 && stats.colours >= 2)) {
    await page.waitForTimeout(500);
    stats = await screenStats();
  }
  log(`screen ${stats.width}x${stats.height}: ${stats.lit} of ${stats.pixels} pixels lit, ${stats.colours} colours`);
  check(stats.lit > 500 && stats.colours >= 2, `the guest's screen is not blank: ${JSON.stringify(stats)}`);
  check(await page.evaluate(() => document.body.dataset.console) === 'connected', 'still connected');
  await shot('console-vm');

  // 2. the same console URL again: its ticket is spent
  await page.goto('about:blank');
  await page.goto(`${base}${consoleUrl}`);
  await page.waitForFunction(() => document.body.dataset.console === 'refused', null, { timeout: STEP_BUDGET_MS });
  log(`reused ticket: ${await page.locator('#console-status').innerText()}`);
  await shot('console-refused');

  // 3. a container: no screen, its serial log on its page
  await page.goto(`${base}/dashboard/#/instances/${container}`);
  await page.waitForFunction(() => !document.querySelector('#action-console')?.disabled);
  await page.click('#action-console');
  await page.waitForFunction((id) => document.querySelector('#serial-log')?.textContent.includes(`VIRGA-READY instance=${id}`),
    container, { timeout: STEP_BUDGET_MS });
  log('container serial log shown');
  await shot('console-container');

  const unexpected = pageErrors.filter((e) => !/WebSocket/.test(e));
  check(unexpected.length === 0, `no script errors: ${unexpected.join(' | ')}`);
}

let failed = false;
try {
  await run();
  log('all steps passed');
} catch (e) {
  failed = true;
  console.log(`browser: FAILED: ${e.stack ?? e}`);
  if (pageErrors.length) console.log(`browser: page errors: ${pageErrors.join(' | ')}`);
  await shot('console-failure').catch(() => {});
} finally {
  await context.close();
}
process.exit(failed ? 1 : 0);
