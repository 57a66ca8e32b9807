// The view's state and its URL form: what a shared link carries.
//
// Invariant: decode(encode(s)) equals s for every state whose fields are strings. Values are
// kept verbatim, even invalid ones ("interval=bogus"): the API is the one validator, and its
// 400 message is shown next to the control, so the page must not silently "fix" a link.
// Classic script, see lib/format.js for why.
(function (cryptomood) {
  'use strict';

  // Order matters: it is the order of keys in every encoded link, so equal views give
  // byte-equal links.
  const DEFAULT_STATE = Object.freeze({
    coin: '', // '' = first coin listed by /symbols
    symbol: '', // '' = first symbol of that coin; set only when a coin trades on several
    from: '', // RFC 3339; '' = from the first data
    to: '', // RFC 3339, exclusive; '' = to the last data
    interval: '1m',
    mode: 'bars',
    direction: 'backward', // tick mode only
    tolerance: '', // tick mode only; '' = no tolerance
    lags: '-5:5',
    window: '', // '' = chosen from the interval, see api.effectiveWindow
    live: '', // '1' = follow a stream's results as windows close (see isLive); '' = computed
  });

  const KEYS = Object.keys(DEFAULT_STATE);

  const INTERVALS = Object.freeze(['1m', '5m', '30m', '1h', '1d', '1mo']);
  const MODES = Object.freeze(['tick', 'bars']);
  const DIRECTIONS = Object.freeze(['backward', 'forward', 'nearest']);

  // Like encodeURIComponent, but ':' and ',' stay readable: they are legal in a query and
  // appear in every timestamp and lag range.
  function encodeComponent(value) {
    return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
  }

  // Builds "a=1&b=2" from [key, value] pairs, skipping empty values.
  function encodeQuery(pairs) {
    return pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => encodeComponent(key) + '=' + encodeComponent(String(value)))
      .join('&');
  }

  // Missing, unknown or non-string fields fall back to the defaults.
  function normalizeState(partial) {
    const state = {};
    for (const key of KEYS) {
      const value = partial ? partial[key] : undefined;
      state[key] = typeof value === 'string' ? value.trim() : DEFAULT_STATE[key];
    }
    return state;
  }

  // Only non-default fields go into the link, so a link states what differs from the
  // default view and old links stay valid when a default changes.
  function encodeState(state) {
    const pairs = KEYS.filter((key) => state[key] !== DEFAULT_STATE[key]).map((key) => [
      key,
      state[key],
    ]);
    const query = encodeQuery(pairs);
    return query ? '?' + query : '';
  }

  function decodeState(search) {
    const params = new URLSearchParams(search || '');
    const partial = {};
    for (const key of KEYS) {
      // A '+' typed in a link (a "+02:00" offset) arrives as a space; no field holds spaces.
      if (params.has(key)) partial[key] = params.get(key).trim().replace(/ /g, '+');
    }
    return normalizeState(partial);
  }

  function statesEqual(a, b) {
    return KEYS.every((key) => a[key] === b[key]);
  }

  // Live is on for exactly live=1; any other value (kept verbatim like all values) is off.
  function isLive(state) {
    return state.live === '1';
  }

  cryptomood.state = {
    DEFAULT_STATE,
    KEYS,
    INTERVALS,
    MODES,
    DIRECTIONS,
    encodeComponent,
    encodeQuery,
    normalizeState,
    encodeState,
    decodeState,
    statesEqual,
    isLive,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
