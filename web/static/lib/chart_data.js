// Turns API rows into the column arrays uPlot draws, and picks the symbol a view shows.
//
// Columns hold null where the API has null (an empty bar, an undefined statistic): uPlot
// leaves a gap there, which is the honest picture; nothing is interpolated or zero-filled.
// Times are seconds since the epoch (uPlot's default unit).
// Classic script, see lib/format.js for why.
(function (cryptomood) {
  'use strict';

  const numberOrNull = (value) =>
    typeof value === 'number' && Number.isFinite(value) ? value : null;

  // One option per symbol, grouped by coin in the API's order of coins then symbols, so a
  // coin that trades on two exchanges appears twice with its symbol named.
  function symbolOptions(symbols) {
    const sorted = [...(symbols || [])].sort((a, b) =>
      a.coin === b.coin ? a.symbol_id.localeCompare(b.symbol_id) : a.coin.localeCompare(b.coin));
    const perCoin = new Map();
    for (const symbol of sorted) perCoin.set(symbol.coin, (perCoin.get(symbol.coin) || 0) + 1);
    return sorted.map((symbol) => ({
      value: symbol.symbol_id,
      coin: symbol.coin,
      label: perCoin.get(symbol.coin) > 1 ? symbol.coin + ' (' + symbol.symbol_id + ')' : symbol.coin,
      description: symbol.symbol_id,
    }));
  }

  // The symbol a state shows: the named one, else the first of the coin, else (no coin
  // chosen) the first listed. A coin the store does not know gives symbolId null: the
  // requests still go out so the API can say what is wrong with it.
  function chooseSymbol(symbols, state) {
    const options = symbolOptions(symbols);
    if (!state.coin) {
      return options.length ? { coin: options[0].coin, symbolId: options[0].value } : { coin: '', symbolId: null };
    }
    const ofCoin = options.filter((option) => option.coin === state.coin);
    const named = ofCoin.find((option) => option.value === state.symbol);
    const chosen = named || ofCoin[0];
    return { coin: state.coin, symbolId: chosen ? chosen.value : null };
  }

  // The state after picking a symbol in the selector: symbol is stored only when it is not
  // the coin's first, so links stay "coin=ETH" in the common case.
  function stateForSymbol(symbols, state, symbolId) {
    const option = symbolOptions(symbols).find((candidate) => candidate.value === symbolId);
    if (!option) return state;
    const first = symbolOptions(symbols).find((candidate) => candidate.coin === option.coin);
    return { ...state, coin: option.coin, symbol: first.value === symbolId ? '' : symbolId };
  }

  // Rows of the chosen symbol; when the symbol is unknown (null) the first symbol present,
  // so a view still draws if /symbols and the data disagree.
  function rowsOfSymbol(rows, symbolId) {
    const list = rows || [];
    const wanted = symbolId !== null && symbolId !== undefined
      ? symbolId
      : list.length ? list[0].symbol_id : null;
    return list.filter((row) => row.symbol_id === wanted);
  }

  function seriesColumns(rows, symbolId) {
    const parse = cryptomood.format.parseTimestamp;
    const own = rowsOfSymbol(rows, symbolId)
      .map((row) => ({ row, time: parse(row.bar_start) }))
      .filter((entry) => entry.time !== null)
      .sort((a, b) => a.time - b.time);
    return {
      time: own.map((entry) => entry.time),
      close: own.map((entry) => numberOrNull(entry.row.close)),
      sentiment: own.map((entry) => numberOrNull(entry.row.sentiment)),
      tweets: own.map((entry) => numberOrNull(entry.row.tweets)),
    };
  }

  // A window's r is drawn at the window's middle: it describes the whole window, and the
  // middle keeps it aligned with the price it summarises.
  function windowColumns(rows, symbolId) {
    const parse = cryptomood.format.parseTimestamp;
    const own = rowsOfSymbol(rows, symbolId)
      .filter((row) => row.lag === 0 || row.lag === undefined)
      .map((row) => {
        const start = parse(row.window_start);
        const end = parse(row.window_end);
        return { row, time: start === null ? null : end === null ? start : (start + end) / 2 };
      })
      .filter((entry) => entry.time !== null)
      .sort((a, b) => a.time - b.time);
    return {
      time: own.map((entry) => entry.time),
      r: own.map((entry) => numberOrNull(entry.row.pearson)),
      low: own.map((entry) => cryptomood.leadLag.robustInterval(entry.row)[0]),
      high: own.map((entry) => cryptomood.leadLag.robustInterval(entry.row)[1]),
      n: own.map((entry) => numberOrNull(entry.row.n)),
    };
  }

  // Orders a row's window: whole-range rows (no window_start) above every window, then by
  // window start; an unreadable start below all.
  function windowRank(row) {
    if (row.window_start === null || row.window_start === undefined) return Infinity;
    const start = cryptomood.format.parseTimestamp(row.window_start);
    return start === null ? -Infinity : start;
  }

  // The rows the lag scan and the summary cards describe, per symbol: its whole-range rows
  // when the reply has any (a request without window), else those of its newest window (a
  // stream's rows, all windowed: the latest closed window is its freshest figure).
  function latestRows(rows) {
    const list = rows || [];
    const newest = new Map();
    for (const row of list) {
      const rank = windowRank(row);
      if (!newest.has(row.symbol_id) || rank > newest.get(row.symbol_id)) newest.set(row.symbol_id, rank);
    }
    return list.filter((row) => windowRank(row) === newest.get(row.symbol_id));
  }

  // best holds r only at the best lag (null elsewhere), so it draws as one marked point.
  function lagColumns(rows, symbolId) {
    const own = latestRows(rowsOfSymbol(rows, symbolId))
      .filter((row) => Number.isInteger(row.lag))
      .sort((a, b) => a.lag - b.lag);
    const best = cryptomood.leadLag.bestLagRow(own);
    return {
      lag: own.map((row) => row.lag),
      r: own.map((row) => numberOrNull(row.pearson)),
      low: own.map((row) => cryptomood.leadLag.robustInterval(row)[0]),
      high: own.map((row) => cryptomood.leadLag.robustInterval(row)[1]),
      best: own.map((row) => (row === best ? numberOrNull(row.pearson) : null)),
      rows: own,
    };
  }

  // Cards are narrow: "2018-07-16T00:01:00.000000Z" becomes "2018-07-16T00:01:00Z". A text
  // that does not parse is shown as sent rather than hidden.
  function shortTimestamp(text) {
    if (!text) return 'n/a';
    const seconds = cryptomood.format.parseTimestamp(text);
    return seconds === null ? String(text) : cryptomood.format.formatTimestamp(seconds);
  }

  function effectiveCount(value) {
    return typeof value === 'number' && Number.isFinite(value)
      ? cryptomood.format.formatCount(Math.round(value)) : 'n/a';
  }

  // One card per symbol (see latestRows), the compat pool ("*") last since it is the
  // misleading figure.
  function summaryCards(rows) {
    const fmt = cryptomood.format;
    return latestRows(rows)
      .filter((row) => row.lag === 0 || row.lag === undefined || row.lag === null)
      .sort((a, b) => {
        if ((a.symbol_id === '*') !== (b.symbol_id === '*')) return a.symbol_id === '*' ? 1 : -1;
        return a.coin === b.coin ? a.symbol_id.localeCompare(b.symbol_id) : a.coin.localeCompare(b.coin);
      })
      .map((row) => ({
        symbolId: row.symbol_id,
        coin: row.coin,
        title: row.symbol_id === '*' ? 'All coins pooled (compat)' : row.coin,
        facts: [
          ['n', fmt.formatCount(row.n)],
          ['n effective', effectiveCount(row.n_eff)],
          ['r', fmt.formatR(row.pearson)],
          ['rho', fmt.formatR(row.spearman)],
          ['p robust', fmt.formatPValue(cryptomood.leadLag.firstNumber(row.p_value_robust, row.p_value))],
          ['p naive', fmt.formatPValue(row.p_value)],
          ['95% CI', fmt.formatCi(...cryptomood.leadLag.robustInterval(row))],
          ['first', shortTimestamp(row.first_timestamp)],
          ['last', shortTimestamp(row.last_timestamp)],
        ],
        warning: row.warning === 'levels_nonstationary'
          ? 'price levels non-stationary: read returns (bars mode)' : null,
      }));
  }

  cryptomood.chartData = {
    symbolOptions,
    chooseSymbol,
    stateForSymbol,
    rowsOfSymbol,
    latestRows,
    seriesColumns,
    windowColumns,
    lagColumns,
    summaryCards,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
