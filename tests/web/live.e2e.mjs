// End-to-end test of the dashboard's Live switch in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core from web/node_modules), against the real-time
// pipeline: `cryptomood sandbox` (mock Kafka), one `cryptomood stream` member writing a fresh
// SQLite store, and `cryptomood serve` over that store.
//
// The data is simulated once (hours ending a few hours before now) and published hour by
// hour with `cryptomood produce`: publishing hour k+1 moves the watermark past hour k, so the
// stream closes and commits window k. The page is opened live on ETH, then:
//   - every window shows on the page (drawn in the correlation chart) within 2 s of its rows
//     becoming readable through /correlation?source=stream, which node polls;
//   - the page's rows, its three stream-fed panels and /correlation?source=stream agree, with
//     the charts updated in place (same canvas, one /correlation request per load);
//   - `serve` is stopped (the page says disconnected), a window closes meanwhile, `serve`
//     comes back on the same port, and the page resumes with every window exactly once;
//   - a second stream group replays everything (each row committed again, with a new
//     sequence) and closes the open window early; the first group then commits that window
//     again with more data: the page keeps one row per key, with the latest values;
//   - the stream member is killed (SIGKILL): the page says the stream is not committing, a
//     state it never showed while the member was alive;
//   - switching Live off closes the event feed (the server's SSE client gauge drops to 0) and
//     stops the /healthz polling.
// No console error or page exception is allowed, except Chromium's connection-refused lines
// while `serve` is deliberately down. Every wait is bounded and names what it waited for;
// every child process is killed at the end, whatever happened. The steps build on each other:
// after one fails the later ones fail at once, naming it, without running. Missing
// Chromium, playwright-core or binary is a failure, never a skip.
//
// Usage: node live.e2e.mjs --binary PATH/cryptomood
// Environment: CRYPTOMOOD_BINARY (same as the flag), CRYPTOMOOD_CHROMIUM (default /usr/bin/chromium).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chartData, format } from './load_lib.mjs';
import {
  CHROMIUM, commandLineOption, getWithRetry, launchHeadless, prepareBrowserTest, runCryptomood, startServe, stopServe, WEB_DIR,
} from './serve_harness.mjs';

const WEB = WEB_DIR;

const BINARY = commandLineOption('--binary', 'CRYPTOMOOD_BINARY');

const HOURS = 8; // simulated hours, published one (or half of one) at a time
const ETH = 'COINBASE_SPOT_ETH_USD';
const ANALYSIS = ['--mode', 'bars', '--interval', '1m', '--lags', '-2:2', '--window', '1h'];
// Each partition's trades and tweets are read in batches, so one topic may run an hour of
// event time ahead of the other. The long idle timeout keeps a partition's quieter topic
// holding the watermark between publications (else its events would be late); a partition
// that never gets a message holds nothing. A short liveness interval makes a killed member
// visible soon.
const MEMBER_TIMING = ['--allowed-lateness', '30s', '--idle-timeout', '10m', '--commit-interval', '200ms',
  '--liveness-interval', '1s'];
const PAGE_QUERY = '?coin=ETH&lags=-2:2&window=1h&live=1';
const STREAM_QUERY = '/correlation?source=stream&mode=bars&interval=1m&lags=-2:2&window=1h';
const SHOW_WITHIN_MS = 2000; // a committed window is on the page this soon
// Three liveness intervals (3 s) without a commit, plus a /healthz poll (2 s), plus slack.
const STALL_WITHIN_MS = 10_000;
const WAIT_MS = 30_000; // any other wait
const POLL_MS = 50;
// Chromium reports each refused connection of the event feed (and of a fetch) as a console
// error; they are expected only while `serve` is down.
const REFUSED_CONSOLE = /^Failed to load resource: net::ERR_(CONNECTION_REFUSED|EMPTY_RESPONSE|CONNECTION_RESET)$/;

let workDir;
let playwright;
let browser;
let page;
let server;
let brokers;
let member; // the `stream` member of group live-e2e
const children = new Set(); // every process started here but `serve` (see serve_harness)
const hourFiles = {}; // per part (see writeHourFiles): {trades, sentiment} paths
let firstHour; // seconds since the epoch of the first simulated hour
let baseUrl;
let refusalsExpectedUntil = 0; // Date.now() bound of the time `serve` is deliberately down

// ----- processes -------------------------------------------------------------------------------

function logPath(name) {
  return path.join(workDir, name + '.log');
}

function logTail(name) {
  try {
    return fs.readFileSync(logPath(name), 'utf8').slice(-3000);
  } catch (error) {
    return '(no log)';
  }
}

// Starts `cryptomood args...` with its output in NAME.log (stdout piped instead when asked).
function startChild(name, args, { pipeStdout = false } = {}) {
  const log = fs.openSync(logPath(name), 'w');
  const child = spawn(BINARY, args, { stdio: ['ignore', pipeStdout ? 'pipe' : log, log] });
  child.logName = name;
  children.add(child);
  return child;
}

const running = (child) => child.exitCode === null && child.signalCode === null;

function killChildren() {
  for (const child of children) if (running(child)) child.kill('SIGKILL');
}
process.on('exit', killChildren);

// Resolves with the exit code once `child` has exited, or fails after `ms`.
function exitOf(child, ms, what) {
  if (!running(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms} ms; log:\n` +
      logTail(child.logName))), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function runChild(name, args, ms = WAIT_MS) {
  const code = await exitOf(startChild(name, args), ms, name);
  assert.equal(code, 0, `${name} exited ${code}; log:\n${logTail(name)}`);
}

// `sandbox --brokers 1`: its first stdout line names the brokers.
function startSandbox() {
  const child = startChild('sandbox', ['sandbox', '--brokers', '1'], { pipeStdout: true });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('sandbox named no brokers within 30 s:\n' +
      logTail('sandbox'))), WAIT_MS);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /cryptomood: sandbox brokers at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}):\n${logTail('sandbox')}`)));
  });
}

function startMember(group, extra = []) {
  return startChild('stream-' + group, ['stream', '--brokers', brokers, '--group', group, '--db', dbUrl(),
    ...ANALYSIS, ...MEMBER_TIMING, ...extra]);
}

const dbUrl = () => 'sqlite:' + path.join(workDir, 'stream.db');

function startServer(port) {
  return startServe(BINARY, ['--db', dbUrl(), '--port', String(port), '--web-root', path.join(WEB, 'static')]);
}

let produced = 0;
async function publish(files) {
  produced += 1;
  await runChild('produce-' + produced, ['produce', '--brokers', brokers, '--trades', files.trades,
    '--sentiment', files.sentiment]);
}

// ----- data --------------------------------------------------------------------------------------

// Simulates HOURS hours ending at least two hours before now and writes one trades and one
// sentiment file per part: hour k is part k, except hour HALF_HOUR, split at its half.
const HALF_HOUR = 6;
function writeHourFiles() {
  firstHour = Math.floor(Date.now() / 3600e3) * 3600 - (HOURS + 2) * 3600;
  const out = path.join(workDir, 'sim');
  runCryptomood(BINARY, ['simulate', '--out', out, '--trades', String(2400 * HOURS),
    '--tweets', String(900 * HOURS), '--seed', '11', '--start', format.formatTimestamp(firstHour),
    '--days', String(HOURS / 24)]);
  const parts = new Map();
  const partOf = (line) => {
    const offset = format.parseTimestamp(JSON.parse(line).timestamp) - firstHour;
    const hour = Math.floor(offset / 3600);
    if (hour < HALF_HOUR) return hour;
    if (hour === HALF_HOUR) return offset % 3600 < 1800 ? 'half-a' : 'half-b';
    return hour;
  };
  for (const [kind, file] of [['trades', 'historical_coin_data.txt'], ['sentiment', 'historical_sentiment_data.txt']]) {
    for (const line of fs.readFileSync(path.join(out, file), 'utf8').split('\n').filter(Boolean)) {
      const part = partOf(line);
      if (!parts.has(part)) parts.set(part, { trades: [], sentiment: [] });
      parts.get(part)[kind].push(line);
    }
  }
  for (const [part, lines] of parts) {
    const files = {};
    for (const kind of ['trades', 'sentiment']) {
      files[kind] = path.join(workDir, `part-${part}-${kind}.jsonl`);
      fs.writeFileSync(files[kind], lines[kind].join('\n') + '\n');
    }
    hourFiles[part] = files;
  }
}

const windowStart = (hour) => firstHour + hour * 3600;

// ----- API side ----------------------------------------------------------------------------------

async function streamRows() {
  const response = await getWithRetry(new URL(STREAM_QUERY, baseUrl));
  assert.equal(response.status, 200, STREAM_QUERY);
  return (await response.json()).data;
}

const hasWindow = (rows, hour) => rows.some((row) => row.symbol_id === ETH && row.lag === 0 &&
  format.parseTimestamp(row.window_start) === windowStart(hour));

// Polls until check() returns a truthy value and returns it; fails naming `what` after ms.
async function until(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function sseClients() {
  const text = await (await getWithRetry(new URL('/metrics', baseUrl))).text();
  const match = /^cryptomood_sse_clients(?:\{[^}]*\})? (\d+)/m.exec(text);
  assert.ok(match, 'cryptomood_sse_clients in /metrics');
  return Number(match[1]);
}

// ----- page side ---------------------------------------------------------------------------------

async function openLivePage() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const opened = await context.newPage();
  opened.problems = [];
  opened.requests = [];
  opened.on('console', (message) => {
    if (message.type() === 'error') {
      opened.problems.push({ text: message.text(), serveDown: Date.now() <= refusalsExpectedUntil });
    }
  });
  opened.on('pageerror', (error) => opened.problems.push({ text: 'uncaught: ' + error.message, serveDown: false }));
  opened.on('request', (request) => opened.requests.push(new URL(request.url()).pathname));
  await opened.goto(baseUrl + PAGE_QUERY);
  // Every state the status line takes, in order, for the page's whole life.
  await opened.evaluate(() => {
    const element = document.getElementById('live-status');
    window.liveStatesShown = [element.dataset.state];
    new MutationObserver(() => window.liveStatesShown.push(element.dataset.state))
      .observe(element, { attributes: true, attributeFilter: ['data-state'] });
  });
  return opened;
}

const liveState = () => page.locator('#live-status').getAttribute('data-state');

async function waitForLiveState(wanted, ms, why) {
  const started = Date.now();
  try {
    await page.waitForFunction((state) => document.getElementById('live-status').dataset.state === state,
      wanted, { timeout: ms, polling: POLL_MS });
  } catch (error) {
    const shown = await page.locator('#live-status').innerText();
    throw new Error(`the page's live status did not become "${wanted}" within ${ms} ms (${why}); ` +
      `it is "${await liveState()}": ${shown}`);
  }
  return Date.now() - started;
}

// Resolves with Date.now() once the correlation chart draws the window of `hour`.
function whenPageDraws(hour) {
  const middle = windowStart(hour) + 1800;
  return page.waitForFunction((time) => {
    const columns = window.cryptomoodLive.columns('window');
    return columns !== null && columns[0].includes(time);
  }, middle, { timeout: WAIT_MS, polling: POLL_MS }).then(() => Date.now(), () => {
    throw new Error(`the page never drew the window of hour ${hour} (${format.formatTimestamp(windowStart(hour))})`);
  });
}

// Resolves with Date.now() once /correlation?source=stream has the window of `hour`.
function whenApiHas(hour) {
  return until(`window ${format.formatTimestamp(windowStart(hour))} in ${STREAM_QUERY}; stream log:\n` +
    logTail('stream-live-e2e'), async () => hasWindow(await streamRows(), hour)).then(() => Date.now());
}

// Publishes `files`, which close the window of `hour`, and returns how long after the API the
// page drew it (ms; negative when the page was first).
async function publishAndTime(files, hour) {
  const drawn = whenPageDraws(hour);
  const readable = whenApiHas(hour);
  await publish(files);
  const [apiAt, pageAt] = await Promise.all([readable, drawn]);
  return pageAt - apiAt;
}

// A row's identity, stated here rather than taken from the page's code under test.
const keyOf = (row) => `${row.symbol_id} ${row.window_start} ${row.lag}`;
const keyed = (rows) => new Map(rows.map((row) => [keyOf(row), row]));

async function cardFacts() {
  return page.evaluate(() => [...document.querySelectorAll('#summary-cards .card')].map((card) => [
    card.dataset.symbol,
    [...card.querySelectorAll('dl > div')].map((pair) => [pair.querySelector('dt').textContent,
      pair.querySelector('dd').textContent]),
  ]));
}

// Waits until the page holds exactly the API's rows, each key once, then checks that the
// three stream-fed panels draw them. Returns the rows.
async function assertPageMatchesApi(what) {
  let apiRows = [];
  let pageRows = [];
  try {
    await until(`the page's rows to equal ${STREAM_QUERY}`, async () => {
      apiRows = await streamRows();
      pageRows = await page.evaluate(() => window.cryptomoodLive.rows());
      return pageRows.length === apiRows.length &&
        [...keyed(apiRows)].every(([key, row]) => JSON.stringify(keyed(pageRows).get(key)) === JSON.stringify(row));
    }, 10_000);
  } catch (error) {
    // Fall through to the assertions below, which show the difference.
  }
  const pageKeys = pageRows.map(keyOf);
  assert.equal(new Set(pageKeys).size, pageKeys.length, `${what}: a (symbol, window, lag) is held twice on the page`);
  assert.deepEqual([...keyed(pageRows).keys()].sort(), [...keyed(apiRows).keys()].sort(),
    `${what}: the page's windows differ from the API's`);
  assert.deepEqual(keyed(pageRows), keyed(apiRows), `${what}: the page's values differ from the API's`);

  const expectedWindow = chartData.windowColumns(apiRows, ETH);
  assert.deepEqual(await page.evaluate(() => window.cryptomoodLive.columns('window')),
    [expectedWindow.time, expectedWindow.r, expectedWindow.low, expectedWindow.high],
    `${what}: correlation chart columns`);
  const times = expectedWindow.time;
  assert.equal(new Set(times).size, times.length, `${what}: a window drawn twice`);
  const expectedLag = chartData.lagColumns(apiRows, ETH);
  assert.deepEqual(await page.evaluate(() => window.cryptomoodLive.columns('lag')),
    [expectedLag.lag, expectedLag.r, expectedLag.low, expectedLag.high, expectedLag.best],
    `${what}: lag chart columns (latest window)`);
  assert.deepEqual(await cardFacts(),
    chartData.summaryCards(apiRows).map((card) => [card.symbolId, card.facts]), `${what}: summary cards`);
  return apiRows;
}

// The charts are updated in place: the canvases marked here must survive every live update.
async function markCanvases() {
  await page.evaluate(() => {
    for (const name of ['window', 'lag']) document.querySelector(`#chart-${name} canvas`).dataset.mark = 'first';
  });
}

async function assertCanvasesKept(what) {
  const marks = await page.evaluate(() => ['window', 'lag'].map((name) => {
    const canvas = document.querySelector(`#chart-${name} canvas`);
    return canvas ? canvas.dataset.mark || 'new canvas' : 'no canvas';
  }));
  assert.deepEqual(marks, ['first', 'first'], `${what}: the charts were rebuilt instead of updated`);
}

function correlationRequests() {
  return page.requests.filter((pathname) => pathname === '/correlation').length;
}

function assertNoProblems() {
  const unexpected = page.problems.filter((problem) => !(problem.serveDown && REFUSED_CONSOLE.test(problem.text)));
  assert.deepEqual(unexpected.map((problem) => problem.text), [], 'console errors or uncaught exceptions on the page');
}

// ----- the test ----------------------------------------------------------------------------------

describe('the dashboard\'s Live switch in headless Chromium', { concurrency: false }, () => {
  const latencies = [];
  let brokenAt = null; // the first step that failed

  // The steps build on each other (published hours, the server's state): after a failure the
  // later ones fail at once, naming it, rather than running on a broken state.
  function step(name, body) {
    it(name, async () => {
      if (brokenAt !== null) throw new Error(`not run: an earlier step failed: ${brokenAt}`);
      try {
        await body();
      } catch (error) {
        brokenAt = name;
        throw error;
      }
    });
  }

  before(async () => {
    playwright = prepareBrowserTest(BINARY);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cryptomood-live-'));
    writeHourFiles();
    brokers = await startSandbox();
    member = startMember('live-e2e');
    server = await startServer(0);
    baseUrl = server.url;
    browser = await launchHeadless(playwright, CHROMIUM);
  });

  after(async () => {
    let serveExitedEarly = null;
    try {
      if (browser) await browser.close();
    } finally {
      const ended = server && (server.child.exitCode ?? server.child.signalCode);
      if (ended !== null && ended !== undefined) serveExitedEarly = ended;
      await stopServe(server && server.child);
      // After a failure, what the server said (its last lines) is part of the diagnosis.
      if ((brokenAt !== null || serveExitedEarly !== null) && server) {
        for (const line of server.stderr().split('\n').slice(-40)) console.log('# serve: ' + line);
        console.log(`# serve exit: code ${server.child.exitCode}, signal ${server.child.signalCode}`);
      }
      killChildren();
      await Promise.all([...children].map((child) => exitOf(child, WAIT_MS, child.logName).catch(() => {})));
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    }
    assert.equal(serveExitedEarly, null, 'serve ended by itself before the test stopped it');
  });

  step('opens live on the stream\'s stored windows', async () => {
    await publish(hourFiles[0]);
    await publish(hourFiles[1]);
    await whenApiHas(0);
    page = await openLivePage();
    await waitForLiveState('live', WAIT_MS, 'the first load');
    assert.equal(await page.locator('#live').isChecked(), true, 'the Live switch shows the URL\'s live=1');
    const statusLine = /^Live: \d+ h \d+ min behind real time · last commit \d+ s ago · consumer lag \d+ messages?\.$/;
    await until(`the live status to read ${statusLine}`, async () =>
      statusLine.test(await page.locator('#live-status').innerText()), 10_000);
    await assertPageMatchesApi('first load');
    await markCanvases();
    assertNoProblems();
  });

  step('draws each window within 2 s of its commit, in place', async () => {
    for (const hour of [1, 2, 3]) {
      latencies.push(await publishAndTime(hourFiles[hour + 1], hour));
      await assertPageMatchesApi(`after window ${hour}`);
    }
    await assertCanvasesKept('after three windows');
    assert.equal(correlationRequests(), 1, 'live updates make no new /correlation request');
    for (const latency of latencies) {
      assert.ok(latency <= SHOW_WITHIN_MS, `a window took ${latency} ms to show after its commit (${latencies})`);
    }
    assertNoProblems();
  });

  step('says disconnected while serve is down and resumes without gaps or repeats', async () => {
    const port = new URL(baseUrl).port;
    refusalsExpectedUntil = Infinity;
    await stopServe(server.child);
    await waitForLiveState('disconnected', 15_000, 'serve was stopped');
    assert.match(await page.locator('#live-status').innerText(), /^Disconnected, retrying/);
    // Window 4 closes while nobody serves it; the stream commits it within its commit interval.
    await publish(hourFiles[5]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    server = await startServer(port);
    refusalsExpectedUntil = Date.now() + 1000; // refusals already on their way to the console
    assert.equal(server.url, baseUrl, 'serve came back on its port');
    await waitForLiveState('live', 20_000, 'serve came back');
    await until('window 4 on the page', () => page.evaluate((time) =>
      (window.cryptomoodLive.columns('window') || [[]])[0].includes(time), windowStart(4) + 1800), 10_000);
    await assertPageMatchesApi('after serve restarted');
    latencies.push(await publishAndTime(hourFiles['half-a'], 5));
    assert.ok(latencies.at(-1) <= SHOW_WITHIN_MS, `window 5 took ${latencies.at(-1)} ms to show after serve restarted`);
    await assertPageMatchesApi('after window 5');
    await assertCanvasesKept('after serve restarted');
    assert.equal(correlationRequests(), 1, 'the page reconnected its event feed without reloading');
    assertNoProblems();
  });

  step('keeps one row per key, with the latest values, when rows are committed again', async () => {
    // A second group replays everything: every row again, then window 6 closed early (half
    // its data) at the end of the replay.
    const replay = startMember('replay', ['--stop-when-idle', '2s']);
    assert.equal(await exitOf(replay, 60_000, 'the replaying stream member'), 0,
      `the replaying member failed:\n${logTail('stream-replay')}`);
    await until('window 6 (closed by the replay) on the page', () => page.evaluate((time) =>
      window.cryptomoodLive.columns('window')[0].includes(time), windowStart(6) + 1800), 10_000);
    const early = await assertPageMatchesApi('after the replay');
    // The first group closes window 6 with all its data: the same keys again, new values.
    await publish(hourFiles['half-b']);
    await publish(hourFiles[7]);
    const isEthWindow6 = (row) => row.symbol_id === ETH && row.lag === 0 &&
      format.parseTimestamp(row.window_start) === windowStart(6);
    const earlyN = early.find(isEthWindow6).n;
    await until('window 6 committed again with all its data', async () =>
      (await streamRows()).find(isEthWindow6).n > earlyN);
    const final = await assertPageMatchesApi('after window 6 was committed again');
    assert.equal(chartData.windowColumns(final, ETH).time.length, 7, 'windows 0 to 6, once each');
    await assertCanvasesKept('after rows were committed again');
    assertNoProblems();
  });

  step('says the stream is not committing once its member is killed', async () => {
    assert.equal(await liveState(), 'live');
    const shown = await page.evaluate(() => window.liveStatesShown);
    assert.ok(shown.includes('disconnected'), `the states shown so far include serve's restart: ${shown}`);
    assert.ok(!shown.includes('stalled'), `the page called the stream stalled while its member was alive: ${shown}`);
    member.kill('SIGKILL');
    const waited = await waitForLiveState('stalled', STALL_WITHIN_MS, 'the stream member was killed');
    assert.match(await page.locator('#live-status').innerText(),
      /^Disconnected, retrying: the stream is not committing \(last commit \d+ s ago/);
    console.log(`# windows shown ${latencies.join(', ')} ms after their commit; stall shown ${waited} ms after the kill`);
    assertNoProblems();
  });

  step('closes the event feed and stops polling when switched off', async () => {
    assert.equal(await sseClients(), 1, 'one event feed open while live');
    await page.locator('#live').uncheck();
    await page.waitForFunction(() => !/[?&]live=/.test(location.search) &&
      document.documentElement.dataset.loadState !== 'loading', null, { timeout: WAIT_MS });
    assert.equal(await liveState(), 'off');
    assert.equal(await page.locator('#live-status').isVisible(), false);
    await until('the server to count no event feed', async () => (await sseClients()) === 0, 10_000);
    const polls = page.requests.filter((pathname) => pathname === '/healthz').length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(page.requests.filter((pathname) => pathname === '/healthz').length, polls, 'no /healthz poll when off');
    assertNoProblems();
  });
});
