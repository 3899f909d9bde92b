// The jobkit dashboard: a single-page app over the REST API in /api/v1 with live updates from
// /api/v1/stream. Plain ES modules, no build step, no inline script (the server's CSP is
// default-src 'self'), and every path relative to the base the server writes into index.html,
// so the dashboard works when mounted under a prefix.

import { schemaForm, stringify, Raw } from './form.js';
import { schedulesPage, schedulePage } from './schedules.js'; // #12 schedules
import { templatesPage, templatePage, saveAsTemplate } from './templates.js'; // #12 templates
import { batchesPage, batchPage } from './batches.js'; // #12 batches
import { auditPage, tenantsPage } from './tenants.js'; // #14 tenants

// ---------------------------------------------------------------- base path, API, DOM helpers

const BASE = (() => {
  let b = document.documentElement.dataset.base;
  if (!b || b.includes('{') || b.includes('$')) b = new URL('..', import.meta.url).pathname;
  return b.endsWith('/') ? b : b + '/';
})();

const STATES = ['WAITING', 'QUEUED', 'SCHEDULED', 'RUNNING', 'WAITING_RETRY', 'PAUSED', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'QUARANTINED'];
const FAILED_STATES = ['FAILED', 'TIMED_OUT', 'QUARANTINED'];
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const ROLES = ['viewer', 'operator', 'admin'];

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + 'api/v1/' + path, init);
  } catch (e) {
    throw new ApiError(0, { title: 'The server cannot be reached', detail: 'The server cannot be reached; check that jobkit serve is running.' });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 300) };
    }
  }
  if (res.status === 401 && !path.startsWith('session')) {
    session = null;
    toLogin();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { status: res.status, data, headers: res.headers };
}

const enc = encodeURIComponent;

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  const late = {};
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'test') el.dataset.test = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled' && typeof v === 'boolean') late[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, kids);
  Object.assign(el, late);
  return el;
}

function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : String(k));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const k of kids.flat()) if (k !== null && k !== undefined) el.append(k instanceof Node ? k : String(k));
  return el;
}

function throttle(fn, ms) {
  let timer = null;
  let again = false;
  const run = () => {
    timer = null;
    if (again) {
      again = false;
      timer = setTimeout(run, ms);
      fn();
    }
  };
  return () => {
    again = true;
    if (!timer) timer = setTimeout(run, 0);
  };
}

// ---------------------------------------------------------------- formatting

const nf = new Intl.NumberFormat();
const num = (n) => (n === null || n === undefined ? '—' : nf.format(n));

function relTime(iso) {
  if (!iso) return '—';
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  const a = Math.abs(s);
  const f = a < 45 ? 'just now' : a < 5400 ? `${Math.round(a / 60)} min` : a < 129600 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} d`;
  if (f === 'just now') return s < 0 ? 'in a moment' : f;
  return s < 0 ? `in ${f}` : `${f} ago`;
}

function absTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function timeEl(iso) {
  if (!iso) return h('span', { class: 'faint' }, '—');
  return h('time', { datetime: iso, title: absTime(iso) + ' (' + iso + ')', dataset: { rel: '1' } }, relTime(iso));
}

function dur(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  let s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  if (d) return `${d}d ${hh}h`;
  if (hh) return `${hh}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

function isoDur(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return dur(v);
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(v);
  return m ? dur(((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) * 1000) : v;
}

const shortId = (id) => (id && id.length > 13 ? id.slice(0, 13) + '…' : id);
const human = (s) => (s ? s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ') : s);

function badge(state) {
  return h('span', { class: `badge st st-${state}`, test: 'state', dataset: { state } }, human(state));
}

function jsonView(value, test) {
  const pre = h('pre', { class: 'json', test });
  const walk = (v, ind) => {
    const pad = '  '.repeat(ind);
    if (v === null) return pre.append(h('span', { class: 'j-lit' }, 'null'));
    if (Array.isArray(v)) {
      if (!v.length) return pre.append('[]');
      pre.append('[\n');
      v.forEach((x, i) => {
        pre.append(pad + '  ');
        walk(x, ind + 1);
        pre.append(i < v.length - 1 ? ',\n' : '\n');
      });
      return pre.append(pad + ']');
    }
    if (typeof v === 'object') {
      const ks = Object.keys(v);
      if (!ks.length) return pre.append('{}');
      pre.append('{\n');
      ks.forEach((k, i) => {
        pre.append(pad + '  ', h('span', { class: 'j-key' }, JSON.stringify(k)), ': ');
        walk(v[k], ind + 1);
        pre.append(i < ks.length - 1 ? ',\n' : '\n');
      });
      return pre.append(pad + '}');
    }
    const cls = typeof v === 'string' ? 'j-str' : typeof v === 'number' ? 'j-num' : 'j-lit';
    pre.append(h('span', { class: cls }, JSON.stringify(v)));
  };
  walk(value, 0);
  return pre;
}

function parseMaybe(v) {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

// ---------------------------------------------------------------- toasts, confirm buttons

const toasts = h('div', { class: 'toasts', 'aria-live': 'polite', test: 'toasts' });
function toast(msg, kind = 'info') {
  const t = h('div', { class: `toast ${kind}`, test: kind === 'error' ? 'toast-error' : 'toast', role: kind === 'error' ? 'alert' : 'status' }, msg);
  toasts.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4500);
}
const fail = (e) => toast(e.message || String(e), 'error');

/** A button that asks once more ("Cancel job?") before it runs a destructive action. */
function confirmButton(label, confirmLabel, action, attrs = {}) {
  const b = h('button', { type: 'button', class: 'btn danger ' + (attrs.class || ''), test: attrs.test }, label);
  let armed = null;
  b.addEventListener('click', async () => {
    if (!armed) {
      b.textContent = confirmLabel;
      b.classList.add('confirming');
      armed = setTimeout(() => {
        armed = null;
        b.textContent = label;
        b.classList.remove('confirming');
      }, 4000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    b.textContent = label;
    b.classList.remove('confirming');
    b.disabled = true;
    try {
      await action();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

// ---------------------------------------------------------------- session & role

let session = null; // {name, role, tenant, readOnly}

const roleRank = (r) => ROLES.indexOf(String(r || '').toLowerCase());
const can = (role) => !!session && !session.readOnly && roleRank(session.role) >= roleRank(role);
// #14 tenants: whether the signed-in key acts for every tenant (else for session.tenant only)
const allTenants = () => !!session && !session.tenant;
const isTenantAdmin = () => allTenants() && roleRank(session.role) >= roleRank('admin');
const sessionTenant = () => (session && session.tenant) || null;

async function loadSession() {
  try {
    session = (await api('GET', 'session')).data;
  } catch (e) {
    session = null;
    // A server without the session route (no authentication configured) lets everyone in.
    if (e.status === 404) session = { name: 'local', role: 'admin', readOnly: false };
    else if (e.status !== 401) throw e;
  }
  renderTopbar();
  return session;
}

function toLogin() {
  if (currentPath() === 'login') return;
  const next = currentPath() + location.search;
  history.replaceState(null, '', BASE + 'login' + (next ? '?next=' + enc(next) : ''));
  render();
}

// ---------------------------------------------------------------- live updates (SSE)

const live = {
  es: null,
  query: null,
  lastId: null,
  seen: new Set(),
  order: [],
  handlers: { job: new Set(), log: new Set(), progress: new Set(), open: new Set() },
  status: 'offline',
  retry: null,
};

function markSeen(key) {
  if (live.seen.has(key)) return false;
  live.seen.add(key);
  live.order.push(key);
  if (live.order.length > 20000) live.seen.delete(live.order.shift());
  return true;
}

function setLive(status) {
  live.status = status;
  const el = document.querySelector('[data-test="live-status"]');
  if (el) {
    el.dataset.status = status;
    el.textContent = { live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' }[status];
  }
}

function connect(query) {
  if (live.es && live.query === query) return;
  const resume = live.query === query && live.lastId ? live.lastId : null;
  disconnect();
  live.query = query;
  // Kept until the new stream says where it stands: a retry that fails before then resumes from
  // the same place.
  live.lastId = resume;
  const params = new URLSearchParams(query || '');
  if (resume) params.set('after', resume);
  const qs = params.toString();
  const es = new EventSource(BASE + 'api/v1/stream' + (qs ? '?' + qs : ''));
  live.es = es;
  setLive('reconnecting');
  es.onopen = () => {
    setLive('live');
    // What changed between the page's own requests and this moment came before the stream's
    // start: pages read their figures again ("open" also follows each reconnect).
    for (const fn of live.handlers.open) fn();
  };
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      // The server refused (401, or it went away before answering): the browser will not retry
      // by itself, so reconnect from the last id seen, after checking that we are still signed in.
      setLive('offline');
      live.es = null;
      clearTimeout(live.retry);
      const again = async () => {
        if (live.query !== query || live.es) return;
        try {
          await api('GET', 'session');
          connect(query);
        } catch {
          live.retry = setTimeout(again, 5000);
        }
      };
      live.retry = setTimeout(again, 3000);
    } else {
      setLive('reconnecting');
    }
  };
  // The first message of every stream: its id is where this client stands, even before any job
  // event, log line or progress arrives.
  es.addEventListener('ready', (e) => {
    if (e.lastEventId) live.lastId = e.lastEventId;
  });
  for (const kind of ['job', 'log', 'progress']) {
    es.addEventListener(kind, (e) => {
      if (e.lastEventId) live.lastId = e.lastEventId;
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      if (kind !== 'progress' && data.id !== undefined && !markSeen(kind + ':' + data.id)) return;
      for (const fn of live.handlers[kind]) {
        try {
          fn(data);
        } catch (err) {
          console.error(err);
        }
      }
    });
  }
}

function disconnect() {
  clearTimeout(live.retry);
  if (live.es) live.es.close();
  live.es = null;
  // A page that connects afresh reads its figures itself; only a dropped stream resumes.
  live.lastId = null;
}

// ---------------------------------------------------------------- router

const routes = [
  [/^$/, overviewPage, 'overview'],
  [/^jobs$/, jobsPage, 'jobs'],
  [/^jobs\/([^/]+)$/, jobPage, 'jobs'],
  [/^failed$/, failedPage, 'failed'],
  [/^types$/, typesPage, 'types'],
  [/^types\/([^/]+)$/, typePage, 'types'],
  [/^schedules$/, schedulesPage, 'schedules'], // #12 schedules
  [/^schedules\/([^/]+)$/, schedulePage, 'schedules'], // #12 schedules
  [/^templates$/, templatesPage, 'templates'], // #12 templates
  [/^templates\/([^/]+)$/, templatePage, 'templates'], // #12 templates
  [/^batches$/, batchesPage, 'batches'], // #12 batches
  [/^batches\/([^/]+)$/, batchPage, 'batches'], // #12 batches
  [/^nodes$/, nodesPage, 'nodes'],
  [/^audit$/, auditPage, 'audit'], // #14 tenants
  [/^tenants$/, tenantsPage, 'tenants'], // #14 tenants
  [/^login$/, loginPage, 'login'],
];

function currentPath() {
  let p = location.pathname;
  if (p.startsWith(BASE)) p = p.slice(BASE.length);
  else if (p + '/' === BASE) p = '';
  return p.replace(/\/+$/, '');
}

function navigate(path, replace = false) {
  history[replace ? 'replaceState' : 'pushState'](null, '', BASE + path);
  render();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, document.baseURI);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE) || url.pathname.startsWith(BASE + 'api/') || url.pathname.startsWith(BASE + 'ui/')) return;
  e.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) {
    history.pushState(null, '', url.pathname + url.search);
    render();
  }
});
window.addEventListener('popstate', () => render());

let page = null; // the current page's context

function newContext(view) {
  const ctx = {
    view,
    alive: true,
    cleanups: [],
    on(kind, fn) {
      live.handlers[kind].add(fn);
      ctx.cleanups.push(() => live.handlers[kind].delete(fn));
    },
    every(ms, fn) {
      const t = setInterval(fn, ms);
      ctx.cleanups.push(() => clearInterval(t));
    },
    close() {
      ctx.alive = false;
      ctx.cleanups.forEach((f) => f());
    },
  };
  return ctx;
}

const main = h('main', { class: 'main', id: 'main', test: 'view' });
const topbar = h('header', { class: 'topbar', test: 'topbar' });
const roBanner = h('div', { class: 'banner-ro hidden', test: 'read-only' }, 'This server is read-only: you can look, but not change anything.');

async function render() {
  if (page) page.close();
  const path = currentPath();
  const hit = routes.map(([re, fn, nav]) => [re.exec(path), fn, nav]).find(([m]) => m);
  main.replaceChildren();
  const ctx = newContext(main);
  page = ctx;
  if (!hit) {
    setNav(null);
    main.append(pageHead('Not found'), h('div', { class: 'card' }, h('div', { class: 'empty' }, 'There is no page at ', h('code', {}, '/' + path), '. ', h('a', { href: '' }, 'Go to the overview'))));
    return;
  }
  const [m, fn, nav] = hit;
  if (nav !== 'login' && !session) {
    toLogin();
    return;
  }
  setNav(nav);
  document.title = (nav === 'overview' ? 'Overview' : human(nav)) + ' · jobkit';
  if (nav !== 'login' && !(nav === 'jobs' && m[1])) connect('');
  try {
    await fn(ctx, ...m.slice(1).map(decodeURIComponent));
  } catch (e) {
    if (!ctx.alive) return;
    if (e.status === 401) return;
    main.replaceChildren(pageHead(e.status === 404 ? 'Not found' : 'Something went wrong'), h('div', { class: 'card' }, h('div', { class: 'empty', test: 'page-error' }, e.message)));
  }
}

// ---------------------------------------------------------------- top bar

const NAV = [
  ['', 'overview', 'Overview'],
  ['jobs', 'jobs', 'Jobs'],
  ['failed', 'failed', 'Failed'],
  ['types', 'types', 'Types'],
  ['schedules', 'schedules', 'Schedules'], // #12 schedules
  ['templates', 'templates', 'Templates'], // #12 templates
  ['batches', 'batches', 'Batches'], // #12 batches
  ['nodes', 'nodes', 'Nodes'],
  ['audit', 'audit', 'Audit'], // #14 tenants
  ['tenants', 'tenants', 'Tenants'], // #14 tenants: administrators without a tenant only
];
let failedCount = null;

function renderTopbar() {
  const signedIn = !!session;
  topbar.replaceChildren(
    h('a', { class: 'brand', href: '', test: 'brand' }, h('img', { src: 'ui/icon.svg', alt: '' }), 'jobkit'),
    h('nav', { class: 'nav', 'aria-label': 'Main', test: 'nav' },
      signedIn ? NAV.filter(([, key]) => key !== 'tenants' || isTenantAdmin()).map(([href, key, label]) => h('a', { href: href || './', dataset: { nav: key }, test: 'nav-' + key }, label,
        key === 'failed' && failedCount ? h('span', { class: 'count', test: 'failed-count' }, num(failedCount)) : null)) : null),
    h('div', { class: 'who' },
      signedIn ? h('span', { class: 'live', test: 'live-status', dataset: { status: live.status } }, { live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' }[live.status]) : null,
      signedIn ? h('span', { class: 'key', title: 'Signed in with this API key' },
        h('b', { class: 'nm', test: 'key-name' }, String(session.name).replace(/^key:/, '')), h('span', { class: 'role', test: 'key-role' }, String(session.role).toLowerCase()),
        session.tenant ? h('span', { class: 'role tenant', test: 'key-tenant', title: 'This key acts for this tenant only' }, session.tenant) : null) : null,
      signedIn && session.name !== 'local' ? h('button', { type: 'button', class: 'btn small ghost', test: 'logout', onclick: logout }, 'Sign out') : null),
  );
  roBanner.classList.toggle('hidden', !(session && session.readOnly));
  setNav(page && page.nav);
}

function setNav(key) {
  if (page) page.nav = key;
  for (const a of topbar.querySelectorAll('.nav a')) {
    a.classList.toggle('active', a.dataset.nav === key);
    if (a.dataset.nav === key) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

const refreshFailedCount = throttle(async () => {
  if (!session) return;
  try {
    const { data } = await api('GET', 'stats');
    updateFailedCount(data.byState);
  } catch {
    /* the badge is a hint only */
  }
}, 5000);

function updateFailedCount(byState) {
  const n = FAILED_STATES.reduce((a, s) => a + ((byState || {})[s] || 0), 0);
  if (n !== failedCount) {
    failedCount = n;
    renderTopbar();
  }
}

async function logout() {
  try {
    await api('DELETE', 'session');
  } catch (e) {
    if (e.status !== 401) return fail(e);
  }
  session = null;
  disconnect();
  renderTopbar();
  navigate('login', true);
}

// ---------------------------------------------------------------- shared components

function pageHead(title, ...rest) {
  return h('div', { class: 'page-head' }, h('h1', { test: 'page-title' }, title), ...rest);
}

function card(title, body, ...head) {
  return h('section', { class: 'card' }, title !== null ? h('div', { class: 'card-head' }, h('h2', {}, title), ...head) : null, body);
}

/** A progress bar with its figures; update(progress, {rate, etaSeconds}) changes it in place. */
function progressView(progress, extra = {}, big = false) {
  const fill = h('div', { class: 'fill' });
  const meta = h('div', { class: 'meta' });
  const root = h('div', { class: 'progress' + (big ? ' big' : ''), test: 'progress' }, h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, fill), meta);
  const bar = root.firstChild;
  root.update = (p, x = {}) => {
    p = parseMaybe(p) || {};
    let pct = typeof p.percent === 'number' ? p.percent : p.total > 0 ? (100 * p.done) / p.total : null;
    if (pct !== null) pct = Math.max(0, Math.min(100, pct));
    root.classList.toggle('indeterminate', pct === null);
    root.classList.toggle('done', pct === 100);
    fill.style.width = pct === null ? '' : pct.toFixed(2) + '%';
    root.dataset.percent = pct === null ? '' : String(Math.round(pct * 10) / 10);
    if (pct === null) bar.removeAttribute('aria-valuenow');
    else bar.setAttribute('aria-valuenow', String(Math.round(pct)));
    const bits = [];
    if (pct !== null) bits.push(h('b', { test: 'progress-percent' }, `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.floor(pct)}%`));
    if (p.kind === 'COUNT') bits.push(h('span', {}, `${num(p.done)}${p.total >= 0 ? ' / ' + num(p.total) : ''}${p.unit ? ' ' + p.unit : ''}`));
    if (x.rate) bits.push(h('span', { test: 'progress-rate' }, `${x.rate >= 10 ? num(Math.round(x.rate)) : x.rate.toFixed(1)}${p.unit ? ' ' + p.unit : ''}/s`));
    if (x.etaSeconds !== null && x.etaSeconds !== undefined && x.etaSeconds > 0 && pct !== 100) bits.push(h('span', { test: 'progress-eta' }, 'ETA ' + dur(x.etaSeconds * 1000)));
    if (p.message) bits.push(h('span', { class: 'msg', title: p.message }, p.message));
    meta.replaceChildren(...bits);
  };
  root.update(progress, extra);
  return root;
}

function loading(text = 'Loading…') {
  return h('div', { class: 'loading' }, text);
}

// ---------------------------------------------------------------- overview

async function overviewPage(ctx) {
  const tiles = h('div', { class: 'tiles', test: 'state-counts' });
  const chartBody = h('div', { class: 'card-body chart', test: 'throughput-chart' }, loading());
  const totals = h('span', { class: 'muted', test: 'throughput-totals' });
  const queues = h('div', { class: 'card-body', test: 'queue-depths' }, loading());
  const running = h('div', { class: 'card-body flush', test: 'running-jobs' }, loading());
  const sub = h('span', { class: 'sub' });
  ctx.view.append(
    pageHead('Overview', sub),
    tiles,
    h('div', { class: 'grid two' },
      card('Throughput, last hour', chartBody, totals, h('div', { class: 'legend' }, h('span', { class: 'ok' }, 'completed'), h('span', { class: 'fail' }, 'failed'))),
      card('Queue depths', queues)),
    card('Running now', running, h('a', { class: 'btn small ghost', href: 'jobs?state=RUNNING', test: 'all-running' }, 'All running →')),
  );
  ctx.view.lastChild.classList.add('mt');
  let throughput = [];
  const ro = new ResizeObserver(() => drawChart(chartBody, throughput));
  ro.observe(chartBody);
  ctx.cleanups.push(() => ro.disconnect());

  async function loadStats() {
    const { data } = await api('GET', 'stats');
    if (!ctx.alive) return;
    const by = data.byState || {};
    updateFailedCount(by);
    tiles.replaceChildren(...STATES.map((s) => h('a', { class: `tile st st-${s}`, href: 'jobs?state=' + s, test: 'count-' + s },
      h('div', { class: 'n' }, num(by[s] || 0)), h('div', { class: 'l' }, human(s)))));
    throughput = data.throughput || [];
    const c = throughput.reduce((a, b) => a + (b.completed || 0), 0);
    const f = throughput.reduce((a, b) => a + (b.failed || 0), 0);
    totals.textContent = `${num(c)} completed · ${num(f)} failed`;
    drawChart(chartBody, throughput);
    const q = Object.entries(data.queues || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const max = Math.max(1, ...q.map(([, n]) => n));
    queues.replaceChildren(q.length
      ? h('div', {}, q.map(([name, n]) => {
        const fill = h('i');
        fill.style.width = ((100 * n) / max).toFixed(1) + '%';
        return h('div', { class: 'qrow', test: 'queue-' + name },
          h('a', { class: 'mono', href: 'jobs?queue=' + enc(name) + '&state=QUEUED,SCHEDULED,WAITING_RETRY' }, name),
          h('div', { class: 'qbar', title: `${n} waiting` }, fill), h('div', { class: 'right nowrap' }, num(n)));
      }))
      : h('div', { class: 'empty' }, 'No job is waiting in any queue.'));
    sub.textContent = `${num(data.running ?? by.RUNNING ?? 0)} running`;
  }

  const bars = new Map();
  async function loadRunning() {
    const { data } = await api('GET', 'jobs?state=RUNNING&limit=20');
    if (!ctx.alive) return;
    bars.clear();
    if (!data.jobs.length) {
      running.replaceChildren(h('div', { class: 'empty' }, 'Nothing is running right now.'));
      return;
    }
    const rows = data.jobs.map((j) => {
      const pv = progressView(j.progress);
      bars.set(j.id, pv);
      return h('tr', { test: 'running-row', dataset: { id: j.id } },
        h('td', { class: 'jobcell' }, h('a', { href: 'jobs/' + enc(j.id) }, j.name), h('span', { class: 'id' }, shortId(j.id))),
        h('td', { class: 'grow' }, pv),
        h('td', { class: 'col-sm nowrap muted' }, timeEl(j.startedAt)),
        h('td', { class: 'col-md nowrap muted' }, j.queue));
    });
    running.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 't' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Job'), h('th', {}, 'Progress'), h('th', { class: 'col-sm' }, 'Started'), h('th', { class: 'col-md' }, 'Queue'))),
      h('tbody', {}, rows))));
  }

  const refresh = throttle(() => Promise.all([loadStats(), loadRunning()]).catch(() => {}), 1500);
  ctx.on('job', refresh);
  ctx.on('open', refresh);
  ctx.on('progress', (p) => {
    const pv = bars.get(p.jobId);
    if (pv) pv.update(p.progress, p);
    else refresh();
  });
  ctx.every(10000, () => loadStats().catch(() => {}));
  await Promise.all([loadStats(), loadRunning()]);
}

function drawChart(box, buckets) {
  const W = Math.max(280, box.clientWidth - 32);
  const H = W < 500 ? 160 : 200;
  const padL = 34, padB = 22, padT = 8;
  const n = Math.max(1, buckets.length);
  const max = Math.max(1, ...buckets.map((b) => (b.completed || 0) + (b.failed || 0)));
  const nice = (() => {
    const p = Math.pow(10, Math.floor(Math.log10(max)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
    return max;
  })();
  const ih = H - padB - padT;
  const bw = (W - padL) / n;
  const y = (v) => padT + ih - (v / nice) * ih;
  const g = [];
  for (const f of [0, 0.5, 1]) {
    const v = nice * f;
    g.push(svg('line', { class: f === 0 ? 'axis' : 'grid-line', x1: padL, x2: W, y1: y(v), y2: y(v) }));
    g.push(svg('text', { x: padL - 6, y: y(v) + 3, 'text-anchor': 'end' }, v >= 1000 ? `${v / 1000}k` : String(v)));
  }
  buckets.forEach((b, i) => {
    const x = padL + i * bw;
    const c = b.completed || 0;
    const f = b.failed || 0;
    const t = new Date(b.start);
    const label = `${t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}: ${num(c)} completed, ${num(f)} failed`;
    const gap = bw > 6 ? 1.5 : 0.5;
    const parts = [svg('title', {}, label)];
    if (c) parts.push(svg('rect', { class: 'bar-ok', x: x + gap / 2, width: Math.max(1, bw - gap), y: y(c), height: Math.max(0.5, ih + padT - y(c)) }));
    if (f) parts.push(svg('rect', { class: 'bar-fail', x: x + gap / 2, width: Math.max(1, bw - gap), y: y(c + f), height: Math.max(0.5, y(c) - y(c + f)) }));
    parts.push(svg('rect', { class: 'hit', x, width: bw, y: padT, height: ih }));
    g.push(svg('g', {}, parts));
    const every = n > 30 ? (W < 500 ? 20 : 10) : 5;
    if ((n - 1 - i) % every === 0) {
      const last = i === n - 1;
      g.push(svg('text', { x: last ? W : x + bw / 2, y: H - 6, 'text-anchor': last ? 'end' : 'middle' }, last ? 'now' : `-${n - 1 - i}m`));
    }
  });
  const el = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'Jobs completed and failed per minute over the last hour' }, g);
  box.replaceChildren(buckets.length ? el : h('div', { class: 'empty' }, 'No figures yet.'));
}

// ---------------------------------------------------------------- jobs list (jobs & failed pages)

function jobList(ctx, opts) {
  const params = new URLSearchParams(location.search);
  const filter = {
    state: new Set((params.get('state') || (opts.defaultStates || []).join(',')).split(',').filter((s) => opts.states.includes(s))),
    name: params.get('name') || '',
    tag: params.get('tag') || '',
    queue: params.get('queue') || '',
    q: params.get('q') || '',
    tenant: params.get('tenant') || '', // #14: for keys of every tenant
  };
  const selected = new Set();
  let rows = new Map(); // id -> {tr, job, pv}
  let cursors = [null];
  let pageNo = 0;
  let next = null;
  let outside = new Set();

  const operate = can('operator');
  const tbody = h('tbody', { test: 'job-rows' });
  const allBox = h('input', { type: 'checkbox', 'aria-label': 'Select all on this page', test: 'select-all' });
  const notice = h('div', { class: 'notice hidden', test: 'new-jobs' });
  const pager = h('div', { class: 'pager' });
  const bulkbar = h('div', { class: 'bulkbar hidden', test: 'bulk-bar' });
  const chipBox = h('div', { class: 'chips', role: 'group', 'aria-label': 'States', test: 'state-filter' });

  const inputs = {};
  const field = (key, label, attrs = {}) => {
    const input = h('input', { type: key === 'q' ? 'search' : 'text', id: 'flt-' + key, value: filter[key], test: 'filter-' + key, autocomplete: 'off', ...attrs });
    inputs[key] = input;
    input.addEventListener('input', debounce(() => {
      filter[key] = input.value.trim();
      apply();
    }, 300));
    return h('div', { class: 'f-' + key }, h('label', { for: 'flt-' + key }, label), input);
  };
  const namesList = h('datalist', { id: 'type-names' });
  api('GET', 'types').then(({ data }) => namesList.replaceChildren(...data.types.map((t) => h('option', { value: t.name })))).catch(() => {});

  function debounce(fn, ms) {
    let t;
    return () => {
      clearTimeout(t);
      t = setTimeout(fn, ms);
    };
  }

  function renderChips() {
    chipBox.replaceChildren(...opts.states.map((s) => h('button', {
      type: 'button', class: `chip st st-${s}`, 'aria-pressed': String(filter.state.has(s)), test: 'chip-' + s,
      onclick: () => {
        filter.state.has(s) ? filter.state.delete(s) : filter.state.add(s);
        renderChips();
        apply();
      },
    }, human(s))));
  }

  function query(withPaging) {
    const p = new URLSearchParams();
    const st = [...filter.state];
    if (st.length) p.set('state', st.join(','));
    for (const k of ['name', 'tag', 'queue', 'q', 'tenant']) if (filter[k]) p.set(k, filter[k]);
    if (withPaging) {
      p.set('limit', String(opts.limit || 50));
      if (cursors[pageNo]) p.set('after', cursors[pageNo]);
    }
    return p;
  }

  function apply() {
    const p = query(false);
    const qs = p.toString();
    history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    cursors = [null];
    pageNo = 0;
    load().catch(fail);
  }

  async function load() {
    const p = query(true);
    if (!filter.state.size && opts.defaultStates) p.set('state', opts.states.join(','));
    const { data } = await api('GET', 'jobs?' + p);
    if (!ctx.alive) return;
    next = data.next || null;
    rows = new Map();
    outside = new Set();
    notice.classList.add('hidden');
    tbody.replaceChildren(...data.jobs.map((j) => row(j)));
    if (!data.jobs.length) tbody.append(h('tr', {}, h('td', { colspan: '12', class: 'empty', test: 'no-jobs' }, opts.empty)));
    for (const id of [...selected]) if (!rows.has(id)) selected.delete(id);
    syncSelection();
    pager.replaceChildren(
      h('button', { type: 'button', class: 'btn small', disabled: pageNo === 0, test: 'prev-page', onclick: () => { pageNo--; load().catch(fail); } }, '← Newer'),
      h('span', {}, `Page ${pageNo + 1}`),
      h('button', { type: 'button', class: 'btn small', disabled: !next, test: 'next-page', onclick: () => { cursors[pageNo + 1] = next; pageNo++; load().catch(fail); } }, 'Older →'),
    );
  }

  function row(j) {
    const box = operate ? h('input', { type: 'checkbox', 'aria-label': 'Select ' + j.id, test: 'select', checked: selected.has(j.id) }) : null;
    const pv = j.state === 'RUNNING' || j.progress ? progressView(j.progress) : null;
    const tr = h('tr', { test: 'job-row', dataset: { id: j.id, state: j.state } });
    const fill = () => {
      tr.dataset.state = j.state;
      const cells = [];
      if (operate) cells.push(h('td', { class: 'sel' }, box));
      cells.push(h('td', { class: 'jobcell' }, h('a', { href: 'jobs/' + enc(j.id), test: 'job-link' }, j.name),
        // #14: the tenant of a job that is not the default's, for keys that see every tenant
        allTenants() && j.tenant && j.tenant !== 'default' ? h('span', { class: 'actor tenant-chip', test: 'job-tenant', title: 'Tenant' }, j.tenant) : null,
        h('span', { class: 'id', title: j.id }, shortId(j.id))));
      cells.push(h('td', { test: 'state-cell' }, badge(j.state)));
      if (opts.showError) cells.push(h('td', { class: 'col-sm' }, h('div', { class: 'err', title: errorText(j.error) }, errorText(j.error) || '—')));
      else cells.push(h('td', { class: 'col-sm' }, j.state === 'RUNNING' || (pv && !TERMINAL.has(j.state)) ? pv : h('span', { class: 'faint' }, j.state === 'COMPLETED' ? 'done' : '—')));
      cells.push(h('td', { class: 'col-md nowrap' }, `${j.attempts ?? 0}${j.maxAttempts ? ' / ' + j.maxAttempts : ''}`));
      cells.push(h('td', { class: 'col-md mono' }, j.queue));
      cells.push(h('td', { class: 'col-sm nowrap muted' }, timeEl(j.createdAt)));
      cells.push(h('td', { class: 'col-md nowrap muted' }, timeEl(j.finishedAt)));
      if (opts.rowAction && operate) {
        cells.push(h('td', { class: 'right' }, opts.rowAction(j, () => refetch(j.id))));
      }
      tr.replaceChildren(...cells);
      tr.classList.toggle('selected', selected.has(j.id));
    };
    if (box) box.addEventListener('change', () => {
      box.checked ? selected.add(j.id) : selected.delete(j.id);
      syncSelection();
    });
    rows.set(j.id, { tr, pv, set: (nj) => { Object.assign(j, nj); fill(); } });
    fill();
    return tr;
  }

  async function refetch(id) {
    try {
      const { data } = await api('GET', 'jobs/' + enc(id));
      const r = rows.get(id);
      if (r && ctx.alive) r.set(data);
    } catch {
      /* it may have been removed */
    }
  }

  function syncSelection() {
    for (const [id, r] of rows) {
      r.tr.classList.toggle('selected', selected.has(id));
      const b = r.tr.querySelector('[data-test="select"]');
      if (b) b.checked = selected.has(id);
    }
    allBox.checked = rows.size > 0 && [...rows.keys()].every((id) => selected.has(id));
    allBox.indeterminate = !allBox.checked && selected.size > 0;
    bulkbar.classList.toggle('hidden', selected.size === 0);
    bulkbar.replaceChildren(
      h('b', { test: 'selected-count' }, `${selected.size} selected`),
      ...opts.bulk.map(([action, label, danger]) => {
        const run = () => bulk(action, { ids: [...selected] });
        return danger
          ? confirmButton(label, `${label} ${selected.size}?`, run, { class: 'small', test: 'bulk-' + action })
          : h('button', { type: 'button', class: 'btn small', test: 'bulk-' + action, onclick: run }, label);
      }),
      h('button', { type: 'button', class: 'btn small ghost', test: 'clear-selection', onclick: () => { selected.clear(); syncSelection(); } }, 'Clear'),
    );
  }

  async function bulk(action, body) {
    try {
      const { data } = await api('POST', 'jobs/bulk/' + action, body);
      toast(`${human(action)}: ${num(data.changed)} changed${data.skipped ? `, ${num(data.skipped)} skipped` : ''}`);
      selected.clear();
      await load();
    } catch (e) {
      fail(e);
    }
  }

  allBox.addEventListener('change', () => {
    for (const id of rows.keys()) allBox.checked ? selected.add(id) : selected.delete(id);
    syncSelection();
  });

  ctx.on('job', (e) => {
    const r = rows.get(e.jobId);
    if (r) {
      if (e.to) r.set({ state: e.to });
      r.tr.classList.remove('flash');
      void r.tr.offsetWidth;
      r.tr.classList.add('flash');
      refetchSoon(e.jobId);
    } else if (pageNo === 0) {
      // A dispatch has no event of its own in the stream (the runtime derives CREATED from the
      // job's row), so any event of a job that is not shown may be a new one for this list.
      const st = filter.state.size ? filter.state : opts.defaultStates ? new Set(opts.states) : null;
      if (st && !st.has(e.to)) return;
      if (filter.name && e.name !== filter.name) return;
      outside.add(e.jobId);
      const n = outside.size;
      notice.classList.remove('hidden');
      notice.replaceChildren(h('span', {}, `${num(n)} ${opts.defaultStates ? 'more' : 'new or changed'} ${n === 1 ? 'job' : 'jobs'} since this page loaded.`),
        h('button', { type: 'button', class: 'btn small', test: 'show-new', onclick: () => load().catch(fail) }, 'Show'));
    }
  });
  ctx.on('progress', (p) => {
    const r = rows.get(p.jobId);
    if (r && r.pv) r.pv.update(p.progress, p);
  });
  ctx.on('open', () => [...rows.keys()].forEach(refetchSoon));
  const pending = new Set();
  const flush = throttle(() => {
    const ids = [...pending];
    pending.clear();
    ids.forEach(refetch);
  }, 800);
  function refetchSoon(id) {
    pending.add(id);
    flush();
  }

  renderChips();
  const head = [];
  if (operate) head.push(h('th', { class: 'sel' }, allBox));
  head.push(h('th', {}, 'Job'), h('th', {}, 'State'), h('th', { class: 'col-sm' }, opts.showError ? 'Error' : 'Progress'), h('th', { class: 'col-md' }, 'Attempts'),
    h('th', { class: 'col-md' }, 'Queue'), h('th', { class: 'col-sm' }, 'Created'), h('th', { class: 'col-md' }, 'Finished'));
  if (opts.rowAction && operate) head.push(h('th', {}, ''));
  const filters = h('div', { class: 'filters' },
    field('q', 'Search', { placeholder: 'id prefix, name, tag or error text' }),
    field('name', 'Type', { list: 'type-names', placeholder: 'any' }),
    opts.showError ? null : field('tag', 'Tag', { placeholder: 'any' }),
    field('queue', 'Queue', { placeholder: 'any' }),
    allTenants() ? field('tenant', 'Tenant', { placeholder: 'any' }) : null, namesList); // #14
  const el = h('section', { class: 'card', test: opts.test },
    chipBox, filters, bulkbar, notice,
    h('div', { class: 'table-wrap' }, h('table', { class: 't' }, h('thead', {}, h('tr', {}, head)), tbody)),
    pager);
  return { el, load, bulk, filter, query };
}

function errorText(err) {
  if (!err) return '';
  if (typeof err === 'string') return err;
  return err.message || err.detail || JSON.stringify(err);
}

async function jobsPage(ctx) {
  const list = jobList(ctx, {
    states: STATES,
    test: 'jobs-table',
    bulk: [['retry', 'Retry', false], ['cancel', 'Cancel', true]],
    empty: 'No job matches these filters.',
  });
  ctx.view.append(pageHead('Jobs', can('operator') ? h('a', { class: 'btn primary', href: 'types', test: 'new-job' }, 'Submit a job') : null), list.el);
  await list.load();
}

async function failedPage(ctx) {
  const retryAll = h('div', { class: 'btns' });
  const list = jobList(ctx, {
    states: FAILED_STATES,
    defaultStates: FAILED_STATES,
    test: 'failed-table',
    showError: true,
    bulk: [['retry', 'Retry', false]],
    empty: 'No failed or quarantined jobs. All is well.',
    rowAction: (j, done) => h('button', { type: 'button', class: 'btn small', test: 'retry', onclick: async () => {
      try {
        await api('POST', `jobs/${enc(j.id)}/retry`);
        toast(`Retried ${j.name} ${shortId(j.id)}`);
        done();
      } catch (e) {
        fail(e);
      }
    } }, 'Retry'),
  });
  if (can('operator')) {
    const filterBody = () => {
      const f = {};
      const p = list.query(false);
      for (const [k, v] of p) f[k] = v;
      if (!f.state) f.state = FAILED_STATES.join(',');
      return f;
    };
    const start = h('button', { type: 'button', class: 'btn', test: 'retry-all', onclick: async () => {
      try {
        const { data } = await api('POST', 'jobs/bulk/retry', { filter: filterBody(), dryRun: true });
        if (!data.matched) return toast('No job matches these filters.');
        retryAll.replaceChildren(
          h('span', { class: 'muted nowrap' }, `Retry ${num(data.matched)} ${data.matched === 1 ? 'job' : 'jobs'}?`),
          h('button', { type: 'button', class: 'btn primary', test: 'retry-all-confirm', onclick: async () => {
            retryAll.replaceChildren(start);
            await list.bulk('retry', { filter: filterBody(), dryRun: false });
          } }, 'Retry all'),
          h('button', { type: 'button', class: 'btn ghost', onclick: () => retryAll.replaceChildren(start) }, 'Keep'));
      } catch (e) {
        fail(e);
      }
    } }, 'Retry all matching…');
    retryAll.append(start);
  }
  ctx.view.append(pageHead('Failed & quarantined', h('span', { class: 'grow' }), retryAll), list.el);
  await list.load();
}

// ---------------------------------------------------------------- one job

const ACTIONS = [
  ['cancel', 'Cancel', (s) => !TERMINAL.has(s), true],
  ['pause', 'Pause', (s) => ['QUEUED', 'SCHEDULED', 'RUNNING', 'WAITING_RETRY'].includes(s), false],
  ['resume', 'Resume', (s) => s === 'PAUSED', false],
  ['retry', 'Retry', (s) => ['FAILED', 'CANCELLED', 'TIMED_OUT', 'QUARANTINED'].includes(s), false],
  ['clone', 'Clone', () => true, false],
];

async function jobPage(ctx, id) {
  let job = (await api('GET', 'jobs/' + enc(id))).data;
  if (!ctx.alive) return;
  if (job.id !== id) history.replaceState(null, '', BASE + 'jobs/' + enc(job.id));
  connect('job=' + enc(job.id));
  document.title = `${job.name} ${shortId(job.id)} · jobkit`;

  const head = h('div');
  const errorSlot = h('div');
  const progressSlot = h('div');
  const details = h('div', { class: 'card-body' });
  const paramsBody = h('div', { class: 'card-body' });
  const checkpointBody = h('div', { class: 'card-body' });
  const outputBody = h('div', { class: 'card-body' });
  const timeline = h('ol', { class: 'timeline', test: 'timeline' });
  const logBox = h('div', { class: 'log', test: 'log', tabindex: '0', 'aria-label': 'Log lines' });
  const level = h('select', { test: 'log-level', 'aria-label': 'Lowest level shown' }, ['ALL', ...LEVELS].map((l) => h('option', { value: l === 'ALL' ? '' : l }, l === 'ALL' ? 'All levels' : l + '+')));
  const follow = h('input', { type: 'checkbox', checked: true, test: 'log-follow', id: 'log-follow' });
  let pv = null;
  let progressExtra = {};
  const durEl = h('span', { test: 'duration' });
  ctx.every(1000, () => {
    if (job.startedAt && !job.finishedAt) tickDuration();
  });

  let headKey = null;
  function renderAll() {
    const operate = can('operator');
    const key = `${job.state}|${operate}|${job.name}`;
    if (key !== headKey) {
    headKey = key;
    head.replaceChildren(
      h('div', { class: 'crumbs' }, h('a', { href: 'jobs' }, 'Jobs'), ' / ', h('a', { href: 'jobs?name=' + enc(job.name) }, job.name)),
      h('div', { class: 'page-head' },
        h('h1', { test: 'page-title' }, job.name), badge(job.state),
        h('code', { class: 'faint', test: 'job-id', title: 'Job id' }, job.id),
        h('span', { class: 'grow' }),
        operate ? h('div', { class: 'btns', test: 'job-actions' }, ACTIONS.filter(([, , ok]) => ok(job.state)).map(([a, label, , danger]) => {
          const run = () => act(a);
          return danger ? confirmButton(label, `${label} this job?`, run, { test: 'action-' + a })
            : h('button', { type: 'button', class: 'btn', test: 'action-' + a, onclick: run }, label);
        }), h('a', { class: 'btn', href: `types/${enc(job.name)}?from=${enc(job.id)}`, test: 'action-edit-copy', title: 'Open the submit form filled in with these parameters' }, 'Edit a copy')) : null),
    );
    }
    const err = errorText(job.error);
    errorSlot.replaceChildren(err ? card('Error', h('div', { class: 'card-body' }, h('div', { class: 'errorbox', test: 'job-error' }, err))) : '');
    if (job.state === 'RUNNING' || job.progress) {
      if (!pv) {
        pv = progressView(job.progress, progressExtra, true);
        progressSlot.replaceChildren(card('Progress', h('div', { class: 'card-body', test: 'job-progress' }, pv)));
      } else pv.update(job.progress, TERMINAL.has(job.state) ? {} : progressExtra);
    }
    const tags = (job.tags || []).length ? h('span', {}, job.tags.map((t) => h('a', { class: 'tag', href: 'jobs?tag=' + enc(t) }, t))) : '—';
    tickDuration();
    details.replaceChildren(h('dl', { class: 'kv', test: 'job-details' },
      kv('State', badge(job.state)),
      kv('Queue', h('span', { class: 'mono' }, job.queue)),
      kv('Tenant', h('span', { class: 'mono', test: 'job-tenant' }, job.tenant || 'default')), // #14
      kv('Priority', human(job.priority)),
      kv('Attempts', h('span', { test: 'attempts' }, `${job.attempts ?? 0}${job.maxAttempts ? ' of ' + job.maxAttempts : ''}`)),
      kv('Created', timeEl(job.createdAt), job.createdBy ? h('span', {}, ' by ', h('span', { class: 'actor' }, job.createdBy)) : null),
      kv('Run at', job.runAt ? timeEl(job.runAt) : '—'),
      kv('Started', timeEl(job.startedAt)),
      kv('Finished', timeEl(job.finishedAt)),
      kv('Duration', durEl),
      kv('Timeout', job.timeout ? isoDur(job.timeout) : 'none'),
      kv('Idempotency key', job.idempotencyKey ? h('code', {}, job.idempotencyKey) : '—'),
      // #12 limits: why a due job does not start
      job.waitingFor ? kv('Waiting', h('span', { test: 'job-waiting' }, job.waitingFor)) : null,
      // #12 dependencies: what the job waits for
      job.parents ? kv('Waits for', h('span', { test: 'job-parents' }, job.parents.map((p) => h('span', { class: 'parent' },
        h('a', { class: 'mono', href: 'jobs/' + enc(p.id) }, p.id.slice(-8)), ' ', badge(p.state || 'DELETED'), p.satisfied ? ' ✓' : '')))) : null,
      job.batch ? kv('Batch', h('a', { class: 'mono', href: 'batches/' + enc(job.batch), test: 'job-batch' }, shortId(job.batch))) : null, // #12 batches
      kv('Tags', tags)));
    const decode = job.decodeError ? h('div', { class: 'errorbox', test: 'decode-error' }, job.decodeError) : null;
    paramsBody.replaceChildren(decode || (job.params !== undefined && job.params !== null ? jsonView(parseMaybe(job.params), 'job-params') : h('span', { class: 'muted' }, 'No parameters.')));
    checkpointBody.replaceChildren(job.checkpoint !== undefined && job.checkpoint !== null ? jsonView(parseMaybe(job.checkpoint), 'job-checkpoint') : h('span', { class: 'muted' }, 'No checkpoint saved yet.'));
    outputBody.replaceChildren(job.output !== undefined && job.output !== null ? jsonView(parseMaybe(job.output), 'job-output')
      : h('span', { class: 'muted' }, job.state === 'COMPLETED' ? 'This job returned nothing.' : 'No output yet.'));
  }

  function tickDuration() {
    const started = job.startedAt ? new Date(job.startedAt).getTime() : null;
    const ended = job.finishedAt ? new Date(job.finishedAt).getTime() : null;
    durEl.textContent = started ? dur((ended || Date.now()) - started) + (ended ? '' : ' so far') : '—';
  }

  function kv(k, ...v) {
    return [h('dt', {}, k), h('dd', {}, ...v)];
  }

  async function act(action) {
    try {
      const { data, status } = await api('POST', `jobs/${enc(job.id)}/${action}`);
      if (action === 'clone') {
        toast(`Cloned as ${shortId(data.id)}`);
        if (status === 201 || data.id !== job.id) navigate('jobs/' + enc(data.id));
        return;
      }
      toast(`${human(action)}: ${human(data.state)}`);
      if (ctx.alive) {
        job = { ...job, ...data };
        renderAll();
      }
    } catch (e) {
      fail(e);
    }
  }

  const reload = throttle(async () => {
    try {
      const { data } = await api('GET', 'jobs/' + enc(job.id));
      if (!ctx.alive) return;
      job = data;
      renderAll();
    } catch {
      /* keep what we show */
    }
  }, 700);

  // Timeline
  const eventIds = new Set();
  function addEvent(e) {
    if (e.id !== undefined && eventIds.has(e.id)) return;
    eventIds.add(e.id);
    timeline.querySelector('li.faint')?.remove();
    const what = e.kind === 'STATUS_CHANGED' || (e.from && e.to)
      ? h('span', { class: 'what' }, e.from ? badge(e.from) : null, e.from ? ' → ' : null, badge(e.to))
      : h('span', { class: 'what' }, human(e.kind));
    const li = h('li', { class: `st st-${e.to || ''}`, test: 'event', dataset: { kind: e.kind || '', id: String(e.id ?? '') } },
      what, ' ', e.actor ? h('span', { class: 'actor', test: 'event-actor', title: 'Who did it' }, e.actor) : null,
      h('div', { class: 'when' }, timeEl(e.at)),
      e.detail ? h('div', { class: 'detail' }, e.detail) : null);
    const after = [...timeline.children].find((x) => Number(x.dataset.id) > Number(e.id));
    timeline.insertBefore(li, after || null);
  }
  async function loadEvents() {
    const { data } = await api('GET', `jobs/${enc(job.id)}/events`);
    if (!ctx.alive) return;
    (data.events || []).forEach(addEvent);
    if (!timeline.children.length) timeline.append(h('li', { class: 'faint' }, 'No events.'));
  }

  // Log
  const logIds = new Set();
  let maxLogId = -1;
  let lastAttempt = null;
  const wantLevel = () => level.value;
  const passes = (l) => !wantLevel() || LEVELS.indexOf(l) >= LEVELS.indexOf(wantLevel());
  const time = (iso) => {
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString(undefined, { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  };
  function addLines(lines) {
    const nearBottom = logBox.scrollHeight - logBox.scrollTop - logBox.clientHeight < 40;
    const empty = logBox.querySelector('.log-empty');
    for (const l of lines) {
      if (logIds.has(l.id) || !passes(l.level)) continue;
      logIds.add(l.id);
      if (empty) empty.remove();
      if (l.attempt !== undefined && l.attempt !== lastAttempt && lastAttempt !== null) {
        logBox.append(h('div', { class: 'ln' }, h('span'), h('span'), h('span', { class: 'at' }, `── attempt ${l.attempt} ──`)));
      }
      lastAttempt = l.attempt;
      const row = h('div', { class: 'ln', test: 'log-line', dataset: { id: String(l.id), level: l.level } },
        h('span', { class: 'at', title: l.at }, time(l.at)), h('span', { class: `lv lv-${l.level}` }, l.level), h('span', { class: 'msg' }, l.message));
      // Lines may arrive out of id order (a reconnect's catch-up, or PostgreSQL committing a
      // lower id later): keep the log in id order, as it is stored.
      const later = l.id < maxLogId
        ? [...logBox.querySelectorAll('[data-test="log-line"]')].find((e) => Number(e.dataset.id) > l.id)
        : null;
      if (later) logBox.insertBefore(row, later);
      else logBox.append(row);
      maxLogId = Math.max(maxLogId, l.id);
    }
    while (logBox.children.length > 5000) logBox.firstChild.remove();
    if (follow.checked && (nearBottom || lines.length)) logBox.scrollTop = logBox.scrollHeight;
  }
  let buffered = null; // live lines that arrive while the log loads
  async function loadLog() {
    buffered = [];
    logBox.replaceChildren(h('div', { class: 'log-empty' }, 'Loading…'));
    let after = null;
    let lines = [];
    for (let i = 0; i < 20; i++) {
      const p = new URLSearchParams({ limit: '500' });
      if (wantLevel()) p.set('level', wantLevel());
      if (after) p.set('after', after);
      const { data } = await api('GET', `jobs/${enc(job.id)}/logs?${p}`);
      if (!ctx.alive) return;
      lines = lines.concat(data.lines || []);
      after = data.next;
      if (!after || !(data.lines || []).length) break;
    }
    logIds.clear();
    maxLogId = -1;
    lastAttempt = null;
    logBox.replaceChildren(h('div', { class: 'log-empty' }, 'No log lines yet.'));
    addLines(lines.concat(buffered).sort((a, b) => a.id - b.id));
    buffered = null;
  }
  level.addEventListener('change', () => loadLog().catch(fail));

  ctx.on('job', (e) => {
    if (e.jobId !== job.id) return;
    addEvent(e);
    if (e.to) {
      job = { ...job, state: e.to };
      renderAll();
    }
    reload();
  });
  ctx.on('open', () => reload());
  ctx.on('log', (l) => {
    if (l.jobId !== job.id) return;
    if (buffered) buffered.push(l);
    else addLines([l]);
  });
  ctx.on('progress', (p) => {
    if (p.jobId !== job.id) return;
    progressExtra = { rate: p.rate, etaSeconds: p.etaSeconds };
    job.progress = p.progress;
    if (!pv) renderAll();
    else pv.update(p.progress, progressExtra);
  });

  ctx.view.append(
    head, errorSlot, progressSlot,
    h('div', { class: 'grid two mt' },
      h('div', { class: 'stack' },
        card('Log', logBox, h('span', { class: 'grow' }), level, h('label', { class: 'check nowrap muted', for: 'log-follow' }, follow, ' Follow')),
        card('Timeline', h('div', { class: 'card-body' }, timeline))),
      h('div', { class: 'stack' },
        card('Details', details),
        card('Parameters', paramsBody),
        card('Checkpoint state', checkpointBody),
        card('Output', outputBody))),
  );
  renderAll();
  await Promise.all([loadLog(), loadEvents()]);
}

// ---------------------------------------------------------------- types & the submit form

async function typesPage(ctx) {
  const { data } = await api('GET', 'types');
  if (!ctx.alive) return;
  const types = [...data.types].sort((a, b) => a.name.localeCompare(b.name));
  ctx.view.append(pageHead('Job types', h('span', { class: 'sub' }, `${types.length} registered`)),
    types.length ? h('div', { class: 'types', test: 'types' }, types.map((t) => {
      const n = Object.keys((t.parameters && t.parameters.properties) || {}).length;
      return h('a', { class: 'card type-card', href: 'types/' + enc(t.name), test: 'type-' + t.name },
        h('div', { class: 'name' }, t.name),
        h('div', { class: 'desc' }, t.description || h('span', { class: 'faint' }, 'No description.')),
        h('div', { class: 'meta' }, h('span', {}, `queue ${t.queue}`), h('span', {}, human(t.priority)), t.timeout ? h('span', {}, `timeout ${isoDur(t.timeout)}`) : null,
          h('span', {}, `${n} ${n === 1 ? 'parameter' : 'parameters'}`)));
    }))
      : h('div', { class: 'card' }, h('div', { class: 'empty' }, 'No job types are registered on this server.')));
}

function optionsSchema(t) {
  return {
    type: 'object',
    properties: {
      priority: { enum: ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'], description: `Default ${human(t.priority || 'NORMAL')}.` },
      queue: { type: 'string', description: `Default ${t.queue || 'default'}.` },
      delay: { type: 'string', format: 'duration', description: 'Run after this delay, e.g. PT5M.' },
      runAt: { type: 'string', format: 'date-time', description: 'Or run at this time.' },
      maxAttempts: { type: 'integer', description: 'Attempts before the job fails for good.' },
      timeout: { type: 'string', format: 'duration', description: t.timeout ? `Default ${isoDur(t.timeout)}.` : 'Default: none.' },
      tags: { type: 'array', items: { type: 'string' } },
      idempotencyKey: { type: 'string', description: 'Submitting the same key again returns the existing job.' },
    },
  };
}

async function typePage(ctx, name) {
  const { data: t } = await api('GET', 'types/' + enc(name));
  if (!ctx.alive) return;
  const operate = can('operator');
  const banner = h('div', { class: 'form-error hidden', test: 'form-error' });
  const curl = h('pre', { class: 'block', test: 'curl' });
  let mode = 'form';

  const updateCurl = () => {
    let body;
    try {
      body = buildBody(false);
    } catch {
      return;
    }
    const url = new URL(BASE + 'api/v1/jobs', location.href).href;
    curl.textContent = `curl -X POST '${url}' \\\n  -H "Authorization: Bearer $JOBKIT_KEY" \\\n  -H 'Content-Type: application/json' \\\n  -d '${body.replace(/'/g, "'\\''")}'`;
  };
  const params = schemaForm(t.parameters || { type: 'object', properties: {} }, { prefix: '$.params', onChange: updateCurl });
  const options = schemaForm(optionsSchema(t), { prefix: '$.options', onChange: updateCurl });
  options.el.classList.add('opts');
  const jsonArea = h('textarea', { class: 'hidden', rows: 14, spellcheck: 'false', test: 'params-json', 'aria-label': 'Parameters as JSON' });
  const jsonErr = h('div', { class: 'ferr hidden', test: 'error-json' });
  jsonArea.addEventListener('input', updateCurl);

  const seg = h('div', { class: 'seg', role: 'group', 'aria-label': 'Edit parameters as' });
  const setMode = (m) => {
    if (m === mode) return;
    if (m === 'json') {
      jsonArea.value = stringify(params.peek() || {}, 2);
    } else {
      try {
        params.write(JSON.parse(jsonArea.value || '{}'));
      } catch (e) {
        jsonErr.textContent = 'not valid JSON: ' + e.message;
        jsonErr.classList.remove('hidden');
        return;
      }
    }
    mode = m;
    jsonErr.classList.add('hidden');
    params.el.classList.toggle('hidden', m === 'json');
    jsonArea.classList.toggle('hidden', m !== 'json');
    for (const b of seg.children) b.setAttribute('aria-pressed', String(b.dataset.mode === m));
    updateCurl();
  };
  seg.append(
    h('button', { type: 'button', 'aria-pressed': 'true', dataset: { mode: 'form' }, test: 'mode-form', onclick: () => setMode('form') }, 'Form'),
    h('button', { type: 'button', 'aria-pressed': 'false', dataset: { mode: 'json' }, test: 'mode-json', onclick: () => setMode('json') }, 'JSON'));

  /** The request body; with validate, shows the fields' own errors and throws when there are some. */
  function buildBody(validate, template) {
    let p;
    let o;
    if (validate) {
      const pr = mode === 'form' ? params.read() : { errors: [] };
      const or = options.read();
      if (pr.errors.length || or.errors.length) throw Object.assign(new Error('Some fields need attention.'), { fields: true });
      p = pr.value;
      o = or.value;
    } else {
      p = mode === 'form' ? params.peek() : undefined;
      o = options.peek();
    }
    if (mode === 'json') {
      const text = jsonArea.value.trim() || '{}';
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        if (validate) {
          jsonErr.textContent = 'not valid JSON: ' + e.message;
          jsonErr.classList.remove('hidden');
          throw Object.assign(new Error('The parameters are not valid JSON.'), { fields: true });
        }
        throw e;
      }
      if (validate && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
        jsonErr.textContent = 'the parameters must be a JSON object';
        jsonErr.classList.remove('hidden');
        throw Object.assign(new Error('The parameters must be a JSON object.'), { fields: true });
      }
      p = new Raw(text);
    }
    if (template) return stringify({ job: t.name, params: p || {}, ...template }); // #12 templates: a PUT templates/NAME body
    const body = { name: t.name, params: p || {} };
    if (o && Object.keys(o).length) body.options = o;
    return stringify(body);
  }

  const submit = h('button', { type: 'submit', class: 'btn primary', test: 'submit', disabled: !operate }, 'Submit job');
  const form = h('form', { class: 'sform', novalidate: true, test: 'submit-form' },
    banner,
    h('div', { class: 'page-head' }, h('h2', {}, 'Parameters'), h('span', { class: 'grow' }), seg),
    params.el, jsonArea, jsonErr,
    h('details', { class: 'sect', test: 'options' }, h('summary', {}, 'Options: priority, queue, delay, timeout, tags'), options.el),
    h('div', { class: 'actions' }, submit, operate ? null : h('span', { class: 'muted' }, 'Your key may only look (viewer role).')));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.classList.add('hidden');
    jsonErr.classList.add('hidden');
    let body;
    try {
      body = buildBody(true);
    } catch (err) {
      showBanner(err.message);
      const first = form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea');
      if (first) first.focus();
      else if (mode === 'json') jsonArea.focus();
      return;
    }
    submit.disabled = true;
    try {
      const { data, status } = await api('POST', 'jobs', body);
      toast(status === 201 ? `Submitted ${t.name} ${shortId(data.id)}` : `A job with this idempotency key exists already: ${shortId(data.id)}`);
      navigate('jobs/' + enc(data.id));
    } catch (err) {
      const p = err.problem || {};
      let placed = false;
      if (p.path) {
        if (mode === 'json' && p.path.startsWith('$.params')) {
          showJsonError(p, body);
          placed = true;
        } else {
          placed = params.showProblem(p) || options.showProblem(p);
          if (!placed && p.path.startsWith('$.options')) {
            form.querySelector('details.sect').open = true;
            placed = options.showProblem(p);
          }
        }
      }
      if (p.path && p.path.startsWith('$.options')) form.querySelector('details.sect').open = true;
      showBanner(placed ? 'The server refused a value; see the marked field.' : err.message, placed ? null : p);
    } finally {
      submit.disabled = !operate;
    }
  });

  /**
   * A parameter problem in JSON mode: its line and column are in the request body, which holds
   * the text area's text after a one-line prefix; show them as a place in the text, and select it.
   */
  function showJsonError(p, body) {
    const value = jsonArea.value;
    const text = value.trim() || '{}';
    const lead = value.length - value.trimStart().length;
    const start = body.indexOf('"params":' + text);
    let where = '';
    if (p.line && start >= 0 && !body.slice(0, start).includes('\n')) {
      const prefix = start + '"params":'.length;
      const line = p.line;
      const column = line === 1 ? p.column - prefix : p.column;
      const lines = text.split('\n');
      if (line <= lines.length && column >= 1) {
        let index = lead + column - 1;
        for (let i = 0; i < line - 1; i++) index += lines[i].length + 1;
        where = ` (line ${line}, column ${column} of the parameters)`;
        jsonArea.focus();
        jsonArea.setSelectionRange(index, Math.min(value.length, index + 1));
      }
    }
    const detail = p.detail || p.title || 'invalid parameters';
    const at = detail.indexOf(p.path + ': ');
    const reason = (at >= 0 ? detail.slice(at + p.path.length + 2) : detail).replace(/\s*\(line \d+, column \d+\)\s*$/, '');
    jsonErr.textContent = `${p.path}: ${reason}${where}`;
    jsonErr.title = detail;
    jsonErr.classList.remove('hidden');
  }

  function showBanner(msg, problem) {
    banner.replaceChildren(h('div', { class: 'errorbox plain' }, msg, problem && problem.path ? ` (at ${problem.path})` : ''));
    banner.classList.remove('hidden');
  }

  // #12 templates: "Save as template" with this form's parameters; ?template=NAME fills the form.
  const tplSave = operate ? saveAsTemplate(t.name, {
    body: (extra) => buildBody(true, extra || {}),
    place: (p, body) => (mode === 'json' ? (showJsonError(p, body), true) : params.showProblem(p)),
  }) : null;
  if (tplSave) await tplSave.fill((v) => params.write(v)); // #12 templates

  const from = new URLSearchParams(location.search).get('from');
  if (from) {
    try {
      const { data: src } = await api('GET', 'jobs/' + enc(from));
      const v = parseMaybe(src.params);
      if (v && typeof v === 'object') params.write(v);
      toast(`Filled in from job ${shortId(src.id)}`);
    } catch (e) {
      fail(e);
    }
  }
  if (!ctx.alive) return;

  ctx.view.append(
    h('div', { class: 'crumbs' }, h('a', { href: 'types' }, 'Types'), ' / ', t.name),
    pageHead(t.name, h('span', { class: 'sub' }, t.description || '')),
    h('div', { class: 'grid two' },
      card(null, h('div', { class: 'card-body' }, form, tplSave && tplSave.el /* #12 templates */)),
      h('div', { class: 'stack' },
        card('About this type', h('div', { class: 'card-body' }, h('dl', { class: 'kv' },
          h('dt', {}, 'Queue'), h('dd', { class: 'mono' }, t.queue || 'default'),
          h('dt', {}, 'Priority'), h('dd', {}, human(t.priority || 'NORMAL')),
          h('dt', {}, 'Timeout'), h('dd', {}, t.timeout ? isoDur(t.timeout) : 'none'),
          h('dt', {}, 'Recent'), h('dd', {}, h('a', { href: 'jobs?name=' + enc(t.name) }, 'Jobs of this type →'))))),
        card('Request', h('div', { class: 'card-body' }, curl)),
        h('details', { class: 'card' }, h('summary', { class: 'card-head' }, h('h2', {}, 'Parameter schema')), h('div', { class: 'card-body' }, jsonView(t.parameters || {}, 'schema'))),
        t.output ? h('details', { class: 'card' }, h('summary', { class: 'card-head' }, h('h2', {}, 'Output schema')), h('div', { class: 'card-body' }, jsonView(t.output))) : null)),
  );
  updateCurl();
}

// ---------------------------------------------------------------- nodes

async function nodesPage(ctx) {
  const { data } = await api('GET', 'nodes');
  if (!ctx.alive) return;
  const nodes = data.nodes || [];
  const body = nodes.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 't', test: 'nodes-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'Status'), h('th', { class: 'col-sm' }, 'Host'), h('th', { class: 'col-md' }, 'Queues'), h('th', { class: 'col-md' }, 'Started'), h('th', {}, 'Heartbeat'))),
      h('tbody', {}, nodes.map((n) => h('tr', { test: 'node-row' },
        h('td', { class: 'mono' }, n.id),
        h('td', {}, h('span', { class: `badge st ${n.alive ? 'st-COMPLETED' : 'st-FAILED'}` }, n.alive ? 'alive' : 'lost')),
        h('td', { class: 'col-sm' }, n.host || '—'),
        h('td', { class: 'col-md' }, (Array.isArray(n.queues) ? n.queues : String(n.queues || '').split(',')).filter(Boolean).map((q) => h('span', { class: 'tag' }, q))),
        h('td', { class: 'col-md muted' }, timeEl(n.startedAt)),
        h('td', { class: 'muted' }, timeEl(n.heartbeatAt)))))))
    : h('div', { class: 'empty', test: 'no-nodes' }, 'No nodes are listed. Nodes register themselves on PostgreSQL; a SQLite database is used by one process only.');
  ctx.view.append(pageHead('Nodes', h('span', { class: 'sub' }, `${nodes.filter((n) => n.alive).length} alive`)), h('section', { class: 'card' }, body));
  ctx.every(10000, async () => {
    if (!ctx.alive) return;
    try {
      const { data: d } = await api('GET', 'nodes');
      if (ctx.alive && JSON.stringify(d.nodes) !== JSON.stringify(nodes)) render();
    } catch {
      /* keep */
    }
  });
}

// ---------------------------------------------------------------- login

async function loginPage(ctx) {
  disconnect();
  if (session) {
    navigate(safeNext(), true);
    return;
  }
  const input = h('input', { type: 'password', id: 'key', autocomplete: 'current-password', spellcheck: 'false', placeholder: 'jk_…', test: 'login-key', required: true });
  const err = h('div', { class: 'errorbox hidden', test: 'login-error', role: 'alert' });
  const btn = h('button', { type: 'submit', class: 'btn primary', test: 'login-submit' }, 'Sign in');
  const form = h('form', { test: 'login-form' },
    h('div', { class: 'field' }, h('label', { for: 'key' }, 'API key'), input),
    err, h('div', { class: 'actions' }, btn));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.classList.add('hidden');
    if (!input.value.trim()) {
      err.textContent = 'Paste an API key; create one with: jobkit keys create --name NAME --role operator';
      err.classList.remove('hidden');
      return;
    }
    btn.disabled = true;
    try {
      await api('POST', 'session', { key: input.value.trim() });
      input.value = '';
      await loadSession();
      if (!session) throw new Error('Signed in, but the server did not keep the session; are cookies blocked?');
      navigate(safeNext(), true);
    } catch (e2) {
      err.textContent = e2.message;
      err.classList.remove('hidden');
      input.select();
    } finally {
      btn.disabled = false;
    }
  });
  ctx.view.append(h('div', { class: 'login' }, h('section', { class: 'card' }, h('div', { class: 'card-body' },
    h('h1', { test: 'page-title' }, 'Sign in'),
    h('p', {}, 'Use an API key. An admin creates one with ', h('code', {}, 'jobkit keys create'), '.'),
    form))));
  input.focus();
}

function safeNext() {
  const n = new URLSearchParams(location.search).get('next') || '';
  return /^[\w\-/.?=&%,]*$/.test(n) && !n.startsWith('/') && !n.startsWith('login') ? n : '';
}

// ---------------------------------------------------------------- start

setInterval(() => {
  for (const t of document.querySelectorAll('time[data-rel]')) t.textContent = relTime(t.getAttribute('datetime'));
}, 30000);

live.handlers.job.add((e) => {
  if (e.to && (FAILED_STATES.includes(e.to) || FAILED_STATES.includes(e.from))) refreshFailedCount();
});

async function start() {
  document.getElementById('app').replaceChildren(topbar, roBanner, main, toasts);
  try {
    await loadSession();
  } catch (e) {
    renderTopbar();
    main.replaceChildren(h('div', { class: 'card' }, h('div', { class: 'empty', test: 'page-error' }, e.message)));
    return;
  }
  if (session) refreshFailedCount();
  render();
}

start();

// #12 schedules: the helpers the pages in schedules.js use.
export { api, h, enc, can, card, pageHead, confirmButton, toast, fail, navigate, timeEl, absTime, human, jsonView, parseMaybe, isoDur, shortId };
// #12 batches: what batches.js uses besides.
export { badge, progressView };
// #14 tenants: the helpers the pages in tenants.js use.
export { allTenants, sessionTenant, num };
