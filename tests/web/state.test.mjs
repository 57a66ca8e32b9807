// Unit tests of web/static/lib/state.js: the URL is the view, so links must round-trip and
// keep invalid values verbatim for the API to reject.
import test from 'node:test';
import assert from 'node:assert/strict';
import { state } from './load_lib.mjs';

const { DEFAULT_STATE, encodeState, decodeState, normalizeState, statesEqual } = state;

test('an empty query is the default view, and the default view encodes to nothing', () => {
  assert.deepEqual(decodeState(''), { ...DEFAULT_STATE });
  assert.deepEqual(decodeState(undefined), { ...DEFAULT_STATE });
  assert.equal(encodeState({ ...DEFAULT_STATE }), '');
});

test('defaults are the documented ones', () => {
  assert.equal(DEFAULT_STATE.interval, '1m');
  assert.equal(DEFAULT_STATE.mode, 'bars');
  assert.equal(DEFAULT_STATE.direction, 'backward');
  assert.equal(DEFAULT_STATE.lags, '-5:5');
  assert.equal(DEFAULT_STATE.window, '');
  assert.equal(DEFAULT_STATE.live, '');
});

test('live is one key at the end of a link, on for exactly "1", kept verbatim otherwise', () => {
  const view = { ...DEFAULT_STATE, coin: 'ETH', window: '1h', live: '1' };
  assert.equal(encodeState(view), '?coin=ETH&window=1h&live=1');
  assert.ok(statesEqual(decodeState('?coin=ETH&window=1h&live=1'), view));
  assert.equal(state.isLive(decodeState('?live=1')), true);
  assert.equal(state.isLive(decodeState('')), false);
  assert.equal(decodeState('?live=yes').live, 'yes');
  assert.equal(state.isLive(decodeState('?live=yes')), false);
  assert.equal(encodeState({ ...view, live: '' }), '?coin=ETH&window=1h');
});

test('only non-default fields are encoded, in a fixed key order, with readable colons', () => {
  const view = { ...DEFAULT_STATE, lags: '-2:3', coin: 'ETH', interval: '5m' };
  assert.equal(encodeState(view), '?coin=ETH&interval=5m&lags=-2:3');
});

test('a plus sign in an offset survives encoding and a hand-typed link', () => {
  const view = { ...DEFAULT_STATE, from: '2018-07-16T00:00:00+02:00' };
  assert.equal(encodeState(view), '?from=2018-07-16T00:00:00%2B02:00');
  assert.equal(decodeState('?from=2018-07-16T00:00:00+02:00').from, '2018-07-16T00:00:00+02:00');
});

test('invalid values are kept verbatim so the API can name them', () => {
  const decoded = decodeState('?interval=bogus&lags=5:-5&mode=compat');
  assert.equal(decoded.interval, 'bogus');
  assert.equal(decoded.lags, '5:-5');
  assert.equal(decoded.mode, 'compat');
});

test('unknown keys are ignored and whitespace trimmed', () => {
  const decoded = decodeState('?coin=%20ETH%20&colour=red');
  assert.equal(decoded.coin, 'ETH');
  assert.equal('colour' in decoded, false);
});

test('decode(encode(s)) is s for assorted views', () => {
  const views = [
    { ...DEFAULT_STATE, coin: 'BTC', symbol: 'KRAKEN_SPOT_BTC_EUR', from: '2018-07-16T00:00:00Z',
      to: '2018-07-17T12:30:00.250Z', interval: '1h', mode: 'tick', direction: 'nearest',
      tolerance: '30s', lags: '-10:10', window: '1d', live: '1' },
    { ...DEFAULT_STATE, coin: 'a&b=c', lags: '0:0' },
    { ...DEFAULT_STATE, window: '6h' },
  ];
  for (const view of views) {
    const again = decodeState(encodeState(view));
    assert.ok(statesEqual(view, again), JSON.stringify([view, again]));
  }
});

test('normalizeState fills gaps from the defaults and ignores non-strings', () => {
  const normal = normalizeState({ coin: 'ETH', lags: 3, extra: 'x' });
  assert.equal(normal.coin, 'ETH');
  assert.equal(normal.lags, DEFAULT_STATE.lags);
  assert.equal('extra' in normal, false);
  assert.equal(statesEqual(normal, { ...DEFAULT_STATE, coin: 'ETH' }), true);
  assert.equal(statesEqual(normal, DEFAULT_STATE), false);
});
