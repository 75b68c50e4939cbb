/**
 * The start of every page Rung writes, up to and including `</head>`: the
 * doctype, charset, viewport, no favicon request, the title and the shared
 * style (plus `extraStyle`, `extraMeta` when given).
 */
export function documentHead(
  title: string,
  extraStyle = '',
  extraMeta = '',
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${extraMeta}<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}${extraStyle}</style>
</head>`
}

/**
 * The dashboard page: its HTML and the script that draws it in the browser
 * (plain JavaScript, served as `/app.js`). The script takes the view from
 * the live feed (server-sent events, no polling), writes every figure as the
 * decimal string it received (numbers are made only to plot), and builds
 * table rows with `textContent` (nothing received is parsed as HTML).
 */

/** Escapes text for an HTML attribute or element. */
export const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/** The page's style, shared with the HTML reports. */
export const PAGE_STYLE = `
  :root { color-scheme: dark; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #0f1115; color: #d0d6de; }
  header { padding: 10px 16px; background: #171a21; display: flex; gap: 18px; flex-wrap: wrap; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  main { padding: 12px 16px; display: grid; gap: 14px; grid-template-columns: minmax(0, 1fr); }
  section { min-width: 0; overflow-x: auto; }
  .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0; }
  .figures div { background: #171a21; padding: 8px 10px; border-radius: 6px; }
  .figures dt { font-size: 12px; color: #8b949e; }
  .figures dd { margin: 0; font-size: 17px; font-variant-numeric: tabular-nums; }
  .chart { height: 380px; background: #0f1115; border: 1px solid #242a33; border-radius: 6px; }
  .chart.small { height: 220px; }
  h2 { font-size: 14px; margin: 6px 0; color: #8b949e; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: right; padding: 3px 8px; border-bottom: 1px solid #242a33; white-space: nowrap; }
  th:first-child, td:first-child { text-align: left; }
  .pos { color: #3fb950; } .neg { color: #f85149; }
  .state-live { color: #3fb950; } .state-reconnecting, .state-connecting { color: #d29922; } .state-refused { color: #f85149; }
  ul.events { margin: 0; padding-left: 18px; font-family: ui-monospace, monospace; font-size: 12px; }
  .markets { display: flex; flex-wrap: wrap; gap: 8px 14px; padding: 8px 16px; border-bottom: 1px solid #30363d; font-size: 13px; }
  .markets a { color: #c9d1d9; text-decoration: none; padding: 2px 8px; border: 1px solid #30363d; border-radius: 4px; }
  .markets a.current { border-color: #2f81f7; color: #fff; }
  .markets a.paused { border-color: #e3b341; }
  .markets span { margin-left: auto; }
  .cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
  @media (max-width: 900px) { .cols { grid-template-columns: minmax(0, 1fr); } }
`

/**
 * The dashboard page (HTML). The token goes into the script URLs and the
 * body's `data-token`, from where the script opens the live feed.
 * @param token - The URL's token.
 */
export function dashboardPage(token: string): string {
  const t = escapeHtml(encodeURIComponent(token))
  return `${documentHead('rung dashboard', '', '<meta name="referrer" content="no-referrer">\n')}
<body data-token="${t}" data-snapshots="0">
<header>
  <h1>rung <span id="mode">-</span> <span id="symbol">-</span></h1>
  <span>status <b id="status-text">-</b></span>
  <span>bot stream <b id="stream">-</b></span>
  <span>dashboard <b id="conn" class="state-connecting" data-state="connecting">connecting</b></span>
  <span>updated <span id="updated">-</span></span>
</header>
<nav id="markets" class="markets" hidden data-markets="0"></nav>
<main>
  <dl class="figures">
    <div><dt>price</dt><dd id="price">-</dd></div>
    <div><dt>position</dt><dd id="position">-</dd></div>
    <div><dt>average entry</dt><dd id="avg-entry">-</dd></div>
    <div><dt>take profit</dt><dd id="take-profit">-</dd></div>
    <div><dt>distance to target</dt><dd id="tp-distance">-</dd></div>
    <div><dt>rungs filled</dt><dd id="rungs">-</dd></div>
    <div><dt>realised (session)</dt><dd id="realised-session">-</dd></div>
    <div><dt>realised (all time)</dt><dd id="realised-all">-</dd></div>
    <div><dt>unrealised</dt><dd id="unrealised">-</dd></div>
    <div><dt>fees paid (quote)</dt><dd id="fees">-</dd></div>
    <div><dt>cycles</dt><dd id="cycles">-</dd></div>
  </dl>
  <div id="price-chart" class="chart" data-candles="0" data-markers="0" data-rungs="0"></div>
  <h2>Equity: realised (all time) + unrealised, quote</h2>
  <div id="equity-chart" class="chart small" data-points="0"></div>
  <div class="cols">
    <section><h2>Recent cycles</h2>
      <table id="cycles-table"><thead><tr><th>cycle</th><th>ended (UTC)</th><th>reason</th><th>cost</th><th>proceeds</th><th>fees</th><th>profit</th></tr></thead><tbody></tbody></table>
    </section>
    <section><h2>Recent fills</h2>
      <table id="fills-table"><thead><tr><th>time (UTC)</th><th>cycle</th><th>side</th><th>rung</th><th>price</th><th>quantity</th><th>fee</th></tr></thead><tbody></tbody></table>
    </section>
  </div>
  <section><h2>Event log</h2><ul id="events" class="events"></ul></section>
</main>
<script src="/lightweight-charts.js?token=${t}"></script>
<script src="/app.js?token=${t}"></script>
</body>
</html>
`
}

/**
 * Chart helpers the dashboard and the reports share (browser JavaScript):
 * chart options, candles and fill markers as the library wants them.
 */
export const CHART_HELPERS = `
var LC = window.LightweightCharts;
var CANDLE_SECONDS = 60;
function plot(s) { return Number(s); }
function chartOptions() {
  return {
    autoSize: true,
    layout: { background: { color: '#0f1115' }, textColor: '#c9d1d9', attributionLogo: false },
    grid: { vertLines: { color: '#1d232c' }, horzLines: { color: '#1d232c' } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#30363d' },
    rightPriceScale: { borderColor: '#30363d' },
    crosshair: { mode: 0 }
  };
}
function candleBar(c) {
  return { time: c.time, open: plot(c.open), high: plot(c.high), low: plot(c.low), close: plot(c.close) };
}
function fillMarker(f, time) {
  var buy = f.side === 'buy';
  var tp = f.reason === 'takeProfit' || f.reason === 'trailingTakeProfit';
  return {
    time: time,
    position: buy ? 'belowBar' : 'aboveBar',
    shape: buy ? 'arrowUp' : 'arrowDown',
    color: buy ? '#3fb950' : tp ? '#e3b341' : '#f85149',
    text: buy ? 'B' : tp ? 'TP' : 'S'
  };
}
function utc(ms) { return ms === null || ms === undefined ? '-' : new Date(ms).toISOString().slice(0, 19).replace('T', ' '); }
function fillRows(body, rows, cells) {
  while (body.firstChild) body.removeChild(body.firstChild);
  rows.forEach(function (r) {
    var tr = document.createElement('tr');
    cells(r).forEach(function (v) {
      var td = document.createElement('td');
      td.textContent = v === null || v === undefined ? '-' : String(v);
      if (typeof v === 'string' && /^-\\d/.test(v)) td.className = 'neg';
      tr.appendChild(td);
    });
    body.appendChild(tr);
  });
}
`

/** The dashboard's script (browser JavaScript, served as `/app.js`). */
export const dashboardScript = `(function () {
'use strict';
${CHART_HELPERS}
var token = decodeURIComponent(document.body.dataset.token);
function $(id) { return document.getElementById(id); }
var priceEl = $('price-chart');
var equityEl = $('equity-chart');
var chart = LC.createChart(priceEl, chartOptions());
var candles = chart.addSeries(LC.CandlestickSeries, {
  upColor: '#3fb950', downColor: '#f85149', borderVisible: false,
  wickUpColor: '#3fb950', wickDownColor: '#f85149',
  // The price scale also spans the rungs, the entry and the target.
  autoscaleInfoProvider: function (original) {
    var r = original();
    if (r === null || model.levels.length === 0) return r;
    return {
      priceRange: {
        minValue: Math.min.apply(null, model.levels.concat([r.priceRange.minValue])),
        maxValue: Math.max.apply(null, model.levels.concat([r.priceRange.maxValue]))
      },
      margins: r.margins
    };
  }
});
var markers = LC.createSeriesMarkers(candles, []);
var equityChart = LC.createChart(equityEl, chartOptions());
var equity = equityChart.addSeries(LC.BaselineSeries, { baseValue: { type: 'price', price: 0 } });
var model = { candles: new Map(), last: -Infinity, fills: [], equity: new Map(), lines: [], levels: [] };

function text(id, value, exact) {
  var el = $(id);
  el.textContent = value;
  if (exact !== undefined) el.dataset.exact = exact;
  if (exact !== undefined) el.className = /^-\\d/.test(exact) ? 'neg' : /^[1-9]|^0\\.\\d*[1-9]/.test(exact) ? 'pos' : '';
}
function setConn(state) {
  var el = $('conn');
  el.textContent = state;
  el.dataset.state = state;
  el.className = 'state-' + state;
}
function drawCandles() {
  var all = Array.from(model.candles.values()).sort(function (a, b) { return a.time - b.time; });
  candles.setData(all.map(candleBar));
  priceEl.dataset.candles = String(all.length);
}
function putCandle(c) {
  var known = model.candles.has(c.time);
  model.candles.set(c.time, c);
  if (c.time >= model.last) { candles.update(candleBar(c)); model.last = c.time; }
  else drawCandles();
  if (!known) priceEl.dataset.candles = String(model.candles.size);
}
function drawMarkers() {
  var list = model.fills.map(function (f) {
    return fillMarker(f, Math.floor(f.at / 1000 / CANDLE_SECONDS) * CANDLE_SECONDS);
  }).sort(function (a, b) { return a.time - b.time; });
  markers.setMarkers(list);
  priceEl.dataset.markers = String(list.length);
}
function drawLines(orders, status) {
  model.lines.forEach(function (l) { candles.removePriceLine(l); });
  model.lines = [];
  model.levels = [];
  var rungs = 0;
  orders.forEach(function (o) {
    if (o.side === 'buy') rungs++;
    model.levels.push(plot(o.price));
    model.lines.push(candles.createPriceLine({
      price: plot(o.price), color: o.side === 'buy' ? '#2f81f7' : '#f85149',
      lineWidth: 1, lineStyle: 2, axisLabelVisible: false,
      title: o.side === 'buy' ? 'rung ' + (o.rung + 1) + ' ' + o.price : 'sell ' + o.price
    }));
  });
  if (status && status.lines.averageEntry !== undefined) model.levels.push(plot(status.lines.averageEntry));
  if (status && status.lines.takeProfit !== undefined) model.levels.push(plot(status.lines.takeProfit));
  if (status && status.lines.averageEntry !== undefined)
    model.lines.push(candles.createPriceLine({ price: plot(status.lines.averageEntry), color: '#a371f7', lineWidth: 2, lineStyle: 0, title: 'avg entry ' + status.averageEntry }));
  if (status && status.lines.takeProfit !== undefined)
    model.lines.push(candles.createPriceLine({ price: plot(status.lines.takeProfit), color: '#e3b341', lineWidth: 2, lineStyle: 0, title: 'take profit ' + status.takeProfitPrice }));
  priceEl.dataset.rungs = String(rungs);
}
function drawEquity() {
  var all = Array.from(model.equity.entries()).sort(function (a, b) { return a[0] - b[0]; });
  equity.setData(all.map(function (p) { return { time: p[0], value: plot(p[1]) }; }));
  equityEl.dataset.points = String(all.length);
}
function drawEquityPoint(p) {
  // update() takes the last point or a later one; anything else redraws all.
  try { equity.update({ time: p.time, value: plot(p.value) }); } catch (e) { drawEquity(); }
  equityEl.dataset.points = String(model.equity.size);
}
function drawStatus(s, events) {
  if (s) {
    text('mode', s.mode); text('symbol', s.symbol); text('status-text', s.statusText);
    text('stream', s.connection); text('updated', s.updatedAt.slice(11, 19) + ' UTC');
    text('price', s.price); text('position', s.position); text('avg-entry', s.averageEntry);
    text('take-profit', s.takeProfitPrice); text('tp-distance', s.tpDistance); text('rungs', s.rungs);
    text('realised-session', s.realisedSession.shown, s.realisedSession.exact);
    text('realised-all', s.realisedAllTime.shown, s.realisedAllTime.exact);
    text('unrealised', s.unrealised.shown, s.unrealised.exact);
    text('fees', s.fees.shown, s.fees.exact);
    text('cycles', String(s.cycles));
  }
  var list = $('events');
  while (list.firstChild) list.removeChild(list.firstChild);
  (events || []).forEach(function (e) {
    var li = document.createElement('li'); li.textContent = e; list.appendChild(li);
  });
}
function drawCycles(cycles) {
  fillRows(document.querySelector('#cycles-table tbody'), cycles, function (c) {
    return [c.cycle, c.endedAt === null ? 'open' : utc(c.endedAt), c.reason, c.cost, c.proceeds, c.fees, c.profit];
  });
}
function drawFills() {
  var recent = model.fills.slice(-50).reverse();
  fillRows(document.querySelector('#fills-table tbody'), recent, function (f) {
    return [utc(f.at), f.cycle, f.side, f.rung < 0 ? (f.reason || '-') : f.rung + 1, f.price, f.quantity, f.fee];
  });
}
function onSnapshot(view) {
  model.candles = new Map(); model.last = -Infinity;
  view.candles.forEach(function (c) { model.candles.set(c.time, c); model.last = Math.max(model.last, c.time); });
  drawCandles();
  model.fills = view.fills.slice();
  drawMarkers(); drawFills(); drawCycles(view.cycles);
  model.equity = new Map(view.equity.map(function (p) { return [p.time, p.value]; }));
  drawEquity();
  drawLines(view.orders, view.status);
  drawStatus(view.status, view.events);
  if (view.candles.length > 0 && !document.body.dataset.firstChart) {
    document.body.dataset.firstChart = String(Math.round(performance.now()));
  }
  chart.timeScale().fitContent();
  document.body.dataset.snapshots = String(Number(document.body.dataset.snapshots) + 1);
}
// A multi-market run: this page's market, and the bar of every market.
var market = new URLSearchParams(location.search).get('market');
function drawMarkets(b) {
  var nav = $('markets');
  while (nav.firstChild) nav.removeChild(nav.firstChild);
  var current = market || (b.markets.length > 0 ? b.markets[0].symbol : '');
  b.markets.forEach(function (m) {
    var a = document.createElement('a');
    a.href = '?token=' + encodeURIComponent(token) + '&market=' + encodeURIComponent(m.symbol);
    a.dataset.market = m.symbol;
    a.dataset.exact = m.profit.exact;
    if (m.symbol === current) a.classList.add('current');
    if (/^paused/.test(m.state)) a.classList.add('paused');
    a.textContent = m.symbol + ' ' + m.price + ' | ' + m.state + ' | ' + m.profit.shown;
    nav.appendChild(a);
  });
  var total = document.createElement('span');
  total.id = 'markets-total';
  total.dataset.exact = b.total.profit.exact;
  total.textContent = 'total ' + b.total.profit.shown + ' | cycles ' + b.total.cycles +
    ' | committed ' + b.total.committed + (b.total.cap === '-' ? '' : ' of ' + b.total.cap);
  nav.appendChild(total);
  nav.hidden = false;
  nav.dataset.markets = String(b.markets.length);
}
function onMessage(m) {
  if (m.type === 'snapshot') return onSnapshot(m.view);
  if (m.type === 'markets') return drawMarkets(m.markets);
  if (m.type === 'history') {
    m.candles.forEach(putCandle);
    model.fills = model.fills.concat(m.fills);
    drawMarkers(); drawFills(); drawCycles(m.cycles);
    model.equity = new Map(m.equity.map(function (p) { return [p.time, p.value]; }));
    drawEquity();
    return;
  }
  if (m.type === 'status') {
    if (m.candle) putCandle(m.candle);
    if (m.equity) { model.equity.set(m.equity.time, m.equity.value); drawEquityPoint(m.equity); }
    drawLines(m.orders, m.status);
    drawStatus(m.status, m.events);
    if (!document.body.dataset.firstChart && model.candles.size > 0) document.body.dataset.firstChart = String(Math.round(performance.now()));
  }
}
function connect() {
  var source = new EventSource('/events?token=' + encodeURIComponent(token) +
    (market ? '&market=' + encodeURIComponent(market) : ''));
  source.onopen = function () { setConn('live'); };
  source.onmessage = function (e) { onMessage(JSON.parse(e.data)); };
  source.onerror = function () {
    setConn('reconnecting');
    // The browser retries by itself after a dropped stream; after a refused
    // connection it gives up (CLOSED): start a new one.
    if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(connect, 1000); }
  };
}
connect();
})();
`
