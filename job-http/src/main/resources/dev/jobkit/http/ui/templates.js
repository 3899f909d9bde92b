// The dashboard's Templates pages (#12): the list of job templates (saved, named parameter presets
// of a job type), and one template with its parameters and, for operators, a submit form of set
// overrides and delete. Templates are saved from a job type's submit form ("Save as template",
// see saveAsTemplate), which "Edit in form" also opens filled in with a template's parameters.

import { api, h, enc, can, card, pageHead, confirmButton, toast, fail, navigate, timeEl, jsonView, parseMaybe, shortId } from './app.js';
import { stringify, Raw } from './form.js';

/** A set's value as the CLI reads one: JSON when the text is one JSON value, else a string. */
function setValue(text) {
  const t = text.trim();
  if (t === '') return '';
  try {
    JSON.parse(t);
    return new Raw(t); // as typed, so that a long keeps every digit
  } catch {
    return text;
  }
}

function problemBox(msg, problem) {
  return h('div', { class: 'errorbox plain', test: 'template-error', role: 'alert' }, msg, problem && problem.path ? ` (at ${problem.path})` : '');
}

// ---------------------------------------------------------------- the list

export async function templatesPage(ctx) {
  const { data } = await api('GET', 'templates');
  if (!ctx.alive) return;
  const list = data.templates || [];
  const operate = can('operator');
  const body = list.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 't', test: 'templates-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Template'), h('th', { class: 'col-md' }, 'Job'), h('th', { class: 'col-sm' }, 'Description'), h('th', {}, 'Updated'))),
      h('tbody', {}, list.map((t) => h('tr', { test: 'template-row', dataset: { name: t.name } },
        h('td', { class: 'jobcell' }, h('a', { href: 'templates/' + enc(t.name), test: 'template-link' }, t.name)),
        h('td', { class: 'col-md' }, h('a', { href: 'types/' + enc(t.job), class: 'mono', test: 'template-job' }, t.job)),
        h('td', { class: 'col-sm muted', test: 'template-description' }, t.description || ''),
        h('td', { class: 'nowrap' }, timeEl(t.updatedAt)))))))
    : h('div', { class: 'empty', test: 'no-templates' },
      'No templates yet. Save one from a job type’s submit form (', h('a', { href: 'types' }, 'Types'), ', then ', h('i', {}, 'Save as template'), '), with ',
      h('code', {}, 'jobkit templates save NAME --job TYPE --json …'), ', or with ', h('code', {}, 'PUT api/v1/templates/NAME'), '.');
  ctx.view.append(
    pageHead('Templates', h('span', { class: 'sub', test: 'template-count' }, `${list.length} ${list.length === 1 ? 'template' : 'templates'}`),
      h('span', { class: 'grow' }),
      operate ? h('a', { class: 'btn', href: 'types', test: 'new-template', title: 'Pick a job type, fill in its form, then Save as template' }, 'New template') : null),
    h('section', { class: 'card' }, body));
}

// ---------------------------------------------------------------- one template

export async function templatePage(ctx, name) {
  const { data: t } = await api('GET', 'templates/' + enc(name));
  if (!ctx.alive) return;
  document.title = `${t.name} · Templates · jobkit`;
  const operate = can('operator');

  const kv = (k, ...v) => [h('dt', {}, k), h('dd', {}, ...v)];
  const details = h('dl', { class: 'kv', test: 'template-details' },
    kv('Job', h('a', { href: 'types/' + enc(t.job), class: 'mono', test: 'template-job' }, t.job)),
    kv('Description', t.description ? h('span', { test: 'template-description' }, t.description) : h('span', { class: 'faint' }, '—')),
    kv('Created', timeEl(t.createdAt), t.createdBy ? h('span', {}, ' by ', h('span', { class: 'actor' }, t.createdBy)) : null),
    kv('Updated', timeEl(t.updatedAt)),
    kv('Jobs', h('a', { href: 'jobs?tag=' + enc('template:' + t.name), test: 'template-jobs' }, `Jobs made from it (tag template:${t.name}) →`)));

  async function remove() {
    try {
      await api('DELETE', 'templates/' + enc(t.name));
      toast(`Deleted template ${t.name}`);
      navigate('templates');
    } catch (e) {
      fail(e);
    }
  }

  ctx.view.append(
    h('div', { class: 'crumbs' }, h('a', { href: 'templates' }, 'Templates'), ' / ', t.name),
    h('div', { class: 'page-head' },
      h('h1', { test: 'page-title' }, t.name),
      t.description ? h('span', { class: 'sub' }, t.description) : null,
      h('span', { class: 'grow' }),
      operate ? h('div', { class: 'btns', test: 'template-actions' },
        h('a', { class: 'btn', href: `types/${enc(t.job)}?template=${enc(t.name)}`, test: 'action-edit', title: 'Open the job type’s form filled in with these parameters, to submit or save again' }, 'Edit in form'),
        confirmButton('Delete', 'Delete this template?', remove, { test: 'action-delete' })) : null),
    h('div', { class: 'grid two' },
      h('div', { class: 'stack' },
        card('Parameters', h('div', { class: 'card-body' }, jsonView(parseMaybe(t.params), 'template-params'))),
        operate ? card('Submit a job', submitForm(t)) : null),
      h('div', { class: 'stack' }, card('Details', h('div', { class: 'card-body' }, details)))),
  );
}

/** Rows of "path = value" sets over the template's parameters, and a Submit button. */
function submitForm(t) {
  const banner = h('div', { class: 'form-error hidden', test: 'form-error' });
  const list = h('div', { class: 'sets', test: 'sets' });
  const rows = [];
  function add(path = '', value = '') {
    const p = h('input', { type: 'text', class: 'mono', placeholder: 'field.path', 'aria-label': 'field path', autocomplete: 'off', spellcheck: 'false', test: 'set-path', value: path });
    const v = h('input', { type: 'text', class: 'mono', placeholder: 'value (JSON, or text)', 'aria-label': 'value', autocomplete: 'off', spellcheck: 'false', test: 'set-value', value });
    const rm = h('button', { type: 'button', class: 'btn small ghost', 'aria-label': 'Remove set', title: 'Remove set', test: 'set-remove' }, '✕');
    const row = h('div', { class: 'map-row', test: 'set-row' }, p, v, rm);
    const r = { path: p, value: v, row };
    rm.addEventListener('click', () => {
      rows.splice(rows.indexOf(r), 1);
      row.remove();
    });
    rows.push(r);
    list.append(row);
    return r;
  }
  const addBtn = h('button', { type: 'button', class: 'btn small', test: 'add-set', onclick: () => add().path.focus() }, '+ Add set');
  const submit = h('button', { type: 'submit', class: 'btn primary', test: 'submit-template' }, 'Submit job');

  function showBanner(msg, problem) {
    banner.replaceChildren(problemBox(msg, problem));
    banner.classList.remove('hidden');
  }

  /** Marks the row whose path the problem names (exactly, or the nearest enclosing path). */
  function markRow(problem) {
    const path = String((problem && problem.path) || '');
    let best = null;
    for (const r of rows) {
      const at = '$.' + r.path.value.trim();
      if ((path === at || path.startsWith(at + '.') || path.startsWith(at + '[')) && (!best || at.length > best.at.length)) best = { r, at };
    }
    if (best) {
      best.r.row.classList.add('invalid');
      best.r.value.focus();
    }
  }

  const form = h('form', { class: 'sform', novalidate: true, test: 'template-submit-form' },
    banner,
    h('p', { class: 'muted note' }, 'Change fields for this job only (the template stays as it is): a dotted path such as ', h('code', {}, 'target.port'),
      ', and a value, read as JSON when it is one (', h('code', {}, '3'), ', ', h('code', {}, 'true'), ', ', h('code', {}, '["a","b"]'), ') and as text otherwise.'),
    list, addBtn,
    h('div', { class: 'actions mt' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.classList.add('hidden');
    rows.forEach((r) => r.row.classList.remove('invalid'));
    const set = {};
    for (const r of rows) {
      const path = r.path.value.trim();
      if (!path && !r.value.value.trim()) continue;
      if (!path) {
        r.row.classList.add('invalid');
        r.path.focus();
        showBanner('Every set needs a field path, such as target.port.');
        return;
      }
      delete set[path]; // a later set of the same path wins, as on the command line
      set[path] = setValue(r.value.value);
    }
    const body = { template: t.name };
    if (Object.keys(set).length) body.set = set;
    submit.disabled = true;
    try {
      const { data, status } = await api('POST', 'jobs', stringify(body));
      toast(status === 201 ? `Submitted ${t.job} ${shortId(data.id)} from ${t.name}` : `A job with this idempotency key exists already: ${shortId(data.id)}`);
      navigate('jobs/' + enc(data.id));
    } catch (err) {
      const p = err.problem || {};
      markRow(p);
      showBanner(err.message, p);
    } finally {
      submit.disabled = false;
    }
  });
  return h('div', { class: 'card-body' }, form);
}

// ---------------------------------------------------------------- "Save as template" on a type's form

/**
 * The "Save as template" panel of a job type's submit form (operators only): a name and a
 * description, and a Save button that PUTs the form's parameters as templates/NAME.
 * {@code body(extra)} returns the PUT body ({"job","params",...extra}) after checking the form's
 * fields (it throws when they need attention, having marked them), and {@code place(problem,
 * body)} shows a server problem at a field (true when one took it). {@code fill(write)} fills the
 * form from the template named in ?template=NAME, if any.
 */
export function saveAsTemplate(type, { body, place }) {
  const nameIn = h('input', { type: 'text', id: 'template-name', class: 'mono', required: true, maxlength: '64', placeholder: 'nightly-report', autocomplete: 'off', spellcheck: 'false', test: 'template-name' });
  const descIn = h('input', { type: 'text', id: 'template-description', placeholder: 'What it is for (optional)', autocomplete: 'off', test: 'template-description-input' });
  const err = h('div', { class: 'form-error hidden', test: 'save-template-error' });
  const save = h('button', { type: 'submit', class: 'btn', test: 'save-template' }, 'Save template');
  const form = h('form', { class: 'sform', novalidate: true, test: 'save-template-form' },
    err,
    h('p', { class: 'muted note' }, 'Saves the parameters above (not the options) under a name; saving a name that exists replaces it.'),
    h('div', { class: 'field' }, h('label', { for: 'template-name' }, 'Name', h('span', { class: 'req' }, '*')), nameIn,
      h('div', { class: 'help' }, '1 to 64 letters, digits, ., _ and -, starting with a letter or digit.')),
    h('div', { class: 'field' }, h('label', { for: 'template-description' }, 'Description'), descIn),
    h('div', { class: 'actions' }, save));
  const el = h('details', { class: 'sect', test: 'save-as-template' }, h('summary', {}, 'Save as template'), form);

  const showErr = (msg, problem) => {
    err.replaceChildren(problemBox(msg, problem));
    err.classList.remove('hidden');
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.classList.add('hidden');
    const name = nameIn.value.trim();
    if (!name) {
      showErr('Give the template a name.');
      nameIn.focus();
      return;
    }
    let text;
    try {
      text = body(descIn.value.trim() ? { description: descIn.value.trim() } : {});
    } catch (x) {
      showErr(x.message);
      return;
    }
    save.disabled = true;
    try {
      const { status } = await api('PUT', 'templates/' + enc(name), text);
      toast(`${status === 201 ? 'Saved' : 'Replaced'} template ${name}`);
      navigate('templates/' + enc(name));
    } catch (x) {
      const p = x.problem || {};
      const placed = p.path && p.path.startsWith('$.params') && place(p, text);
      showErr(placed ? 'The server refused a value; see the marked field.' : x.message, placed ? null : p);
    } finally {
      save.disabled = false;
    }
  });

  return {
    el,
    /** Fills the form (through write(params)) from ?template=NAME, and this panel with its name. */
    async fill(write) {
      const name = new URLSearchParams(location.search).get('template');
      if (!name) return;
      try {
        const { data: t } = await api('GET', 'templates/' + enc(name));
        if (t.job !== type) throw new Error(`template '${t.name}' is for ${t.job}, not ${type}`);
        const v = parseMaybe(t.params);
        if (v && typeof v === 'object') write(v);
        nameIn.value = t.name;
        descIn.value = t.description || '';
        el.open = true;
        toast(`Filled in from template ${t.name}`);
      } catch (x) {
        fail(x);
      }
    },
  };
}
