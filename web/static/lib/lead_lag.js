// The plain-language reading of a lag scan: which series leads, by how many bars, and
// whether that survives the multiple-testing adjustment.
//
// Sign convention (docs/analysis.md): lag k pairs sentiment of bar b with the return of bar
// b + k, so k > 0 means sentiment leads returns and k < 0 means returns lead sentiment.
// Significance uses p_value_robust_adjusted (Holm over the scanned lags of the
// autocorrelation-robust p-values, docs/analysis.md): the best of eleven noisy lags is "best"
// by chance more often than its raw p says, and persistent or volatility-clustered series make
// a naive p too small. A row without robust fields (an older server) falls back to the naive
// adjusted p, then the raw one; the interval likewise prefers the effective-sample-size one.
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

  // The first argument that is a number, else null.
  function firstNumber(...values) {
    const found = values.find(isNumber);
    return found === undefined ? null : found;
  }

  // [low, high] of the row's 95% interval: the effective-sample-size one when present.
  function robustInterval(row) {
    if (isNumber(row.ci_low_neff) && isNumber(row.ci_high_neff)) {
      return [row.ci_low_neff, row.ci_high_neff];
    }
    return [firstNumber(row.ci_low), firstNumber(row.ci_high)];
  }

  function effectiveSize(row) {
    if (!isNumber(row.n_eff)) return '';
    return ' (effective ' + cryptomood.format.formatCount(Math.round(row.n_eff)) + ')';
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
    const p = firstNumber(best.p_value_robust_adjusted, best.p_value_adjusted, best.p_value);
    const significant = isNumber(p) && p < alpha;
    const percent = Math.round(alpha * 100) + '%';
    if (!significant) {
      return {
        text: label + ': no significant correlation at the ' + percent + ' level' +
          ' (strongest at lag ' + best.lag + ': r = ' + fmt.formatR(best.pearson) +
          ', n = ' + fmt.formatCount(best.n) + ', robust adjusted ' + fmt.formatP(p) + ')',
        significant: false,
        lag: best.lag,
      };
    }
    return {
      text: label + ': ' + direction(best.lag) + ', r = ' + fmt.formatR(best.pearson) + ' ' +
        fmt.formatCi(...robustInterval(best)) + ', n = ' + fmt.formatCount(best.n) +
        effectiveSize(best) + ', robust ' + fmt.formatP(p),
      significant: true,
      lag: best.lag,
    };
  }

  // One direction's clause: it "holds" when both its Holm-adjusted p (across the reply) and its
  // heteroskedasticity-robust (HC1) p are below alpha.
  function grangerClause(row, cause, effect, alpha) {
    const fmt = cryptomood.format;
    if (!row || !isNumber(row.p_value_adjusted)) return cause + ' -> ' + effect + ': not enough data';
    const holds = row.p_value_adjusted < alpha && isNumber(row.p_value_hc1) && row.p_value_hc1 < alpha;
    const verb = cause === 'returns' ? (holds ? 'help' : 'do not help') : (holds ? 'helps' : 'does not help');
    return cause + ' ' + verb + ' predict ' + effect + ' (adjusted ' + fmt.formatP(row.p_value_adjusted) + ')';
  }

  // The Granger tests of one symbol (unwindowed /causality rows) in one plain sentence, both
  // directions; null when the rows hold none for the symbol.
  function grangerSentence(symbolId, rows, alpha = DEFAULT_ALPHA) {
    const own = (rows || []).filter((row) => row.symbol_id === symbolId &&
      (row.window_start === null || row.window_start === undefined));
    const find = (cause) => own.find((row) => row.cause === cause) || null;
    const forward = find('sentiment');
    const backward = find('returns');
    if (forward === null && backward === null) return null;
    const lags = (forward || backward).lags;
    return 'Granger, ' + cryptomood.format.pluralBars(lags) + ' of history: ' +
      grangerClause(forward, 'sentiment', 'returns', alpha) + '; ' +
      grangerClause(backward, 'returns', 'sentiment', alpha) + '.';
  }

  const NONSTATIONARY_NOTES = {
    log_price: 'price levels have a unit root: read returns, as the lag scan does',
    returns: 'returns look non-stationary: their correlations may be spurious',
    sentiment: 'sentiment looks non-stationary: its correlations may be spurious',
  };

  // One note per series of the symbol whose stationarity verdict (/diagnostics rows) is a unit
  // root, in the rows' order.
  function stationarityNotes(symbolId, rows) {
    return (rows || [])
      .filter((row) => row.symbol_id === symbolId && row.verdict === 'unit_root')
      .map((row) => NONSTATIONARY_NOTES[row.series] || row.series + ' has a unit root');
  }

  cryptomood.leadLag = {
    DEFAULT_ALPHA, bestLagRow, leadLagSentence, robustInterval, firstNumber, grangerSentence,
    stationarityNotes,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
