// Unit tests of web/static/lib/live.js: the live view's row table, its stream lookup in
// /healthz and the status line it derives.
import test from 'node:test';
import assert from 'node:assert/strict';
import { live } from './load_lib.mjs';

const T0 = 1614556800; // 2021-03-01T00:00:00Z, see format.test.mjs
const KEY = 'mode=bars interval=1m lags=-2:2 window=1h';

function row(symbol, start, lag, pearson) {
  const end = start.replace('T00:', 'T01:');
  return { symbol_id: symbol, coin: symbol.split('_')[2], window_start: start, window_end: end, lag, pearson };
}

test('the row table keeps one row per (symbol, window, lag), the last received', () => {
  const table = new Map();
  live.upsertRow(table, row('X_SPOT_BTC_USD', '2021-03-01T00:00:00Z', 0, 0.1));
  live.upsertRow(table, row('X_SPOT_BTC_USD', '2021-03-01T00:00:00Z', 1, 0.2));
  live.upsertRow(table, row('X_SPOT_ETH_USD', '2021-03-01T00:00:00Z', 0, 0.3));
  live.upsertRow(table, row('X_SPOT_BTC_USD', '2021-03-01T00:00:00Z', 0, 0.4));
  assert.equal(table.size, 3);
  assert.equal(table.get(live.rowKey(row('X_SPOT_BTC_USD', '2021-03-01T00:00:00Z', 0))).pearson, 0.4);
  // Keys do not run together: ("A", "B C") and ("A B", "C") differ.
  assert.notEqual(live.rowKey({ symbol_id: 'A', window_start: 'B C', lag: 0 }),
    live.rowKey({ symbol_id: 'A B', window_start: 'C', lag: 0 }));
});

test('symbols named by rows, once each, in the shape /symbols lists', () => {
  const rows = [row('X_SPOT_BTC_USD', '2021-03-01T00:00:00Z', 0), row('X_SPOT_BTC_USD', '2021-03-01T00:00:00Z', 1),
    row('Y_SPOT_ETH_EUR', '2021-03-01T00:00:00Z', 0)];
  assert.deepEqual(live.symbolsOfRows(rows), [
    { symbol_id: 'X_SPOT_BTC_USD', coin: 'BTC', quote: 'USD' },
    { symbol_id: 'Y_SPOT_ETH_EUR', coin: 'ETH', quote: 'EUR' },
  ]);
});

test('the newest window end among the rows', () => {
  const rows = [row('A_B_C_D', '2021-03-01T00:00:00Z', 0), { window_end: '2021-03-01T05:00:00.000000Z' },
    { window_end: null }];
  assert.equal(live.newestWindowEnd(rows), T0 + 5 * 3600);
  assert.equal(live.newestWindowEnd([]), null);
});

test('the stream behind a key: the group that committed last, its lag summed', () => {
  const streams = [
    { group: 'old', params_key: KEY, partition: 0, consumer_lag: 50, committed_at: '2021-03-01T00:00:00Z' },
    { group: 'g', params_key: KEY, partition: 0, consumer_lag: 2, committed_at: '2021-03-01T00:59:58Z' },
    { group: 'g', params_key: KEY, partition: 1, consumer_lag: 3, committed_at: '2021-03-01T00:59:59.5Z' },
    { group: 'other', params_key: 'mode=tick direction=backward tolerance=none window=1h', partition: 0,
      consumer_lag: 0, committed_at: '2021-03-01T01:00:00Z' },
  ];
  assert.deepEqual(live.streamHealth(streams, KEY),
    { group: 'g', committedAt: T0 + 3599.5, consumerLag: 5, staleAfter: live.DEFAULT_STALE_AFTER_SECONDS });
  assert.equal(live.streamHealth(streams, 'mode=bars interval=5m lags=0:0 window=1h'), null);
  assert.equal(live.streamHealth([], KEY), null);
});

test('the stream behind a key is stale after three of the longest liveness interval its partitions record', () => {
  const streams = [
    { group: 'g', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z',
      liveness_interval_seconds: 2 },
    { group: 'g', params_key: KEY, partition: 1, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z',
      liveness_interval_seconds: 0.5 },
    { group: 'g', params_key: KEY, partition: 2, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z' },
    { group: 'h', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2020-03-01T00:00:00Z',
      liveness_interval_seconds: 60 },
  ];
  assert.equal(live.streamHealth(streams, KEY).staleAfter, 6);
  assert.equal(live.streamHealth(streams.slice(1), KEY).staleAfter, 1.5);
  // Intervals that are not positive numbers are unknown: the default threshold holds.
  const unknown = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z',
    liveness_interval_seconds: -1 }, { group: 'g', params_key: KEY, partition: 1, consumer_lag: 0,
    committed_at: '2021-03-01T00:00:00Z', liveness_interval_seconds: 'x' }];
  assert.equal(live.streamHealth(unknown, KEY).staleAfter, 15);
});

test('ages in two units at most', () => {
  assert.equal(live.formatAge(0), '0 s');
  assert.equal(live.formatAge(12.7), '12 s');
  assert.equal(live.formatAge(245), '4 min 5 s');
  assert.equal(live.formatAge(6 * 3600 + 12 * 60 + 9), '6 h 12 min');
  assert.equal(live.formatAge(3 * 86400 + 4 * 3600 + 59), '3 d 4 h');
  assert.equal(live.formatAge(-5), '0 s');
});

test('status: live with the delay, the last commit and the consumer lag', () => {
  const now = T0 + 3600 + 42;
  const streams = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 1, committed_at: '2021-03-01T01:00:40Z' }];
  const status = live.liveStatus({ connection: 'open', streams, paramsKey: KEY, newestWindowEnd: T0 + 3600, now });
  assert.deepEqual(status, {
    state: 'live',
    text: 'Live: 42 s behind real time · last commit 2 s ago · consumer lag 1 message.',
  });
  // /healthz not answered yet: live, with what the rows tell.
  assert.deepEqual(live.liveStatus({ connection: 'open', streams: null, paramsKey: KEY, newestWindowEnd: null, now }),
    { state: 'live', text: 'Live: no window closed yet.' });
});

test('status: disconnected whenever the event feed is not open', () => {
  const streams = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2021-03-01T01:00:40Z' }];
  const status = live.liveStatus({ connection: 'retrying', streams, paramsKey: KEY, newestWindowEnd: T0, now: T0 + 60 });
  assert.equal(status.state, 'disconnected');
  assert.match(status.text, /^Disconnected, retrying: .*1 min 0 s behind real time/);
  assert.equal(live.liveStatus({ connection: 'connecting', streams: null, paramsKey: KEY, newestWindowEnd: null,
    now: T0 }).state, 'connecting');
  assert.equal(live.liveStatus({ connection: 'failed', streams: null, paramsKey: KEY, newestWindowEnd: null,
    now: T0 }).state, 'failed');
});

test('status: stalled when the stream has not committed for three liveness intervals, or never did', () => {
  const streams = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z',
    liveness_interval_seconds: 1 }];
  const at = (seconds, entries = streams) => live.liveStatus({ connection: 'open', streams: entries, paramsKey: KEY,
    newestWindowEnd: T0, now: T0 + seconds });
  assert.equal(at(3).state, 'live');
  assert.equal(at(3.5).state, 'stalled');
  assert.match(at(4).text, /^Disconnected, retrying: the stream is not committing \(last commit 4 s ago/);
  // A checkpoint without the interval: the default threshold, 15 s.
  const unrecorded = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z' }];
  assert.equal(at(15, unrecorded).state, 'live');
  const stalled = at(16, unrecorded);
  assert.equal(stalled.state, 'stalled');
  assert.match(stalled.text, /^Disconnected, retrying: the stream is not committing \(last commit 16 s ago/);
  const never = live.liveStatus({ connection: 'open', streams: [], paramsKey: KEY, newestWindowEnd: null, now: T0 });
  assert.equal(never.state, 'stalled');
  assert.match(never.text, /no stream member has committed results for mode=bars interval=1m lags=-2:2 window=1h/);
});

test('status: the stall is judged when /healthz answered, the age shown counts on', () => {
  const streams = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 0, committed_at: '2021-03-01T00:00:00Z',
    liveness_interval_seconds: 1 }];
  const status = (streamsAt, now) => live.liveStatus({ connection: 'open', streams, streamsAt, paramsKey: KEY,
    newestWindowEnd: T0, now });
  // Answered 1 s after the commit, shown 2.5 s later: still live, the age as of now.
  assert.deepEqual(status(T0 + 1, T0 + 3.5),
    { state: 'live', text: 'Live: 3 s behind real time · last commit 3 s ago · consumer lag 0 messages.' });
  const stalled = status(T0 + 3.5, T0 + 4.2);
  assert.equal(stalled.state, 'stalled');
  assert.match(stalled.text, /last commit 4 s ago/);
});

test('status: live without stream details when the key of the rows is unknown', () => {
  const streams = [{ group: 'g', params_key: KEY, partition: 0, consumer_lag: 3, committed_at: '2021-03-01T00:00:00Z' }];
  assert.deepEqual(live.liveStatus({ connection: 'open', streams, paramsKey: null, newestWindowEnd: T0, now: T0 + 60 }),
    { state: 'live', text: 'Live: 1 min 0 s behind real time.' });
});

test('the server clock offset from a Date header, none within its one-second resolution', () => {
  const sent = Date.parse('2026-12-04T10:00:00Z') / 1000;
  const date = (iso) => new Date(iso).toUTCString();
  // The server is two minutes ahead; the reply took 0.2 s.
  assert.ok(Math.abs(live.serverClockOffset(date('2026-12-04T10:02:00Z'), sent, sent + 0.2) - 120.4) < 1e-6);
  assert.ok(live.serverClockOffset(date('2026-12-04T09:55:00Z'), sent, sent + 0.2) < -299);
  assert.equal(live.serverClockOffset(date('2026-12-04T10:00:00Z'), sent, sent + 0.2), 0);
  assert.equal(live.serverClockOffset(date('2026-12-04T10:00:00Z'), sent + 0.9, sent + 1.1), 0);
  assert.equal(live.serverClockOffset(null, sent, sent), 0);
  assert.equal(live.serverClockOffset('yesterday', sent, sent), 0);
});
