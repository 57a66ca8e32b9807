// The live view's logic: the table of stream rows the page keeps up to date from /events, and
// what the status line says about the connection and the stream behind it.
//
// Rows are the objects of /correlation?source=stream and of each /events message (the same
// shape). A stream may commit a row again with newer values, so the table keeps one row per
// (symbol_id, window_start, lag), the last one received.
// Classic script, see lib/format.js for why.
(function (cryptomood) {
  'use strict';

  // A stream member commits at least every --liveness-interval while alive, and /healthz
  // shows that interval as liveness_interval_seconds; a last commit older than this many of
  // them means no member is working on the parameters. Checkpoints that do not record the
  // interval are judged by the default interval's (5 s) threshold.
  const LIVENESS_INTERVALS_BEFORE_STALE = 3;
  const DEFAULT_STALE_AFTER_SECONDS = 15;

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

  // The stream behind `paramsKey` in /healthz's `streams`: of the consumer groups filing rows
  // under it, the one that committed last (an old group of the same parameters may linger in
  // the store). Returns {group, committedAt (seconds), consumerLag (summed over its
  // partitions), staleAfter (seconds: a last commit older than this means the group is not
  // working, from the longest liveness interval its partitions record)}, or null when no
  // group has committed under the key.
  function streamHealth(streams, paramsKey) {
    const groups = new Map();
    for (const entry of streams || []) {
      if (entry.params_key !== paramsKey) continue;
      const committedAt = cryptomood.format.parseTimestamp(entry.committed_at);
      const group = groups.get(entry.group) ||
        { group: entry.group, committedAt: null, consumerLag: 0, staleAfter: null };
      if (committedAt !== null && (group.committedAt === null || committedAt > group.committedAt)) {
        group.committedAt = committedAt;
      }
      if (Number.isFinite(entry.consumer_lag)) group.consumerLag += entry.consumer_lag;
      const interval = entry.liveness_interval_seconds;
      if (Number.isFinite(interval) && interval > 0) {
        group.staleAfter = Math.max(group.staleAfter || 0, LIVENESS_INTERVALS_BEFORE_STALE * interval);
      }
      groups.set(entry.group, group);
    }
    let freshest = null;
    for (const group of groups.values()) {
      if (group.committedAt === null) continue;
      if (freshest === null || group.committedAt > freshest.committedAt) freshest = group;
    }
    if (freshest !== null && freshest.staleAfter === null) freshest.staleAfter = DEFAULT_STALE_AFTER_SECONDS;
    return freshest;
  }

  // How far the server's clock is ahead of the browser's, in seconds, from a reply's Date
  // header and the browser's clock when the request left and when the reply came (seconds
  // since the epoch). Date has whole seconds, so an offset within the round trip plus one
  // second is no offset: 0, as for a missing or unreadable header.
  function serverClockOffset(dateHeader, sentAt, receivedAt) {
    const serverMillis = Date.parse(dateHeader || '');
    if (!Number.isFinite(serverMillis)) return 0;
    const offset = serverMillis / 1000 + 0.5 - (sentAt + receivedAt) / 2;
    return Math.abs(offset) <= 1 + (receivedAt - sentAt) / 2 ? 0 : offset;
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
  //   streamsAt: when /healthz gave `streams` (seconds since the epoch; null means now). The
  //     stall is judged at that moment: between answers a healthy stream's last commit looks
  //     older by the time since, so judging it at `now` would call it stalled in passing;
  //   paramsKey: the key the view's rows are filed under (the X-Stream-Params-Key header of
  //     /correlation?source=stream), null when unknown; newestWindowEnd, now: seconds since
  //     the epoch.
  // Returns {state, text}; state is one of 'connecting', 'live', 'disconnected' (the event
  // feed is not open), 'stalled' (the feed is open but no stream member is committing these
  // parameters' results) and 'failed'.
  function liveStatus({ connection, streams, streamsAt = null, paramsKey, newestWindowEnd: newest, now }) {
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
    if (streams !== null && streams !== undefined && paramsKey) {
      const health = streamHealth(streams, paramsKey);
      if (health === null) {
        return {
          state: 'stalled',
          text: 'Disconnected, retrying: no stream member has committed results for ' + paramsKey +
            ' (' + behind + ').',
        };
      }
      const age = now - health.committedAt;
      const ageWhenAnswered = (streamsAt === null ? now : streamsAt) - health.committedAt;
      if (ageWhenAnswered > health.staleAfter) {
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
    LIVENESS_INTERVALS_BEFORE_STALE,
    DEFAULT_STALE_AFTER_SECONDS,
    rowKey,
    upsertRow,
    symbolsOfRows,
    newestWindowEnd,
    streamHealth,
    serverClockOffset,
    formatAge,
    liveStatus,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
