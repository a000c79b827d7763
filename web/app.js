// app.js - the sitrep dashboard: reads the JSON API of `sitrep serve`
// (docs/api.md) and draws the map (world.tsv country shapes, place markers
// sized by mentions), the timeline (stacked by quad class), the events table
// and the sentence of the selected event with its actors and verb marked and
// the knowledge-base rule that fired. Plain JS and SVG; text from the data is
// only ever set through textContent, never parsed as HTML.
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';
const QUAD = ['', 'verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
const FILTERS = ['since', 'until', 'actor', 'country', 'plover', 'quad', 'text', 'place'];
const PAGE = 25;
const state = { offset: 0, sort: 'date', total: 0, selected: null, clusters: false };

const $ = (id) => document.getElementById(id);
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function svg(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  return e;
}

function filterParams() {
  const p = new URLSearchParams();
  for (const f of FILTERS) {
    const v = $('f-' + f).value.trim();
    if (v) p.set(f, v);
  }
  return p;
}

async function api(path, params) {
  const url = '/api/' + path + (params && [...params].length ? '?' + params.toString() : '');
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body && body.error ? body.error.message : r.statusText);
  return body;
}

function setStatus(msg, bad) {
  const s = $('status');
  s.textContent = msg || '';
  s.className = bad ? 'error' : 'muted';
}

// ---------------------------------------------------------------- map

let view = { x: -180, y: -85, w: 360, h: 150 };
function setView() { $('map').setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`); }

async function loadCountries() {
  try {
    const r = await fetch('/world.tsv');
    if (!r.ok) return;
    const layer = $('countries-layer');
    for (const line of (await r.text()).split('\n')) {
      if (!line || line[0] === '#') continue;
      const [iso3, , name, d] = line.split('\t');
      const p = svg('path', { d: d, 'data-iso3': iso3 });
      const t = svg('title');
      t.textContent = name;
      p.appendChild(t);
      layer.appendChild(p);
    }
  } catch (e) { /* the map works without shapes */ }
}

function mapInteractions() {
  const m = $('map');
  m.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = m.getBoundingClientRect();
    const fx = (ev.clientX - r.left) / r.width, fy = (ev.clientY - r.top) / r.height;
    const k = ev.deltaY < 0 ? 0.8 : 1.25;
    const nw = Math.min(360, Math.max(5, view.w * k)), nh = nw * 150 / 360;
    view = { x: view.x + (view.w - nw) * fx, y: view.y + (view.h - nh) * fy, w: nw, h: nh };
    setView();
    drawMarkersScale();
  }, { passive: false });
  let drag = null;
  m.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, y: ev.clientY, v: { ...view } }; });
  window.addEventListener('mouseup', () => { drag = null; });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const r = m.getBoundingClientRect();
    view.x = drag.v.x - (ev.clientX - drag.x) * view.w / r.width;
    view.y = drag.v.y - (ev.clientY - drag.y) * view.h / r.height;
    setView();
  });
}

let markerData = [];
function drawMarkersScale() {
  const s = view.w / 360;
  for (const c of $('markers-layer').children) c.setAttribute('r', c.dataset.r0 * Math.max(s, 0.08));
}

function dominantQuad(q) {
  let best = 1;
  for (let i = 1; i <= 4; i++) if (q[i - 1] > q[best - 1]) best = i;
  return best;
}

async function loadPlaces(params) {
  const gj = await api('places', params);
  markerData = gj.features;
  const layer = $('markers-layer');
  layer.textContent = '';
  const hit = new Set();
  for (const f of markerData) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    hit.add(p.country3);
    const r0 = 1.2 + 1.6 * Math.sqrt(p.events);
    const c = svg('circle', { cx: lon.toFixed(3), cy: (-lat).toFixed(3), r: r0, class: 'q' + dominantQuad(p.quad),
                              'data-place': p.name, 'data-events': p.events });
    c.dataset.r0 = r0;
    const t = svg('title');
    t.textContent = `${p.name}${p.admin1 ? ', ' + p.admin1 : ''} (${p.country_code}): ${p.events} event mention(s), ` +
                    `${p.clusters} event(s), mean Goldstein ${p.goldstein_mean}`;
    c.appendChild(t);
    c.addEventListener('click', (ev) => { ev.stopPropagation(); $('f-place').value = p.name; refresh(); });
    layer.appendChild(c);
  }
  for (const path of $('countries-layer').children) path.classList.toggle('hit', hit.has(path.dataset.iso3));
  drawMarkersScale();
}

function markSelectedPlace(ev) {
  for (const c of $('markers-layer').children)
    c.classList.toggle('selected', !!(ev && ev.location && c.dataset.place === ev.location.name));
}

// ---------------------------------------------------------------- timeline

function pickBucket(first, last) {
  if (!first || !last) return 'day';
  const days = (Date.parse(last) - Date.parse(first)) / 86400000;
  return days > 730 ? 'month' : days > 120 ? 'week' : 'day';
}

async function loadTimeline(params, summary) {
  const p = new URLSearchParams(params);
  const by = pickBucket(p.get('since') || summary.first_date, p.get('until') || summary.last_date);
  p.set('by', by);
  p.set('split', 'quad');
  const t = await api('timeline', p);
  $('timeline-by').textContent = `(events per ${t.by}, stacked by quad class)`;
  const g = $('timeline');
  g.textContent = '';
  const W = 600, H = 180, L = 30, B = 22, T = 6;
  const n = t.buckets.length;
  if (!n) {
    const tx = svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' });
    tx.textContent = 'no events';
    g.appendChild(tx);
    return;
  }
  const totals = t.buckets.map((_, i) => t.series.reduce((s, se) => s + se.events[i], 0));
  const max = Math.max(1, ...totals);
  const bw = (W - L) / n;
  g.appendChild(svg('line', { x1: L, y1: H - B, x2: W, y2: H - B, stroke: '#999' }));
  for (const frac of [0.5, 1]) {
    const y = H - B - (H - B - T) * frac;
    const tx = svg('text', { x: L - 4, y: y + 3, 'text-anchor': 'end' });
    tx.textContent = Math.round(max * frac);
    g.appendChild(tx);
    g.appendChild(svg('line', { x1: L, y1: y, x2: W, y2: y, stroke: '#eee' }));
  }
  for (let i = 0; i < n; i++) {
    let y = H - B;
    t.series.forEach((se, si) => {
      const v = se.events[i];
      if (!v) return;
      const h = (H - B - T) * v / max;
      y -= h;
      const r = svg('rect', { x: (L + i * bw + bw * 0.1).toFixed(2), y: y.toFixed(2), width: Math.max(0.5, bw * 0.8).toFixed(2),
                              height: h.toFixed(2), class: 'q' + (si + 1) });
      const tt = svg('title');
      tt.textContent = `${t.buckets[i]}: ${v} ${se.name}`;
      r.appendChild(tt);
      g.appendChild(r);
    });
  }
  const step = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += step) {
    const tx = svg('text', { x: L + i * bw + bw / 2, y: H - 6, 'text-anchor': 'middle' });
    tx.textContent = t.buckets[i];
    g.appendChild(tx);
  }
  const lg = $('legend');
  lg.textContent = '';
  for (let q = 1; q <= 4; q++) {
    const s = el('span');
    s.appendChild(el('i', { class: 'q' + q }));
    s.appendChild(document.createTextNode(q + ' ' + QUAD[q]));
    lg.appendChild(s);
  }
}

// ---------------------------------------------------------------- table

function actorLabel(a) { return a.code || (a.text ? '(' + a.text + ')' : '—'); }

async function loadEvents(params) {
  const p = new URLSearchParams(params);
  p.set('limit', PAGE);
  p.set('offset', state.offset);
  p.set('sort', state.sort);
  if (state.clusters) p.set('clusters', '1');
  const r = await api('events', p);
  state.total = r.total;
  const tb = document.querySelector('#events tbody');
  tb.textContent = '';
  for (const ev of r.events) {
    const tr = el('tr', { 'data-id': ev.id });
    const cells = [ev.date, actorLabel(ev.source), actorLabel(ev.target), ev.cameo.code,
                   ev.plover.type, ev.cameo.goldstein.toFixed(1), ev.location ? ev.location.name : '',
                   ev.cluster.mentions, ev.sentence_text];
    cells.forEach((c, i) => tr.appendChild(el('td', i === 8 ? { class: 'sent' } : {}, c)));
    tr.addEventListener('click', () => selectEvent(ev, tr));
    tb.appendChild(tr);
  }
  const last = Math.min(state.offset + r.events.length, r.total);
  $('count').textContent = r.total ? `${state.offset + 1}–${last} of ${r.total}${state.clusters ? ' merged events' : ' event mentions'}` : 'none';
  $('prev').disabled = state.offset === 0;
  $('next').disabled = last >= r.total;
  for (const th of document.querySelectorAll('th[data-sort]')) {
    const key = th.dataset.sort;
    th.classList.toggle('sorted', state.sort.replace('-', '') === key);
    th.classList.toggle('desc', state.sort === '-' + key);
  }
}

// ---------------------------------------------------------------- detail

const enc = new TextEncoder(), dec = new TextDecoder();

// Text `s` (starting at byte `base` of the article) as nodes with the byte
// spans [{start, end, cls}] marked; later spans win where they overlap.
function marked(s, base, spans) {
  const bytes = enc.encode(s);
  const cls = new Array(bytes.length).fill('');
  for (const sp of spans) {
    if (!(sp.end > sp.start)) continue;
    for (let i = Math.max(0, sp.start - base); i < Math.min(bytes.length, sp.end - base); i++) cls[i] = sp.cls;
  }
  const frag = document.createDocumentFragment();
  let i = 0;
  while (i < bytes.length) {
    let j = i;
    while (j < bytes.length && cls[j] === cls[i]) j++;
    const text = dec.decode(bytes.slice(i, j));
    frag.appendChild(cls[i] ? el('mark', { class: cls[i] }, text) : document.createTextNode(text));
    i = j;
  }
  return frag;
}

function eventSpans(ev) {
  const sp = [{ start: ev.evidence.verb_start, end: ev.evidence.verb_end, cls: 'verb' }];
  if (ev.location) sp.push({ start: ev.location.start, end: ev.location.end, cls: 'loc' });
  sp.push({ start: ev.source.start, end: ev.source.end, cls: 'src' });
  sp.push({ start: ev.target.start, end: ev.target.end, cls: 'tgt' });
  return sp;
}

function fact(dl, k, v) {
  dl.appendChild(el('dt', {}, k));
  const dd = el('dd');
  if (v instanceof Node) dd.appendChild(v); else dd.textContent = v;
  dl.appendChild(dd);
}

function selectEvent(ev, tr) {
  state.selected = ev.id;
  for (const r of document.querySelectorAll('#events tbody tr')) r.classList.toggle('selected', r === tr);
  markSelectedPlace(ev);
  const d = $('detail');
  d.className = '';
  d.textContent = '';
  const sent = el('p', { class: 'sentence', id: 'sentence' });
  sent.appendChild(marked(ev.sentence_text, ev.sentence_start, eventSpans(ev)));
  d.appendChild(sent);
  const dl = el('dl', { class: 'facts' });
  const who = (a) => `${a.code || 'uncoded'}${a.name ? ' — ' + a.name : ''}${a.text ? ' ("' + a.text + '")' : ''}`;
  const src = el('span'); src.appendChild(el('mark', { class: 'src' }, who(ev.source)));
  const tgt = el('span'); tgt.appendChild(el('mark', { class: 'tgt' }, who(ev.target)));
  const verb = el('span'); verb.appendChild(el('mark', { class: 'verb' }, ev.evidence.verb));
  fact(dl, 'source', src);
  fact(dl, 'target', tgt);
  fact(dl, 'verb', verb);
  fact(dl, 'CAMEO', `${ev.cameo.code} (root ${ev.cameo.root}), Goldstein ${ev.cameo.goldstein.toFixed(1)}, quad ${ev.cameo.quad_class} ${QUAD[ev.cameo.quad_class] || ''}`);
  fact(dl, 'PLOVER', `${ev.plover.type || '—'}${ev.plover.mode ? ' / ' + ev.plover.mode : ''}`);
  const rule = el('code', { id: 'rule' }, ev.evidence.rule || '—');
  fact(dl, 'rule that fired', rule);
  if (ev.source.rule) fact(dl, 'source rule', el('code', {}, ev.source.rule));
  if (ev.target.rule) fact(dl, 'target rule', el('code', {}, ev.target.rule));
  fact(dl, 'place', ev.location ? `${ev.location.name}${ev.location.admin1 ? ', ' + ev.location.admin1 : ''} (${ev.location.country_code})` : '—');
  if (ev.negated || ev.modality) fact(dl, 'modality', `${ev.negated ? 'negated ' : ''}${ev.modality || ''}`);
  fact(dl, 'date', ev.date);
  fact(dl, 'merged event', `cluster ${ev.cluster.id}: ${ev.cluster.mentions} mention(s) in ${ev.cluster.articles} article(s), ${ev.cluster.sources} source(s)`);
  fact(dl, 'article', `${ev.article_id}, sentence ${ev.sentence + 1}`);
  d.appendChild(dl);
  const btn = el('button', { type: 'button', id: 'show-article' }, 'Show the whole article');
  btn.addEventListener('click', () => showArticle(ev.article_id, btn));
  d.appendChild(btn);
}

async function showArticle(id, btn) {
  try {
    const a = await api('article/' + encodeURIComponent(id));
    const box = el('div', { class: 'article', id: 'article' });
    if (a.title) box.appendChild(el('strong', {}, a.title + '\n'));
    if (a.text === null) box.textContent = '(the text of this article is not stored)';
    else box.appendChild(marked(a.text, 0, a.events.flatMap(eventSpans)));
    btn.replaceWith(box);
  } catch (e) { setStatus(e.message, true); }
}

// ---------------------------------------------------------------- wiring

// The view (filters, sort, page) lives in the URL's #fragment, so a view can
// be bookmarked or shared.
function saveHash(params) {
  const h = new URLSearchParams(params);
  if (state.sort !== 'date') h.set('sort', state.sort);
  if (state.offset) h.set('offset', state.offset);
  if (state.clusters) h.set('clusters', '1');
  history.replaceState(null, '', h.toString() ? '#' + h.toString() : location.pathname);
}

function loadHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  for (const f of FILTERS) if (h.has(f)) $('f-' + f).value = h.get(f);
  if (/^-?(date|goldstein|mentions)$/.test(h.get('sort') || '')) state.sort = h.get('sort');
  const off = parseInt(h.get('offset') || '0', 10);
  if (off > 0) state.offset = off - off % PAGE;
  state.clusters = h.get('clusters') === '1';
  $('f-clusters').checked = state.clusters;
}

let summary = {};
async function refresh(keepOffset) {
  if (!keepOffset) state.offset = 0;
  const params = filterParams();
  saveHash(params);
  setStatus('loading…');
  try {
    await Promise.all([loadEvents(params), loadPlaces(params), loadTimeline(params, summary)]);
    setStatus('');
    document.body.dataset.ready = String(Date.now());
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function init() {
  setView();
  mapInteractions();
  await loadCountries();
  try {
    summary = await api('summary');
    $('summary').textContent = `${summary.articles} articles, ${summary.events} event mentions, ` +
      `${summary.clusters} merged events, ${summary.first_date || '?'} … ${summary.last_date || '?'}`;
    const sel = $('f-plover');
    for (const p of summary.plover) sel.appendChild(el('option', { value: p.type }, `${p.type} (${p.events})`));
    const dl = $('countries');
    for (const c of summary.countries) dl.appendChild(el('option', { value: c }));
  } catch (e) { setStatus(e.message, true); }
  $('filters').addEventListener('submit', (ev) => { ev.preventDefault(); refresh(); });
  $('reset').addEventListener('click', () => { $('filters').reset(); refresh(); });
  $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); refresh(true); });
  $('next').addEventListener('click', () => { state.offset += PAGE; refresh(true); });
  $('f-clusters').addEventListener('change', (ev) => { state.clusters = ev.target.checked; refresh(); });
  for (const th of document.querySelectorAll('th[data-sort]'))
    th.addEventListener('click', () => {
      const k = th.dataset.sort;
      state.sort = state.sort === k ? '-' + k : k;
      refresh();
    });
  loadHash();
  await refresh(true);
}

init();
