// A form generated from a job type's JSON Schema (draft 2020-12, as the jobkit annotation
// processor writes it): strings (with date, date-time, duration, uri, uuid formats), integers and
// numbers (sent exactly as typed, so longs and BigDecimals keep every digit), booleans, enums,
// arrays, maps, nested objects through $ref, required marks, defaults and descriptions. A problem
// from the server ("path": "$.params.items[2].url") is shown under the field it names.

let seq = 0;
const uid = (p) => `${p}-${++seq}`;

/** A number kept as the text the user typed, so that JSON output never rounds it. */
export class Raw {
  constructor(text) {
    this.text = text;
  }
}

/** JSON text of a value that may contain {@link Raw} numbers; {@code space} pretty-prints. */
export function stringify(value, space = 0) {
  const pad = (n) => (space ? '\n' + ' '.repeat(n * space) : '');
  const go = (v, depth) => {
    if (v instanceof Raw) return v.text;
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) {
      if (!v.length) return '[]';
      return '[' + v.map((x) => pad(depth + 1) + go(x, depth + 1)).join(',') + pad(depth) + ']';
    }
    if (typeof v === 'object') {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (!keys.length) return '{}';
      const sep = space ? ': ' : ':';
      return '{' + keys.map((k) => pad(depth + 1) + JSON.stringify(k) + sep + go(v[k], depth + 1)).join(',') + pad(depth) + '}';
    }
    return JSON.stringify(v);
  };
  return go(value, 0);
}

/** Parses "$.params.items[2]['a b'].url" into ["items", 2, "a b", "url"] after the given prefix. */
export function parsePath(path, prefix) {
  if (typeof path !== 'string' || !path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length);
  const segs = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let m;
  while (re.lastIndex < rest.length && (m = re.exec(rest))) {
    if (m[1] !== undefined) segs.push(m[1]);
    else if (m[2] !== undefined) segs.push(Number(m[2]));
    else segs.push((m[3] ?? m[4]).replace(/\\(.)/g, '$1'));
  }
  return segs;
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'test') e.dataset.test = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) e.append(k);
  return e;
}

/** The schema with its $ref followed; keywords next to the $ref (description, default) win. */
function resolve(schema, root) {
  let s = schema || {};
  for (let i = 0; s && s.$ref && i < 32; i++) {
    const { $ref, ...beside } = s;
    const m = /^#\/\$defs\/(.+)$/.exec($ref);
    const key = m ? decodeURIComponent(m[1]).replace(/~1/g, '/').replace(/~0/g, '~') : null;
    s = { ...((key && root.$defs && root.$defs[key]) || {}), ...beside };
  }
  return s || {};
}

function kindOf(s) {
  if (Array.isArray(s.enum)) return 'enum';
  let t = s.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null');
  if (t === 'object') {
    if (s.properties) return 'object';
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return 'map';
    return 'json';
  }
  if (t === 'array') return 'array';
  if (t === 'string' || t === 'integer' || t === 'number' || t === 'boolean') return t;
  return 'json';
}

function typeLabel(s, root) {
  const k = kindOf(s);
  if (k === 'string') return s.format || (s.contentEncoding ? s.contentEncoding : 'string');
  if (k === 'array') return 'list of ' + typeLabel(resolve(s.items, root), root);
  if (k === 'map') return 'map of ' + typeLabel(resolve(s.additionalProperties, root), root);
  if (k === 'json') return 'JSON';
  return k;
}

const pad2 = (n) => String(n).padStart(2, '0');
function isoToLocal(v) {
  const d = new Date(v);
  if (isNaN(d)) return '';
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}
function localToIso(v) {
  const d = new Date(v);
  return isNaN(d) ? null : d.toISOString().replace('.000Z', 'Z');
}
function offsetLabel() {
  const o = -new Date().getTimezoneOffset();
  return `UTC${o >= 0 ? '+' : '-'}${pad2(Math.floor(Math.abs(o) / 60))}:${pad2(Math.abs(o) % 60)}`;
}
const testName = (segs) => segs.map(String).join('.') || 'root';

/**
 * Builds the controller of one value. A controller has: el (its DOM), read(errs) (the value, or
 * undefined to leave it out; pushes {ctrl, message} for bad input), write(v), find(segs) (the
 * deepest controller on a path), showError(msg), clearErrors() and relabel(segs).
 */
function build(schema, ctx) {
  const s = resolve(schema, ctx.root);
  const kind = ctx.depth > 8 ? 'json' : kindOf(s);
  const builder = { object: objectField, map: mapField, array: arrayField, enum: enumField, boolean: boolField }[kind];
  return (builder || scalarField)(s, kind, ctx);
}

/** Shared wrapper: label, type, required mark, the input, description and the error line. */
function wrap(ctrl, s, ctx, input, inputId, { legend = false } = {}) {
  const errEl = el('div', { class: 'ferr hidden', role: 'alert' });
  const help = s.description ? el('div', { class: 'help' }, s.description) : null;
  let field;
  if (ctx.name === null) {
    field = el('div', { class: 'field bare' }, input, errEl);
  } else if (legend) {
    field = el('div', { class: 'field' }, input, help, errEl);
  } else {
    const label = el(
      'label',
      { for: inputId },
      ctx.name,
      ctx.required ? el('span', { class: 'req', title: 'required' }, '*') : null,
      el('span', { class: 'type' }, typeLabel(s, ctx.root)),
    );
    field = el('div', { class: 'field' }, label, input, help, errEl);
  }
  ctrl.el = field;
  ctrl.showError = (msg) => {
    field.classList.add('invalid');
    errEl.textContent = msg;
    errEl.classList.remove('hidden');
  };
  ctrl.clearOwn = () => {
    field.classList.remove('invalid');
    errEl.textContent = '';
    errEl.classList.add('hidden');
  };
  ctrl.labelEls = { field, errEl };
  const baseRelabel = (segs) => {
    const n = testName(segs);
    field.dataset.test = 'field-' + n;
    errEl.dataset.test = 'error-' + n;
    const inp = ctrl.input || (input.matches('input,select,textarea') ? input : null);
    if (inp) inp.dataset.test = 'input-' + n;
  };
  ctrl.relabel = ctrl.relabel ? ((own) => (segs) => { baseRelabel(segs); own(segs); })(ctrl.relabel) : baseRelabel;
  ctrl.relabel(ctx.segs);
  if (!ctrl.clearErrors) ctrl.clearErrors = ctrl.clearOwn;
  if (!ctrl.find) ctrl.find = () => ctrl;
  return ctrl;
}

function scalarField(s, kind, ctx) {
  const id = uid('f');
  const fmt = s.format;
  let type = 'text';
  let inputmode = null;
  let placeholder = null;
  if (kind === 'string' && fmt === 'date-time') type = 'datetime-local';
  else if (kind === 'string' && fmt === 'date') type = 'date';
  else if (kind === 'integer') (inputmode = 'numeric'), (placeholder = 'e.g. 42');
  else if (kind === 'number') (inputmode = 'decimal'), (placeholder = 'e.g. 3.5');
  else if (fmt === 'duration') placeholder = 'ISO-8601, e.g. PT5M';
  else if (fmt === 'uri') placeholder = 'https://…';
  else if (fmt === 'uuid') placeholder = '00000000-0000-0000-0000-000000000000';
  else if (s.contentEncoding === 'base64') placeholder = 'base64';
  let input;
  if (kind === 'json') {
    input = el('textarea', { id, spellcheck: 'false', placeholder: 'JSON value', rows: 4 });
  } else {
    input = el('input', {
      id, type, inputmode, placeholder, autocomplete: 'off', spellcheck: 'false',
      step: type === 'datetime-local' ? '1' : null,
      maxlength: s.maxLength && s.maxLength < 1000 ? String(s.maxLength) : null,
    });
  }
  const ctrl = {
    read(errs) {
      const v = input.value;
      if (v === '' || (kind !== 'string' && v.trim() === '')) {
        if (ctx.required) errs.push({ ctrl, message: `${ctx.name ?? 'this item'} is required` });
        return undefined;
      }
      if (kind === 'integer') {
        const t = v.trim();
        if (!/^-?\d+$/.test(t)) return errs.push({ ctrl, message: 'must be a whole number' }), undefined;
        return new Raw(t.replace(/^(-?)0+(?=\d)/, '$1'));
      }
      if (kind === 'number') {
        const t = v.trim();
        if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return errs.push({ ctrl, message: 'must be a number' }), undefined;
        return new Raw(t.replace(/^(-?)\./, '$10.').replace(/\.(?=$|[eE])/, '').replace(/^(-?)0+(?=\d)/, '$1'));
      }
      if (type === 'datetime-local') {
        const iso = localToIso(v);
        if (!iso) return errs.push({ ctrl, message: 'must be a date and time' }), undefined;
        return iso;
      }
      if (kind === 'json') {
        try {
          JSON.parse(v);
        } catch (e) {
          errs.push({ ctrl, message: 'not valid JSON: ' + e.message });
          return undefined;
        }
        return new Raw(v.trim());
      }
      return v;
    },
    write(v) {
      if (v === undefined || v === null) input.value = '';
      else if (type === 'datetime-local') input.value = isoToLocal(v);
      else if (kind === 'json') input.value = JSON.stringify(v, null, 2);
      else input.value = v instanceof Raw ? v.text : String(v);
    },
    input,
  };
  if (s.default !== undefined) ctrl.write(s.default);
  if (type === 'datetime-local') s = { ...s, description: [s.description, `Your local time (${offsetLabel()}); sent as UTC.`].filter(Boolean).join(' ') };
  return wrap(ctrl, s, ctx, input, id);
}

function enumField(s, kind, ctx) {
  const id = uid('f');
  const hasDefault = s.default !== undefined;
  const select = el('select', { id },
    ctx.required && !hasDefault ? el('option', { value: '', disabled: true }, 'Choose…') : null,
    !ctx.required ? el('option', { value: '' }, '—') : null,
    s.enum.map((c, i) => el('option', { value: String(i) }, String(c))));
  select.value = '';
  const ctrl = {
    read(errs) {
      if (select.value === '') {
        if (ctx.required) errs.push({ ctrl, message: `${ctx.name ?? 'this item'} is required` });
        return undefined;
      }
      return s.enum[Number(select.value)];
    },
    write(v) {
      const i = s.enum.findIndex((c) => c === v);
      select.value = i < 0 ? '' : String(i);
    },
    input: select,
  };
  if (hasDefault) ctrl.write(s.default);
  return wrap(ctrl, s, ctx, select, id);
}

function boolField(s, kind, ctx) {
  const id = uid('f');
  if (!ctx.required && s.default === undefined) {
    // Leaving it out is different from false (a boxed Boolean stays null), so offer three values.
    const select = el('select', { id }, el('option', { value: '' }, '—'), el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
    const ctrl = {
      read: () => (select.value === '' ? undefined : select.value === 'true'),
      write: (v) => (select.value = v === true ? 'true' : v === false ? 'false' : ''),
      input: select,
    };
    return wrap(ctrl, s, ctx, select, id);
  }
  const box = el('input', { id, type: 'checkbox' });
  box.checked = s.default === true;
  const ctrl = { read: () => box.checked, write: (v) => (box.checked = v === true), input: box };
  const line = el('label', { class: 'check', for: id }, box, s.default !== undefined ? el('span', { class: 'faint' }, `default ${s.default}`) : 'yes');
  return wrap(ctrl, s, ctx, line, id);
}

function objectField(s, kind, ctx) {
  const required = new Set(s.required || []);
  const children = [];
  const body = el('div', { class: 'props' });
  for (const [name, ps] of Object.entries(s.properties || {})) {
    const c = build(ps, { root: ctx.root, name, required: required.has(name), depth: ctx.depth + 1, segs: [...ctx.segs, name] });
    children.push([name, c]);
    body.append(c.el);
  }
  if (!children.length) body.append(el('p', { class: 'muted' }, 'This type takes no parameters.'));
  // An optional nested object is left out unless switched on, so that defaults inside it (or
  // its own required fields) do not force a value the user never asked for.
  const optional = ctx.depth > 0 && ctx.name !== null && !ctx.required;
  const include = optional ? el('input', { type: 'checkbox', 'aria-label': `Set ${ctx.name}` }) : null;
  const setIncluded = (on) => {
    if (!include) return;
    include.checked = on;
    body.classList.toggle('hidden', !on);
  };
  if (include) {
    include.addEventListener('change', () => setIncluded(include.checked));
    setIncluded(s.default !== undefined && s.default !== null);
  }
  const ctrl = {
    read(errs) {
      if (include && !include.checked) return undefined;
      const out = {};
      let any = false;
      for (const [name, c] of children) {
        const v = c.read(errs);
        if (v !== undefined) (out[name] = v), (any = true);
      }
      return any || ctx.required || ctx.depth === 0 ? out : undefined;
    },
    write(v) {
      setIncluded(v !== undefined && v !== null);
      for (const [name, c] of children) c.write(v && typeof v === 'object' ? v[name] : undefined);
    },
    find(segs) {
      if (!segs.length) return ctrl;
      setIncluded(true);
      const hit = children.find(([n]) => n === segs[0]);
      return hit ? hit[1].find(segs.slice(1)) : ctrl;
    },
    clearErrors() {
      ctrl.clearOwn();
      for (const [, c] of children) c.clearErrors();
    },
    relabel(segs) {
      if (include) include.dataset.test = 'include-' + testName(segs);
      for (const [name, c] of children) c.relabel([...segs, name]);
    },
  };
  if (ctx.depth === 0 || ctx.name === null) {
    return wrap(ctrl, { ...s, description: null }, { ...ctx, name: null }, body, null);
  }
  const legend = include
    ? el('legend', {}, el('label', { class: 'check' }, include, ctx.name, el('span', { class: 'type' }, 'object')))
    : el('legend', {}, ctx.name, ctx.required ? el('span', { class: 'req' }, ' *') : null);
  const fs = el('fieldset', {}, legend, body);
  return wrap(ctrl, s, ctx, fs, null, { legend: true });
}

function arrayField(s, kind, ctx) {
  const itemSchema = resolve(s.items, ctx.root);
  const list = el('div', { class: 'items' });
  const items = [];
  const id = uid('f');
  const addBtn = el('button', { type: 'button', class: 'btn small', test: 'add-' + testName(ctx.segs) }, '+ Add item');
  const ctrl = {
    read(errs) {
      const out = items.map((it) => it.c.read(errs));
      if (!out.length) {
        if (ctx.required) errs.push({ ctrl, message: `${ctx.name} needs at least one item` });
        return ctx.required ? [] : undefined;
      }
      return out.map((v) => (v === undefined ? null : v));
    },
    write(v) {
      while (items.length) remove(items[0]);
      if (Array.isArray(v)) v.forEach((x) => add().c.write(x));
    },
    find(segs) {
      if (!segs.length) return ctrl;
      const it = typeof segs[0] === 'number' ? items[segs[0]] : null;
      return it ? it.c.find(segs.slice(1)) : ctrl;
    },
    clearErrors() {
      ctrl.clearOwn();
      items.forEach((it) => it.c.clearErrors());
    },
    relabel(segs) {
      addBtn.dataset.test = 'add-' + testName(segs);
      items.forEach((it, i) => {
        it.c.relabel([...segs, i]);
        it.rm.dataset.test = 'remove-' + testName([...segs, i]);
      });
    },
  };
  function add() {
    const segs = [...ctx.segs, items.length];
    const c = build(itemSchema, { root: ctx.root, name: null, required: false, depth: ctx.depth + 1, segs });
    const rm = el('button', { type: 'button', class: 'btn small ghost', title: 'Remove item', 'aria-label': 'Remove item', test: 'remove-' + testName(segs) }, '✕');
    const row = el('div', { class: 'item' }, c.el, rm);
    const it = { c, row, rm };
    rm.addEventListener('click', () => {
      remove(it);
      ctrl.relabel(ctx.segs);
      ctx.changed?.();
    });
    items.push(it);
    list.append(row);
    return it;
  }
  function remove(it) {
    items.splice(items.indexOf(it), 1);
    it.row.remove();
  }
  addBtn.addEventListener('click', () => {
    const it = add();
    (it.c.input || it.c.el.querySelector('input,select,textarea'))?.focus();
  });
  const box = el('div', { id }, list, addBtn);
  if (Array.isArray(s.default)) ctrl.write(s.default);
  return wrap(ctrl, s, ctx, box, null);
}

function mapField(s, kind, ctx) {
  const valueSchema = resolve(s.additionalProperties, ctx.root);
  const integralKeys = s.propertyNames && s.propertyNames.pattern === '^-?[0-9]+$';
  const list = el('div', { class: 'items' });
  const rows = [];
  const addBtn = el('button', { type: 'button', class: 'btn small', test: 'add-' + testName(ctx.segs) }, '+ Add entry');
  const ctrl = {
    read(errs) {
      const out = {};
      for (const r of rows) {
        const k = r.key.value;
        if (k === '') {
          errs.push({ ctrl, message: 'every entry needs a key' });
          continue;
        }
        if (integralKeys && !/^-?[0-9]+$/.test(k)) errs.push({ ctrl, message: `key "${k}" must be a whole number` });
        if (k in out) errs.push({ ctrl, message: `key "${k}" appears twice` });
        const v = r.c.read(errs);
        out[k] = v === undefined ? null : v;
      }
      if (!rows.length && !ctx.required) return undefined;
      return out;
    },
    write(v) {
      while (rows.length) rows.pop().row.remove();
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) add(k).c.write(x);
    },
    find(segs) {
      if (!segs.length) return ctrl;
      const r = rows.find((x) => x.key.value === String(segs[0]));
      return r ? r.c.find(segs.slice(1)) : ctrl;
    },
    clearErrors() {
      ctrl.clearOwn();
      rows.forEach((r) => r.c.clearErrors());
    },
  };
  function add(key = '') {
    const c = build(valueSchema, { root: ctx.root, name: null, required: false, depth: ctx.depth + 1, segs: [...ctx.segs, key || '?'] });
    const keyIn = el('input', { type: 'text', placeholder: integralKeys ? 'key (number)' : 'key', 'aria-label': 'key', autocomplete: 'off' });
    keyIn.value = key;
    keyIn.addEventListener('input', () => c.relabel([...ctx.segs, keyIn.value || '?']));
    const rm = el('button', { type: 'button', class: 'btn small ghost', 'aria-label': 'Remove entry' }, '✕');
    const row = el('div', { class: 'map-row' }, keyIn, c.el, rm);
    const r = { key: keyIn, c, row };
    rm.addEventListener('click', () => {
      rows.splice(rows.indexOf(r), 1);
      row.remove();
      ctx.changed?.();
    });
    rows.push(r);
    list.append(row);
    return r;
  }
  addBtn.addEventListener('click', () => add().key.focus());
  if (s.default && typeof s.default === 'object') ctrl.write(s.default);
  return wrap(ctrl, s, ctx, el('div', {}, list, addBtn), null);
}

/**
 * The form of one schema. Returns {el, read() -> {value, errors}, write(v), showProblem(problem,
 * prefix) -> whether a field took it, clearErrors()}. {@code prefix} is the JSON path of this
 * value in the request body, for example "$.params".
 */
export function schemaForm(schema, { prefix, onChange } = {}) {
  const root = schema || {};
  const top = build(root, { root, name: null, required: true, depth: 0, segs: [], changed: onChange });
  const form = {
    el: top.el,
    read() {
      const errors = [];
      top.clearErrors();
      const value = top.read(errors);
      for (const e of errors) e.ctrl.showError(e.message);
      return { value, errors };
    },
    peek() {
      return top.read([]);
    },
    write: (v) => top.write(v),
    clearErrors: () => top.clearErrors(),
    /** Shows a problem's detail under the field its path names; false when the path is elsewhere. */
    showProblem(problem) {
      let segs = parsePath(problem.path, prefix);
      if (!segs) return false;
      if (problem.field && !segs.includes(problem.field)) {
        const withField = [...segs, problem.field];
        if (top.find(withField) !== top.find(segs)) segs = withField;
      }
      const target = top.find(segs);
      // "ui.slow: $.params.items: out of range (line 1, column 62)" reads better at the field as
      // its reason alone; the whole message stays in the tooltip.
      const full = problem.detail || problem.title || 'invalid value';
      const at = full.indexOf(problem.path + ': ');
      let reason = at >= 0 ? full.slice(at + problem.path.length + 2) : full;
      reason = reason.replace(/\s*\(line \d+, column \d+\)\s*$/, '') || full;
      target.showError(reason);
      target.labelEls.errEl.title = full;
      target.el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      (target.input || target.el.querySelector('input,select,textarea'))?.focus({ preventScroll: true });
      return true;
    },
  };
  top.el.addEventListener('input', () => onChange?.());
  top.el.addEventListener('change', () => onChange?.());
  return form;
}
