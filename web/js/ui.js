/*
 * DOM helpers shared by every screen: building elements (text only, never
 * HTML strings), the one way to show errors next to fields, notices, and
 * Lima time formatting that does not depend on the browser's time zone.
 */
import { ApiError } from './api.js';

/* ---------- elements ---------- */

/*
 * h('p', {class: 'hint', id: 'x'}, 'text', child, [more]) -> element.
 * Attributes: class, for, on: {event: fn}, properties for checked, value,
 * disabled, hidden, selected, required, readOnly, multiple; anything else
 * via setAttribute (false/null/undefined skipped).  Children: strings and
 * numbers become text nodes; null/false/undefined are skipped; arrays are
 * flattened.
 */
const PROPS = new Set(['checked', 'value', 'disabled', 'hidden', 'selected',
  'required', 'readOnly', 'multiple', 'indeterminate']);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false && !PROPS.has(k)) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'for') el.htmlFor = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let uid = 0;
export function newId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/* ---------- form building blocks ---------- */

/*
 * A labelled control wrapped in a .field with data-field=name, the place
 * where that field's API error is shown.  control: an element (its id is
 * set if missing).
 */
export function field(name, label, control, { hint, required } = {}) {
  if (!control.id) control.id = newId(name);
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  if (required) control.setAttribute('aria-required', 'true');
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: control.id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    hintEl, control);
}

/* A fieldset of checkboxes or radios, data-field=name. */
export function choiceGroup(name, legend, items, { type = 'checkbox', hint, className, inputName } = {}) {
  const hintEl = hint ? h('p', { class: 'hint' }, hint) : null;
  const fs = h('fieldset', { class: ['choices', className], 'data-field': name },
    h('legend', {}, legend), hintEl,
    h('div', { class: 'choice-list' }, items.map((it) => choice(inputName || name, it, type))));
  return fs;
}

/* item: {value, label, hint?, checked?, disabled?} */
export function choice(name, item, type = 'checkbox') {
  const id = newId(name);
  const input = h('input', { type, name, id, value: item.value, checked: !!item.checked, disabled: !!item.disabled });
  const hintEl = item.hint ? h('span', { class: 'choice-hint', id: `${id}-hint` }, item.hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: ['choice', item.className] }, input,
    h('div', { class: 'choice-text' }, h('label', { for: id, class: 'choice-label' }, item.label), hintEl));
}

export function checkedValues(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

export function checkedValue(root, name) {
  const el = root.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : '';
}

export function option(value, label, selected = false) {
  return h('option', { value, selected }, label);
}

export function button(label, { kind = 'primary', type = 'button', onClick, ...rest } = {}) {
  return h('button', { type, class: ['btn', `btn-${kind}`], on: onClick ? { click: onClick } : undefined, ...rest }, label);
}

/* ---------- notices and errors ---------- */

/* kind: info | success | warning | error */
export function notice(kind, ...children) {
  const role = kind === 'error' ? 'alert' : 'status';
  return h('div', { class: ['notice', `notice-${kind}`], role }, ...children);
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error, .form-alert').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const ids = (e.getAttribute('aria-describedby') || '').split(' ').filter((i) => !i.startsWith('err-'));
    if (ids.length) e.setAttribute('aria-describedby', ids.join(' '));
    else e.removeAttribute('aria-describedby');
  });
  form.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
}

function formAlert(form, message) {
  const alert = h('div', { class: 'form-alert notice notice-error', tabindex: '-1' }, message);
  const existing = form.querySelectorAll(':scope > .form-alert');
  if (existing.length) existing[existing.length - 1].after(alert); else form.prepend(alert);
  return alert;
}

/*
 * Shows err (an ApiError or any Error) in form: next to the element with
 * data-field equal to err.field (or aliases[err.field]), else at the top
 * of the form.  Nothing the user typed is touched.  Focuses the error.
 */
export function showError(form, err, aliases = {}) {
  if (!(err instanceof ApiError)) console.error(err); // eslint-disable-line no-console
  const message = err instanceof ApiError ? err.message
    : 'Ocurrió un error inesperado en la página. Intente de nuevo.';
  showErrors(form, [{ field: err.field || null, message }], aliases);
}

/*
 * Shows several {field, message} errors at once (e.g. the choices still
 * missing in a form) the same way; focuses the first.
 */
export function showErrors(form, errors, aliases = {}) {
  clearErrors(form);
  let first = null;
  for (const e of errors) {
    const name = e.field ? (aliases[e.field] || e.field) : null;
    const target = name ? form.querySelector(`[data-field="${name}"]`) : null;
    const shown = target && !target.closest('[hidden]')
      ? fieldError(target, name, e.message) : formAlert(form, e.message);
    if (!first) first = shown;
  }
  if (first) {
    first.scrollIntoView({ block: 'center' });
    first.focus({ preventScroll: true });
  }
  announce(errors.map((e) => e.message).join('. '));
}

/* Puts message under target's label/legend; returns what to focus. */
function fieldError(target, name, message) {
  const id = `err-${newId(name)}`;
  const p = h('p', { class: 'field-error', id }, message);
  target.classList.add('has-error');
  const anchor = target.querySelector(':scope > .hint') || target.querySelector(':scope > legend')
    || target.querySelector(':scope > label');
  if (anchor) anchor.after(p); else target.prepend(p);
  const controls = target.matches('input, select, textarea') ? [target]
    : [...target.querySelectorAll('input, select, textarea')];
  controls.forEach((c) => {
    c.setAttribute('aria-invalid', 'true');
    const ids = (c.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    c.setAttribute('aria-describedby', [...ids, id].join(' '));
  });
  const control = controls.find((c) => !c.disabled && !c.closest('[hidden]'));
  if (control) return control;
  p.setAttribute('tabindex', '-1');
  return p;
}

/*
 * Runs fn() for a form submission: disables the submit button with a busy
 * label while it runs, clears old errors, shows a failure with showError.
 * Returns fn's result, or undefined when it failed.
 */
export async function submitting(form, fn, { aliases, busyLabel = 'Enviando…', submitter } = {}) {
  const btn = submitter || form.querySelector('button[type=submit]');
  const label = btn ? btn.textContent : '';
  if (btn) {
    btn.disabled = true;
    btn.textContent = busyLabel;
  }
  form.setAttribute('aria-busy', 'true');
  clearErrors(form);
  try {
    return await fn();
  } catch (err) {
    showError(form, err, aliases);
    return undefined;
  } finally {
    form.removeAttribute('aria-busy');
    if (btn) {
      btn.disabled = false;
      btn.textContent = label;
    }
  }
}

/* A failed screen load (403, 404, network …) shown in place. */
export function errorPanel(err, { title = 'No se pudo mostrar esta pantalla', links = [] } = {}) {
  const message = err instanceof ApiError ? err.message : 'Ocurrió un error inesperado.';
  if (!(err instanceof ApiError)) console.error(err); // eslint-disable-line no-console
  return h('div', { class: 'panel' },
    notice('error', h('strong', {}, title), ' ', message),
    links.length ? h('p', {}, links) : null);
}

/* A one-shot success message shown at the top of the next screen drawn. */
let flash = null;
export function setFlash(text) {
  flash = text;
}
export function takeFlash() {
  const f = flash;
  flash = null;
  return f;
}

/* Announces text to screen readers. */
export function announce(text) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

/* ---------- Lima time (UTC-05:00, no daylight saving) ---------- */

const LIMA_OFFSET_MS = -5 * 3600 * 1000;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const pad = (n) => String(n).padStart(2, '0');

/* {y, mo, d, hh, mi, ss} of an RFC 3339 time, in Lima; null if invalid. */
export function limaParts(iso) {
  if (typeof iso !== 'string') return null;
  const m = ISO_RE.exec(iso);
  if (!m) return null;
  if (m[7] === '-05:00') {
    return { y: m[1], mo: m[2], d: m[3], hh: m[4], mi: m[5], ss: m[6] || '00' };
  }
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return partsOfEpoch(t);
}

function partsOfEpoch(t) {
  const d = new Date(t + LIMA_OFFSET_MS);
  return {
    y: String(d.getUTCFullYear()), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()),
    hh: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()), ss: pad(d.getUTCSeconds()),
  };
}

/* "29/11/2026 05:36" (Lima) */
export function fmtDateTime(iso) {
  const p = limaParts(iso);
  return p ? `${p.d}/${p.mo}/${p.y} ${p.hh}:${p.mi}` : '—';
}

/* "29/11/2026 05:36:12" (Lima) */
export function fmtDateTimeSeconds(iso) {
  const p = limaParts(iso);
  return p ? `${p.d}/${p.mo}/${p.y} ${p.hh}:${p.mi}:${p.ss}` : '—';
}

/* "YYYY-MM-DD" -> "DD/MM/YYYY" */
export function fmtDate(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '—';
}

/*
 * Who did something, as people read it: the person's name (the API's
 * `*_name` fields), else the username (a record older than the names, or
 * one made by a program), else a dash.
 */
export function person(name, username) {
  return name || username || '—';
}

/* A <time> element showing iso in Lima time. */
export function timeEl(iso, { seconds = false } = {}) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso }, seconds ? fmtDateTimeSeconds(iso) : fmtDateTime(iso));
}

/* The current Lima time as a datetime-local value "YYYY-MM-DDTHH:MM". */
export function limaNowInput() {
  const p = partsOfEpoch(Date.now());
  return `${p.y}-${p.mo}-${p.d}T${p.hh}:${p.mi}`;
}

/* An RFC 3339 time as a datetime-local value in Lima. */
export function isoToLimaInput(iso) {
  const p = limaParts(iso);
  return p ? `${p.y}-${p.mo}-${p.d}T${p.hh}:${p.mi}` : '';
}

/* A datetime-local value (Lima) as RFC 3339 with -05:00; '' if empty. */
export function limaInputToIso(value) {
  if (!value) return '';
  return (value.length === 16 ? `${value}:00` : value) + '-05:00';
}

/* "2 h 05 min" between two RFC 3339 times (end defaults to now). */
export function fmtDuration(startIso, endIso) {
  const a = Date.parse(startIso);
  const b = endIso ? Date.parse(endIso) : Date.now();
  if (Number.isNaN(a) || Number.isNaN(b)) return '—';
  const minutes = Math.max(0, Math.floor((b - a) / 60000));
  const d = Math.floor(minutes / 1440);
  const hh = Math.floor((minutes % 1440) / 60);
  const mm = minutes % 60;
  if (d) return `${d} d ${hh} h ${pad(mm)} min`;
  if (hh) return `${hh} h ${pad(mm)} min`;
  return mm ? `${mm} min` : 'menos de 1 min';
}
