// The dashboard's tenant pages (#14): the Audit page (who did what: a table with filters and keyset
// pages, newest first; a tenant's key sees its own tenant's entries only), and the Tenants page for
// administrators whose key acts for every tenant (weights, quotas, queued and running counts).

import { api, h, enc, pageHead, timeEl, shortId, allTenants, sessionTenant, num } from './app.js';

// The actions the runtime records (AuditLog's constants), for the action filter's suggestions.
const ACTIONS = [
  'job.*', 'job.submit', 'job.cancel', 'job.pause', 'job.resume', 'job.retry', 'job.clone', 'job.delete',
  'schedule.*', 'schedule.put', 'schedule.pause', 'schedule.resume', 'schedule.trigger', 'schedule.delete',
  'template.save', 'template.delete', 'key.create', 'key.revoke', 'tenant.put', 'tenant.delete',
];

// The "since" choices: an ISO-8601 duration back from now, as GET api/v1/audit takes it.
const SINCE = [['', 'Any time'], ['PT1H', 'Last hour'], ['P1D', 'Last 24 hours'], ['P7D', 'Last 7 days'], ['P30D', 'Last 30 days']];

/** A link to what an entry names, when it is a page of the dashboard; else its text. */
function targetEl(e) {
  const t = e.target;
  if (!t) return h('span', { class: 'faint' }, '—');
  const [family] = e.action.split('.');
  let href = null;
  if (family === 'job' && !/\s/.test(t)) href = 'jobs/' + enc(t);
  else if (family === 'schedule') href = 'schedules/' + enc(t);
  else if (family === 'template') href = 'templates/' + enc(t);
  const label = family === 'job' && !/\s/.test(t) ? shortId(t) : t;
  return href ? h('a', { href, class: 'mono', title: t, test: 'audit-target' }, label) : h('span', { class: 'mono', test: 'audit-target' }, label);
}

// ---------------------------------------------------------------- audit

export async function auditPage(ctx) {
  const params = new URLSearchParams(location.search);
  const filter = {
    tenant: params.get('tenant') || '',
    actor: params.get('actor') || '',
    action: params.get('action') || '',
    since: params.get('since') || '',
  };
  const limit = Math.min(1000, Math.max(1, Number(params.get('limit')) || 50));
  let cursors = [null];
  let pageNo = 0;
  let next = null;

  const tbody = h('tbody', { test: 'audit-rows' });
  const pager = h('div', { class: 'pager' });
  const sub = h('span', { class: 'sub', test: 'audit-scope' },
    allTenants() ? 'Every tenant' : `Tenant ${sessionTenant()}`);

  function debounce(fn, ms) {
    let t;
    return () => {
      clearTimeout(t);
      t = setTimeout(fn, ms);
    };
  }

  const field = (key, label, attrs = {}) => {
    const input = h('input', { type: 'text', id: 'aud-' + key, value: filter[key], test: 'audit-filter-' + key, autocomplete: 'off', ...attrs });
    input.addEventListener('input', debounce(() => {
      filter[key] = input.value.trim();
      apply();
    }, 300));
    return h('div', { class: 'f-' + key }, h('label', { for: 'aud-' + key }, label), input);
  };
  const since = h('select', { id: 'aud-since', test: 'audit-filter-since' },
    SINCE.map(([v, label]) => h('option', { value: v, selected: v === filter.since }, label)));
  since.addEventListener('change', () => {
    filter.since = since.value;
    apply();
  });
  const actionsList = h('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => h('option', { value: a })));

  function query(withPaging) {
    const p = new URLSearchParams();
    for (const k of ['tenant', 'actor', 'action', 'since']) if (filter[k]) p.set(k, filter[k]);
    if (withPaging) {
      p.set('limit', String(limit));
      if (cursors[pageNo]) p.set('after', cursors[pageNo]);
    }
    return p;
  }

  function apply() {
    const p = query(false);
    if (limit !== 50) p.set('limit', String(limit));
    const qs = p.toString();
    history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    cursors = [null];
    pageNo = 0;
    load().catch(showError);
  }

  function showError(e) {
    if (!ctx.alive) return;
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: '6', class: 'empty', test: 'audit-error' }, e.message)));
  }

  async function load() {
    const { data } = await api('GET', 'audit?' + query(true));
    if (!ctx.alive) return;
    next = data.next || null;
    const entries = data.entries || [];
    tbody.replaceChildren(...entries.map((e) => h('tr', { test: 'audit-row', dataset: { id: e.id, action: e.action } },
      h('td', { class: 'nowrap muted' }, timeEl(e.at)),
      h('td', {}, h('span', { class: 'actor', test: 'audit-actor' }, e.actor)),
      h('td', { class: 'mono', test: 'audit-action' }, e.action),
      h('td', { class: 'col-sm mono', test: 'audit-tenant' }, e.tenant || h('span', { class: 'faint' }, '—')),
      h('td', {}, targetEl(e)),
      h('td', { class: 'col-md muted' }, e.detail || ''))));
    if (!entries.length) tbody.append(h('tr', {}, h('td', { colspan: '6', class: 'empty', test: 'no-audit' }, 'No entry matches these filters.')));
    pager.replaceChildren(
      h('button', { type: 'button', class: 'btn small', disabled: pageNo === 0, test: 'audit-prev', onclick: () => { pageNo--; load().catch(showError); } }, '← Newer'),
      h('span', { test: 'audit-page' }, `Page ${pageNo + 1}`),
      h('button', { type: 'button', class: 'btn small', disabled: !next, test: 'audit-next', onclick: () => { cursors[pageNo + 1] = next; pageNo++; load().catch(showError); } }, 'Older →'));
  }

  const filters = h('div', { class: 'filters audit' },
    allTenants() ? field('tenant', 'Tenant', { placeholder: 'any' }) : null,
    field('actor', 'Actor', { placeholder: 'key:NAME or cli:USER' }),
    field('action', 'Action', { list: 'audit-actions', placeholder: 'any, or a family such as job.*' }),
    h('div', { class: 'f-since' }, h('label', { for: 'aud-since' }, 'Since'), since),
    actionsList);
  ctx.view.append(pageHead('Audit trail', sub),
    h('section', { class: 'card', test: 'audit-table' }, filters,
      h('div', { class: 'table-wrap' }, h('table', { class: 't' },
        h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Actor'), h('th', {}, 'Action'), h('th', { class: 'col-sm' }, 'Tenant'), h('th', {}, 'Target'), h('th', { class: 'col-md' }, 'Detail'))),
        tbody)),
      pager));
  await load();
}

// ---------------------------------------------------------------- tenants

/** A quota's value, or "none" for 0. */
const quota = (n) => (n ? num(n) : h('span', { class: 'faint' }, 'none'));

function rate(t) {
  if (!t.submissions) return h('span', { class: 'faint' }, 'none');
  const per = String(t.submissionPeriod || '').replace(/^PT?/, '').toLowerCase();
  return h('span', { title: `burst ${t.burst || t.submissions}` }, `${num(t.submissions)} / ${per}`, t.burst ? h('span', { class: 'faint' }, ` (burst ${num(t.burst)})`) : null);
}

export async function tenantsPage(ctx) {
  const section = h('section', { class: 'card' });
  const count = h('span', { class: 'sub', test: 'tenant-count' });
  ctx.view.append(pageHead('Tenants', count), section);
  async function load() {
    const { data } = await api('GET', 'tenants');
    if (!ctx.alive) return;
    const list = data.tenants || [];
    count.textContent = `${list.length} ${list.length === 1 ? 'tenant' : 'tenants'}`;
    section.replaceChildren(list.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 't', test: 'tenants-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Tenant'), h('th', { class: 'num' }, 'Weight'), h('th', { class: 'num' }, 'Queued'), h('th', { class: 'num' }, 'Running'),
          h('th', { class: 'num col-sm' }, 'Max queued'), h('th', { class: 'num col-sm' }, 'Max running'), h('th', { class: 'col-sm' }, 'Submissions'),
          h('th', { class: 'num col-md' }, 'Stored bytes'), h('th', { class: 'col-md' }, 'Description'))),
        h('tbody', {}, list.map((t) => h('tr', { test: 'tenant-row', dataset: { name: t.name } },
          h('td', {}, h('a', { href: 'jobs?tenant=' + enc(t.name), class: 'mono', test: 'tenant-link' }, t.name),
            t.configured ? null : h('span', { class: 'faint', title: 'No stored settings: weight 1, no quotas' }, ' (defaults)')),
          h('td', { class: 'num', test: 'tenant-weight' }, num(t.weight)),
          h('td', { class: 'num', test: 'tenant-queued' }, num(t.queued)),
          h('td', { class: 'num', test: 'tenant-running' }, num(t.running)),
          h('td', { class: 'num col-sm', test: 'tenant-max-queued' }, quota(t.maxQueued)),
          h('td', { class: 'num col-sm', test: 'tenant-max-running' }, quota(t.maxRunning)),
          h('td', { class: 'col-sm', test: 'tenant-rate' }, rate(t)),
          h('td', { class: 'num col-md' }, quota(t.maxStoredBytes)),
          h('td', { class: 'col-md muted' }, t.description || ''))))))
      : h('div', { class: 'empty', test: 'no-tenants' }, 'No tenant has settings or waiting jobs. Store settings with ', h('code', {}, 'jobkit tenants set NAME'), ' or ', h('code', {}, 'PUT api/v1/tenants/NAME'), '.'));
  }
  await load();
  ctx.every(5000, () => load().catch(() => {}));
}

