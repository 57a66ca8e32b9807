// The four API requests the dashboard makes for one view (and, beside the lag scan, the Granger
// and stationarity tests of the chosen coin; in live mode the stream's rows and their event
// feed instead of three of them), and how an API failure maps to the control that caused it.
// `cryptomood report` must compute exactly the four panels' bodies, so every parameter choice
// lives here and nowhere else.
// Classic script, see lib/format.js for why.
(function (cryptomood) {
  'use strict';

  const encodeQuery = (pairs) => cryptomood.state.encodeQuery(pairs);

  // About this many bars per correlation window, so each window's r has a usable CI
  // (n = 200 gives a half-width of about 0.14 around r = 0).
  const BARS_PER_WINDOW = 200;
  const MILLIS = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
  const AVERAGE_MONTH_MILLIS = 30.436875 * 86400e3;
  // Round window lengths people read at a glance; months past four weeks so windows follow
  // the calendar like monthly bars do.
  const NICE_WINDOWS = ['1h', '2h', '4h', '6h', '12h', '1d', '2d', '1w', '2w', '4w',
    '3mo', '6mo', '12mo', '24mo', '60mo', '120mo', '240mo'];

  // "<positive integer><unit>" in the CLI's units, as milliseconds (months averaged);
  // null when the text is not a duration.
  function durationMillis(text) {
    const match = /^(\d+)(ms|mo|s|m|h|d|w)$/.exec(text || '');
    if (!match || Number(match[1]) <= 0) return null;
    const count = Number(match[1]);
    return match[2] === 'mo' ? count * AVERAGE_MONTH_MILLIS : count * MILLIS[match[2]];
  }

  // The window used when the user left it on "auto": the shortest round length holding
  // BARS_PER_WINDOW bars of the chosen interval. An unparsable interval gets '1d'; the
  // API will reject the interval anyway and say why. The report's C++ twin (EffectiveWindow in
  // src/http/report_builder.cc) is held to the same answers by tests/web/effective_window_cases.txt.
  function effectiveWindow(state) {
    if (state.window) return state.window;
    const barMillis = durationMillis(state.interval);
    if (barMillis === null) return '1d';
    const wanted = barMillis * BARS_PER_WINDOW;
    for (const candidate of NICE_WINDOWS) {
      // A small tolerance so 1mo bars * 12 counts as 12mo despite month averaging.
      if (durationMillis(candidate) >= wanted * 0.999) return candidate;
    }
    return NICE_WINDOWS[NICE_WINDOWS.length - 1];
  }

  function rangePairs(state) {
    return [
      ['from', state.from],
      ['to', state.to],
    ];
  }

  // The join parameters that the engine accepts for the mode: direction and tolerance only
  // exist for tick joins (the API rejects them with bars), an interval only for bars.
  function modePairs(state) {
    if (state.mode === 'bars') {
      return [
        ['mode', state.mode],
        ['interval', state.interval],
      ];
    }
    return [
      ['mode', state.mode],
      ['direction', state.direction],
      ['tolerance', state.tolerance],
    ];
  }

  // Price and sentiment bars; maxPoints ~ the chart's pixel width, so the server downsamples.
  function seriesUrl(state, maxPoints) {
    return '/series?' + encodeQuery([
      ['coin', state.coin],
      ...rangePairs(state),
      ['interval', state.interval],
      ['max_points', maxPoints > 0 ? String(Math.round(maxPoints)) : ''],
    ]);
  }

  // Correlation over time: one row per window at lag 0.
  function windowCorrelationUrl(state) {
    return '/correlation?' + encodeQuery([
      ['coin', state.coin],
      ...rangePairs(state),
      ...modePairs(state),
      ['lags', '0:0'],
      ['window', effectiveWindow(state)],
    ]);
  }

  // Lead/lag scan: always bars, since a lag counts bars.
  function lagScanUrl(state) {
    return '/correlation?' + encodeQuery([
      ['coin', state.coin],
      ...rangePairs(state),
      ['mode', 'bars'],
      ['interval', state.interval],
      ['lags', state.lags],
    ]);
  }

  // Granger tests and stationarity diagnostics of the chosen coin at the lag scan's interval
  // (read beside the lag scan).
  function barsTestUrl(route, state) {
    return route + '?' + encodeQuery([
      ['coin', state.coin],
      ...rangePairs(state),
      ['interval', state.interval],
    ]);
  }
  const causalityUrl = (state) => barsTestUrl('/causality', state);
  const diagnosticsUrl = (state) => barsTestUrl('/diagnostics', state);

  // Summary cards: every symbol (no coin filter), so the chosen coin can be compared.
  function summaryUrl(state) {
    return '/correlation?' + encodeQuery([...rangePairs(state), ...modePairs(state), ['lags', '0:0']]);
  }

  // The live view's parameters: every symbol (the cards compare them) over the view's range,
  // with the mode's join or bar options, the lag range (bars only: a tick stream has lag 0
  // alone) and the effective window. They select the rows of the stream that was started
  // with the same analysis parameters.
  function streamPairs(state) {
    return [
      ...rangePairs(state),
      ...modePairs(state),
      ['lags', state.mode === 'bars' ? state.lags : ''],
      ['window', effectiveWindow(state)],
    ];
  }

  // Every row the stream has stored for the view; the reply's X-Last-Event-ID header is the
  // store sequence its rows go through, from which eventsUrl continues.
  function streamCorrelationUrl(state) {
    return '/correlation?' + encodeQuery([['source', 'stream'], ...streamPairs(state)]);
  }

  // Server-Sent Events: each row of the view committed after store sequence lastEventId.
  function eventsUrl(state, lastEventId) {
    return '/events?' + encodeQuery([...streamPairs(state), ['last_event_id', String(lastEventId)]]);
  }

  // The control each API parameter is typed into. Parameters with no control of their own
  // (max_points, an unknown one) return null and are shown in the page-level error.
  const CONTROL_FOR_PARAMETER = {
    coin: 'coin',
    symbol: 'coin',
    from: 'from',
    to: 'to',
    interval: 'interval',
    mode: 'mode',
    direction: 'direction',
    tolerance: 'tolerance',
    lags: 'lags',
    window: 'window',
  };

  function controlForParameter(parameter) {
    return Object.prototype.hasOwnProperty.call(CONTROL_FOR_PARAMETER, parameter)
      ? CONTROL_FOR_PARAMETER[parameter]
      : null;
  }

  // Turns a failed response into {status, code, parameter, control, message}. The body is
  // the parsed JSON or null (a proxy's HTML error page, a dropped connection).
  function describeFailure(status, body) {
    const error = body && typeof body === 'object' && body.error && typeof body.error === 'object'
      ? body.error
      : null;
    const parameter = error && typeof error.parameter === 'string' ? error.parameter : null;
    let message = error && typeof error.message === 'string' && error.message ? error.message : '';
    if (!message) {
      message = status === 0
        ? 'The server did not answer. Is `cryptomood serve` still running?'
        : 'The server answered HTTP ' + status + '.';
    }
    return {
      status,
      code: error && typeof error.code === 'string' ? error.code : null,
      parameter,
      control: parameter === null ? null : controlForParameter(parameter),
      message,
    };
  }

  cryptomood.api = {
    durationMillis,
    effectiveWindow,
    seriesUrl,
    windowCorrelationUrl,
    lagScanUrl,
    causalityUrl,
    diagnosticsUrl,
    summaryUrl,
    streamCorrelationUrl,
    eventsUrl,
    controlForParameter,
    describeFailure,
  };
})((globalThis.cryptomood = globalThis.cryptomood || {}));
