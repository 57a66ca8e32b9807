// Unit tests of web/static/lib/lead_lag.js: the sentence must get the direction right
// (k > 0: sentiment leads) and judge significance on the Holm-adjusted p.
import test from 'node:test';
import assert from 'node:assert/strict';
import { leadLag } from './load_lib.mjs';

function row(lag, pearson, extra = {}) {
  return { symbol_id: 'S', coin: 'ETH', lag, pearson, ci_low: null, ci_high: null, n: 100,
    p_value: 0.5, p_value_adjusted: 0.9, best_lag: false, window_start: null, ...extra };
}

test('a significant positive lag reads as sentiment leading, in the documented form', () => {
  const rows = [
    row(0, 0.01),
    row(2, 0.314, { best_lag: true, ci_low: 0.27, ci_high: 0.35, n: 10412,
      p_value: 1e-9, p_value_adjusted: 1e-8 }),
    row(1, 0.02),
  ];
  const sentence = leadLag.leadLagSentence('ETH', rows);
  assert.equal(sentence.text, 'ETH: sentiment leads returns by 2 bars, r = 0.31 [0.27, 0.35], n = 10412, robust p < 0.001');
  assert.equal(sentence.significant, true);
  assert.equal(sentence.lag, 2);
});

test('a negative lag reads as returns leading sentiment, singular bar', () => {
  const rows = [row(-1, -0.2, { best_lag: true, ci_low: -0.3, ci_high: -0.1, n: 500,
    p_value: 0.001, p_value_adjusted: 0.012 })];
  assert.equal(leadLag.leadLagSentence('BTC', rows).text,
    'BTC: returns lead sentiment by 1 bar, r = -0.20 [-0.30, -0.10], n = 500, robust p = 0.012');
});

test('lag zero reads as moving together', () => {
  const rows = [row(0, 0.5, { best_lag: true, ci_low: 0.4, ci_high: 0.6, p_value_adjusted: 0.2e-3 })];
  assert.match(leadLag.leadLagSentence('LTC', rows).text, /^LTC: sentiment and returns move together within the same bar, r = 0.50/);
});

test('significance is judged on the adjusted p, not the raw one', () => {
  const rows = [row(3, 0.05, { best_lag: true, p_value: 0.01, p_value_adjusted: 0.11, n: 2000 })];
  const sentence = leadLag.leadLagSentence('ETH', rows);
  assert.equal(sentence.significant, false);
  assert.equal(sentence.text,
    'ETH: no significant correlation at the 5% level (strongest at lag 3: r = 0.05, n = 2000, robust adjusted p = 0.11)');
});

test('the robust adjusted p decides, with the effective-sample-size interval', () => {
  const rows = [row(2, 0.3, { best_lag: true, p_value: 1e-6, p_value_adjusted: 1e-5, ci_low: 0.25,
    ci_high: 0.35, n: 1000, n_eff: 40.4, ci_low_neff: 0.01, ci_high_neff: 0.55,
    p_value_robust_adjusted: 0.004 })];
  assert.equal(leadLag.leadLagSentence('ETH', rows).text,
    'ETH: sentiment leads returns by 2 bars, r = 0.30 [0.01, 0.55], n = 1000 (effective 40), robust p = 0.004');
  rows[0].p_value_robust_adjusted = 0.2;
  const sentence = leadLag.leadLagSentence('ETH', rows);
  assert.equal(sentence.significant, false);
  assert.match(sentence.text, /robust adjusted p = 0.20\)$/);
});

test('p exactly at alpha is not significant', () => {
  const rows = [row(1, 0.1, { best_lag: true, p_value_adjusted: 0.05 })];
  assert.equal(leadLag.leadLagSentence('ETH', rows).significant, false);
});

test('without a best_lag mark the largest |r| wins, first on a tie', () => {
  const rows = [row(-2, 0.1), row(-1, -0.4), row(1, 0.4), row(2, null)];
  assert.equal(leadLag.bestLagRow(rows).lag, -1);
});

test('no defined r at any lag says so', () => {
  const sentence = leadLag.leadLagSentence('ETH', [row(0, null), row(1, null)]);
  assert.equal(sentence.text, 'ETH: not enough data to estimate a correlation at any lag');
  assert.equal(sentence.lag, null);
  assert.equal(leadLag.leadLagSentence('ETH', []).lag, null);
});

test('the Granger sentence states both directions, on the adjusted and HC1 p-values', () => {
  const rows = [
    { symbol_id: 'S', window_start: null, cause: 'sentiment', effect: 'returns', lags: 3,
      p_value_adjusted: 1e-9, p_value_hc1: 1e-7 },
    { symbol_id: 'S', window_start: null, cause: 'returns', effect: 'sentiment', lags: 3,
      p_value_adjusted: 0.41, p_value_hc1: 0.3 },
    { symbol_id: 'T', window_start: null, cause: 'sentiment', effect: 'returns', lags: 1,
      p_value_adjusted: 0.01, p_value_hc1: 0.2 },
  ];
  assert.equal(leadLag.grangerSentence('S', rows),
    'Granger, 3 bars of history: sentiment helps predict returns (adjusted p < 0.001); ' +
    'returns do not help predict sentiment (adjusted p = 0.41).');
  // Significant on the F test but not on the heteroskedasticity-robust one: does not hold.
  assert.match(leadLag.grangerSentence('T', rows),
    /^Granger, 1 bar of history: sentiment does not help predict returns \(adjusted p = 0.010\); returns -> sentiment: not enough data\.$/);
  assert.equal(leadLag.grangerSentence('U', rows), null);
});

test('stationarity notes name the chosen symbol\'s series with a unit root', () => {
  const rows = [
    { symbol_id: 'S', series: 'log_price', verdict: 'unit_root' },
    { symbol_id: 'S', series: 'returns', verdict: 'stationary' },
    { symbol_id: 'S', series: 'sentiment', verdict: 'unit_root' },
    { symbol_id: 'T', series: 'returns', verdict: 'unit_root' },
  ];
  assert.deepEqual(leadLag.stationarityNotes('S', rows), [
    'price levels have a unit root: read returns, as the lag scan does',
    'sentiment looks non-stationary: its correlations may be spurious',
  ]);
  assert.deepEqual(leadLag.stationarityNotes('U', rows), []);
});
