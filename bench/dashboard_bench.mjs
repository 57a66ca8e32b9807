// Dashboard speed in real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from web/node_modules), against a running `cryptomood serve`. The issue's
// budget: with 2M trades ingested, the first view renders in under 1.5 s and a zoom in under
// 300 ms. This only measures and reports; it fails (exit 1) on errors, never on timing.
//
// Per run, a fresh browser context at 1366x900:
//   first view   navigation start -> first completed load (loadState 'ready'). Run 1 is the
//                cold one (a fresh server with an empty result cache, see dashboard_bench.sh);
//                the others are warm (server's response cache hit). Reported separately.
//   zoom         drag across the price chart (as tests/web/dashboard.e2e.mjs does), mouse-up ->
//                next completed load. The drag is shifted a little each run so every run's
//                zoom range is new to the server (a cache miss, like a user's real zoom).
//   zoom cached  Back to the full view, then the very same drag again: every reply is cached.
// Times are taken inside the page (performance.now(): navigation start is 0; a capturing
// mouseup listener; a MutationObserver on data-loads/data-load-state), so Playwright's own
// round trips are not counted. "painted" is the first animation frame after that.
// For every API request (page.on('requestfinished'), request.timing()) it records the wait
// for the first byte (server queueing + compute, or a cache lookup), the body transfer, the
// body size, the server's X-Cache header and, for /series, the number of rows. Main-thread long
// tasks (> 50 ms) and the page's startup milestones show how much is the page's own work.
// Afterwards an API probe from node repeats run 1's requests one at a time: cached, per
// Accept-Encoding (identity, gzip, br), and for a zoom range the server has not seen.
//
// Usage: node bench/dashboard_bench.mjs --url http://127.0.0.1:PORT/ [--runs 5]
//        [--chromium /usr/bin/chromium] [--json FILE] [--accept-encoding gzip|identity|...]
// Output: a table per run, per-endpoint API figures, then one line
//   DASHBOARD_BENCH_JSON {...medians...}
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(REPO, 'web');
const DESKTOP = { width: 1366, height: 900 };
const WAIT_MS = 120_000;
const BUDGET = { firstViewMs: 1500, zoomMs: 300 };
const API_ROUTES = new Set(['/symbols', '/series', '/correlation']);

function option(flag, fallback) {
  const index = process.argv.indexOf(flag);
  if (index >= 0 && index + 1 < process.argv.length) return process.argv[index + 1];
  return fallback;
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  const text = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  console.log(text.slice(0, text.findIndex((line) => line.startsWith('import'))).join('\n'));
  process.exit(0);
}

const URL_ARG = option('--url', '');
const RUNS = Number(option('--runs', '5'));
const CHROMIUM = option('--chromium', process.env.CRYPTOMOOD_CHROMIUM || '/usr/bin/chromium');
const JSON_OUT = option('--json', '');
// Diagnostic: an Accept-Encoding for the page's requests instead of Chromium's own
// ("gzip, deflate, br, zstd"), e.g. "gzip" or "identity", to see what compression costs.
const ACCEPT_ENCODING = option('--accept-encoding', '');
if (!URL_ARG) fail('pass --url http://HOST:PORT/ (a running `cryptomood serve`)');
if (!(Number.isInteger(RUNS) && RUNS >= 1)) fail('--runs must be a positive integer');
if (!fs.existsSync(CHROMIUM)) fail(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
const BASE_URL = URL_ARG.endsWith('/') ? URL_ARG : URL_ARG + '/';

function fail(message) {
  console.error('dashboard_bench: ' + message);
  process.exit(1);
}

function loadPlaywright() {
  const require = createRequire(path.join(WEB, 'package.json'));
  try {
    return require('playwright-core');
  } catch (error) {
    fail('playwright-core is not installed: run `npm ci` in web/ (' + error.message + ')');
  }
}

// ----- statistics and formatting --------------------------------------------------------------

function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value, digits = 1) => (value === null || value === undefined || !Number.isFinite(value)
  ? null : Number(value.toFixed(digits)));
const ms = (value) => (value === null || value === undefined || !Number.isFinite(value)
  ? '–' : value.toFixed(0));
const kb = (bytes) => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : '–');

function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '–')));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row, index) => {
    const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column])
      : cell.padStart(widths[column]))).join('  ');
    return index === 0 ? line + '\n' + widths.map((width) => '-'.repeat(width)).join('  ') : line;
  }).join('\n');
}

// ----- page instrumentation ---------------------------------------------------------------------

// Runs in the page before its own scripts: records when each load completes and each mouse-up.
function instrument() {
  const bench = { loads: [], mouseups: [], longTasks: [] };
  window.__dashboardBench = bench;
  const root = () => document.documentElement;
  const check = () => {
    const element = root();
    if (!element) return;
    const loads = Number(element.dataset.loads || 0);
    const state = element.dataset.loadState;
    const last = bench.loads.length ? bench.loads[bench.loads.length - 1].loads : 0;
    if (loads > last && state && state !== 'loading') {
      const mark = { loads, state, at: performance.now(), painted: null };
      bench.loads.push(mark);
      requestAnimationFrame(() => {
        mark.painted = performance.now();
      });
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['data-loads', 'data-load-state'],
  });
  window.addEventListener('mouseup', () => bench.mouseups.push(performance.now()), true);
  // Main-thread tasks over 50 ms (script, style, layout, paint), to tell rendering from waiting.
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No Long Tasks API: the column stays empty.
  }
}

// Page-clock milestones of the first view: document received, scripts run (DOMContentLoaded),
// the /symbols request sent (the app has started).
const startupMarks = (page) => page.evaluate(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const symbols = performance.getEntriesByType('resource').find((entry) => new URL(entry.name).pathname === '/symbols');
  return {
    documentMs: navigation ? navigation.responseEnd : null,
    domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : null,
    symbolsSentMs: symbols ? symbols.startTime : null,
  };
});

// Total main-thread long-task time between two page-clock instants.
const longTaskMs = (page, from, to) => page.evaluate(([begin, end]) => window.__dashboardBench.longTasks
  .filter(([start]) => start >= begin - 1 && start < end)
  .reduce((sum, [, duration]) => sum + duration, 0), [from, to]);

// A finished load newer than `previous`, with its paint time: {loads, state, at, painted}.
async function waitForLoadMark(page, previous) {
  await page.waitForFunction((before) => {
    const marks = window.__dashboardBench.loads;
    const mark = marks.find((candidate) => candidate.loads > before);
    return mark && mark.painted !== null;
  }, previous, { timeout: WAIT_MS });
  return page.evaluate((before) => window.__dashboardBench.loads.find((mark) => mark.loads > before),
    previous);
}

const loadsSoFar = (page) => page.evaluate(() => {
  const marks = window.__dashboardBench.loads;
  return marks.length ? marks[marks.length - 1].loads : 0;
});

// The page's clock origin in epoch ms, to put request.timing() (epoch based) on the same axis.
const timeOrigin = (page) => page.evaluate(() => performance.timeOrigin);

// Which of the dashboard's requests a URL is (see web/static/lib/api.js).
function classify(url) {
  const parsed = new URL(url);
  if (parsed.pathname === '/symbols') return 'symbols';
  if (parsed.pathname === '/series') return 'series';
  if (parsed.pathname !== '/correlation') return 'other';
  if (parsed.searchParams.has('window')) return 'window';
  return parsed.searchParams.has('coin') ? 'lag' : 'summary';
}

async function openPage(browser) {
  const context = await browser.newContext({
    viewport: DESKTOP,
    ...(ACCEPT_ENCODING ? { extraHTTPHeaders: { 'Accept-Encoding': ACCEPT_ENCODING } } : {}),
  });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  page.problems = [];
  page.api = []; // promises of request records, in completion order
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push('console: ' + message.text());
  });
  page.on('pageerror', (error) => page.problems.push('uncaught: ' + error.message));
  page.on('requestfailed', (request) => {
    const url = new URL(request.url());
    // A superseded load aborts its requests on purpose; anything else is an error.
    if (API_ROUTES.has(url.pathname) && !/ERR_ABORTED/.test(request.failure()?.errorText || '')) {
      page.problems.push(`request failed: ${url.pathname}${url.search}: ${request.failure()?.errorText}`);
    }
  });
  page.on('requestfinished', (request) => {
    const url = new URL(request.url());
    if (!API_ROUTES.has(url.pathname)) return;
    page.api.push(describeRequest(page, request));
  });
  return page;
}

async function describeRequest(page, request) {
  const timing = request.timing();
  const response = await request.response();
  const sizes = await request.sizes();
  const record = {
    kind: classify(request.url()),
    url: new URL(request.url()).pathname + new URL(request.url()).search,
    status: response ? response.status() : 0,
    cache: null,
    encoding: null,
    bytes: sizes.responseBodySize,
    // Epoch ms; the rest of request.timing() is relative to startTime (-1 when not applicable).
    start: timing.startTime,
    sent: timing.startTime + Math.max(0, timing.requestStart),
    firstByte: timing.startTime + timing.responseStart,
    end: timing.startTime + timing.responseEnd,
    rows: null,
  };
  if (response) {
    const headers = await response.allHeaders();
    record.cache = headers['x-cache'] || null;
    record.encoding = headers['content-encoding'] || 'identity';
  }
  record.waitMs = record.firstByte - record.sent; // server queueing + compute (+ RTT)
  record.transferMs = record.end - record.firstByte;
  record.totalMs = record.end - record.start;
  if (record.status !== 200) page.problems.push(`HTTP ${record.status} from ${record.url}`);
  if (record.kind === 'series' && response && record.status === 200) {
    try {
      record.rows = JSON.parse(await response.text()).data.length;
    } catch (error) {
      page.problems.push(`unreadable /series body: ${error.message}`);
    }
  }
  return record;
}

// The API records collected since the last call (awaits their bodies). Playwright reports a
// finished request a little after the page saw it, so this waits for `expected` of them.
async function takeRequests(page, expected) {
  const deadline = Date.now() + 10_000;
  while (page.api.length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (page.api.length < expected) page.problems.push(`expected ${expected} API requests, saw ${page.api.length}`);
  const pending = page.api.splice(0);
  return Promise.all(pending);
}

async function dragAcross(page, chartSelector, fromFraction, toFraction) {
  const box = await page.locator(chartSelector + ' .u-over').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * fromFraction, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * toFraction, y, { steps: 12 });
  await page.mouse.up();
}

// Summarizes one phase: its duration and where the time went, from the phase's start (epoch ms).
function phase(name, startEpoch, mark, origin, requests) {
  const readyEpoch = origin + mark.at;
  const apiEnd = requests.length ? Math.max(...requests.map((request) => request.end)) : startEpoch;
  const series = requests.filter((request) => request.kind === 'series');
  return {
    name,
    state: mark.state,
    ms: readyEpoch - startEpoch,
    paintedMs: origin + mark.painted - startEpoch,
    // Until the last API byte arrived, then the page's own work (parse, draw) after it.
    apiMs: apiEnd - startEpoch,
    afterApiMs: readyEpoch - apiEnd,
    seriesRows: series.length ? series[series.length - 1].rows : null,
    bytes: requests.reduce((sum, request) => sum + (request.bytes || 0), 0),
    cache: requests.filter((request) => request.kind !== 'symbols').map((request) => request.cache),
    requests,
  };
}

async function oneRun(browser, run) {
  const page = await openPage(browser);
  try {
    // (a) first view.
    await page.goto(BASE_URL, { waitUntil: 'commit', timeout: WAIT_MS });
    const first = await waitForLoadMark(page, 0);
    const origin = await timeOrigin(page);
    const firstPhase = phase('first view', origin, first, origin, await takeRequests(page, 5));
    Object.assign(firstPhase, await startupMarks(page));
    firstPhase.longTaskMs = await longTaskMs(page, 0, first.at);

    // (b) zoom: a range that is new to the server on every run.
    const shift = 0.02 * (run - 1);
    const from = 0.25 + shift;
    const to = 0.5 + shift;
    let previous = await loadsSoFar(page);
    const mouseupsBefore = await page.evaluate(() => window.__dashboardBench.mouseups.length);
    await dragAcross(page, '#chart-series', from, to);
    const zoom = await waitForLoadMark(page, previous);
    const mouseup = await page.evaluate((index) => window.__dashboardBench.mouseups[index], mouseupsBefore);
    const zoomPhase = phase('zoom', origin + mouseup, zoom, origin, await takeRequests(page, 4));
    zoomPhase.longTaskMs = await longTaskMs(page, mouseup, zoom.at);
    const zoomUrl = page.url();

    // Back to the full view (cached replies), then (c) the very same drag.
    previous = await loadsSoFar(page);
    await page.goBack();
    await waitForLoadMark(page, previous);
    await takeRequests(page, 4);
    previous = await loadsSoFar(page);
    const cachedMouseups = await page.evaluate(() => window.__dashboardBench.mouseups.length);
    await dragAcross(page, '#chart-series', from, to);
    const again = await waitForLoadMark(page, previous);
    const againUp = await page.evaluate((index) => window.__dashboardBench.mouseups[index], cachedMouseups);
    const cachedPhase = phase('zoom cached', origin + againUp, again, origin, await takeRequests(page, 4));
    cachedPhase.longTaskMs = await longTaskMs(page, againUp, again.at);
    if (page.url() !== zoomUrl) {
      page.problems.push(`the repeated drag zoomed elsewhere: ${page.url()} vs ${zoomUrl}`);
    }
    for (const result of [firstPhase, zoomPhase, cachedPhase]) {
      if (result.state !== 'ready') page.problems.push(`${result.name} ended in loadState ${result.state}`);
      if (!result.requests.some((request) => request.kind === 'series')) {
        page.problems.push(`${result.name} made no /series request`);
      }
    }
    if (page.problems.length) throw new Error(`run ${run}:\n  ` + page.problems.join('\n  '));
    return { run, first: firstPhase, zoom: zoomPhase, cached: cachedPhase, zoomUrl };
  } finally {
    await page.context().close();
  }
}

// ----- report -----------------------------------------------------------------------------------

function apiRows(label, phases) {
  const kinds = ['symbols', 'series', 'window', 'lag', 'summary'];
  return kinds.flatMap((kind) => {
    const requests = phases.flatMap((result) => result.requests.filter((request) => request.kind === kind));
    if (!requests.length) return [];
    const distinct = (key) => [...new Set(requests.map((request) => request[key] || '-'))].join('/');
    return [[label, kind, requests.length, ms(median(requests.map((r) => r.waitMs))),
      ms(median(requests.map((r) => r.transferMs))), ms(median(requests.map((r) => r.totalMs))),
      kb(median(requests.map((r) => r.bytes))), distinct('cache'), distinct('encoding')]];
  });
}

function apiSummary(phases) {
  const out = {};
  for (const kind of ['symbols', 'series', 'window', 'lag', 'summary']) {
    const requests = phases.flatMap((result) => result.requests.filter((request) => request.kind === kind));
    if (!requests.length) continue;
    out[kind] = {
      wait_ms: round(median(requests.map((r) => r.waitMs))),
      transfer_ms: round(median(requests.map((r) => r.transferMs))),
      total_ms: round(median(requests.map((r) => r.totalMs))),
      bytes: median(requests.map((r) => r.bytes)),
    };
  }
  return out;
}

// ----- API probe: the same requests outside the browser -----------------------------------------

// One GET with the given Accept-Encoding ('identity', 'gzip', 'br'): ms to the first byte and
// to the last, bytes on the wire, the server's X-Cache and Content-Encoding.
function timedGet(url, encoding) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstByte = null;
    let bytes = 0;
    const request = http.get(url, { headers: { 'Accept-Encoding': encoding, Connection: 'close' } }, (response) => {
      response.on('data', (chunk) => {
        if (firstByte === null) firstByte = performance.now();
        bytes += chunk.length;
      });
      response.on('end', () => {
        const end = performance.now();
        if (response.statusCode !== 200) {
          reject(new Error(`probe: HTTP ${response.statusCode} from ${url}`));
          return;
        }
        resolve({
          firstByteMs: (firstByte ?? end) - start,
          totalMs: end - start,
          bytes,
          cache: response.headers['x-cache'] || null,
          encoding: response.headers['content-encoding'] || 'identity',
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.setTimeout(WAIT_MS, () => request.destroy(new Error('probe: timeout on ' + url)));
  });
}

// Moves a request's from/to by `seconds`, so the server has not seen that range (cache miss).
function shiftRange(url, seconds) {
  const parsed = new URL(url, BASE_URL);
  for (const key of ['from', 'to']) {
    const value = parsed.searchParams.get(key);
    if (!value) continue;
    const moved = new Date(Date.parse(value) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    parsed.searchParams.set(key, moved);
  }
  return parsed.href;
}

// Where the server's time goes, per request of run 1's first view and zoom: a cached reply
// per encoding (cache lookup + compression + transfer), and a new zoom range computed
// (requests in the page's order, one at a time: the first one also loads the range's data).
async function probe(results) {
  const first = results[0].first.requests.filter((request) => request.kind !== 'symbols');
  const zoom = results[0].zoom.requests;
  const order = ['series', 'window', 'lag', 'summary'];
  const byKind = (requests) => order.map((kind) => requests.find((request) => request.kind === kind))
    .filter(Boolean);
  const rows = [];
  const json = { cached: {}, computed: {} };
  for (const [label, requests] of [['first view', byKind(first)], ['zoom', byKind(zoom)]]) {
    for (const request of requests) {
      const row = [label + ' cached', request.kind];
      const entry = {};
      for (const encoding of ['identity', 'gzip', 'br']) {
        const samples = [];
        for (let i = 0; i < 3; i += 1) samples.push(await timedGet(new URL(request.url, BASE_URL).href, encoding));
        const value = median(samples.map((sample) => sample.totalMs));
        const used = samples[0].encoding;
        row.push(`${ms(value)} (${kb(samples[0].bytes)} KiB${used === encoding ? '' : ', ' + used})`);
        entry[encoding] = { total_ms: round(value), bytes: samples[0].bytes, encoding: used, cache: samples[0].cache };
      }
      rows.push(row);
      json.cached[`${label}/${request.kind}`] = entry;
    }
  }
  // Two new ranges (shifted by 7 and 13 minutes): one fetched uncompressed, one with br.
  for (const [encoding, shift] of [['identity', 420], ['br', 780]]) {
    for (const request of byKind(zoom)) {
      const sample = await timedGet(shiftRange(request.url, shift), encoding);
      rows.push([`zoom computed, ${encoding}`, request.kind, `${ms(sample.totalMs)} (${kb(sample.bytes)} KiB, `
        + `x-cache ${sample.cache})`, '', '']);
      json.computed[`${encoding}/${request.kind}`] = { total_ms: round(sample.totalMs), bytes: sample.bytes,
        cache: sample.cache };
    }
  }
  console.log('\nAPI probe from node, one request at a time (ms to the last byte; "cached" = median of 3;'
    + ' "computed" = a zoom range the server has not seen, first request loads its data):');
  console.log(table(['probe', 'request', 'identity', 'gzip', 'br'], rows));
  return json;
}

async function main() {
  const playwright = loadPlaywright();
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox'],
  });
  const results = [];
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      const result = await oneRun(browser, run);
      results.push(result);
      const line = [result.first, result.zoom, result.cached]
        .map((p) => `${p.name} ${ms(p.ms)} ms`).join(', ');
      console.error(`dashboard_bench: run ${run}/${RUNS}: ${line}`);
    }
  } finally {
    await browser.close();
  }

  const cold = results[0];
  const warm = results.slice(1);
  const coldComputed = cold.first.cache.filter((value) => value === 'miss').length;
  if (coldComputed === 0) {
    console.log('NOTE: run 1 was served entirely from the server cache (not a cold server): '
      + 'start a fresh server on a store with an empty result cache (dashboard_bench.sh does).');
  }

  console.log(`\nDashboard benchmark: ${BASE_URL}, ${RUNS} runs, viewport ${DESKTOP.width}x${DESKTOP.height}`
    + (ACCEPT_ENCODING ? `, Accept-Encoding: ${ACCEPT_ENCODING}` : ", Chromium's own Accept-Encoding"));
  console.log('ms from navigation start (first view) or mouse-up (zoom) to the completed load;'
    + ' "api" = until the last API byte, "page" = after it (parse + draw), "paint" = next frame,'
    + ' "long tasks" = main-thread tasks > 50 ms in the phase, "html/dcl/symbols" = ms from navigation'
    + ' start to the document received, DOMContentLoaded and the /symbols request sent\n');
  const rows = results.flatMap((result) => [result.first, result.zoom, result.cached].map((p) => [
    result.run, p.name + (p.name === 'first view' ? (result.run === 1 ? ' (cold)' : ' (warm)') : ''),
    ms(p.ms), ms(p.paintedMs), ms(p.apiMs), ms(p.afterApiMs), ms(p.longTaskMs),
    p.name === 'first view' ? `${ms(p.documentMs)}/${ms(p.domContentLoadedMs)}/${ms(p.symbolsSentMs)}` : '',
    p.seriesRows, kb(p.bytes), p.cache.join(','),
  ]));
  console.log(table(['run', 'phase', 'ms', 'paint', 'api', 'page', 'long tasks', 'html/dcl/symbols',
    'series rows', 'KiB', 'x-cache (in order of arrival)'], rows));

  const figures = {
    first_view_cold_ms: cold.first.ms,
    first_view_warm_ms: median(warm.map((r) => r.first.ms)),
    zoom_ms: median(results.map((r) => r.zoom.ms)),
    zoom_cached_ms: median(results.map((r) => r.cached.ms)),
  };
  console.log('\nMedians (warm = runs 2..N; zoom = all runs, each a new range, server cache miss):');
  console.log(table(['figure', 'ms', 'budget ms', 'within'], [
    ['first view, cold (run 1)', ms(figures.first_view_cold_ms), BUDGET.firstViewMs,
      figures.first_view_cold_ms < BUDGET.firstViewMs ? 'yes' : 'NO'],
    ['first view, warm', ms(figures.first_view_warm_ms), BUDGET.firstViewMs,
      figures.first_view_warm_ms === null ? '–' : figures.first_view_warm_ms < BUDGET.firstViewMs ? 'yes' : 'NO'],
    ['zoom (new range)', ms(figures.zoom_ms), BUDGET.zoomMs, figures.zoom_ms < BUDGET.zoomMs ? 'yes' : 'NO'],
    ['zoom again (cached)', ms(figures.zoom_cached_ms), BUDGET.zoomMs,
      figures.zoom_cached_ms < BUDGET.zoomMs ? 'yes' : 'NO'],
  ]));

  console.log('\nAPI calls (medians; wait = request sent -> first byte: server queueing + compute;'
    + ' transfer = first -> last byte):');
  console.log(table(['phase', 'request', 'n', 'wait', 'transfer', 'total', 'KiB', 'x-cache', 'encoding'], [
    ...apiRows('first view cold', [cold.first]),
    ...apiRows('first view warm', warm.map((r) => r.first)),
    ...apiRows('zoom', results.map((r) => r.zoom)),
    ...apiRows('zoom cached', results.map((r) => r.cached)),
  ]));

  const probed = await probe(results);
  const summary = {
    url: BASE_URL,
    runs: RUNS,
    viewport: `${DESKTOP.width}x${DESKTOP.height}`,
    accept_encoding: ACCEPT_ENCODING || null,
    first_view_cold_ms: round(figures.first_view_cold_ms),
    first_view_warm_ms: round(figures.first_view_warm_ms),
    zoom_ms: round(figures.zoom_ms),
    zoom_cached_ms: round(figures.zoom_cached_ms),
    first_view_cold_painted_ms: round(cold.first.paintedMs),
    first_view_warm_painted_ms: round(median(warm.map((r) => r.first.paintedMs))),
    zoom_painted_ms: round(median(results.map((r) => r.zoom.paintedMs))),
    first_view_cold_page_ms: round(cold.first.afterApiMs),
    first_view_warm_page_ms: round(median(warm.map((r) => r.first.afterApiMs))),
    zoom_page_ms: round(median(results.map((r) => r.zoom.afterApiMs))),
    first_view_warm_symbols_sent_ms: round(median(warm.map((r) => r.first.symbolsSentMs))),
    first_view_warm_long_task_ms: round(median(warm.map((r) => r.first.longTaskMs))),
    zoom_long_task_ms: round(median(results.map((r) => r.zoom.longTaskMs))),
    cold_cache_misses: coldComputed,
    series_rows_first_view: median(results.map((r) => r.first.seriesRows)),
    series_rows_zoom: median(results.map((r) => r.zoom.seriesRows)),
    bytes_first_view: median(results.map((r) => r.first.bytes)),
    bytes_zoom: median(results.map((r) => r.zoom.bytes)),
    api: {
      first_view_cold: apiSummary([cold.first]),
      first_view_warm: apiSummary(warm.map((r) => r.first)),
      zoom: apiSummary(results.map((r) => r.zoom)),
      zoom_cached: apiSummary(results.map((r) => r.cached)),
    },
    probe: probed,
    budget_ms: { first_view: BUDGET.firstViewMs, zoom: BUDGET.zoomMs },
  };
  if (JSON_OUT) {
    fs.writeFileSync(JSON_OUT, JSON.stringify({ summary, runs: results }, null, 2) + '\n');
  }
  console.log('\nDASHBOARD_BENCH_JSON ' + JSON.stringify(summary));
}

main().catch((error) => fail(error.stack || String(error)));
