// Unit tests of web/static/lib/api.js: the exact requests a view makes (the report command
// must compute the same ones) and the mapping of API errors to controls.
import test from 'node:test';
import assert from 'node:assert/strict';
import { api, state } from './load_lib.mjs';

const eth = { ...state.DEFAULT_STATE, coin: 'ETH' };

test('series asks for the chosen coin, range, interval and about the pixel width', () => {
  assert.equal(api.seriesUrl(eth, 1200), '/series?coin=ETH&interval=1m&max_points=1200');
  assert.equal(api.seriesUrl(eth, 0), '/series?coin=ETH&interval=1m');
  const ranged = { ...eth, from: '2018-07-16T00:00:00Z', to: '2018-07-17T00:00:00Z', interval: '5m' };
  assert.equal(api.seriesUrl(ranged, 800.4),
    '/series?coin=ETH&from=2018-07-16T00:00:00Z&to=2018-07-17T00:00:00Z&interval=5m&max_points=800');
});

test('windowed correlation sends interval in bars mode and the join options in tick mode', () => {
  assert.equal(api.windowCorrelationUrl(eth),
    '/correlation?coin=ETH&mode=bars&interval=1m&lags=0:0&window=4h');
  const tick = { ...eth, mode: 'tick', direction: 'nearest', tolerance: '30s', window: '1d' };
  assert.equal(api.windowCorrelationUrl(tick),
    '/correlation?coin=ETH&mode=tick&direction=nearest&tolerance=30s&lags=0:0&window=1d');
  assert.equal(api.windowCorrelationUrl({ ...tick, tolerance: '' }),
    '/correlation?coin=ETH&mode=tick&direction=nearest&lags=0:0&window=1d');
});

test('the lag scan is always in bars mode, whatever the chosen mode', () => {
  assert.equal(api.lagScanUrl(eth), '/correlation?coin=ETH&mode=bars&interval=1m&lags=-5:5');
  assert.equal(api.lagScanUrl({ ...eth, mode: 'tick', interval: '5m', lags: '0:3' }),
    '/correlation?coin=ETH&mode=bars&interval=5m&lags=0:3');
});

test('the summary covers every symbol at lag 0', () => {
  assert.equal(api.summaryUrl(eth), '/correlation?mode=bars&interval=1m&lags=0:0');
  assert.equal(api.summaryUrl({ ...eth, mode: 'tick', from: '2018-07-16T00:00:00Z' }),
    '/correlation?from=2018-07-16T00:00:00Z&mode=tick&direction=backward&lags=0:0');
});

test('live: every symbol of the stream, its parameters and the effective window', () => {
  const view = { ...eth, lags: '-2:2', window: '1h', live: '1' };
  assert.equal(api.streamCorrelationUrl(view),
    '/correlation?source=stream&mode=bars&interval=1m&lags=-2:2&window=1h');
  assert.equal(api.eventsUrl(view, '42'), '/events?mode=bars&interval=1m&lags=-2:2&window=1h&last_event_id=42');
  assert.equal(api.eventsUrl({ ...view, window: '' }, 0),
    '/events?mode=bars&interval=1m&lags=-2:2&window=4h&last_event_id=0');
  // A tick stream has no lags; the range narrows both.
  const tick = { ...view, mode: 'tick', tolerance: '5m', from: '2018-07-16T00:00:00Z' };
  assert.equal(api.streamCorrelationUrl(tick),
    '/correlation?source=stream&from=2018-07-16T00:00:00Z&mode=tick&direction=backward&tolerance=5m&window=1h');
  assert.equal(api.eventsUrl(tick, 7),
    '/events?from=2018-07-16T00:00:00Z&mode=tick&direction=backward&tolerance=5m&window=1h&last_event_id=7');
});

test('auto window: the shortest round length holding 200 bars', () => {
  const windowFor = (interval) => api.effectiveWindow({ ...eth, interval });
  assert.equal(windowFor('1m'), '4h'); // 200 min = 3.3 h
  assert.equal(windowFor('5m'), '1d'); // 16.7 h
  assert.equal(windowFor('30m'), '1w'); // 4.2 d
  assert.equal(windowFor('1h'), '2w'); // 8.3 d
  assert.equal(windowFor('1d'), '12mo'); // 200 d > 6 months
  assert.equal(windowFor('1mo'), '240mo');
  assert.equal(windowFor('bogus'), '1d');
  assert.equal(api.effectiveWindow({ ...eth, window: '6h' }), '6h');
});

test('durations in the CLI units', () => {
  assert.equal(api.durationMillis('90s'), 90000);
  assert.equal(api.durationMillis('2w'), 14 * 86400000);
  assert.equal(api.durationMillis('250ms'), 250);
  assert.equal(api.durationMillis('0m'), null);
  assert.equal(api.durationMillis('1y'), null);
});

test('a 400 names its control; other failures fall back to a page-level message', () => {
  const bad = api.describeFailure(400, {
    error: { code: 'bad_parameter', parameter: 'lags', message: 'lags must be A:B with A <= B' },
  });
  assert.deepEqual(bad, {
    status: 400, code: 'bad_parameter', parameter: 'lags', control: 'lags',
    message: 'lags must be A:B with A <= B',
  });
  assert.equal(api.describeFailure(400, { error: { parameter: 'max_points', message: 'x' } }).control, null);
  assert.equal(api.describeFailure(400, { error: { parameter: 'symbol', message: 'x' } }).control, 'coin');
  assert.equal(api.describeFailure(500, null).message, 'The server answered HTTP 500.');
  assert.match(api.describeFailure(0, null).message, /did not answer/);
  assert.equal(api.describeFailure(502, '<html>').control, null);
  assert.equal(api.controlForParameter('toString'), null);
});
