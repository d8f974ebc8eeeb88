// The explorer page: controls over the sweep's axes, Vega-Lite panels that follow the selection.
// Every string of the sweep reaches the page through textContent or a chart's text marks, never as markup.
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('sweep-data').textContent);
  const NONFINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
  // JSON has no NaN or Infinity: the page's data writes them as strings
  const num = (v) => (typeof v === 'string' && v in NONFINITE ? NONFINITE[v] : v);
  const finite = (v) => typeof v === 'number' && isFinite(v);
  const positive = (v) => finite(v) && v > 0;

  const controls = D.controls;
  const byName = Object.fromEntries(controls.map((c) => [c.name, c]));
  const runs = D.runs;
  const runCount = runs.count;
  const metrics = {};
  for (const [k, a] of Object.entries(runs.metrics)) metrics[k] = a.map(num);
  const derived = runs.derived || {};
  const withLayers = Object.keys(D.layers).map(Number).sort((a, b) => a - b);
  const hasLayers = new Set(withLayers);
  const SELECTIONS = ['A', 'B'];

  // ---- formatting -------------------------------------------------------------------------------
  function fmt(v) {
    v = num(v);
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') {
      if (!isFinite(v) || v === 0 || Number.isInteger(v)) return String(v);
      return String(Number(v.toPrecision(4)));
    }
    return String(v);
  }
  function value(c, i) { return byName[c].values[i]; }
  function describe(run) {
    const parts = [];
    for (const c of controls) parts.push(c.name + ' ' + fmt(value(c.name, runs.keys[c.name][run])));
    return parts.join(', ');
  }
  function shortLabel(run) {
    // the axes that vary, as the controls name them
    const parts = [];
    for (const c of controls) {
      if (c.values.length > 1 || c.name === 'init' || c.name === 'activation') {
        const v = value(c.name, runs.keys[c.name][run]);
        if (v !== null) parts.push(c.name === 'init' || c.name === 'activation' ? fmt(v) : c.name + ' ' + fmt(v));
      }
    }
    return parts.join(', ');
  }

  // ---- selection: a value index per control, resolved to a grid point that exists ----------------
  const state = {
    sel: { A: keysOf(D.defaults.a), B: keysOf(D.defaults.b) },
    compare: false,
    phase: { x: null, y: null, colour: null },
  };
  function keysOf(run) {
    const s = {};
    for (const c of controls) s[c.name] = runs.keys[c.name][run];
    return s;
  }

  /**
   * Walks the controls in order: each offers the values that exist among the grid points (with layer
   * data) matching the controls before it; a value no longer offered gives way to the nearest one.
   */
  function resolve(sel) {
    let cand = withLayers;
    const options = {};
    for (const c of controls) {
      const idx = runs.keys[c.name];
      const offered = [...new Set(cand.map((r) => idx[r]))].sort((a, b) => a - b);
      options[c.name] = offered;
      let v = sel[c.name];
      if (!offered.includes(v)) v = nearest(c, offered, v);
      sel[c.name] = v;
      cand = cand.filter((r) => idx[r] === v);
    }
    return { run: cand[0], options };
  }
  function nearest(c, offered, v) {
    if (!c.numeric || v === undefined || v === null) return offered[0];
    const target = num(c.values[v]);
    let best = offered[0];
    for (const o of offered) {
      const x = num(c.values[o]);
      const bx = num(c.values[best]);
      if (x !== null && (bx === null || Math.abs(x - target) < Math.abs(bx - target))) best = o;
    }
    return best;
  }

  // ---- the URL fragment keeps the selection -------------------------------------------------------
  function toFragment() {
    const p = [];
    for (const s of SELECTIONS) {
      if (s === 'B' && !state.compare) continue;
      for (const c of controls) p.push(s.toLowerCase() + '.' + encodeURIComponent(c.name) + '=' + encodeURIComponent(fmtRaw(value(c.name, state.sel[s][c.name]))));
    }
    if (state.compare) p.push('compare=1');
    for (const k of ['x', 'y', 'colour']) if (state.phase[k]) p.push('phase.' + k + '=' + encodeURIComponent(state.phase[k]));
    return '#' + p.join('&');
  }
  function fmtRaw(v) { return v === null ? 'null' : String(v); }
  function fromFragment(hash) {
    if (!hash || hash.length < 2) return;
    for (const part of hash.slice(1).split('&')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const key = decodeURIComponent(part.slice(0, eq));
      const val = decodeURIComponent(part.slice(eq + 1));
      if (key === 'compare') { state.compare = val === '1'; continue; }
      if (key.startsWith('phase.')) { state.phase[key.slice(6)] = val; continue; }
      const dot = key.indexOf('.');
      const s = key.slice(0, dot).toUpperCase();
      const c = byName[key.slice(dot + 1)];
      if (!SELECTIONS.includes(s) || !c) continue;
      const i = c.values.findIndex((v) => fmtRaw(v) === val);
      if (i >= 0) state.sel[s][c.name] = i;
    }
  }

  // ---- controls ---------------------------------------------------------------------------------
  const selects = { A: {}, B: {} };
  function buildControls() {
    const box = document.getElementById('controls');
    for (const t of ['axis', 'A', 'B']) {
      const h = document.createElement('div');
      h.className = 'head' + (t === 'B' ? ' b' : '');
      h.textContent = t === 'axis' ? 'axis' : 'selection ' + t;
      box.appendChild(h);
    }
    for (const c of controls) {
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = c.name;
      box.appendChild(name);
      for (const s of SELECTIONS) {
        const el = document.createElement('select');
        el.id = 'control-' + s + '-' + c.name;
        el.dataset.control = c.name;
        el.dataset.selection = s;
        if (s === 'B') el.className = 'b';
        el.addEventListener('change', () => {
          state.sel[s][c.name] = Number(el.value);
          update();
        });
        selects[s][c.name] = el;
        box.appendChild(el);
      }
    }
    const cmp = document.getElementById('compare');
    cmp.addEventListener('change', () => { state.compare = cmp.checked; update(); });
  }
  function fillControls(s, options) {
    for (const c of controls) {
      const el = selects[s][c.name];
      el.textContent = '';
      for (const i of options[c.name]) {
        const o = document.createElement('option');
        o.value = String(i);
        o.textContent = fmt(c.values[i]);
        el.appendChild(o);
      }
      el.value = String(state.sel[s][c.name]);
      el.disabled = options[c.name].length < 2;
    }
  }

  // ---- Vega-Lite panels ---------------------------------------------------------------------------
  const views = {};
  const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
  // the legend names the selections drawn: A, or A and B when comparing (the param sels, set on every change)
  const selColour = { field: 'sel', type: 'nominal', title: 'selection', scale: { domain: { expr: 'sels' }, range: ['#1f77b4', '#d62728'] } };
  const SELS = [{ name: 'sels', value: ['A'] }];
  const maxDepth = Math.max(...withLayers.map((r) => D.layers[r].counts.length));
  // the row of layers fits a 1300-pixel window up to depth 10, then scrolls
  const facetWidth = Math.max(28, Math.min(130, Math.floor(1000 / maxDepth) - 24));

  const specs = {
    histograms: {
      $schema: SCHEMA,
      data: { name: 'hist' },
      facet: {
        row: { field: 'sel', type: 'nominal', title: null, header: { labelAngle: 0, labelFontWeight: 'bold' } },
        column: { field: 'layer', type: 'ordinal', title: 'layer', header: { labelOrient: 'top' } },
      },
      spec: {
        width: facetWidth,
        height: 90,
        mark: { type: 'rect', name: 'bars' },
        encoding: {
          x: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false, nice: false }, axis: { tickCount: 2, labelFontSize: 8, labelFlush: true } },
          x2: { field: 'hi' },
          y: { field: 'count', type: 'quantitative', title: 'count' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['in range', 'below', 'above', 'non-finite'], range: ['#4c78a8', '#e45756', '#e45756', '#000000'] } },
          tooltip: [{ field: 'layer' }, { field: 'lo', title: 'from' }, { field: 'hi', title: 'to' }, { field: 'count' }, { field: 'kind' }],
        },
      },
      resolve: { scale: { x: 'independent' } },
      spacing: 4,
    },
    profile: lineSpec('profile', 'log', ['act_std', 'E[A²]']),
    rates: lineSpec('rates', 'linear', ['saturation_rate', 'dead_unit_rate']),
    gradients: lineSpec('gradients', 'log', ['grad_sq_mean', 'weight_grad_norm']),
    jacobian: {
      $schema: SCHEMA,
      params: SELS,
      data: { name: 'jacobian' },
      width: 420,
      height: 160,
      mark: { type: 'rect', name: 'bins', opacity: 0.6 },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: 'log10 σ', scale: { zero: false, nice: false } },
        x2: { field: 'hi' },
        y: { field: 'share', type: 'quantitative', title: 'share of singular values', stack: null },
        color: selColour,
        tooltip: [{ field: 'sel' }, { field: 'lo' }, { field: 'hi' }, { field: 'count' }, { field: 'share' }],
      },
    },
    training: {
      $schema: SCHEMA,
      params: SELS,
      data: { name: 'loss' },
      facet: { column: { field: 'which', type: 'nominal', title: null, sort: ['train_loss', 'test_loss'] } },
      spec: {
        width: 320,
        height: 180,
        mark: { type: 'line', point: true, name: 'lines' },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: null },
          color: selColour,
          tooltip: [{ field: 'sel' }, { field: 'step' }, { field: 'value' }],
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };

  /** Ratios whose neutral value is 1 (χ₁ = 1 is the edge of chaos): coloured blue below, red above. */
  const RATIOS = ['chi1', 'chi1_measured', 'act_std_ratio', 'grad_first_over_last'];
  function colourScale(colour, log) {
    return RATIOS.includes(colour) ? { scheme: 'redblue', reverse: true, domainMid: log ? 0 : 1 } : { scheme: 'viridis' };
  }
  function phaseSpec(xTitle, yTitle, colourTitle, scale) {
    return {
      $schema: SCHEMA,
      width: 460,
      height: 300,
      params: [{ name: 'xl', value: [] }, { name: 'yl', value: [] }],
      layer: [
        {
          data: { name: 'phase' },
          mark: { type: 'rect', name: 'cells', stroke: '#fff', strokeWidth: 0.5 },
          encoding: {
            x: { field: 'x0', type: 'quantitative', title: xTitle, scale: { zero: false, nice: false }, axis: { tickMinStep: 1, labelExpr: 'xl[datum.value] || ""', grid: false } },
            x2: { field: 'x1' },
            y: { field: 'y0', type: 'quantitative', title: yTitle, scale: { zero: false, nice: false }, axis: { tickMinStep: 1, labelExpr: 'yl[datum.value] || ""', grid: false } },
            y2: { field: 'y1' },
            color: { field: 'shown', type: 'quantitative', title: colourTitle, scale },
            tooltip: [{ field: 'xv', title: xTitle }, { field: 'yv', title: yTitle }, { field: 'value', title: colourTitle }, { field: 'runs' }],
          },
        },
        {
          data: { name: 'critical' },
          mark: { type: 'line', name: 'critical', color: '#000', strokeWidth: 2, point: { filled: true, color: '#000', size: 20 } },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'y' } },
        },
      ],
    };
  }

  function lineSpec(name, scale, metricOrder) {
    return {
      $schema: SCHEMA,
      params: SELS,
      data: { name },
      facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metricOrder } },
      spec: {
        width: 300,
        height: 170,
        mark: { type: 'line', point: true, name: 'lines' },
        encoding: {
          x: { field: 'layer', type: 'quantitative', axis: { tickMinStep: 1 }, scale: { zero: false, nice: false } },
          y: { field: 'value', type: 'quantitative', title: null, scale: scale === 'log' ? { type: 'log' } : { domain: [0, 1] } },
          color: selColour,
          // the captions say which line is which (solid measured, dashed theory)
          strokeDash: { field: 'source', type: 'nominal', title: null, legend: null, scale: { domain: ['measured', 'theory'], range: [[1, 0], [5, 3]] } },
          detail: { field: 'series' },
          tooltip: [{ field: 'sel' }, { field: 'metric' }, { field: 'source' }, { field: 'layer' }, { field: 'value' }],
        },
      },
      resolve: { scale: { y: 'independent' } },
    };
  }

  // ---- each panel's rows for a selection -------------------------------------------------------
  function histRows(sel, run) {
    const L = D.layers[run];
    const rows = [];
    for (let l = 0; l < L.counts.length; l++) {
      const edges = L.layerEdges ? L.layerEdges[l] : L.edges;
      const e = edges.map(num);
      const counts = L.counts[l];
      for (let k = 0; k < counts.length; k++) rows.push({ sel, layer: l + 1, bin: k, lo: e[k], hi: e[k + 1], count: counts[k], kind: 'in range' });
      const first = e[1] - e[0];
      const last = e[e.length - 1] - e[e.length - 2];
      const hi = e[e.length - 1];
      rows.push({ sel, layer: l + 1, bin: -1, lo: e[0] - first, hi: e[0], count: L.under[l], kind: 'below' });
      rows.push({ sel, layer: l + 1, bin: counts.length, lo: hi, hi: hi + last, count: L.over[l], kind: 'above' });
      if (L.nonfinite[l] > 0) rows.push({ sel, layer: l + 1, bin: counts.length + 1, lo: hi + last, hi: hi + 2 * last, count: L.nonfinite[l], kind: 'non-finite' });
    }
    return rows;
  }
  function layerMetricRows(sel, run, wanted, keep) {
    const m = D.layers[run].m;
    const rows = [];
    for (const [metric, column, source] of wanted) {
      const vals = m[column];
      if (!vals) continue;
      vals.forEach((v, i) => {
        v = num(v);
        if (keep(v)) rows.push({ sel, layer: i + 1, metric, source, value: v, series: sel + ' ' + metric + ' ' + source });
      });
    }
    return rows;
  }
  function profileRows(sel, run) {
    return layerMetricRows(sel, run, [['act_std', 'act_std', 'measured'], ['E[A²]', 'pre_sq_mean', 'measured'], ['E[A²]', 'theory_q', 'theory']], positive);
  }
  function rateRows(sel, run) {
    return layerMetricRows(sel, run, [['saturation_rate', 'saturation_rate', 'measured'], ['saturation_rate', 'theory_saturation_rate', 'theory'], ['dead_unit_rate', 'dead_unit_rate', 'measured']], finite);
  }
  function gradientRows(sel, run) {
    return layerMetricRows(sel, run, [['grad_sq_mean', 'grad_sq_mean', 'measured'], ['weight_grad_norm', 'weight_grad_norm', 'measured']], positive);
  }
  function jacobianRows(sel, run) {
    const J = D.jacobian && D.jacobian.runs[run];
    if (!J) return [];
    const e = D.jacobian.edges.map(num);
    const total = J.counts.reduce((a, b) => a + b, 0) + J.under + J.over;
    return J.counts.map((c, k) => ({ sel, bin: k, lo: e[k], hi: e[k + 1], count: c, share: total > 0 ? c / total : 0 }));
  }
  function lossRows(sel, run) {
    const T = D.training && D.training[run];
    if (!T) return [];
    const rows = [];
    for (const which of ['train_loss', 'test_loss']) {
      T.step.forEach((s, i) => {
        const v = num(T[which][i]);
        if (positive(v)) rows.push({ sel, step: s, which, value: v });
      });
    }
    return rows;
  }

  // ---- the phase diagram --------------------------------------------------------------------------
  // axes: numeric controls with two or more values, and σ_w², σ_b² where the sweep has them
  function axisValues(name) {
    if (derived[name]) return derived[name].map(num);
    const c = byName[name];
    return runs.keys[name].map((i) => num(c.values[i]));
  }
  const phaseAxes = [];
  for (const name of ['sigma_w2', 'sigma_b2']) {
    if (derived[name] && new Set(derived[name].filter((v) => v !== null)).size > 1) phaseAxes.push(name);
  }
  for (const c of controls) {
    if (c.numeric && c.values.filter((v) => v !== null).length > 1) phaseAxes.push(c.name);
  }
  const phaseColours = Object.keys(metrics).filter((k) => metrics[k].some(finite));
  const AXIS_LABEL = { sigma_w2: 'σ_w² (width · weight_std²)', sigma_b2: 'σ_b² (bias_std²)' };

  function defaultPhase() {
    const preferred = [['sigma_w2', 'sigma_b2'], ['init_std', 'depth'], ['sigma_w2', 'depth'], ['weight_std', 'depth'], ['lr', 'depth'], ['sigma_w2', 'width']];
    for (const [x, y] of preferred) if (phaseAxes.includes(x) && phaseAxes.includes(y)) return [x, y];
    // two axes that are not both settings of the initializer (σ_w² and gain say the same), the seed last
    const isInit = (a) => a === 'sigma_w2' || (byName[a] && byName[a].init);
    const order = phaseAxes.filter((a) => a !== 'seed').concat(phaseAxes.filter((a) => a === 'seed'));
    const x = order[0];
    const y = order.find((a) => a !== x && !(isInit(a) && isInit(x))) || order.find((a) => a !== x);
    return [x, y];
  }
  /** Columns an axis frees: σ_w² every init setting, an init setting the others of its init, σ_b² the bias. */
  function freed(axis) {
    if (axis === 'sigma_w2') return controls.filter((c) => c.init).map((c) => c.name).concat(['width']);
    if (axis === 'sigma_b2') return ['bias_std'];
    if (byName[axis] && byName[axis].init) return controls.filter((c) => c.init && c.name !== 'init').map((c) => c.name);
    return [axis];
  }
  function phaseData() {
    const { x, y, colour } = state.phase;
    const free = new Set([...freed(x), ...freed(y), 'seed']);
    const fixed = controls.filter((c) => !free.has(c.name)).map((c) => c.name);
    const a = state.sel.A;
    const xs = axisValues(x);
    const ys = axisValues(y);
    const col = metrics[colour];
    const cells = new Map();
    for (let r = 0; r < runCount; r++) {
      if (!fixed.every((c) => runs.keys[c][r] === a[c])) continue;
      if (xs[r] === null || ys[r] === null || xs[r] === undefined || ys[r] === undefined) continue;
      const key = xs[r] + '|' + ys[r];
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { xv: xs[r], yv: ys[r], sum: 0, n: 0, runs: 0, chi1: 0, chiN: 0, members: [] }));
      cell.runs++;
      cell.members.push(r);
      if (finite(col[r])) { cell.sum += col[r]; cell.n++; }
      if (metrics.chi1 && finite(metrics.chi1[r])) { cell.chi1 += metrics.chi1[r]; cell.chiN++; }
    }
    const xv = [...new Set([...cells.values()].map((c) => c.xv))].sort((p, q) => p - q);
    const yv = [...new Set([...cells.values()].map((c) => c.yv))].sort((p, q) => p - q);
    const list = [...cells.values()].map((c) => ({ ...c, value: c.n ? c.sum / c.n : null }));
    const vals = list.map((c) => c.value).filter(finite);
    const logColour = vals.length > 0 && vals.every((v) => v > 0) && Math.max(...vals) / Math.min(...vals) > 100;
    const rows = list.map((c) => {
      const xi = xv.indexOf(c.xv);
      const yi = yv.indexOf(c.yv);
      return { xi, yi, x0: xi - 0.5, x1: xi + 0.5, y0: yi - 0.5, y1: yi + 0.5, xv: c.xv, yv: c.yv, value: c.value,
        shown: finite(c.value) ? (logColour ? Math.log10(c.value) : c.value) : null, runs: c.runs, members: c.members };
    });
    return { rows, xv, yv, logColour, critical: criticalLine(list, xv, yv, x, y), fixed };
  }
  /**
   * The theory's edge of chaos where the axes are σ_w² and σ_b²: per σ_b², the σ_w² where the theory's
   * χ₁ (averaged per cell) crosses 1, interpolated linearly between neighbouring σ_w² (as
   * jobs/sql/critical_line.sql), placed at its fractional position between the two columns.
   */
  function criticalLine(cells, xv, yv, x, y) {
    if (!metrics.chi1) return [];
    const wAxis = x === 'sigma_w2' ? 'x' : y === 'sigma_w2' ? 'y' : null;
    const bAxis = x === 'sigma_b2' ? 'x' : y === 'sigma_b2' ? 'y' : null;
    if (!wAxis || !bAxis) return [];
    const ws = wAxis === 'x' ? xv : yv;
    const bs = bAxis === 'x' ? xv : yv;
    const chi = new Map();
    for (const c of cells) if (c.chiN) chi.set((wAxis === 'x' ? c.xv : c.yv) + '|' + (bAxis === 'x' ? c.xv : c.yv), c.chi1 / c.chiN);
    const points = [];
    bs.forEach((b, bi) => {
      const col = ws.map((w, wi) => [wi, chi.get(w + '|' + b)]).filter(([, v]) => v !== undefined);
      let last = NaN;
      for (let i = 0; i + 1 < col.length; i++) {
        const [i0, c0] = col[i];
        const [i1, c1] = col[i + 1];
        if ((c0 - 1) * (c1 - 1) > 0 || (c0 === 1 && c1 === 1)) continue;
        const w0 = ws[i0];
        const w1 = ws[i1];
        const at = c1 === c0 ? w0 : w0 + (1 - c0) * (w1 - w0) / (c1 - c0);
        if (!(Math.abs(at - last) <= 1e-12 * Math.max(1, Math.abs(at)))) {
          const pos = i0 + (w1 === w0 ? 0 : (at - w0) / (w1 - w0) * (i1 - i0));
          points.push(wAxis === 'x' ? { x: pos, y: bi, sigma_w2: at, sigma_b2: b } : { x: bi, y: pos, sigma_w2: at, sigma_b2: b });
        }
        last = at;
      }
    });
    return points;
  }
  function buildPhaseControls() {
    const box = document.getElementById('phase-controls');
    for (const [k, label, options] of [['x', 'x', phaseAxes], ['y', 'y', phaseAxes], ['colour', 'colour', phaseColours]]) {
      const l = document.createElement('label');
      l.textContent = label + ' ';
      const s = document.createElement('select');
      s.id = 'phase-' + k;
      for (const o of options) {
        const op = document.createElement('option');
        op.value = o;
        op.textContent = AXIS_LABEL[o] || o;
        s.appendChild(op);
      }
      s.addEventListener('change', () => { state.phase[k] = s.value; update(); });
      l.appendChild(s);
      box.appendChild(l);
    }
  }
  let phaseNow = null;
  let phaseKey = null;
  /** Clicking a cell selects its grid point: the axes' values go into selection A. */
  function pickCell(datum) {
    if (!datum || datum.xi === undefined || !phaseNow) return;
    const row = phaseNow.rows.find((r) => r.xi === datum.xi && r.yi === datum.yi);
    if (!row) return;
    // a member with layer data, at selection A's seed when the cell has it
    const members = row.members.filter((r) => hasLayers.has(r));
    const pool = members.length ? members : row.members;
    const run = pool.find((r) => runs.keys.seed[r] === state.sel.A.seed) ?? pool[0];
    const next = keysOf(run);
    state.sel.A = next;
    update();
  }

  // ---- drawing ----------------------------------------------------------------------------------
  async function embed(name, spec) {
    if (views[name]) views[name].finalize();
    const r = await vegaEmbed('#view-' + name, spec || specs[name], { actions: false, renderer: 'svg', ast: true, tooltip: true });
    views[name] = r.view;
    return r.view;
  }
  async function setData(name, datasets, signals) {
    const view = views[name];
    for (const [k, v] of Object.entries(signals || {})) view.signal(k, v);
    if (name !== 'histograms' && name !== 'phase') view.signal('sels', state.compare ? SELECTIONS : ['A']);
    for (const [ds, rows] of Object.entries(datasets)) view.data(ds, rows);
    // facets and axes depend on the data: lay the view out again
    view.resize();
    await view.runAsync();
  }
  const shown = (id, on) => { document.getElementById(id).hidden = !on; };

  let pending = Promise.resolve();
  function update() {
    pending = pending.then(render).catch((e) => { console.error(e); });
    return pending;
  }
  let phase = false;
  async function render() {
    const active = state.compare ? SELECTIONS : ['A'];
    const picked = {};
    for (const s of SELECTIONS) {
      const { run, options } = resolve(state.sel[s]);
      picked[s] = run;
      fillControls(s, options);
    }
    document.body.classList.toggle('comparing', state.compare);
    document.getElementById('compare').checked = state.compare;
    const selBox = document.getElementById('selection');
    selBox.textContent = '';
    for (const s of active) {
      const d = document.createElement('div');
      d.className = 'selected';
      d.dataset.selection = s;
      d.textContent = s + ': ' + shortLabel(picked[s]) + ' (run_id ' + runs.run_id[picked[s]] + ')';
      selBox.appendChild(d);
    }
    const all = (f) => active.flatMap((s) => f(s, picked[s]));
    await setData('histograms', { hist: all(histRows) });
    const outside = [];
    for (const s of active) {
      const L = D.layers[picked[s]];
      const parts = [];
      L.counts.forEach((c, l) => {
        const inRange = c.reduce((a, b) => a + b, 0);
        const out = L.under[l] + L.over[l] + L.nonfinite[l];
        if (out > 0) parts.push('layer ' + (l + 1) + ': ' + fmt(100 * out / (inRange + out)) + ' %');
      });
      if (parts.length) outside.push(s + ' outside the range: ' + parts.join(', '));
    }
    document.getElementById('outside').textContent = outside.join('; ');
    await setData('profile', { profile: all(profileRows) });
    await setData('rates', { rates: all(rateRows) });
    if (views.gradients) await setData('gradients', { gradients: all(gradientRows) });
    if (views.jacobian) {
      const rows = all(jacobianRows);
      await setData('jacobian', { jacobian: rows });
      const notes = active.filter((s) => D.jacobian.runs[picked[s]]).map((s) => {
        const J = D.jacobian.runs[picked[s]];
        return s + ': ' + J.samples + ' Jacobians, ' + (J.under + J.over) + ' singular values outside the bins (zeros and non-finite included)';
      });
      document.getElementById('jacobian-note').textContent = notes.join('; ');
    }
    if (views.training) await setData('training', { loss: all(lossRows) });
    if (phase) {
      phaseNow = phaseData();
      const { x, y, colour } = state.phase;
      document.getElementById('phase-x').value = x;
      document.getElementById('phase-y').value = y;
      document.getElementById('phase-colour').value = colour;
      const fixedText = phaseNow.fixed.filter((c) => byName[c].values.length > 1).map((c) => c + ' ' + fmt(value(c, state.sel.A[c])));
      document.getElementById('phase-caption').textContent = (phaseNow.logColour ? 'log10 ' : '') + colour
          + ' (mean over seeds and pooled settings) by ' + (AXIS_LABEL[x] || x) + ' and ' + (AXIS_LABEL[y] || y)
          + (fixedText.length ? ', at selection A\'s ' + fixedText.join(', ') : '')
          + (phaseNow.critical.length ? '. Black line: the theory\'s edge of chaos, χ₁ = 1.' : '.') + ' Click a cell to select it.';
      const titles = [AXIS_LABEL[x] || x, AXIS_LABEL[y] || y, (phaseNow.logColour ? 'log10 ' : '') + colour];
      const key = titles.join('|');
      if (key !== phaseKey) {
        await embed('phase', phaseSpec(...titles, colourScale(colour, phaseNow.logColour)));
        views.phase.addEventListener('click', (event, item) => pickCell(item && item.datum));
        phaseKey = key;
      }
      await setData('phase', { phase: phaseNow.rows, critical: phaseNow.critical },
        { xl: phaseNow.xv.map(fmt), yl: phaseNow.yv.map(fmt) });
    }
    try {
      history.replaceState(null, '', toFragment());
    } catch (e) {
      location.hash = toFragment();
    }
    window.explorer.picked = { ...picked };
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }

  async function start() {
    document.getElementById('sweep-name').textContent = D.sweep;
    const sampling = document.getElementById('sampling');
    sampling.textContent = D.sampling.text;
    sampling.classList.toggle('sampled', D.sampling.mode !== 'all');
    // columns the whole sweep leaves null (an activation parameter, the optimizer of a sweep without training) say nothing
    const same = Object.entries(D.fixed).filter(([, v]) => v !== null);
    document.getElementById('fixed').textContent = same.length
      ? 'The same for every grid point: ' + same.map(([k, v]) => k + ' ' + fmt(v)).join(', ') : '';
    document.getElementById('spec').textContent = D.manifest.spec;
    document.getElementById('manifest').textContent = D.manifest.gridPoints + ' grid points, run in ' + fmt(D.manifest.wallSeconds)
      + ' s, finished ' + D.manifest.finished + ' on Spark ' + D.manifest.spark + ' (commit ' + D.manifest.commit.slice(0, 12) + ').';
    buildControls();
    const hasGradients = D.layerMetrics.includes('grad_sq_mean');
    shown('panel-gradients', hasGradients);
    shown('panel-jacobian', D.jacobian !== null);
    shown('panel-training', D.training !== null);
    shown('panel-phase', phaseAxes.length >= 2 && phaseColours.length > 0);
    const [px, py] = defaultPhase();
    state.phase = { x: px, y: py, colour: metrics.chi1 && phaseAxes.includes('sigma_b2') ? 'chi1' : phaseColours[0] };
    if (phaseColours.includes('act_std') && !(metrics.chi1 && phaseAxes.includes('sigma_b2'))) state.phase.colour = 'act_std';
    fromFragment(location.hash);
    for (const k of ['x', 'y']) if (!phaseAxes.includes(state.phase[k])) state.phase[k] = k === 'x' ? px : py;
    if (!phaseColours.includes(state.phase.colour)) state.phase.colour = phaseColours[0];
    const names = ['histograms', 'profile', 'rates'];
    if (hasGradients) names.push('gradients');
    if (D.jacobian !== null) names.push('jacobian');
    if (D.training !== null) names.push('training');
    phase = !document.getElementById('panel-phase').hidden;
    if (phase) buildPhaseControls();
    await Promise.all(names.map((n) => embed(n)));
    await update();
    window.explorer.loaded = performance.now();
    document.body.dataset.ready = 'true';
  }

  window.explorer = { data: D, state, views, update, resolve, describe, phaseData: () => phaseNow, pickCell };
  window.addEventListener('hashchange', () => { fromFragment(location.hash); update(); });
  start().catch((e) => {
    console.error(e);
    document.body.dataset.ready = 'error';
  });
})();
