// The plain-language reading of a lag scan: which series leads, by how many bars, and
// whether that survives the multiple-testing adjustment.
//
// Sign convention (docs/analysis.md): lag k pairs sentiment of bar b with the return of bar
// b + k, so k > 0 means sentiment leads returns and k < 0 means returns lead sentiment.
// Significance uses p_value_adjusted (Holm over the scanned lags): the best of eleven noisy
// lags is "best" by chance more often than its raw p says.
// Classic script, see lib/format.js for why.
(function (cryptomood) {
  'use strict';

  const DEFAULT_ALPHA = 0.05;

  function isNumber(value) {
    return typeof value === 'number' && Number.isFinite(value);
  }

  // The row the API marked best_lag; when none is marked (an older server, a client-side
  // subset) the largest |r|, first on a tie, as the API defines it.
  function bestLagRow(rows) {
    const marked = rows.find((row) => row.best_lag === true && isNumber(row.pearson));
    if (marked) return marked;
    let best = null;
    for (const row of rows) {
      if (!isNumber(row.pearson)) continue;
      if (best === null || Math.abs(row.pearson) > Math.abs(best.pearson)) best = row;
    }
    return best;
  }

  function direction(lag) {
    const fmt = cryptomood.format;
    if (lag > 0) return 'sentiment leads returns by ' + fmt.pluralBars(lag);
    if (lag < 0) return 'returns lead sentiment by ' + fmt.pluralBars(-lag);
    return 'sentiment and returns move together within the same bar';
  }

  // Returns {text, significant, lag}; lag is null when no lag has a defined r.
  // label names the coin ("ETH") or symbol; rows are one symbol's unwindowed lag-scan rows.
  function leadLagSentence(label, rows, alpha = DEFAULT_ALPHA) {
    const fmt = cryptomood.format;
    const best = bestLagRow(rows || []);
    if (best === null) {
      return {
        text: label + ': not enough data to estimate a correlation at any lag',
        significant: false,
        lag: null,
      };
    }
    const p = isNumber(best.p_value_adjusted) ? best.p_value_adjusted : best.p_value;
    const significant = isNumber(p) && p < alpha;
    const percent = Math.round(alpha * 100) + '%';
    if (!significant) {
      return {
        text: label + ': no significant correlation at the ' + percent + ' level' +
          ' (strongest at lag ' + best.lag + ': r = ' + fmt.formatR(best.pearson) +
          ', n = ' + fmt.formatCount(best.n) + ', adjusted ' + fmt.formatP(p) + ')',
        significant: false,
        lag: best.lag,
      };
    }
    return {
      text: label + ': ' + direction(best.lag) + ', r = ' + fmt.formatR(best.pearson) + ' ' +
        fmt.formatCi(best.ci_low, best.ci_high) + ', n = ' + fmt.formatCount(best.n) + ', ' +
        fmt.formatP(p),
      significant: true,
      lag: best.lag,
    };
  }

  cryptomood.leadLag = { DEFAULT_ALPHA, bestLagRow, leadLagSentence };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
