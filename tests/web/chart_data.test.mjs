// Unit tests of web/static/lib/chart_data.js: rows to uPlot columns, symbol choice, cards.
import test from 'node:test';
import assert from 'node:assert/strict';
import { chartData } from './load_lib.mjs';

const T0 = 1614556800; // 2021-03-01T00:00:00Z, see format.test.mjs

const SYMBOLS = [
  { symbol_id: 'COINBASE_SPOT_ETH_USD', coin: 'ETH', quote: 'USD' },
  { symbol_id: 'KRAKEN_SPOT_BTC_EUR', coin: 'BTC', quote: 'EUR' },
  { symbol_id: 'COINBASE_SPOT_BTC_USD', coin: 'BTC', quote: 'USD' },
];

test('selector options: coins in order, symbol named only when a coin has several', () => {
  assert.deepEqual(chartData.symbolOptions(SYMBOLS).map((o) => [o.value, o.label]), [
    ['COINBASE_SPOT_BTC_USD', 'BTC (COINBASE_SPOT_BTC_USD)'],
    ['KRAKEN_SPOT_BTC_EUR', 'BTC (KRAKEN_SPOT_BTC_EUR)'],
    ['COINBASE_SPOT_ETH_USD', 'ETH'],
  ]);
});

test('choosing the symbol of a view', () => {
  const base = { coin: '', symbol: '' };
  assert.deepEqual(chartData.chooseSymbol(SYMBOLS, base), { coin: 'BTC', symbolId: 'COINBASE_SPOT_BTC_USD' });
  assert.deepEqual(chartData.chooseSymbol(SYMBOLS, { coin: 'ETH', symbol: '' }),
    { coin: 'ETH', symbolId: 'COINBASE_SPOT_ETH_USD' });
  assert.deepEqual(chartData.chooseSymbol(SYMBOLS, { coin: 'BTC', symbol: 'KRAKEN_SPOT_BTC_EUR' }),
    { coin: 'BTC', symbolId: 'KRAKEN_SPOT_BTC_EUR' });
  assert.deepEqual(chartData.chooseSymbol(SYMBOLS, { coin: 'DOGE', symbol: '' }), { coin: 'DOGE', symbolId: null });
  assert.deepEqual(chartData.chooseSymbol([], base), { coin: '', symbolId: null });
});

test('picking a symbol stores it in the state only when it is not the coin\'s first', () => {
  const state = { coin: 'ETH', symbol: '', lags: '-5:5' };
  assert.deepEqual(chartData.stateForSymbol(SYMBOLS, state, 'KRAKEN_SPOT_BTC_EUR'),
    { coin: 'BTC', symbol: 'KRAKEN_SPOT_BTC_EUR', lags: '-5:5' });
  assert.deepEqual(chartData.stateForSymbol(SYMBOLS, state, 'COINBASE_SPOT_BTC_USD'),
    { coin: 'BTC', symbol: '', lags: '-5:5' });
  assert.equal(chartData.stateForSymbol(SYMBOLS, state, 'NOPE'), state);
});

test('series columns: one symbol, time order, nulls kept as gaps', () => {
  const rows = [
    { symbol_id: 'A', bar_start: '2021-03-01T00:01:00Z', close: 11, sentiment: null, tweets: 0 },
    { symbol_id: 'B', bar_start: '2021-03-01T00:00:00Z', close: 99, sentiment: 0.9, tweets: 9 },
    { symbol_id: 'A', bar_start: '2021-03-01T00:00:00Z', close: 10, sentiment: 0.25, tweets: 4 },
    { symbol_id: 'A', bar_start: '2021-03-01T00:02:00Z', close: null, sentiment: -0.5, tweets: 2 },
  ];
  assert.deepEqual(chartData.seriesColumns(rows, 'A'), {
    time: [T0, T0 + 60, T0 + 120],
    close: [10, 11, null],
    sentiment: [0.25, null, -0.5],
    tweets: [4, 0, 2],
  });
  assert.deepEqual(chartData.seriesColumns(rows, null).close, [10, 11, null]);
  assert.deepEqual(chartData.seriesColumns([], 'A').time, []);
});

test('window columns sit at each window\'s middle', () => {
  const rows = [
    { symbol_id: 'A', lag: 0, window_start: '2021-03-01T04:00:00Z', window_end: '2021-03-01T08:00:00Z',
      pearson: null, ci_low: null, ci_high: null, n: 2 },
    { symbol_id: 'A', lag: 0, window_start: '2021-03-01T00:00:00Z', window_end: '2021-03-01T04:00:00Z',
      pearson: 0.2, ci_low: 0.1, ci_high: 0.3, n: 240 },
  ];
  assert.deepEqual(chartData.windowColumns(rows, 'A'), {
    time: [T0 + 7200, T0 + 6 * 3600],
    r: [0.2, null], low: [0.1, null], high: [0.3, null], n: [240, 2],
  });
});

test('lag columns are ordered by lag and the best lag alone is marked', () => {
  const rows = [
    { symbol_id: 'A', lag: 1, pearson: 0.3, ci_low: 0.2, ci_high: 0.4, best_lag: false, window_start: null },
    { symbol_id: 'A', lag: -1, pearson: 0.1, ci_low: 0, ci_high: 0.2, best_lag: false, window_start: null },
    { symbol_id: 'A', lag: 0, pearson: -0.5, ci_low: -0.6, ci_high: -0.4, best_lag: true, window_start: null },
  ];
  const columns = chartData.lagColumns(rows, 'A');
  assert.deepEqual(columns.lag, [-1, 0, 1]);
  assert.deepEqual(columns.r, [0.1, -0.5, 0.3]);
  assert.deepEqual(columns.low, [0, -0.6, 0.2]);
  assert.deepEqual(columns.best, [null, -0.5, null]);
});

test('lag scan and cards read the whole-range rows, else each symbol\'s newest window', () => {
  const windowed = (symbol, start, lag, pearson) => ({
    symbol_id: symbol, coin: symbol, lag, pearson, window_start: start, ci_low: null, ci_high: null,
  });
  const streamRows = [
    windowed('A', '2021-03-01T01:00:00Z', 0, 0.1),
    windowed('A', '2021-03-01T02:00:00Z', 1, 0.5),
    windowed('A', '2021-03-01T02:00:00Z', 0, 0.4),
    windowed('A', '2021-03-01T00:00:00Z', 0, 0.9),
    windowed('B', '2021-03-01T01:00:00Z', 0, -0.3),
  ];
  assert.deepEqual(chartData.latestRows(streamRows).map((row) => [row.symbol_id, row.lag, row.pearson]),
    [['A', 1, 0.5], ['A', 0, 0.4], ['B', 0, -0.3]]);
  assert.deepEqual(chartData.lagColumns(streamRows, 'A').r, [0.4, 0.5]);
  assert.deepEqual(chartData.summaryCards(streamRows).map((card) => [card.symbolId, Object.fromEntries(card.facts).r]),
    [['A', '0.40'], ['B', '-0.30']]);
  // Beside whole-range rows, windows are ignored.
  const mixed = [...streamRows, { symbol_id: 'A', coin: 'A', lag: 0, pearson: -0.7, window_start: null }];
  assert.deepEqual(chartData.lagColumns(mixed, 'A').r, [-0.7]);
});

test('summary cards: one per symbol, coins in order, the compat pool last', () => {
  const rows = [
    { symbol_id: '*', coin: '*', lag: 0, window_start: null, n: 9, pearson: 0.9 },
    { symbol_id: 'S_ETH', coin: 'ETH', lag: 0, window_start: null, n: 3, pearson: 0.5, spearman: 0.4,
      p_value: 0.0001, ci_low: null, ci_high: null, first_timestamp: '2021-03-01T00:00:00.000000Z',
      last_timestamp: '2021-03-02T00:00:00Z' },
    { symbol_id: 'S_BTC', coin: 'BTC', lag: 0, window_start: null, n: 5, pearson: -0.123, spearman: null,
      p_value: 0.04, ci_low: -0.2, ci_high: -0.05 },
  ];
  const cards = chartData.summaryCards(rows);
  assert.deepEqual(cards.map((card) => card.title), ['BTC', 'ETH', 'All coins pooled (compat)']);
  assert.deepEqual(Object.fromEntries(cards[0].facts), {
    n: '5', 'n effective': 'n/a', r: '-0.12', rho: 'n/a', 'p robust': '0.040', 'p naive': '0.040',
    '95% CI': '[-0.20, -0.05]', first: 'n/a', last: 'n/a',
  });
  assert.equal(Object.fromEntries(cards[1].facts)['p robust'], '< 0.001');
  assert.equal(cards[0].warning, null);
  assert.equal(Object.fromEntries(cards[1].facts).first, '2021-03-01T00:00:00Z');
  assert.equal(Object.fromEntries(cards[1].facts).last, '2021-03-02T00:00:00Z');
});

test('summary cards read the robust figures and badge non-stationary levels', () => {
  const rows = [
    { symbol_id: 'S_BTC', coin: 'BTC', lag: 0, window_start: null, n: 5000, pearson: 0.3, spearman: 0.2,
      p_value: 1e-9, ci_low: 0.27, ci_high: 0.33, n_eff: 12.6, p_value_robust: 0.31,
      ci_low_neff: -0.3, ci_high_neff: 0.72, warning: 'levels_nonstationary' },
  ];
  const facts = Object.fromEntries(chartData.summaryCards(rows)[0].facts);
  assert.equal(facts['n effective'], '13');
  assert.equal(facts['p robust'], '0.31');
  assert.equal(facts['p naive'], '< 0.001');
  assert.equal(facts['95% CI'], '[-0.30, 0.72]');
  assert.match(chartData.summaryCards(rows)[0].warning, /non-stationary/);
  const columns = chartData.lagColumns(rows, 'S_BTC');
  assert.deepEqual([columns.low, columns.high], [[-0.3], [0.72]]);
});
