// End-to-end test of the dashboard in real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core from web/node_modules).
//
// It builds its own world from the binary: simulate (planted effects: ETH sentiment leads
// returns by 2 one-minute bars, BTC sentiment follows returns by 1), ingest into a fresh
// SQLite store, `serve --port 0`, then drives the page like a user. Any console error or
// uncaught page exception fails the test that caused it; the only tolerated console error is
// Chromium's own "Failed to load resource ... 400" line inside the tests that deliberately
// send a bad parameter. Missing Chromium, playwright-core or binary is a failure, never a skip.
//
// Usage: node dashboard.e2e.mjs --binary PATH/cryptomood [--screenshots DIR]
// Environment: CRYPTOMOOD_BINARY, CRYPTOMOOD_SCREENSHOT_DIR (same as the flags),
//   CRYPTOMOOD_CHROMIUM (default /usr/bin/chromium),
//   CRYPTOMOOD_REPORT_HTML: a report file to open instead of running `cryptomood report`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { api, state as stateLib } from './load_lib.mjs';
import {
  CHROMIUM, chartStates, commandLineOption, getWithRetry, launchHeadless, prepareBrowserTest, runCryptomood, startServe, tearDown,
  WEB_DIR,
} from './serve_harness.mjs';

const WEB = WEB_DIR;

const BINARY = commandLineOption('--binary', 'CRYPTOMOOD_BINARY');
const SCREENSHOTS = commandLineOption('--screenshots', 'CRYPTOMOOD_SCREENSHOT_DIR');
const WAIT = { timeout: 60_000 };
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const EXPECTED_SERIES = { series: 3, window: 3, lag: 4 };
const BAD_REQUEST_CONSOLE = /^Failed to load resource: the server responded with a status of 400 \(Bad Request\)$/;

let workDir;
let server;
let baseUrl;
let browser;
let playwright;

// ----- world setup -----------------------------------------------------------------------------

const run = (args) => runCryptomood(BINARY, args);

// ----- page helpers ------------------------------------------------------------------------------

// A page that records its API requests and every console error or uncaught exception.
async function openPage(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.apiRequests = [];
  page.problems = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['/symbols', '/series', '/correlation'].includes(url.pathname)) {
      page.apiRequests.push(url.pathname + url.search);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(message.text());
  });
  page.on('pageerror', (error) => page.problems.push('uncaught: ' + error.message));
  return page;
}

async function closePage(page) {
  await page.context().close();
}

function assertNoProblems(page, tolerated = null) {
  const problems = page.problems.filter((text) => !(tolerated && tolerated.test(text)));
  assert.deepEqual(problems, [], 'console errors or uncaught exceptions on the page');
}

async function loadsSoFar(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.loads || 0));
}

// Waits until a load newer than `previous` has finished (ready or error) and returns its state.
async function waitForLoad(page, previous) {
  await page.waitForFunction((before) => {
    const root = document.documentElement;
    return Number(root.dataset.loads || 0) > before && root.dataset.loadState !== 'loading';
  }, previous, WAIT);
  return page.evaluate(() => document.documentElement.dataset.loadState);
}

async function gotoAndWait(page, url) {
  await page.goto(url);
  return waitForLoad(page, 0);
}

// Performs an action that triggers a reload, and returns the API requests it made.
async function act(page, action) {
  const previous = await loadsSoFar(page);
  page.apiRequests.length = 0;
  await action();
  const loadState = await waitForLoad(page, previous);
  return { loadState, requests: [...page.apiRequests] };
}

function requestsTo(requests, route) {
  return requests.filter((url) => url.startsWith(route + '?') || url === route);
}

function queryOf(url) {
  return new URLSearchParams(url.slice(url.indexOf('?') + 1));
}

// The lag scan is the /correlation request with a lag range other than 0:0 or without window
// and with a coin; the windowed one has window=; the summary has no coin.
function classify(requests) {
  const correlation = requestsTo(requests, '/correlation').map(queryOf);
  return {
    series: requestsTo(requests, '/series').map(queryOf),
    window: correlation.filter((q) => q.has('window')),
    lag: correlation.filter((q) => !q.has('window') && q.has('coin')),
    summary: correlation.filter((q) => !q.has('coin')),
  };
}

async function assertChartsDrawn(page, { lagPoints } = {}) {
  const charts = await chartStates(page);
  for (const [name, expected] of Object.entries(EXPECTED_SERIES)) {
    assert.equal(charts[name].series, expected, `${name} chart series count`);
    assert.ok(charts[name].points > 0, `${name} chart has points`);
    // A blank canvas has no painted pixel; axes alone paint a few hundred.
    assert.ok(charts[name].painted > 2000, `${name} chart canvas is painted (${charts[name].painted} px)`);
  }
  if (lagPoints !== undefined) assert.equal(charts.lag.points, lagPoints, 'lag chart points');
  return charts;
}

const text = (page, selector) => page.locator(selector).innerText();

async function viewSnapshot(page) {
  return {
    sentence: await text(page, '#lead-lag-sentence'),
    summary: await text(page, '#summary-cards'),
    controls: await page.evaluate(() => Object.fromEntries(
      ['coin', 'from', 'to', 'interval', 'mode', 'direction', 'tolerance', 'lags', 'window']
        .map((id) => [id, document.getElementById(id).value]))),
  };
}

async function screenshot(page, name) {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name + '.png'), fullPage: true });
}

// ----- report built by the documented recipe (index.html comment) --------------------------------

// Reads the file a page path names: /vendor/uplot/X from web/node_modules/uplot/dist/X,
// anything else from web/static.
function staticFile(urlPath) {
  const file = urlPath.startsWith('/vendor/uplot/')
    ? path.join(WEB, 'node_modules/uplot/dist', urlPath.slice('/vendor/uplot/'.length))
    : path.join(WEB, 'static', urlPath);
  return fs.readFileSync(file, 'utf8');
}

function inlineReport(report) {
  const html = fs.readFileSync(path.join(WEB, 'static/index.html'), 'utf8');
  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  // Function replacers throughout: the inlined code contains "$" sequences that a string
  // replacement would expand.
  const between = (text, name, replace) => {
    const begin = `<!-- CRYPTOMOOD:${name}:BEGIN -->`;
    const end = `<!-- CRYPTOMOOD:${name}:END -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    assert.ok(from >= 0 && to > from, `index.html lacks the ${name} markers`);
    return text.slice(0, from) + replace(text.slice(from, to)) + text.slice(to);
  };
  let page = between(html, 'STYLES', (block) => block.replace(/<link rel="stylesheet" href="([^"]+)">/g,
    (tag, href) => `<style>${staticFile(href)}</style>`));
  page = between(page, 'SCRIPTS', (block) => block.replace(/<script src="([^"]+)"><\/script>/g,
    (tag, src) => `<script>${staticFile(src)}</script>`));
  assert.ok(page.includes('<!-- CRYPTOMOOD:REPORT_DATA -->'), 'index.html lacks the REPORT_DATA marker');
  return page.replace('<!-- CRYPTOMOOD:REPORT_DATA -->',
    () => `<script>window.CRYPTOMOOD_REPORT = ${json};</script>`);
}

async function getJson(url) {
  const response = await getWithRetry(url);
  assert.equal(response.status, 200, url);
  return response.json();
}

// The five bodies the report carries, fetched with the page's own request parameters.
async function collectReport(params) {
  const view = stateLib.normalizeState(params);
  const get = (route) => getJson(new URL(route, baseUrl));
  return {
    params: view,
    symbols: await get('/symbols'),
    series: await get(api.seriesUrl(view, 1200)),
    window_correlation: await get(api.windowCorrelationUrl(view)),
    lag_scan: await get(api.lagScanUrl(view)),
    summary: await get(api.summaryUrl(view)),
  };
}

async function assertReportRenders(file, { coinSentence }) {
  const page = await openPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.dataset.loadState !== undefined, null, WAIT);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.loadState), 'ready');
  await assertChartsDrawn(page);
  assert.match(await text(page, '#lead-lag-sentence'), coinSentence);
  assert.ok((await page.locator('#summary-cards .card').count()) >= 1, 'summary cards');
  for (const control of ['#coin', '#interval', '#lags', '#from']) {
    assert.equal(await page.locator(control).isDisabled(), true, `${control} is read-only`);
  }
  assert.equal(await page.inputValue('#coin'), 'COINBASE_SPOT_ETH_USD', 'controls show the parameters');
  const foreign = requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, [], 'a report makes no network request');
  // Zoom is client-side: dragging narrows the time axis without any request.
  const before = (await chartStates(page)).series;
  await dragAcross(page, '#chart-series', 0.3, 0.6);
  await page.waitForFunction((min) => Number(document.getElementById('chart-series').dataset.xMin) > min,
    before.xMin, WAIT);
  const zoomed = (await chartStates(page)).window;
  assert.ok(zoomed.xMax - zoomed.xMin < before.xMax - before.xMin, 'synced chart zoomed too');
  assert.deepEqual(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:')), []);
  assertNoProblems(page);
  return page;
}

async function dragAcross(page, chartSelector, fromFraction, toFraction) {
  const box = await page.locator(chartSelector + ' .u-over').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * fromFraction, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * toFraction, y, { steps: 12 });
  await page.mouse.up();
}

// ----- the tests ---------------------------------------------------------------------------------

describe('dashboard in headless Chromium', { concurrency: false }, () => {
  before(async () => {
    playwright = prepareBrowserTest(BINARY);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cryptomood-e2e-'));
    const data = path.join(workDir, 'sim');
    run(['simulate', '--out', data, '--trades', '200000', '--tweets', '50000', '--seed', '7']);
    const dbUrl = 'sqlite:' + path.join(workDir, 'db.sqlite');
    run(['ingest', '--db', dbUrl, '--trades', path.join(data, 'historical_coin_data.txt'),
      '--sentiment', path.join(data, 'historical_sentiment_data.txt')]);
    server = await startServe(BINARY, ['--db', dbUrl, '--port', '0', '--web-root', path.join(WEB, 'static')]);
    baseUrl = server.url;
    browser = await launchHeadless(playwright, CHROMIUM);
  });

  after(() => tearDown({ browser, server, workDir }));

  it('draws every chart on the first view, with the planted BTC lag', async () => {
    const page = await openPage();
    page.apiRequests.length = 0;
    assert.equal(await gotoAndWait(page, baseUrl), 'ready');
    await assertChartsDrawn(page, { lagPoints: 11 });
    const requests = classify(page.apiRequests);
    assert.equal(requestsTo(page.apiRequests, '/symbols').length, 1);
    assert.equal(requests.series.length, 1);
    const maxPoints = Number(requests.series[0].get('max_points'));
    assert.ok(maxPoints >= 600 && maxPoints <= DESKTOP.width, `max_points ~ chart width, got ${maxPoints}`);
    assert.equal(requests.lag[0].get('lags'), '-5:5');
    assert.equal(requests.window[0].get('lags'), '0:0');
    assert.equal(requests.summary.length, 1);
    // First listed coin is BTC, planted as "sentiment follows returns by 1 bar".
    assert.match(await text(page, '#lead-lag-sentence'),
      /^BTC: returns lead sentiment by 1 bar, r = 0\.\d\d \[0\.\d\d, 0\.\d\d\], n = \d+ \(effective \d+\), robust p < 0\.001$/);
    assert.equal(await page.locator('#summary-cards .card').count(), 3);
    assert.equal(await page.locator('#summary-cards .card.is-current h3').innerText(), 'BTC');
    await screenshot(page, '01-first-view-1366');
    assertNoProblems(page);
    await closePage(page);
  });

  // One page walks through coin, lags, interval, zoom and Back, each step checked against
  // the requests it caused; the resulting link is then opened in a fresh browser context.
  it('follows coin, lag range, interval and zoom changes, and a shared link restores the view', async () => {
    const page = await openPage();
    await gotoAndWait(page, baseUrl);
    const first = await viewSnapshot(page);

    let step = await act(page, () => page.selectOption('#coin', { label: 'ETH' }));
    assert.equal(step.loadState, 'ready');
    let requests = classify(step.requests);
    assert.deepEqual(Object.values(requests).map((list) => list.length), [1, 1, 1, 1]);
    assert.equal(requests.series[0].get('coin'), 'ETH');
    assert.equal(requests.lag[0].get('coin'), 'ETH');
    assert.equal(requests.window[0].get('coin'), 'ETH');
    const eth = await viewSnapshot(page);
    assert.notEqual(eth.sentence, first.sentence);
    assert.match(eth.sentence,
      /^ETH: sentiment leads returns by 2 bars, r = 0\.\d\d \[0\.\d\d, 0\.\d\d\], n = \d+ \(effective \d+\), robust p < 0\.001$/);
    assert.equal(await page.locator('#summary-cards .card.is-current h3').innerText(), 'ETH');
    // The planted lead as a Granger test, both directions in one sentence.
    assert.match(await text(page, '#granger-sentence'),
      /^Granger, \d+ bars? of history: sentiment helps predict returns \(adjusted p < 0\.001\); returns (do not )?help predict sentiment \(adjusted p [<=] [\d.]+\)\.$/);
    // The simulated price is a random walk: its level is badged, its returns are not.
    const notes = await text(page, '#stationarity-notes');
    assert.match(notes, /price levels have a unit root/);
    assert.doesNotMatch(notes, /returns look non-stationary|unavailable/);
    assert.match(page.url(), /[?&]coin=ETH(&|$)/);
    await screenshot(page, '02-eth-planted-lead');

    step = await act(page, async () => {
      await page.fill('#lags', '0:3');
      await page.press('#lags', 'Enter');
    });
    requests = classify(step.requests);
    // Enter fires change and submit; the view must still load once.
    assert.equal(requests.lag.length, 1, 'one lag scan per change');
    assert.equal(requests.series.length, 1, 'one series request per change');
    assert.equal(requests.lag[0].get('lags'), '0:3');
    await assertChartsDrawn(page, { lagPoints: 4 });
    assert.match(await text(page, '#lead-lag-sentence'), /^ETH: sentiment leads returns by 2 bars/);

    step = await act(page, () => page.selectOption('#interval', '5m'));
    requests = classify(step.requests);
    for (const kind of ['series', 'window', 'lag', 'summary']) {
      assert.equal(requests[kind][0].get('interval'), '5m', `${kind} request interval`);
    }
    const fiveMinutes = await viewSnapshot(page);
    assert.notEqual(fiveMinutes.summary, eth.summary, 'summary cards follow the interval');
    assert.match(await text(page, '#summary-hint'), /5m/);
    await assertChartsDrawn(page, { lagPoints: 4 });

    // Drag-to-zoom on the price chart sets from/to, re-requests /series for that range and
    // narrows the synced correlation chart.
    const wide = await chartStates(page);
    step = await act(page, () => dragAcross(page, '#chart-series', 0.25, 0.5));
    requests = classify(step.requests);
    const zoomFrom = requests.series[0].get('from');
    const zoomTo = requests.series[0].get('to');
    assert.ok(zoomFrom && zoomTo && zoomFrom < zoomTo, `zoom range ${zoomFrom}..${zoomTo}`);
    assert.equal(await page.inputValue('#from'), zoomFrom);
    assert.equal(await page.inputValue('#to'), zoomTo);
    const narrow = await chartStates(page);
    assert.ok(narrow.series.xMax - narrow.series.xMin < (wide.series.xMax - wide.series.xMin) * 0.5,
      'price chart zoomed in');
    assert.equal(narrow.window.xMin, narrow.series.xMin, 'time axes aligned after zoom');
    await screenshot(page, '03-zoomed');

    // Back undoes the zoom (pushState history), forward brings it back.
    step = await act(page, () => page.goBack());
    assert.equal(await page.inputValue('#from'), '');
    step = await act(page, () => page.goForward());
    assert.equal(await page.inputValue('#from'), zoomFrom);

    const shared = await viewSnapshot(page);
    const sharedRequests = [...page.apiRequests].sort();
    const link = page.url();
    assertNoProblems(page);
    await closePage(page);

    const other = await openPage();
    assert.equal(await gotoAndWait(other, link), 'ready');
    assert.deepEqual(await viewSnapshot(other), shared, 'the link restores controls, sentence and cards');
    const otherRequests = other.apiRequests.filter((url) => url !== '/symbols').sort();
    assert.deepEqual(otherRequests, sharedRequests, 'the link makes the same API requests');
    await assertChartsDrawn(other, { lagPoints: 4 });
    assert.equal(other.url(), link, 'the link is kept as is');
    assertNoProblems(other);
    await closePage(other);
  });

  it('shows a 400 message next to the control that caused it', async () => {
    const page = await openPage();
    await gotoAndWait(page, baseUrl + '?coin=ETH');

    // A typed lag range the API rejects: its own message appears under the lag field.
    const rejection = page.waitForResponse((response) =>
      response.url().includes('lags=5:-5') && response.status() === 400);
    const step = await act(page, async () => {
      await page.fill('#lags', '5:-5');
      await page.press('#lags', 'Enter');
    });
    assert.equal(step.loadState, 'error');
    const body = await (await rejection).json();
    assert.equal(body.error.parameter, 'lags');
    await assert.doesNotReject(page.locator('#lags-error').waitFor({ state: 'visible', ...WAIT }));
    assert.equal(await text(page, '#lags-error'), body.error.message);
    assert.equal(await page.getAttribute('#lags', 'aria-invalid'), 'true');
    assert.equal(await page.locator('#page-error').isVisible(), false);
    assert.equal(await page.locator('#chart-lag canvas').count(), 0, 'no stale lag chart');
    await screenshot(page, '04-bad-lags');

    // Fixing it clears the message.
    await act(page, async () => {
      await page.fill('#lags', '-3:3');
      await page.press('#lags', 'Enter');
    });
    assert.equal(await page.locator('#lags-error').isVisible(), false);
    await assertChartsDrawn(page, { lagPoints: 7 });
    assertNoProblems(page, BAD_REQUEST_CONSOLE);
    await closePage(page);

    // A shared link with a bad interval: shown as typed, rejected next to the interval select.
    const linked = await openPage();
    const intervalRejection = linked.waitForResponse((response) =>
      response.url().includes('/series') && response.status() === 400);
    assert.equal(await gotoAndWait(linked, baseUrl + '?interval=bogus'), 'error');
    const intervalBody = await (await intervalRejection).json();
    assert.equal(intervalBody.error.parameter, 'interval');
    assert.equal(await linked.inputValue('#interval'), 'bogus');
    // Every request names the interval; their messages may differ, each is shown once.
    assert.ok((await text(linked, '#interval-error')).split('\n').includes(intervalBody.error.message));
    assert.match(linked.url(), /interval=bogus/);
    await screenshot(linked, '05-bad-interval-link');
    assertNoProblems(linked, BAD_REQUEST_CONSOLE);
    await closePage(linked);
  });

  it('is usable by keyboard and at phone width', async () => {
    const page = await openPage(PHONE);
    await gotoAndWait(page, baseUrl);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')].filter((control) => control.labels.length === 0)
        .map((control) => control.id));
    assert.deepEqual(unlabelled, [], 'every control has a label');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= PHONE.width, `no horizontal scrolling at ${PHONE.width}px (${overflow}px)`);
    await assertChartsDrawn(page);

    // Tab reaches the coin selector first after the skip link; arrow keys change it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'coin');
    const step = await act(page, () => page.keyboard.press('ArrowDown'));
    assert.equal(classify(step.requests).series[0].get('coin'), 'ETH');
    assert.match(await text(page, '#lead-lag-sentence'), /^ETH: sentiment leads returns by 2 bars/);
    await screenshot(page, '06-phone-390');
    assertNoProblems(page);
    await closePage(page);
  });

  it('renders a report inlined by the documented recipe, from file:// with no request', async () => {
    const report = await collectReport({ coin: 'ETH' });
    const file = path.join(workDir, 'inlined-report.html');
    fs.writeFileSync(file, inlineReport(report));
    const page = await assertReportRenders(file,
      { coinSentence: /^ETH: sentiment leads returns by 2 bars, r = 0\.\d\d/ });
    await screenshot(page, '07-inlined-report');
    await closePage(page);
  });

  it('renders the report written by `cryptomood report`', async () => {
    let file = process.env.CRYPTOMOOD_REPORT_HTML;
    if (!file) {
      file = path.join(workDir, 'report.html');
      run(['report', '--db', 'sqlite:' + path.join(workDir, 'db.sqlite'), '--coin', 'ETH', '--out', file]);
    }
    const page = await assertReportRenders(file,
      { coinSentence: /^ETH: sentiment leads returns by 2 bars, r = 0\.\d\d/ });
    await screenshot(page, '08-report');
    await closePage(page);
  });
});
