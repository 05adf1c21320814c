// The reference dashboard (README, "Reference dashboard"): a worked example of a client of the
// public GraphQL API. Plain browser JavaScript, no build step; Chart.js is the global `Chart`
// (its UMD file, served by this server from the chart.js package).
//
// - Signing in asks `viewer` once, with the key typed in: who the key is and which view it gets
//   (ADMIN and EXECUTIVE: leadership; MANAGER: its team, the API confines every figure to its
//   department subtree). The key and that answer stay in sessionStorage (this tab only).
// - Each view is ONE GraphQL request (LEADERSHIP or TEAM below). Every figure on the screen is a
//   field of its answer, displayed rounded; nothing is computed here but formatting.
// - No inline script or style anywhere (the server's Content-Security-Policy forbids them): text is
//   set with textContent, never innerHTML.
'use strict';

(function () {
  const KEY = 'nps-dashboard.key';
  const VIEWER = 'nps-dashboard.viewer';
  const DAYS = 'nps-dashboard.days';
  const ENDPOINT = '/graphql';

  const SCORE = 'nps marginOfError confidenceLow confidenceHigh responses lowSample';

  // What both views read: the score and its change, a trend, the department tree, movers, KPI
  // targets, the closed loop and drivers; the team view adds its agents and overdue follow-ups.
  const periodFields = (interval, trendFilter, levels) => `
  score: npsComparison(filter: { from: $from, to: $to }, compareTo: PREVIOUS_PERIOD) {
    previousFrom previousTo
    current { ${SCORE} band }
    previous { nps responses }
    change { delta pValue verdict }
  }
  trend: npsTrend(interval: ${interval}, filter: ${trendFilter}) {
    periodStart partial score { ${SCORE} }
  }
  tree: departmentScores(levels: ${levels}, compareTo: PREVIOUS_PERIOD, filter: { from: $from, to: $to }) {
    depth department { code name } score { nps marginOfError responses lowSample } change { delta verdict }
  }
  movers(filter: { from: $from, to: $to }, compareTo: PREVIOUS_PERIOD, significantOnly: false, limit: 8) {
    movers { rank kind dimension label contribution discovery current { nps responses } change { delta verdict } }
  }
  targets: kpiTargets(activeAt: $now) {
    name metric periodStart periodEnd target actual gap status owner { name } department { code }
  }
  closedLoop(filter: { from: $from, to: $to }) {
    detractors followUpRate medianHoursToFirstAction medianHoursToClose closedWithinSlaRate open overdue
  }
  drivers(filter: { from: $from, to: $to }, compareTo: PREVIOUS_PERIOD) {
    detractorDrivers { responses drivers { theme { code name } detractorMentions detractorMentionShare impact verdict } }
  }
`;

  const LEADERSHIP = `query DashboardLeadership($from: DateTimeISO!, $to: DateTimeISO!, $now: DateTimeISO!) {${periodFields('MONTH', '{ to: $to }', 4)}}`;

  const TEAM = `query DashboardTeam($from: DateTimeISO!, $to: DateTimeISO!, $now: DateTimeISO!) {${periodFields('WEEK', '{ from: $from, to: $to }', 3)}
  agents: npsBreakdown(by: AGENT, compareTo: PREVIOUS_PERIOD, limit: 10, filter: { from: $from, to: $to }) {
    value agent { name department { code } } score { nps marginOfError responses lowSample } change { delta verdict }
  }
  overdue: actionItems(first: 10, filter: { overdue: true }) {
    totalCount edges { node { title status dueAt department { code } assignee { name } } }
  }
}`;

  const VIEWER_QUERY = '{ viewer { name role department { code name } } }';

  const $ = (sel, root) => (root || document).querySelector(sel);
  const charts = {};

  // ---- formatting (rounding belongs to the display: the API's figures are unrounded) ----
  const nf1 = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signed1 = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const int = new Intl.NumberFormat('en');
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dash = '—';
  const fmtNps = (v) => (v === null || v === undefined ? dash : signed1.format(v));
  const fmtPts = (v) => (v === null || v === undefined ? dash : signed1.format(v));
  const fmtPct = (v) => (v === null || v === undefined ? dash : `${nf1.format(v)}%`);
  const fmtHours = (v) => (v === null || v === undefined ? dash : v >= 48 ? `${nf1.format(v / 24)} days` : `${nf1.format(v)} h`);
  const fmtMoe = (v) => (v === null || v === undefined ? dash : `±${nf1.format(v)}`);
  const fmtDay = (iso) => day.format(new Date(iso));
  const VERDICT = { SIGNIFICANT_UP: 'significant rise', SIGNIFICANT_DOWN: 'significant fall', NO_SIGNIFICANT_CHANGE: 'not significant', INSUFFICIENT_DATA: 'not enough data' };
  const fmtChange = (c) => (!c || c.delta === null || c.delta === undefined ? dash : `${fmtPts(c.delta)}${c.verdict === 'SIGNIFICANT_UP' ? ' ▲' : c.verdict === 'SIGNIFICANT_DOWN' ? ' ▼' : ''}`);
  const METRIC = { NPS: 'NPS', PROMOTER_SHARE: 'promoters %', DETRACTOR_SHARE: 'detractors %', RESPONSE_COUNT: 'responses', FOLLOW_UP_RATE: 'followed up %', CLOSED_WITHIN_SLA_RATE: 'closed in SLA %' };
  const fmtMetric = (metric, v) => (v === null || v === undefined ? dash : metric === 'RESPONSE_COUNT' ? int.format(v) : metric === 'NPS' ? fmtNps(v) : fmtPct(v));
  const STATUS = ['ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'NO_DATA'];
  const STATUS_LABEL = { ON_TRACK: 'On track', AT_RISK: 'At risk', OFF_TRACK: 'Off track', NO_DATA: 'No data' };
  const STATUS_COLOUR = { ON_TRACK: '#2e7d32', AT_RISK: '#f9a825', OFF_TRACK: '#c62828', NO_DATA: '#9e9e9e' };

  // ---- the API ----
  class ApiError extends Error {
    constructor(message, code, status) {
      super(message);
      this.code = code;
      this.status = status;
    }
  }

  /** One POST to /graphql. Resolves with { data, errors }; rejects with ApiError when there is no data at all. */
  async function gql(key, query, variables) {
    let res;
    try {
      res = await fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('The API could not be reached. Is the server running?', 'NETWORK', 0);
    }
    let body = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON: handled below */
    }
    const errors = (body && body.errors) || [];
    if (!body || !body.data) {
      const first = errors[0] || {};
      const code = (first.extensions && first.extensions.code) || `HTTP_${res.status}`;
      const err = new ApiError(first.message || `The API answered HTTP ${res.status}.`, code, res.status);
      err.retryAfter = res.headers.get('retry-after');
      throw err;
    }
    return { data: body.data, errors };
  }

  /** What a person should read for an error that left nothing to show. */
  function explain(err) {
    if (err.code === 'UNAUTHENTICATED' || err.status === 401) {
      return 'This API key was not accepted: it is unknown, revoked or incomplete. Check that it was copied whole, or ask an administrator for a new one.';
    }
    if (err.code === 'FORBIDDEN') return `This key may not read the dashboard's reports: ${err.message}. Use an ADMIN, EXECUTIVE or MANAGER key.`;
    if (err.code === 'RATE_LIMITED') return `Too many requests with this key for now${err.retryAfter ? `: try again in ${err.retryAfter} s` : ''}.`;
    if (err.code === 'REPORT_TIMEOUT') return 'The server took too long to compute this view; try again in a moment or choose a shorter period.';
    return `The API answered with an error (${err.code}): ${err.message}`;
  }

  // ---- page state ----
  function showMessage(text, kind) {
    const el = $('#message');
    el.textContent = text || '';
    el.hidden = !text;
    el.className = `message${kind ? ` ${kind}` : ''}`;
  }

  function signedIn() {
    const key = sessionStorage.getItem(KEY);
    let viewer = null;
    try {
      viewer = JSON.parse(sessionStorage.getItem(VIEWER) || 'null');
    } catch {
      viewer = null;
    }
    return key && viewer ? { key, viewer } : null;
  }

  function signOut(message, kind) {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(VIEWER);
    for (const c of Object.values(charts)) c.destroy();
    for (const k of Object.keys(charts)) delete charts[k];
    $('#view').hidden = true;
    $('#session').hidden = true;
    $('#sign-in').hidden = false;
    $('#title').textContent = 'NPS dashboard';
    document.body.dataset.state = message ? 'error' : 'signed-out';
    showMessage(message, kind);
    $('#api-key').value = '';
    $('#api-key').focus();
  }

  async function signIn(key) {
    showMessage('');
    document.body.dataset.state = 'loading';
    let viewer;
    try {
      viewer = (await gql(key, VIEWER_QUERY)).data.viewer;
    } catch (err) {
      signOut(explain(err), 'error');
      return;
    }
    if (viewer.role === 'INTEGRATION') {
      signOut('This is an INTEGRATION key: it writes data but may not read reports. Use an ADMIN, EXECUTIVE or MANAGER key.', 'error');
      return;
    }
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(VIEWER, JSON.stringify(viewer));
    await load();
  }

  /** The period shown: the chosen number of whole UTC days up to the end of today (exclusive). */
  function period() {
    const days = Number($('#period').value) || 90;
    const to = new Date();
    to.setUTCHours(24, 0, 0, 0);
    const from = new Date(to.getTime() - days * 86_400_000);
    // The KPI targets running now: the minute is precise enough, and keeps a reload's variables the
    // same (the server's report cache answers a repeated request while nothing changed).
    const now = new Date();
    now.setUTCSeconds(0, 0);
    return { from: from.toISOString(), to: to.toISOString(), now: now.toISOString(), days };
  }

  async function load() {
    const session = signedIn();
    if (!session) return signOut();
    const { key, viewer } = session;
    const view = viewer.role === 'MANAGER' ? 'team' : 'leadership';
    $('#sign-in').hidden = true;
    $('#session').hidden = false;
    $('#viewer').textContent = `${viewer.name} (${viewer.role}${viewer.department ? `, ${viewer.department.name}` : ''})`;
    $('#title').textContent = view === 'team' ? `Team dashboard: ${viewer.department ? viewer.department.name : ''}` : 'Leadership dashboard';
    document.body.dataset.view = view;
    document.body.dataset.state = 'loading';
    for (const el of document.querySelectorAll('[data-view]')) el.hidden = el.dataset.view !== view;
    const p = period();
    const v = $('#view');
    v.dataset.from = p.from;
    v.dataset.to = p.to;
    let answer;
    try {
      answer = await gql(key, view === 'team' ? TEAM : LEADERSHIP, { from: p.from, to: p.to, now: p.now });
    } catch (err) {
      if (err.code === 'UNAUTHENTICATED' || err.status === 401) return signOut(explain(err), 'error');
      v.hidden = true;
      document.body.dataset.state = 'error';
      return showMessage(explain(err), 'error');
    }
    showMessage('');
    v.hidden = false;
    render(view, viewer, answer.data, p);
    const partial = $('#partial');
    partial.hidden = answer.errors.length === 0;
    partial.textContent = answer.errors.length
      ? `Part of this view could not be shown: ${answer.errors.map((e) => `${(e.path || []).join('.')} ${(e.extensions && e.extensions.code) || ''}: ${e.message}`).join('; ')}`
      : '';
    document.body.dataset.state = 'ready';
  }

  // ---- rendering ----
  function setEmpty(section, empty) {
    const s = $(`#${section}`);
    $('.empty', s).hidden = !empty;
    s.classList.toggle('is-empty', empty);
    return s;
  }

  function fillTable(section, rows, cells) {
    const tbody = $(`#${section} tbody`);
    tbody.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement('tr');
      for (const c of cells(row)) {
        const td = document.createElement('td');
        const cell = typeof c === 'object' && c !== null ? c : { text: c };
        td.textContent = cell.text === null || cell.text === undefined ? dash : String(cell.text);
        if (cell.cls) td.className = cell.cls;
        if (cell.title) td.title = cell.title;
        tr.append(td);
      }
      tbody.append(tr);
    }
  }

  function chart(id, config) {
    if (charts[id]) charts[id].destroy();
    delete charts[id];
    if (!config || typeof Chart === 'undefined') return;
    charts[id] = new Chart(document.getElementById(id), config);
  }

  function render(view, viewer, d, p) {
    const scope = view === 'team' ? (viewer.department ? viewer.department.name : 'Team') : 'Company';
    $('#period-note').textContent = `${fmtDay(p.from)} to ${fmtDay(new Date(Date.parse(p.to) - 1).toISOString())} (UTC), compared with the ${p.days} days before.`;
    renderScore(scope, d.score);
    renderClosedLoop(d.closedLoop);
    renderTrend(view, scope, d.trend);
    renderTree(d.tree);
    renderMovers(d.movers);
    renderTargets(d.targets);
    renderDrivers(d.drivers);
    if (view === 'team') {
      renderAgents(d.agents);
      renderOverdue(d.overdue);
    }
  }

  function renderScore(scope, s) {
    $('#score-title').textContent = `${scope} NPS`;
    const el = $('#score-nps');
    const cur = s && s.current;
    el.dataset.value = cur && cur.nps !== null ? String(cur.nps) : '';
    el.textContent = cur && cur.nps !== null ? fmtNps(cur.nps) : 'No responses in this period';
    el.classList.toggle('none', !cur || cur.nps === null);
    $('#score-detail').textContent =
      cur && cur.nps !== null
        ? `${fmtMoe(cur.marginOfError)} (95%: ${fmtNps(cur.confidenceLow)} to ${fmtNps(cur.confidenceHigh)}) · ${int.format(cur.responses)} responses · ${cur.band.toLowerCase().replace(/_/g, ' ')}${cur.lowSample ? ' · small sample' : ''}`
        : 'NPS is undefined without responses.';
    const ch = s && s.change;
    $('#score-change').textContent =
      ch && ch.delta !== null && ch.delta !== undefined
        ? `${fmtPts(ch.delta)} points against the period before (${fmtNps(s.previous.nps)}, ${int.format(s.previous.responses)} responses): ${VERDICT[ch.verdict] || ch.verdict}${ch.pValue !== null ? `, p = ${ch.pValue.toFixed(3)}` : ''}.`
        : 'No change to show: one of the two periods has no responses.';
  }

  function renderClosedLoop(c) {
    const s = setEmpty('closed-loop', !c || c.detractors === 0);
    const values = c
      ? {
          detractors: int.format(c.detractors),
          followUpRate: fmtPct(c.followUpRate),
          medianHoursToFirstAction: fmtHours(c.medianHoursToFirstAction),
          medianHoursToClose: fmtHours(c.medianHoursToClose),
          closedWithinSlaRate: fmtPct(c.closedWithinSlaRate),
          openOverdue: `${int.format(c.open)} / ${int.format(c.overdue)}`,
        }
      : {};
    for (const dd of s.querySelectorAll('dd')) dd.textContent = values[dd.dataset.field] || dash;
  }

  function renderTrend(view, scope, trend) {
    const points = (trend || []).filter((t) => t.score.responses > 0 || t.score.nps !== null);
    $('#trend-title').textContent = view === 'team' ? `${scope} NPS by week` : `${scope} NPS by month`;
    setEmpty('trend', points.length === 0);
    if (points.length === 0) return chart('trend-chart', null);
    const label = (t) => (view === 'team' ? `w/c ${fmtDay(t.periodStart)}` : month.format(new Date(t.periodStart))) + (t.partial ? ' (partial)' : '');
    const all = trend || [];
    chart('trend-chart', {
      type: 'line',
      data: {
        labels: all.map(label),
        datasets: [
          { label: '95% high', data: all.map((t) => t.score.confidenceHigh), borderWidth: 0, pointRadius: 0, fill: false, backgroundColor: 'rgba(25,118,210,0.15)' },
          { label: '95% low', data: all.map((t) => t.score.confidenceLow), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(25,118,210,0.15)' },
          { label: 'NPS', data: all.map((t) => t.score.nps), borderColor: '#1565c0', backgroundColor: '#1565c0', pointRadius: 2, tension: 0.2, spanGaps: false },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { title: { display: true, text: 'NPS' } } },
        plugins: {
          legend: { labels: { filter: (item) => item.text === 'NPS' } },
          tooltip: {
            filter: (item) => item.dataset.label === 'NPS',
            callbacks: {
              label: (ctx) => {
                const s = all[ctx.dataIndex].score;
                return `NPS ${fmtNps(s.nps)} ${fmtMoe(s.marginOfError)}, ${int.format(s.responses)} responses${s.lowSample ? ' (small sample)' : ''}`;
              },
            },
          },
        },
      },
    });
  }

  function renderTree(tree) {
    const rows = tree || [];
    setEmpty('tree', rows.length === 0);
    fillTable('tree', rows, (r) => [
      { text: `${'\u00a0\u00a0\u00a0'.repeat(Math.max(0, r.depth - 1))}${r.department.name}`, title: r.department.code, cls: `depth-${r.depth}` },
      { text: fmtNps(r.score.nps), cls: `num${r.score.lowSample ? ' low' : ''}`, title: r.score.lowSample ? 'small sample' : '' },
      { text: fmtMoe(r.score.marginOfError), cls: 'num' },
      { text: int.format(r.score.responses), cls: 'num' },
      { text: fmtChange(r.change), cls: 'num', title: r.change ? VERDICT[r.change.verdict] || '' : '' },
    ]);
    const body = $('#tree tbody');
    rows.forEach((r, i) => (body.children[i].dataset.code = r.department.code));
  }

  function renderMovers(m) {
    const rows = (m && m.movers) || [];
    setEmpty('movers', rows.length === 0);
    fillTable('movers', rows, (r) => [
      r.rank,
      { text: `${r.label}${r.dimension ? ` (${r.dimension.toLowerCase().replace(/_/g, ' ')})` : ''}${r.discovery ? ' ★' : ''}`, title: r.kind.toLowerCase() },
      { text: fmtPts(r.contribution), cls: 'num' },
      { text: fmtNps(r.current.nps), cls: 'num' },
      { text: fmtChange(r.change), cls: 'num' },
    ]);
  }

  function renderTargets(targets) {
    const rows = (targets || []).slice().sort((a, b) => STATUS.indexOf(a.status) - STATUS.indexOf(b.status) || a.periodStart.localeCompare(b.periodStart));
    setEmpty('targets', rows.length === 0);
    const counts = STATUS.map((s) => rows.filter((r) => r.status === s).length);
    chart(
      'targets-chart',
      rows.length === 0
        ? null
        : {
            type: 'bar',
            data: { labels: STATUS.map((s) => STATUS_LABEL[s]), datasets: [{ label: 'KPI targets', data: counts, backgroundColor: STATUS.map((s) => STATUS_COLOUR[s]) }] },
            options: { maintainAspectRatio: false, animation: false, indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } } } },
          },
    );
    fillTable('targets', rows, (r) => [
      { text: STATUS_LABEL[r.status], cls: `status ${r.status.toLowerCase()}` },
      { text: r.name, title: METRIC[r.metric] || r.metric },
      { text: r.owner ? r.owner.name : r.department ? r.department.code : dash, title: `${fmtDay(r.periodStart)} to ${fmtDay(new Date(Date.parse(r.periodEnd) - 1).toISOString())}` },
      { text: fmtMetric(r.metric, r.actual), cls: 'num' },
      { text: fmtMetric(r.metric, r.target), cls: 'num' },
    ]);
  }

  function renderDrivers(d) {
    const rows = ((d && d.detractorDrivers && d.detractorDrivers.drivers) || []).filter((r) => r.detractorMentions > 0).slice(0, 8);
    setEmpty('drivers', rows.length === 0);
    chart(
      'drivers-chart',
      rows.length === 0
        ? null
        : {
            type: 'bar',
            data: { labels: rows.map((r) => r.theme.name), datasets: [{ label: 'Impact (NPS points)', data: rows.map((r) => r.impact), backgroundColor: '#c62828' }] },
            options: { maintainAspectRatio: false, animation: false, indexAxis: 'y', plugins: { legend: { display: false } } },
          },
    );
    fillTable('drivers', rows, (r) => [
      r.theme.name,
      { text: `${int.format(r.detractorMentions)} (${fmtPct(r.detractorMentionShare)})`, cls: 'num' },
      { text: fmtPts(r.impact), cls: 'num' },
    ]);
  }

  function renderAgents(agents) {
    const rows = agents || [];
    setEmpty('agents', rows.length === 0);
    fillTable('agents', rows, (r) => [
      r.agent ? r.agent.name : 'No agent',
      { text: fmtNps(r.score.nps), cls: `num${r.score.lowSample ? ' low' : ''}`, title: r.score.lowSample ? 'small sample' : '' },
      { text: fmtMoe(r.score.marginOfError), cls: 'num' },
      { text: int.format(r.score.responses), cls: 'num' },
      { text: fmtChange(r.change), cls: 'num' },
    ]);
  }

  function renderOverdue(items) {
    const rows = ((items && items.edges) || []).map((e) => e.node);
    setEmpty('overdue', rows.length === 0);
    fillTable('overdue', rows, (r) => [r.title, r.status.toLowerCase().replace(/_/g, ' '), r.assignee ? r.assignee.name : dash, fmtDay(r.dueAt)]);
  }

  // ---- wiring ----
  document.addEventListener('DOMContentLoaded', () => {
    const days = sessionStorage.getItem(DAYS);
    if (days && $(`#period option[value="${days}"]`)) $('#period').value = days;
    $('#key-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const key = $('#api-key').value.trim();
      if (key) signIn(key);
    });
    $('#sign-out').addEventListener('click', () => signOut());
    $('#period').addEventListener('change', () => {
      sessionStorage.setItem(DAYS, $('#period').value);
      load();
    });
    if (signedIn()) load();
    else signOut();
  });
})();
