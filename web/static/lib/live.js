// The live view's logic: the table of stream rows the page keeps up to date from /events, and
// what the status line says about the connection and the stream behind it.
//
// Rows are the objects of /correlation?source=stream and of each /events message (the same
// shape). A stream may commit a row again with newer values, so the table keeps one row per
// (symbol_id, window_start, lag), the last one received.
// Classic script, see lib/format.js for why.
(function (cryptomood) {
  'use strict';

  // A stream member commits at least every --liveness-interval (default 5 s) while alive, so
  // a last commit older than three of those means no member is working on the parameters.
  const STALE_AFTER_SECONDS = 15;

  function rowKey(row) {
    return JSON.stringify([row.symbol_id, row.window_start, row.lag]);
  }

  // Puts `row` into `table` (a Map from rowKey), replacing the row of the same key.
  function upsertRow(table, row) {
    table.set(rowKey(row), row);
    return table;
  }

  // The symbols the rows name, as /symbols lists them ({symbol_id, coin, quote}), in first
  // appearance order: a store fed only by `stream` has trades nowhere, so /symbols is empty.
  function symbolsOfRows(rows) {
    const seen = new Map();
    for (const row of rows) {
      if (typeof row.symbol_id !== 'string' || seen.has(row.symbol_id)) continue;
      const parts = row.symbol_id.split('_');
      seen.set(row.symbol_id, { symbol_id: row.symbol_id, coin: row.coin, quote: parts[parts.length - 1] });
    }
    return [...seen.values()];
  }

  // Seconds since the epoch of the latest window_end among the rows; null when none has one.
  function newestWindowEnd(rows) {
    let newest = null;
    for (const row of rows) {
      const end = cryptomood.format.parseTimestamp(row.window_end);
      if (end !== null && (newest === null || end > newest)) newest = end;
    }
    return newest;
  }

  // A duration the way the server prints it (Interval::ToString in src/core/interval.cc): in
  // the largest unit that divides it evenly, months as months. null when it is not one.
  const UNIT_MILLIS = [['w', 604800e3], ['d', 86400e3], ['h', 3600e3], ['m', 60e3], ['s', 1e3], ['ms', 1]];

  function canonicalDuration(text) {
    const match = /^(\d+)(ms|mo|s|m|h|d|w)$/.exec(text || '');
    if (!match || Number(match[1]) <= 0) return null;
    const count = Number(match[1]);
    if (match[2] === 'mo') return count + 'mo';
    const millis = count * UNIT_MILLIS.find(([unit]) => unit === match[2])[1];
    const [unit, size] = UNIT_MILLIS.find(([, candidate]) => millis % candidate === 0);
    return millis / size + unit;
  }

  // A lag range as the server prints it: "A:B" with plain integers ("+2" and "-02" are read
  // as 2 and -2; a lone "K" is K:K, as ParseLagRange in src/core/analysis.cc reads them).
  function canonicalLags(text) {
    const match = /^([+-]?\d+)(?::([+-]?\d+))?$/.exec(text || '');
    if (!match) return null;
    const first = Number(match[1]);
    return first + ':' + (match[2] === undefined ? first : Number(match[2]));
  }

  // The params_key under which a stream files the rows of the state's live request, as the
  // server writes it (StreamParamsKey in src/core/stream_params_key.cc): /healthz lists each
  // stream member's commits under it. Fields the mode ignores are left out, as there.
  function streamParamsKey(state) {
    const window = canonicalDuration(cryptomood.api.effectiveWindow(state));
    if (state.mode === 'bars') {
      return 'mode=bars interval=' + canonicalDuration(state.interval) + ' lags=' +
        canonicalLags(state.lags) + ' window=' + window;
    }
    const tolerance = state.tolerance ? canonicalDuration(state.tolerance) : 'none';
    return 'mode=' + state.mode + ' direction=' + (state.direction || 'backward') + ' tolerance=' +
      tolerance + ' window=' + window;
  }

  // The stream behind `paramsKey` in /healthz's `streams`: of the consumer groups filing rows
  // under it, the one that committed last (an old group of the same parameters may linger in
  // the store). Returns {group, committedAt (seconds), consumerLag (summed over its
  // partitions)}, or null when no group has committed under the key.
  function streamHealth(streams, paramsKey) {
    const groups = new Map();
    for (const entry of streams || []) {
      if (entry.params_key !== paramsKey) continue;
      const committedAt = cryptomood.format.parseTimestamp(entry.committed_at);
      const group = groups.get(entry.group) || { group: entry.group, committedAt: null, consumerLag: 0 };
      if (committedAt !== null && (group.committedAt === null || committedAt > group.committedAt)) {
        group.committedAt = committedAt;
      }
      if (Number.isFinite(entry.consumer_lag)) group.consumerLag += entry.consumer_lag;
      groups.set(entry.group, group);
    }
    let freshest = null;
    for (const group of groups.values()) {
      if (group.committedAt === null) continue;
      if (freshest === null || group.committedAt > freshest.committedAt) freshest = group;
    }
    return freshest;
  }

  // "12 s", "4 min 5 s", "6 h 12 min", "3 d 4 h": two units at most, never negative.
  function formatAge(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    const days = Math.floor(whole / 86400);
    const hours = Math.floor((whole % 86400) / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    if (days > 0) return days + ' d ' + hours + ' h';
    if (hours > 0) return hours + ' h ' + minutes + ' min';
    if (minutes > 0) return minutes + ' min ' + (whole % 60) + ' s';
    return whole + ' s';
  }

  // What the live status line says. Input:
  //   connection: 'connecting' (never open yet), 'open', 'retrying' (was open or failed; the
  //     page or the browser reconnects) or 'failed' (the first load was refused: no retry);
  //   streams: /healthz's streams array, or null when unknown (no answer yet or none);
  //   paramsKey: streamParamsKey of the view; newestWindowEnd, now: seconds since the epoch.
  // Returns {state, text}; state is one of 'connecting', 'live', 'disconnected' (the event
  // feed is not open), 'stalled' (the feed is open but no stream member is committing these
  // parameters' results) and 'failed'.
  function liveStatus({ connection, streams, paramsKey, newestWindowEnd: newest, now }) {
    const behind = newest === null
      ? 'no window closed yet'
      : formatAge(now - newest) + ' behind real time';
    if (connection === 'failed') {
      return { state: 'failed', text: 'Not live: the stream results could not be loaded.' };
    }
    if (connection === 'connecting') {
      return { state: 'connecting', text: 'Connecting to the live feed… (' + behind + ')' };
    }
    if (connection !== 'open') {
      return {
        state: 'disconnected',
        text: 'Disconnected, retrying: the live feed from the server is down (' + behind + ').',
      };
    }
    const details = [behind];
    if (streams !== null && streams !== undefined) {
      const health = streamHealth(streams, paramsKey);
      if (health === null) {
        return {
          state: 'stalled',
          text: 'Disconnected, retrying: no stream member has committed results for ' + paramsKey +
            ' (' + behind + ').',
        };
      }
      const age = now - health.committedAt;
      if (age > STALE_AFTER_SECONDS) {
        return {
          state: 'stalled',
          text: 'Disconnected, retrying: the stream is not committing (last commit ' +
            formatAge(age) + ' ago; ' + behind + ').',
        };
      }
      details.push('last commit ' + formatAge(age) + ' ago',
        'consumer lag ' + health.consumerLag + (health.consumerLag === 1 ? ' message' : ' messages'));
    }
    return { state: 'live', text: 'Live: ' + details.join(' · ') + '.' };
  }

  cryptomood.live = {
    STALE_AFTER_SECONDS,
    rowKey,
    upsertRow,
    symbolsOfRows,
    newestWindowEnd,
    canonicalDuration,
    streamParamsKey,
    streamHealth,
    formatAge,
    liveStatus,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
