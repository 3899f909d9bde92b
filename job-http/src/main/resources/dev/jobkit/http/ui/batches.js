// The dashboard's Batches pages (#12): the list of batches (jobs dispatched together with callbacks
// for success, failure and completion), and one batch with its progress, ETA, counts, callbacks and
// members. Both refresh every two seconds while open.

import { api, h, enc, card, pageHead, timeEl, shortId, badge, progressView } from './app.js';

const num = (n) => Number(n || 0).toLocaleString('en');

function ended(b) {
  return b.completed + b.failed + b.cancelled;
}

/** The figures progressView draws: the batch's progress as a percentage of its members. */
function figures(b) {
  return { kind: 'COUNT', percent: Math.round(b.progress * 1000) / 10, done: ended(b), total: b.total, unit: 'jobs' };
}

function etaSeconds(b) {
  return b.eta ? Math.max(0, (Date.parse(b.eta) - Date.now()) / 1000) : null;
}

// ---------------------------------------------------------------- the list

export async function batchesPage(ctx) {
  const section = h('section', { class: 'card' });
  const count = h('span', { class: 'sub', test: 'batch-count' });
  ctx.view.append(pageHead('Batches', count), section);
  async function load() {
    const { data } = await api('GET', 'batches?limit=100');
    if (!ctx.alive) return;
    const list = data.batches || [];
    count.textContent = `${list.length} ${list.length === 1 ? 'batch' : 'batches'}`;
    section.replaceChildren(list.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 't', test: 'batches-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Batch'), h('th', {}, 'State'), h('th', { class: 'col-md' }, 'Progress'), h('th', { class: 'col-sm' }, 'Failed'), h('th', {}, 'Created'))),
        h('tbody', {}, list.map((b) => h('tr', { test: 'batch-row', dataset: { id: b.id } },
          h('td', { class: 'jobcell' }, h('a', { href: 'batches/' + enc(b.id), test: 'batch-link' }, b.name || shortId(b.id)), h('div', { class: 'mono faint' }, shortId(b.id))),
          h('td', {}, badge(b.state)),
          h('td', { class: 'col-md', test: 'batch-progress' }, `${num(ended(b))} / ${num(b.total)}`),
          h('td', { class: 'col-sm', test: 'batch-failed' }, num(b.failed + b.cancelled)),
          h('td', { class: 'nowrap' }, timeEl(b.createdAt)))))))
      : h('div', { class: 'empty', test: 'no-batches' }, 'No batches yet. Dispatch one with ', h('code', {}, 'JobManager.batch()'), ' or ', h('code', {}, 'POST api/v1/batches'), '.'));
  }
  await load();
  ctx.every(2000, () => load().catch(() => {}));
}

// ---------------------------------------------------------------- one batch

export async function batchPage(ctx, id) {
  const { data: first } = await api('GET', 'batches/' + enc(id) + '?members=200');
  if (!ctx.alive) return;
  document.title = `${first.name || shortId(first.id)} · Batches · jobkit`;
  const title = h('h1', { test: 'page-title' }, first.name || first.id);
  const state = h('span', { test: 'batch-state' });
  const bar = progressView(figures(first), { etaSeconds: etaSeconds(first) }, true);
  const counts = h('dl', { class: 'kv', test: 'batch-counts' });
  const callbacks = h('dl', { class: 'kv', test: 'batch-callbacks' });
  const members = h('div', { class: 'table-wrap' });
  const kv = (k, test, ...v) => [h('dt', {}, k), h('dd', { test }, ...v)];
  const jobLink = (jid, test) => (jid ? h('a', { href: 'jobs/' + enc(jid), class: 'mono', test }, shortId(jid)) : h('span', { class: 'faint' }, '—'));

  function show(b) {
    state.replaceChildren(badge(b.state));
    bar.update(figures(b), { etaSeconds: etaSeconds(b) });
    counts.replaceChildren(
      ...kv('Members', 'batch-total', num(b.total)),
      ...kv('Completed', 'batch-completed', num(b.completed)),
      ...kv('Failed', 'batch-failed', num(b.failed)),
      ...kv('Cancelled', 'batch-cancelled', num(b.cancelled)),
      ...kv('Running', 'batch-running', num(b.running)),
      ...kv('Not final', 'batch-pending', num(b.pending)),
      ...kv('ETA', 'batch-eta', b.eta ? timeEl(b.eta) : h('span', { class: 'faint' }, '—')),
      ...kv('Created', 'batch-created', timeEl(b.createdAt), b.createdBy ? h('span', {}, ' by ', h('span', { class: 'actor' }, b.createdBy)) : null),
      ...kv('Finished', 'batch-finished', b.finishedAt ? timeEl(b.finishedAt) : h('span', { class: 'faint' }, '—')));
    callbacks.replaceChildren(
      ...kv('On success', 'callback-success', jobLink(b.onSuccess, 'callback-success-link')),
      ...kv('On failure', 'callback-failure', jobLink(b.onFailure, 'callback-failure-link')),
      ...kv('On completion', 'callback-complete', jobLink(b.onComplete, 'callback-complete-link')));
    const list = b.members || [];
    members.replaceChildren(h('table', { class: 't', test: 'members-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Job'), h('th', {}, 'State'), h('th', { class: 'col-sm' }, 'Attempts'))),
      h('tbody', {}, list.map((j) => h('tr', { test: 'member-row', dataset: { id: j.id, state: j.state } },
        h('td', { class: 'jobcell' }, h('a', { href: 'jobs/' + enc(j.id), test: 'member-link' }, j.name), h('div', { class: 'mono faint' }, shortId(j.id))),
        h('td', {}, badge(j.state)),
        h('td', { class: 'col-sm' }, `${j.attempts}/${j.maxAttempts}`))))));
  }

  ctx.view.append(
    h('div', { class: 'crumbs' }, h('a', { href: 'batches' }, 'Batches'), ' / ', first.name || shortId(first.id)),
    h('div', { class: 'page-head' }, title, state, first.description ? h('span', { class: 'sub' }, first.description) : null),
    card('Progress', h('div', { class: 'card-body' }, bar)),
    h('div', { class: 'grid two' },
      card('Counts', h('div', { class: 'card-body' }, counts)),
      card('Callbacks', h('div', { class: 'card-body' }, callbacks))),
    card(`Members (${num(first.total)})`, members));
  show(first);
  ctx.every(2000, async () => {
    try {
      const { data } = await api('GET', 'batches/' + enc(id) + '?members=200');
      if (ctx.alive) show(data);
    } catch {
      /* shown again on the next tick */
    }
  });
}
