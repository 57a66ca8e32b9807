// The installed package's dashboard in headless Chromium (run by package_test.sh, with the
// source and build trees hidden): simulates a small data set with the installed binary,
// ingests it into a fresh SQLite store, starts `serve` without --web-root, so the page must
// come from the installed share/cryptomood/web, and asserts that the page loads its data, that
// every chart's uPlot canvas has a size and painted pixels, and that no request failed. The
// same for the file `report` writes, which inlines the installed page and uPlot.
//
// Usage: node installed_dashboard.mjs --binary PREFIX/usr/bin/cryptomood
// Environment: CRYPTOMOOD_CHROMIUM (default /usr/bin/chromium).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  chartStates, launchHeadless, loadPlaywright, runCryptomood, startServe, tearDown,
} from '../web/serve_harness.mjs';

const index = process.argv.indexOf('--binary');
const BINARY = index >= 0 ? process.argv[index + 1] : '';
const CHROMIUM = process.env.CRYPTOMOOD_CHROMIUM || '/usr/bin/chromium';
const WAIT = { timeout: 60_000 };

let workDir;
let dbUrl;
let server;
let browser;

// Opens `url` in a fresh page, waits for its first load and asserts every chart drew with no
// failed request, console error or page exception.
async function assertChartsDraw(url) {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  const failures = [];
  page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure().errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.url()}: HTTP ${response.status()}`);
  });
  page.on('console', (message) => message.type() === 'error' && failures.push('console: ' + message.text()));
  page.on('pageerror', (error) => failures.push('uncaught: ' + error.message));

  await page.goto(url);
  await page.waitForFunction(() => {
    const root = document.documentElement;
    return Number(root.dataset.loads || 0) > 0 && root.dataset.loadState !== 'loading';
  }, null, WAIT);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.loadState), 'ready');
  const charts = await chartStates(page);
  for (const [name, chart] of Object.entries(charts)) {
    assert.ok(chart.width > 0 && chart.height > 0, `${name} chart has a uPlot canvas with a size`);
    assert.ok(chart.points > 0, `${name} chart has points`);
    // A blank canvas has no painted pixel; axes alone paint a few hundred.
    assert.ok(chart.painted > 2000, `${name} chart canvas is painted (${chart.painted} px)`);
  }
  assert.deepEqual(failures, [], 'no failed request, console error or page exception');
  await page.context().close();
}

describe('installed dashboard', () => {
  before(async () => {
    assert.ok(BINARY && fs.existsSync(BINARY), `installed binary not found: ${BINARY}`);
    assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium`);
    const playwright = loadPlaywright(fileURLToPath(import.meta.url));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cryptomood-installed-'));
    const data = path.join(workDir, 'sim');
    const run = (args) => runCryptomood(BINARY, args);
    run(['simulate', '--out', data, '--trades', '20000', '--tweets', '5000', '--seed', '7']);
    dbUrl = 'sqlite:' + path.join(workDir, 'db.sqlite');
    run(['ingest', '--db', dbUrl, '--trades', path.join(data, 'historical_coin_data.txt'),
      '--sentiment', path.join(data, 'historical_sentiment_data.txt')]);
    server = await startServe(BINARY, ['--db', dbUrl, '--port', '0']);
    browser = await launchHeadless(playwright, CHROMIUM);
  });

  after(() => tearDown({ browser, server, workDir }));

  it('serves the page from the installed tree and draws every chart', async () => {
    assert.doesNotMatch(server.stderr(), /no dashboard files found/, 'serve found its page');
    await assertChartsDraw(server.url);
  });

  it('writes a report from the installed page that draws every chart', async () => {
    const file = path.join(workDir, 'report.html');
    runCryptomood(BINARY, ['report', '--db', dbUrl, '--out', file]);
    await assertChartsDraw(pathToFileURL(file).href);
  });
});
