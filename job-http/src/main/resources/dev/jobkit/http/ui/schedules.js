// The dashboard's Schedules pages (#12): the list of recurring schedules, and one schedule with its
// next fire times, its history and, for operators, pause, resume, trigger and delete. Schedules do
// not come through the event stream, so both pages re-read theirs every few seconds.

import { api, h, enc, can, card, pageHead, confirmButton, toast, fail, navigate, timeEl, absTime, human, jsonView, parseMaybe, isoDur, shortId } from './app.js';

const REFRESH_MS = 5000;

function stateBadge(s) {
  const state = s.paused ? 'PAUSED' : 'COMPLETED';
  return h('span', { class: `badge st st-${state}`, test: 'schedule-state', dataset: { state: s.paused ? 'paused' : 'active' }, title: s.paused && s.pauseReason ? 'Paused: ' + s.pauseReason : null }, s.paused ? 'Paused' : 'Active');
}

const OUTCOME_STATE = { FIRED: 'COMPLETED', TRIGGERED: 'RUNNING', SKIPPED: 'PAUSED' };

function outcomeBadge(o) {
  return h('span', { class: `badge st st-${OUTCOME_STATE[o] || 'QUEUED'}`, test: 'outcome', dataset: { outcome: o } }, human(o));
}

const policy = (p) => String(p || '').toLowerCase().replace(/_/g, '-');

function jobLink(id) {
  return id ? h('a', { href: 'jobs/' + enc(id), class: 'mono', title: id }, shortId(id)) : h('span', { class: 'faint' }, '—');
}

// ---------------------------------------------------------------- the list

export async function schedulesPage(ctx) {
  const { data } = await api('GET', 'schedules');
  if (!ctx.alive) return;
  let shown = JSON.stringify(data.schedules);
  const count = h('span', { class: 'sub', test: 'schedule-count' });
  const body = h('div');
  function draw(list) {
    const paused = list.filter((s) => s.paused).length;
    count.textContent = `${list.length} ${list.length === 1 ? 'schedule' : 'schedules'}${paused ? `, ${paused} paused` : ''}`;
    body.replaceChildren(list.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 't', test: 'schedules-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Schedule'), h('th', { class: 'col-sm' }, 'When'), h('th', { class: 'col-md' }, 'Job'), h('th', {}, 'Next fire'), h('th', { class: 'col-md' }, 'Last fire'), h('th', {}, 'State'))),
        h('tbody', {}, list.map((s) => h('tr', { test: 'schedule-row', dataset: { name: s.name } },
          h('td', { class: 'jobcell' }, h('a', { href: 'schedules/' + enc(s.name), test: 'schedule-link' }, s.name)),
          h('td', { class: 'col-sm mono', test: 'schedule-when' }, s.when),
          h('td', { class: 'col-md' }, h('a', { href: 'types/' + enc(s.job) }, s.job)),
          h('td', { test: 'schedule-next' }, s.paused ? h('span', { class: 'faint' }, '—') : timeEl(s.nextFire)),
          h('td', { class: 'col-md' }, s.lastFire ? timeEl(s.lastFire) : h('span', { class: 'faint' }, 'never')),
          h('td', {}, stateBadge(s)))))))
      : h('div', { class: 'empty', test: 'no-schedules' },
        'No schedules yet. Add one with ', h('code', {}, 'jobkit schedules add NAME --every 1h --job TYPE'), ', with ', h('code', {}, 'PUT api/v1/schedules/NAME'), ', or declare it in code.'));
  }
  draw(data.schedules || []);
  ctx.view.append(pageHead('Schedules', count), h('section', { class: 'card' }, body));
  ctx.every(REFRESH_MS, async () => {
    try {
      const { data: d } = await api('GET', 'schedules');
      const now = JSON.stringify(d.schedules);
      if (ctx.alive && now !== shown) {
        shown = now;
        draw(d.schedules || []);
      }
    } catch {
      /* keep what we show */
    }
  });
}

// ---------------------------------------------------------------- one schedule

export async function schedulePage(ctx, name) {
  let s = (await api('GET', `schedules/${enc(name)}?next=10&history=50`)).data;
  if (!ctx.alive) return;
  document.title = `${s.name} · Schedules · jobkit`;

  const head = h('div');
  const details = h('div', { class: 'card-body' });
  const paramsBody = h('div', { class: 'card-body' });
  const nextBody = h('div', { class: 'card-body' });
  const historyBody = h('div');
  const reason = h('input', { type: 'text', class: 'reason', id: 'pause-reason', placeholder: 'Reason (optional)', 'aria-label': 'Why pause', test: 'pause-reason', maxlength: '200' });

  function kv(k, ...v) {
    return [h('dt', {}, k), h('dd', {}, ...v)];
  }

  let headKey = null;
  function renderAll() {
    const operate = can('operator');
    // The head holds the reason input: redrawn only when what it shows changes, to keep focus.
    const key = `${s.paused}|${s.pauseReason}|${operate}`;
    if (key !== headKey) {
    headKey = key;
    head.replaceChildren(
      h('div', { class: 'crumbs' }, h('a', { href: 'schedules' }, 'Schedules'), ' / ', s.name),
      h('div', { class: 'page-head' },
        h('h1', { test: 'page-title' }, s.name), stateBadge(s),
        s.paused && s.pauseReason ? h('span', { class: 'muted', test: 'pause-reason-shown' }, s.pauseReason) : null,
        h('span', { class: 'grow' }),
        operate ? h('div', { class: 'btns', test: 'schedule-actions' },
          s.paused
            ? h('button', { type: 'button', class: 'btn', test: 'action-resume', onclick: () => act('resume') }, 'Resume')
            : [reason, h('button', { type: 'button', class: 'btn', test: 'action-pause', onclick: () => act('pause', reason.value.trim() ? { reason: reason.value.trim() } : undefined) }, 'Pause')],
          h('button', { type: 'button', class: 'btn', test: 'action-trigger', title: 'Dispatch the job now; the slots are not affected', onclick: () => act('trigger') }, 'Trigger now'),
          confirmButton('Delete', 'Delete this schedule?', remove, { test: 'action-delete' })) : null),
    );
    }
    details.replaceChildren(h('dl', { class: 'kv', test: 'schedule-details' },
      kv('When', h('span', { class: 'mono', test: 'schedule-when' }, s.when)),
      kv('Job', h('a', { href: 'types/' + enc(s.job) }, s.job)),
      kv('Queue', h('span', { class: 'mono' }, s.queue)),
      kv('Priority', human(s.priority)),
      kv('Tags', (s.tags || []).length ? s.tags.map((t) => h('span', { class: 'tag' }, t)) : '—'),
      kv('Max attempts', String(s.maxAttempts)),
      kv('Timeout', s.timeout ? isoDur(s.timeout) : 'the job’s'),
      kv('Misfire', policy(s.misfire) + (s.misfire === 'FIRE_ALL' ? ` (cap ${s.misfireCap})` : '') + ', grace ' + isoDur(s.misfireGrace)),
      kv('Overlap', policy(s.overlap)),
      s.cron ? kv('Fall back', policy(s.fallBack)) : null,
      kv('Jitter', s.jitter && s.jitter !== 'PT0S' ? 'up to ' + isoDur(s.jitter) : 'none'),
      kv('Next fire', s.paused ? h('span', { class: 'faint' }, 'paused') : timeEl(s.nextFire)),
      s.pendingSlot ? kv('Pending slot', timeEl(s.pendingSlot)) : null,
      kv('Last fire', s.lastFire ? timeEl(s.lastFire) : 'never', s.lastJobId ? [' · ', jobLink(s.lastJobId)] : null),
      kv('Created', timeEl(s.createdAt), s.createdBy ? h('span', {}, ' by ', h('span', { class: 'actor' }, s.createdBy)) : null, s.declared ? h('span', { class: 'muted' }, ' (declared in code)') : null),
      kv('Updated', timeEl(s.updatedAt))));
    paramsBody.replaceChildren(s.params !== undefined && s.params !== null ? jsonView(parseMaybe(s.params), 'schedule-params') : h('span', { class: 'muted' }, 'The job type is not registered in this server.'));
    const next = s.next || [];
    nextBody.replaceChildren(next.length
      ? h('ol', { class: 'fires', test: 'next-fires' }, next.map((at) => h('li', { test: 'next-fire', dataset: { at } }, h('time', { datetime: at, title: at }, absTime(at)))))
      : h('span', { class: 'muted', test: 'no-next-fires' }, 'This schedule has no next fire time.'));
    if (s.paused && next.length) nextBody.prepend(h('p', { class: 'muted' }, 'Paused: these are the slots once resumed; those that pass meanwhile are skipped.'));
    const hist = s.history || [];
    historyBody.replaceChildren(hist.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 't', test: 'history-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Slot'), h('th', {}, 'Outcome'), h('th', {}, 'Job'), h('th', { class: 'col-sm' }, 'Reason'))),
        h('tbody', {}, hist.map((f) => h('tr', { test: 'history-row', dataset: { outcome: f.outcome } },
          h('td', { class: 'nowrap' }, h('time', { datetime: f.slot, title: f.slot }, absTime(f.slot))),
          h('td', {}, outcomeBadge(f.outcome)),
          h('td', {}, jobLink(f.jobId)),
          h('td', { class: 'col-sm muted', test: 'history-reason' }, f.reason || ''))))))
      : h('div', { class: 'empty', test: 'no-history' }, 'Nothing has fired yet.'));
  }

  async function reload() {
    const { data } = await api('GET', `schedules/${enc(s.name)}?next=10&history=50`);
    if (!ctx.alive) return;
    s = data;
    renderAll();
  }

  async function act(action, body) {
    try {
      const { data } = await api('POST', `schedules/${enc(s.name)}/${action}`, body);
      if (action === 'trigger') toast(`Triggered: job ${shortId(data.id)}`);
      else toast(`${human(action)}d ${s.name}`);
      reason.value = '';
      await reload();
    } catch (e) {
      fail(e);
    }
  }

  async function remove() {
    try {
      await api('DELETE', `schedules/${enc(s.name)}`);
      toast(`Deleted ${s.name}`);
      navigate('schedules');
    } catch (e) {
      fail(e);
    }
  }

  ctx.view.append(
    head,
    h('div', { class: 'grid two mt' },
      h('div', { class: 'stack' },
        card('History', historyBody),
        card('Next fire times', nextBody)),
      h('div', { class: 'stack' },
        card('Details', details),
        card('Parameters', paramsBody))),
  );
  renderAll();
  ctx.every(REFRESH_MS, () => reload().catch(() => {}));
}
