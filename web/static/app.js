// cryptomood dashboard: wires the controls, the URL, the API and the uPlot charts together.
//
// Two ways to run. Served by `cryptomood serve`: state comes from the URL, data from the API,
// every change pushes a history entry so a link (or Back) restores the view. Live (live=1 in
// the URL): the correlation panels show the rows a `cryptomood stream` member stores for the
// view's parameters and follow them through /events as windows close. As a one-file
// report (window.CRYPTOMOOD_REPORT defined before this script): no request at all, data and
// parameters come from that object, controls are read-only, zoom stays client-side.
//
// Pure logic (URLs, formatting, sentences, row shaping) lives in lib/*.js and is unit-tested;
// this file owns the DOM. Classic script (see lib/format.js); needs uPlot loaded first.
(function () {
  'use strict';

  const { format, state: stateLib, api, leadLag, chartData, live: liveLib } = globalThis.cryptomood;
  const uPlot = globalThis.uPlot;
  const report = globalThis.CRYPTOMOOD_REPORT;
  const isReport = report !== undefined && report !== null;

  // The price, sentiment and correlation-over-time charts share this key so the cursor
  // (and a drag selection) moves across all of them at once.
  const TIME_SYNC_KEY = 'cryptomood-time';
  const COLORS = {
    price: '#1f5fae',
    sentiment: 'rgba(194, 84, 0, 0.75)',
    tweets: 'rgba(110, 110, 110, 0.35)',
    r: '#1b7f4b',
    band: 'rgba(27, 127, 75, 0.16)',
    bandEdge: 'rgba(27, 127, 75, 0.45)',
    whisker: '#3a3a3a',
    best: '#c0163b',
    zero: '#777777',
  };
  const CONTROL_IDS = stateLib.KEYS.filter((key) => key !== 'symbol');
  const PANELS = {
    series: 'panel-series',
    window: 'panel-window',
    lag: 'panel-lag',
    summary: 'panel-summary',
  };

  // Live view: the panels fed by the stream (the price chart still comes from /series), how
  // often /healthz is asked about the stream, how long a refused event feed waits before the
  // page opens it again (the server's own `retry:`), and how long row events are gathered
  // before one redraw.
  const STREAM_PANELS = ['window', 'lag', 'summary'];
  const HEALTH_POLL_MS = 2000;
  const EVENTS_REOPEN_MS = 3000;
  const LIVE_REDRAW_DELAY_MS = 50;

  const byId = (id) => document.getElementById(id);

  let view = stateLib.normalizeState(isReport ? report.params : stateLib.decodeState(location.search));
  let symbols = [];
  const charts = { series: null, window: null, lag: null };
  let inflight = null; // AbortController of the current load
  let loadCount = 0;
  let dragSource = null; // the chart a drag started on; synced charts mirror its selection
  let live = null; // the live view's session (startLive), null when the view is not live

  // ----- controls ---------------------------------------------------------------------------

  // A select cannot show a value it has no option for, and silently showing another value
  // would misstate the view (e.g. a shared link with interval=bogus). Such a value gets a
  // temporary option so the API's verdict about it is shown next to what the user sees.
  function selectValue(select, value, label) {
    for (const stale of select.querySelectorAll('option[data-unlisted]')) stale.remove();
    if (![...select.options].some((option) => option.value === value)) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label || value + ' (not a listed value)';
      option.dataset.unlisted = 'true';
      select.append(option);
    }
    select.value = value;
  }

  function fillCoinOptions() {
    const select = byId('coin');
    select.replaceChildren();
    for (const option of chartData.symbolOptions(symbols)) {
      const element = document.createElement('option');
      element.value = option.value;
      element.textContent = option.label;
      element.title = option.description;
      select.append(element);
    }
  }

  function writeCoinControl() {
    const chosen = chartData.chooseSymbol(symbols, view);
    if (chosen.symbolId !== null) {
      selectValue(byId('coin'), chosen.symbolId);
    } else if (view.coin) {
      selectValue(byId('coin'), '', view.coin + ' (not in the store)');
    }
  }

  function writeControls() {
    writeCoinControl();
    byId('live').checked = stateLib.isLive(view);
    for (const key of ['interval', 'mode', 'direction']) selectValue(byId(key), view[key]);
    for (const key of ['from', 'to', 'tolerance', 'lags', 'window']) byId(key).value = view[key];
    // Direction and tolerance mean nothing to a bars correlation; the API would reject them.
    const tick = view.mode !== 'bars';
    byId('direction').disabled = !tick;
    byId('tolerance').disabled = !tick;
    byId('window').placeholder = 'auto (' + api.effectiveWindow({ ...view, window: '' }) + ')';
  }

  function readControls() {
    let next = { ...view };
    const coinValue = byId('coin').value;
    if (coinValue) next = chartData.stateForSymbol(symbols, next, coinValue);
    for (const key of ['interval', 'mode', 'direction', 'from', 'to', 'tolerance', 'lags', 'window']) {
      next[key] = byId(key).value.trim();
    }
    next.live = byId('live').checked ? '1' : '';
    return stateLib.normalizeState(next);
  }

  // Served mode only: a changed view becomes a history entry, then loads. An unchanged view
  // does nothing unless `reload` (pressing Enter in a field fires both change and submit, and
  // that must not load twice).
  function applyState(next, { replace = false, reload = false } = {}) {
    const unchanged = stateLib.statesEqual(next, view);
    if (unchanged && !reload) return Promise.resolve();
    view = next;
    const url = location.pathname + stateLib.encodeState(view);
    if (replace || unchanged) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    writeControls();
    return load();
  }

  function bindControls() {
    const form = byId('controls');
    // Text fields apply when committed (Enter, or leaving a changed field), not on every
    // keystroke, so half-typed dates never reach the API; selects apply on choice.
    for (const id of CONTROL_IDS) {
      byId(id).addEventListener('change', () => applyState(readControls()));
    }
    // Apply on an unchanged view is a retry, useful only after a failure.
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      applyState(readControls(), { reload: document.documentElement.dataset.loadState === 'error' });
    });
    byId('full-range').addEventListener('click', () => applyState({ ...view, from: '', to: '' }));
    window.addEventListener('popstate', () => {
      view = stateLib.decodeState(location.search);
      writeControls();
      load();
    });
  }

  // ----- errors and loading states ------------------------------------------------------------

  function clearErrors() {
    for (const id of CONTROL_IDS) {
      const message = byId(id + '-error');
      message.hidden = true;
      message.textContent = '';
      byId(id).removeAttribute('aria-invalid');
    }
    byId('page-error').hidden = true;
    byId('page-error').textContent = '';
  }

  // Several requests usually fail on the same bad parameter; its message is shown once.
  function appendMessage(element, message) {
    const lines = element.textContent ? element.textContent.split('\n') : [];
    if (!lines.includes(message)) lines.push(message);
    element.textContent = lines.join('\n');
    element.hidden = false;
  }

  function showFailure(failure) {
    if (failure.control) {
      appendMessage(byId(failure.control + '-error'), failure.message);
      byId(failure.control).setAttribute('aria-invalid', 'true');
    } else {
      appendMessage(byId('page-error'), failure.message);
    }
  }

  function setPanelBusy(name, busy) {
    const panel = byId(PANELS[name]);
    panel.classList.toggle('is-loading', busy);
    panel.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  function setPanelMessage(name, text) {
    const message = byId(PANELS[name]).querySelector('.panel-message');
    message.textContent = text || '';
    message.hidden = !text;
  }

  function panelFailed(name, failure) {
    destroyChart(name);
    if (name === 'lag') byId('lead-lag-sentence').textContent = '';
    if (name === 'summary') byId('summary-cards').replaceChildren();
    const label = failure.control ? byId(failure.control).labels[0].textContent : null;
    setPanelMessage(name, label
      ? 'Not drawn: the server rejected “' + label + '” (see the message there).'
      : 'Not drawn: ' + failure.message);
  }

  // ----- data ----------------------------------------------------------------------------------

  class RequestFailure extends Error {
    constructor(failure) {
      super(failure.message);
      this.failure = failure;
    }
  }

  // {rows: the reply's data array, headers}; a failure throws RequestFailure.
  async function fetchReply(url, signal) {
    let response;
    try {
      response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new RequestFailure(api.describeFailure(0, null));
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      body = null; // not JSON: describeFailure falls back to the status
    }
    if (!response.ok || body === null || !Array.isArray(body.data)) {
      throw new RequestFailure(api.describeFailure(response.ok ? 502 : response.status, body));
    }
    return { rows: body.data, headers: response.headers };
  }

  async function fetchJson(url, signal) {
    return (await fetchReply(url, signal)).rows;
  }

  function chartWidth() {
    return Math.max(240, Math.floor(byId('chart-series').clientWidth || 0));
  }

  // Loads the four views of the current state in parallel; each panel draws as soon as its
  // own answer arrives, so a slow lag scan does not hold back the price chart. Live, the
  // stream's rows feed three of them and keep them current (startLive).
  async function load() {
    const generation = ++loadCount;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    stopLive();
    const signal = inflight.signal;
    clearErrors();
    document.documentElement.dataset.loadState = 'loading';
    const chosen = chartData.chooseSymbol(symbols, view);
    const requestState = { ...view, coin: chosen.coin };
    byId('window-length').textContent = api.effectiveWindow(view);
    byId('status').textContent = 'Loading ' + describeView(chosen) + '…';

    const loads = Object.entries(panelRequests(requestState)).map(([name, url]) =>
      loadPanels([name], generation, url, signal, (rows) => render(name, rows, chosen)));
    if (stateLib.isLive(view)) loads.push(startLive(generation, signal));
    const failures = (await Promise.all(loads)).filter((ok) => !ok).length;
    if (generation !== loadCount) return;
    await loadGranger(generation, requestState, chosen, signal);
    if (generation !== loadCount) return;
    alignTimeAxes();
    byId('status').textContent = failures
      ? 'Some charts could not be drawn for ' + describeView(chosen) + '.'
      : 'Showing ' + describeView(chosen) + '.';
    document.documentElement.dataset.loadState = failures ? 'error' : 'ready';
    document.documentElement.dataset.loads = String(generation);
  }

  // The request of each panel the view computes on the server: all four, or live only the
  // price chart's (the stream feeds the others).
  function panelRequests(requestState) {
    const requests = { series: api.seriesUrl(requestState, chartWidth()) };
    if (stateLib.isLive(view)) return requests;
    return {
      ...requests,
      window: api.windowCorrelationUrl(requestState),
      lag: api.lagScanUrl(requestState),
      summary: api.summaryUrl(requestState),
    };
  }

  // Fetches the rows of `names` panels and hands them to draw(rows, headers); a failure is
  // shown next to its control and in each panel. Resolves false after a failure, else true
  // (also when a newer load made this one moot).
  async function loadPanels(names, generation, url, signal, draw) {
    for (const name of names) setPanelBusy(name, true);
    try {
      const reply = await fetchReply(url, signal);
      if (generation === loadCount) draw(reply.rows, reply.headers);
      return true;
    } catch (error) {
      if (error.name === 'AbortError' || generation !== loadCount) return true;
      if (!(error instanceof RequestFailure)) throw error;
      showFailure(error.failure);
      for (const name of names) panelFailed(name, error.failure);
      return false;
    } finally {
      if (generation === loadCount) for (const name of names) setPanelBusy(name, false);
    }
  }

  // The Granger sentence and the stationarity notes under the lag scan (not part of a saved
  // report: the report holds the four panels' replies only). A failure is said in their place.
  async function loadGranger(generation, requestState, chosen, signal) {
    const sentence = byId('granger-sentence');
    const notes = byId('stationarity-notes');
    sentence.textContent = '';
    notes.replaceChildren();
    const [causality, diagnostics] = await Promise.all([
      fetchMember(api.causalityUrl(requestState), 'causality', signal),
      fetchMember(api.diagnosticsUrl(requestState), 'diagnostics', signal),
    ]);
    if (generation !== loadCount) return;
    sentence.textContent = causality.error
      ? 'Granger test unavailable: ' + causality.error
      : leadLag.grangerSentence(chosen.symbolId, causality.rows) || '';
    const texts = diagnostics.error
      ? ['Stationarity tests unavailable: ' + diagnostics.error]
      : leadLag.stationarityNotes(chosen.symbolId, diagnostics.rows);
    notes.replaceChildren(...texts.map((text) => {
      const item = document.createElement('li');
      item.className = 'badge';
      item.textContent = text;
      return item;
    }));
  }

  // {rows} of the reply's array `member`, or {error} saying why not; aborts stay silent.
  async function fetchMember(url, member, signal) {
    try {
      const response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
      const body = await response.json();
      if (response.ok && Array.isArray(body[member])) return { rows: body[member] };
      return { error: api.describeFailure(response.status, body).message };
    } catch (error) {
      if (error.name === 'AbortError') return { rows: [] };
      return { error: 'the server did not answer.' };
    }
  }

  function describeView(chosen) {
    const range = view.from || view.to
      ? ' from ' + (view.from || 'the start') + ' to ' + (view.to || 'the end')
      : ', all data';
    return (chosen.coin || 'the first coin') + ', ' + view.interval + ' bars' + range;
  }

  // ----- charts --------------------------------------------------------------------------------

  function destroyChart(name) {
    if (name in charts && charts[name]) {
      charts[name].destroy();
      charts[name] = null;
    }
    const container = name in charts ? byId('chart-' + name) : null;
    if (container) {
      container.dataset.series = '0';
      container.dataset.points = '0';
    }
  }

  function chartSize(container) {
    const width = Math.max(240, Math.floor(container.clientWidth));
    return { width, height: width < 600 ? 220 : 300 };
  }

  // Creates (or recreates) a chart and records on its container what tests and assistive
  // text need: how many data series and points it drew.
  function mountChart(name, options, data) {
    destroyChart(name);
    const container = byId('chart-' + name);
    // The visible x range is mirrored on the container so a zoom can be checked from outside.
    const recordRange = (u, scaleKey) => {
      if (scaleKey !== 'x') return;
      container.dataset.xMin = String(u.scales.x.min);
      container.dataset.xMax = String(u.scales.x.max);
    };
    const hooks = { ...(options.hooks || {}), setScale: [recordRange] };
    const chart = new uPlot({ ...options, hooks, ...chartSize(container) }, data, container);
    charts[name] = chart;
    container.dataset.series = String(chart.series.length - 1);
    container.dataset.points = String(data[0].length);
    if (options.scales && options.scales.x && options.scales.x.time !== false) {
      chart.over.addEventListener('mousedown', () => {
        dragSource = chart;
      });
      chart.over.addEventListener('dblclick', zoomOut);
    }
    return chart;
  }

  // Draws a chart: anew, or, for an incremental (live) update of a chart already shown, by
  // giving the existing uPlot instance the new columns, so it is neither destroyed nor
  // rebuilt (its cursor, legend and listeners stay). Options must not capture the data: an
  // update keeps the options of the first draw.
  function showChart(name, options, data, incremental) {
    const chart = charts[name];
    if (!incremental || !chart) return mountChart(name, options, data);
    chart.setData(data);
    byId('chart-' + name).dataset.points = String(data[0].length);
    return chart;
  }

  const utcDate = (seconds) => uPlot.tzDate(new Date(seconds * 1e3), 'Etc/UTC');

  // Time tick labels in UTC ISO style (uPlot's default is local am/pm), see format.timeTickLabels.
  const timeTickLabels = (u, splits, axisIndex, space, increment) =>
    format.timeTickLabels(splits, increment);
  const TIME_AXIS = { values: timeTickLabels, space: 60 };
  const legendNumber = (digits) => (u, value) =>
    value === null || value === undefined ? '–' : Number(value.toPrecision(digits)).toString();
  const legendTime = (u, value) => (value === null || value === undefined ? '–' : format.formatTimestamp(value));

  function timeCursor() {
    return {
      sync: { key: TIME_SYNC_KEY, setSeries: false },
      drag: { x: true, y: false, setScale: false },
    };
  }

  // A drag on any time chart selects a time range: the dragged chart (not the ones that
  // mirror its selection) turns it into the new from/to.
  function selectHook(u) {
    if (u !== dragSource || u.select.width < 3) return;
    dragSource = null;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    for (const chart of timeCharts()) chart.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    zoomTo(from, to);
  }

  function timeCharts() {
    return [charts.series, charts.window].filter(Boolean);
  }

  function zoomTo(fromSeconds, toSeconds) {
    const from = Math.floor(fromSeconds);
    const to = Math.ceil(toSeconds);
    if (!(to > from)) return;
    // Immediate feedback on the data already drawn; the reload then brings finer bars.
    for (const chart of timeCharts()) chart.setScale('x', { min: from, max: to });
    if (isReport) return;
    applyState({ ...view, from: format.formatTimestamp(from), to: format.formatTimestamp(to) });
  }

  function zoomOut() {
    if (isReport) {
      alignTimeAxes();
      return;
    }
    if (view.from || view.to) applyState({ ...view, from: '', to: '' });
  }

  // The price and correlation charts show the same span so their time axes line up: the
  // typed range when there is one, else everything either chart has.
  function alignTimeAxes() {
    const live = timeCharts();
    if (!live.length) return;
    let min = format.parseTimestamp(view.from);
    let max = format.parseTimestamp(view.to);
    if (min === null || max === null || isReport) {
      const times = live.flatMap((chart) => {
        const xs = chart.data[0];
        return xs.length ? [xs[0], xs[xs.length - 1]] : [];
      });
      if (!times.length) return;
      if (min === null || isReport) min = Math.min(...times);
      if (max === null || isReport) max = Math.max(...times);
    }
    if (max > min) for (const chart of live) chart.setScale('x', { min, max });
  }

  // Horizontal line at r = 0, drawn under the series: the reference every r is read against.
  function drawZeroLine(u) {
    const y = Math.round(u.valToPos(0, 'r', true));
    if (!(y >= u.bbox.top && y <= u.bbox.top + u.bbox.height)) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = COLORS.zero;
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(u.bbox.left, y);
    ctx.lineTo(u.bbox.left + u.bbox.width, y);
    ctx.stroke();
    ctx.restore();
  }

  // r scale: always shows 0, padded, never beyond the possible [-1, 1]. Computed from all the
  // chart's values, not uPlot's visible-range min/max, so a CI band whose end point lies
  // just outside the time range is not cut off.
  function rRange(u) {
    let low = 0;
    let high = 0;
    for (const values of u.data.slice(1)) {
      for (const value of values) {
        if (value === null || value === undefined) continue;
        if (value < low) low = value;
        if (value > high) high = value;
      }
    }
    const pad = Math.max(0.05, (high - low) * 0.1);
    return [Math.max(-1, low - pad), Math.min(1, high + pad)];
  }

  function renderSeries(rows, chosen) {
    const columns = chartData.seriesColumns(rows, chosen.symbolId);
    if (!columns.time.length) {
      destroyChart('series');
      setPanelMessage('series', 'No bars in this range.');
      return;
    }
    setPanelMessage('series', '');
    const maxTweets = Math.max(1, ...columns.tweets.filter((count) => count !== null));
    mountChart('series', {
      tzDate: utcDate,
      cursor: timeCursor(),
      scales: {
        x: { time: true },
        price: { auto: true },
        sentiment: { auto: true },
        // Tweet bars use the bottom quarter of the plot so they do not hide the lines.
        tweets: { range: () => [0, maxTweets * 4] },
      },
      series: [
        { label: 'Time (UTC)', value: legendTime },
        {
          label: 'Tweets', scale: 'tweets', stroke: COLORS.tweets, fill: COLORS.tweets, width: 0,
          paths: uPlot.paths.bars({ size: [0.9, 24] }), points: { show: false },
          value: legendNumber(6),
        },
        { label: 'Close', scale: 'price', stroke: COLORS.price, width: 1.5, value: legendNumber(6) },
        {
          label: 'Mean sentiment', scale: 'sentiment', stroke: COLORS.sentiment, width: 0.75,
          value: legendNumber(3),
        },
      ],
      axes: [
        TIME_AXIS,
        { scale: 'price', label: 'Close price', stroke: COLORS.price },
        { scale: 'sentiment', label: 'Sentiment', side: 1, stroke: COLORS.sentiment, grid: { show: false } },
      ],
      hooks: { setSelect: [selectHook] },
    }, [columns.time, columns.tweets, columns.close, columns.sentiment]);
  }

  function renderWindow(rows, chosen, incremental = false) {
    const columns = chartData.windowColumns(rows, chosen.symbolId);
    byId('window-length').textContent = api.effectiveWindow(view);
    byId('window-target').textContent = view.mode === 'bars' ? 'returns' : 'prices (tick join)';
    if (!columns.time.length) {
      destroyChart('window');
      setPanelMessage('window', stateLib.isLive(view)
        ? 'No window of this coin has closed in the stream yet.'
        : 'No window has enough pairs in this range.');
      return;
    }
    setPanelMessage('window', '');
    showChart('window', {
      tzDate: utcDate,
      cursor: timeCursor(),
      scales: { x: { time: true }, r: { range: rRange } },
      series: [
        { label: 'Window middle (UTC)', value: legendTime },
        { label: 'r', scale: 'r', stroke: COLORS.r, width: 2, value: legendNumber(3) },
        { label: 'CI low', scale: 'r', stroke: COLORS.bandEdge, width: 1, value: legendNumber(3) },
        { label: 'CI high', scale: 'r', stroke: COLORS.bandEdge, width: 1, value: legendNumber(3) },
      ],
      bands: [{ series: [3, 2], fill: COLORS.band }],
      axes: [TIME_AXIS, { scale: 'r', label: 'Pearson r' }],
      hooks: { setSelect: [selectHook], drawAxes: [drawZeroLine] },
    }, [columns.time, columns.r, columns.low, columns.high], incremental);
  }

  // Vertical 95% CI whisker per lag, from the hidden low/high series (indices 2 and 3).
  function drawWhiskers(u) {
    const ctx = u.ctx;
    const cap = 4 * devicePixelRatio;
    ctx.save();
    ctx.strokeStyle = COLORS.whisker;
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    u.data[0].forEach((lag, index) => {
      const low = u.data[2][index];
      const high = u.data[3][index];
      if (low === null || high === null) return;
      const x = Math.round(u.valToPos(lag, 'x', true));
      const y0 = u.valToPos(low, 'r', true);
      const y1 = u.valToPos(high, 'r', true);
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.moveTo(x - cap, y0);
      ctx.lineTo(x + cap, y0);
      ctx.moveTo(x - cap, y1);
      ctx.lineTo(x + cap, y1);
      ctx.stroke();
    });
    ctx.restore();
  }

  function renderLag(rows, chosen, incremental = false) {
    if (stateLib.isLive(view) && view.mode !== 'bars') {
      destroyChart('lag');
      byId('lead-lag-sentence').textContent = '';
      setPanelMessage('lag', 'A tick-mode stream has no lags: choose bars mode for a live lag scan.');
      return;
    }
    const columns = chartData.lagColumns(rows, chosen.symbolId);
    const option = chartData.symbolOptions(symbols).find((candidate) => candidate.value === chosen.symbolId);
    let label = option ? option.label : chosen.coin || 'This coin';
    // Live, the scan is the latest closed window's: the sentence says which.
    if (stateLib.isLive(view) && columns.rows.length) {
      label += ' in the window from ' + format.formatTimestamp(format.parseTimestamp(columns.rows[0].window_start));
    }
    const sentence = leadLag.leadLagSentence(label, columns.rows);
    const sentenceElement = byId('lead-lag-sentence');
    sentenceElement.textContent = sentence.text;
    sentenceElement.classList.toggle('is-significant', sentence.significant);
    if (!columns.lag.length) {
      destroyChart('lag');
      setPanelMessage('lag', 'No lag could be computed in this range.');
      return;
    }
    setPanelMessage('lag', '');
    const signed = (k) => (k > 0 ? '+' + k : String(k));
    const hidden = () => null;
    showChart('lag', {
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: (u) => [u.data[0][0] - 0.5, u.data[0][u.data[0].length - 1] + 0.5] },
        r: { range: rRange },
      },
      series: [
        { label: 'Lag k (bars)', value: (u, k) => (k === null || k === undefined ? '–' : signed(k)) },
        { label: 'r', scale: 'r', stroke: COLORS.r, width: 1, points: { show: true, size: 7 }, value: legendNumber(3) },
        { label: 'CI low', scale: 'r', stroke: COLORS.whisker, paths: hidden, points: { show: false }, value: legendNumber(3) },
        { label: 'CI high', scale: 'r', stroke: COLORS.whisker, paths: hidden, points: { show: false }, value: legendNumber(3) },
        {
          label: 'Best lag', scale: 'r', stroke: COLORS.best, fill: COLORS.best, paths: hidden,
          points: { show: true, size: 13, width: 2, fill: COLORS.best }, value: legendNumber(3),
        },
      ],
      axes: [
        {
          label: 'k > 0: sentiment leads · k < 0: returns lead',
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
          values: (u, ticks) => ticks.map(signed),
        },
        { scale: 'r', label: 'Pearson r' },
      ],
      hooks: { drawAxes: [drawZeroLine], draw: [drawWhiskers] },
    }, [columns.lag, columns.r, columns.low, columns.high, columns.best], incremental);
  }

  function renderSummary(rows, chosen) {
    const cards = chartData.summaryCards(rows);
    const container = byId('summary-cards');
    const modeText = view.mode === 'bars'
      ? 'bars mode: sentiment vs return in the same ' + view.interval + ' bar'
      : 'tick mode: each trade\'s price vs the ' + view.direction + ' tweet';
    const scope = stateLib.isLive(view)
      ? 'Lag 0 of each symbol\'s latest closed ' + api.effectiveWindow(view) + ' window in the stream, '
      : 'Lag 0, ';
    byId('summary-hint').textContent = scope + modeText + '. r: Pearson, rho: Spearman.';
    container.replaceChildren(...cards.map((card) => summaryCard(card, chosen)));
    setPanelMessage('summary', cards.length ? '' : 'No symbol has data in this range.');
  }

  function summaryCard(card, chosen) {
    const article = document.createElement('article');
    article.className = 'card';
    article.dataset.symbol = card.symbolId;
    const current = card.symbolId === chosen.symbolId;
    if (current) {
      article.classList.add('is-current');
      article.setAttribute('aria-current', 'true');
    }
    const heading = document.createElement('h3');
    const selectable = !isReport && !current && symbols.some((symbol) => symbol.symbol_id === card.symbolId);
    if (selectable) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'card-select';
      button.textContent = card.title;
      button.title = 'Show ' + card.symbolId + ' in the charts';
      button.addEventListener('click', () =>
        applyState(chartData.stateForSymbol(symbols, view, card.symbolId)));
      heading.append(button);
    } else {
      heading.textContent = card.title;
    }
    const symbolLine = document.createElement('p');
    symbolLine.className = 'card-symbol';
    symbolLine.textContent = card.symbolId;
    const list = document.createElement('dl');
    for (const [term, value] of card.facts) {
      const row = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      row.append(dt, dd);
      list.append(row);
    }
    article.append(heading, symbolLine, list);
    if (card.warning) {
      const badge = document.createElement('p');
      badge.className = 'card-warning';
      badge.textContent = card.warning;
      article.append(badge);
    }
    return article;
  }

  const RENDERERS = { series: renderSeries, window: renderWindow, lag: renderLag, summary: renderSummary };

  function render(name, rows, chosen, incremental = false) {
    RENDERERS[name](rows, chosen, incremental);
  }

  // ----- live view ---------------------------------------------------------------------------

  // Live: loads every row the stream stored for the view, draws the three stream panels, then
  // follows /events from the reply's X-Last-Event-ID, upserting each row and redrawing the
  // panels in place; /healthz is polled for the status line. Resolves like loadPanels.
  function startLive(generation, signal) {
    const session = {
      rows: new Map(), // liveLib.rowKey -> row, the latest received
      lastEventId: '0', // store sequence the rows go through
      paramsKey: null, // the key the rows are filed under, naming the stream in /healthz
      source: null, // the EventSource
      connection: 'connecting', // see liveLib.liveStatus
      streams: null, // /healthz's streams, null until answered
      streamsAt: null, // when /healthz answered them: seconds since the epoch, server clock
      timers: new Set(), // pending setTimeout ids, cleared by stopLive
      drawPending: false, // a redraw is scheduled
      clockOffset: 0, // seconds the server's clock is ahead of the browser's (fetchStreams)
    };
    live = session;
    showLiveStatus();
    return loadPanels(STREAM_PANELS, generation, api.streamCorrelationUrl(view), signal, (rows, headers) => {
      // Without the header (an older server) the feed starts at 0: every row again, upserted.
      session.lastEventId = headers.get('X-Last-Event-ID') || '0';
      session.paramsKey = headers.get('X-Stream-Params-Key');
      for (const row of rows) liveLib.upsertRow(session.rows, row);
      drawLive(session, false);
      openEvents(session);
      pollHealth(session);
    }).then((ok) => {
      if (!ok && live === session) session.connection = 'failed';
      if (live === session) showLiveStatus();
      return ok;
    });
  }

  function stopLive() {
    if (!live) return;
    if (live.source) live.source.close();
    for (const timer of live.timers) clearTimeout(timer);
    live = null;
    showLiveStatus();
  }

  // Runs fn after `delay` ms unless the session has ended by then.
  function later(session, delay, fn) {
    const timer = setTimeout(() => {
      session.timers.delete(timer);
      if (live === session) fn();
    }, delay);
    session.timers.add(timer);
  }

  // The browser reconnects an EventSource by itself after a dropped connection, sending the
  // last id it saw, and the server resumes after it. An EventSource ends for good only when a
  // reply is refused (not a 200 event stream); then the page opens a new one from the last id.
  function openEvents(session) {
    const source = new EventSource(api.eventsUrl(view, session.lastEventId));
    session.source = source;
    source.addEventListener('open', () => {
      session.connection = 'open';
      showLiveStatus();
      refreshHealth(session);
    });
    source.addEventListener('message', (event) => {
      if (event.lastEventId) session.lastEventId = event.lastEventId;
      liveLib.upsertRow(session.rows, JSON.parse(event.data));
      scheduleLiveDraw(session);
    });
    source.addEventListener('error', () => {
      if (live !== session) return;
      if (source.readyState === EventSource.OPEN) return;
      session.connection = 'retrying';
      session.streams = null; // read again once the feed is back
      if (source.readyState === EventSource.CLOSED) later(session, EVENTS_REOPEN_MS, () => openEvents(session));
      showLiveStatus();
    });
  }

  // Rows arrive in bursts (every symbol and lag of a window at once): one redraw per burst.
  function scheduleLiveDraw(session) {
    if (session.drawPending) return;
    session.drawPending = true;
    later(session, LIVE_REDRAW_DELAY_MS, () => {
      session.drawPending = false;
      drawLive(session, true);
    });
  }

  function drawLive(session, incremental) {
    const rows = [...session.rows.values()];
    addSymbolsOf(rows);
    const chosen = chartData.chooseSymbol(symbols, view);
    for (const name of STREAM_PANELS) render(name, rows, chosen, incremental);
    if (incremental) alignTimeAxes();
    showLiveStatus();
  }

  // A store that only `stream` writes has no trades, so /symbols does not list the coins the
  // rows name: they join the coin selector as they appear.
  function addSymbolsOf(rows) {
    const known = new Set(symbols.map((symbol) => symbol.symbol_id));
    const added = liveLib.symbolsOfRows(rows).filter((symbol) => !known.has(symbol.symbol_id));
    if (!added.length) return;
    symbols = [...symbols, ...added];
    fillCoinOptions();
    writeCoinControl();
  }

  // Every HEALTH_POLL_MS for the session's life: refreshHealth. One chain per session.
  function pollHealth(session) {
    refreshHealth(session).then(() => later(session, HEALTH_POLL_MS, () => pollHealth(session)));
  }

  // Asks /healthz about the stream while the event feed is open (when it is not, the status
  // says so already), and refreshes the status line, so its ages keep counting.
  async function refreshHealth(session) {
    if (session.connection === 'open') {
      const streams = await fetchStreams(session);
      if (session.connection === 'open') {
        session.streams = streams;
        session.streamsAt = Date.now() / 1000 + session.clockOffset;
      }
    }
    if (live === session) showLiveStatus();
  }

  // /healthz's streams array ([] when no stream has committed), or null when it cannot be read.
  // Its Date header sets the session's clockOffset, so ages are told by the server's clock
  // rather than the browser's.
  async function fetchStreams(session) {
    try {
      const sentAt = Date.now() / 1000;
      const response = await fetch('/healthz', { headers: { Accept: 'application/json' } });
      session.clockOffset = liveLib.serverClockOffset(response.headers.get('Date'), sentAt, Date.now() / 1000);
      const body = await response.json();
      if (!response.ok) return null;
      return Array.isArray(body.streams) ? body.streams : [];
    } catch (error) {
      return null;
    }
  }

  function showLiveStatus() {
    const element = byId('live-status');
    if (!live) {
      element.hidden = true;
      element.textContent = '';
      element.dataset.state = 'off';
      return;
    }
    const status = liveLib.liveStatus({
      connection: live.connection,
      streams: live.streams,
      streamsAt: live.streamsAt,
      paramsKey: live.paramsKey,
      newestWindowEnd: liveLib.newestWindowEnd(live.rows.values()),
      now: Date.now() / 1000 + live.clockOffset,
    });
    element.hidden = false;
    element.textContent = status.text;
    element.dataset.state = status.state;
  }

  // Test-facing (tests/web/live.e2e.mjs reads it), not an interface for other code: the rows
  // the live view holds, and the columns a chart currently draws (null when none is drawn).
  function exposeForTests() {
    window.cryptomoodLive = {
      rows: () => (live ? [...live.rows.values()] : []),
      columns: (name) => (charts[name] ? charts[name].data.map((column) => [...column]) : null),
    };
  }

  // ----- start -----------------------------------------------------------------------------

  function resizeCharts() {
    for (const [name, chart] of Object.entries(charts)) {
      if (chart) chart.setSize(chartSize(byId('chart-' + name)));
    }
  }

  function watchResize() {
    let timer = null;
    window.addEventListener('resize', () => {
      clearTimeout(timer);
      timer = setTimeout(resizeCharts, 150);
    });
  }

  // The report carries the four API bodies under these keys.
  const REPORT_KEYS = { series: 'series', window: 'window_correlation', lag: 'lag_scan', summary: 'summary' };

  function startReport() {
    document.documentElement.classList.add('report-mode');
    byId('report-banner').hidden = false;
    byId('controls-fieldset').disabled = true;
    symbols = report.symbols && Array.isArray(report.symbols.data) ? report.symbols.data : [];
    fillCoinOptions();
    writeControls();
    const chosen = chartData.chooseSymbol(symbols, view);
    let missing = 0;
    for (const [name, key] of Object.entries(REPORT_KEYS)) {
      const body = report[key];
      if (body && Array.isArray(body.data)) {
        render(name, body.data, chosen);
      } else {
        missing += 1;
        setPanelMessage(name, 'This report has no data for this chart.');
      }
    }
    alignTimeAxes();
    byId('status').textContent = 'Report for ' + describeView(chosen) + '.';
    document.documentElement.dataset.loadState = missing ? 'error' : 'ready';
    document.documentElement.dataset.loads = '1';
  }

  async function startServed() {
    exposeForTests();
    bindControls();
    writeControls();
    byId('status').textContent = 'Loading the list of coins…';
    try {
      symbols = await fetchJson('/symbols');
    } catch (error) {
      if (!(error instanceof RequestFailure)) throw error;
      showFailure(error.failure);
      byId('status').textContent = 'Could not load the list of coins.';
      document.documentElement.dataset.loadState = 'error';
      return;
    }
    fillCoinOptions();
    if (!symbols.length) byId('status').textContent = 'The store has no data yet: run `cryptomood ingest`.';
    // Canonical link for what is shown (drops unknown keys, keeps the user's values).
    await applyState(view, { replace: true, reload: true });
  }

  watchResize();
  if (isReport) startReport();
  else startServed();
})();
