/* Pieces that show mass failures and their alerts the same way everywhere. */
import { catalog, name, nameList } from './catalog.js';
import { href } from './router.js';
import { h, field, choice, option, timeEl, fmtDateTime, fmtDuration, limaNowInput, person } from './ui.js';

export function failureLink(mf) {
  return h('a', { href: href(`/fallas/${mf.id}`), class: 'mf-number' }, `Falla masiva N.º ${mf.id}`);
}

/* "SIAC ÚNICO, SGA" */
export function appsText(codes) {
  return nameList('application', codes).join(', ');
}

export function failureStatusBadge(mf) {
  return h('span', { class: ['badge', mf.status === 'CONFIRMED' ? 'badge-open' : 'badge-closed'] }, name('mfStatus', mf.status));
}

export function alertStatusBadge(a) {
  const cls = { PENDING: 'badge-open', CONFIRMED: 'badge-yes', DISCARDED: 'badge-closed' }[a.status];
  return h('span', { class: ['badge', cls] }, name('alertStatus', a.status));
}

/* "abierta hace 2 h 05 min" / "duró 3 h" */
export function failureSpan(mf) {
  return mf.status === 'CONFIRMED' ? `abierta hace ${fmtDuration(mf.started_at)}`
    : `duró ${fmtDuration(mf.started_at, mf.ended_at)}`;
}

/* The failures table; opts.empty when there are none. */
export function failuresTable(items, { caption, empty = 'No hay fallas masivas.' } = {}) {
  if (!items.length) return h('p', { class: 'empty' }, empty);
  const HEAD = ['Falla masiva', 'Aplicativos', 'Motivo', 'Inicio (Lima)', 'Fin (Lima)', 'Eventos abiertos', 'Estado'];
  const cell = (i, attrs, ...content) => h('td', { ...attrs, 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((mf) => h('tr', {},
    cell(0, { class: 'nowrap' }, failureLink(mf)),
    cell(1, {}, appsText(mf.applications)),
    cell(2, {}, name('cause', mf.cause)),
    cell(3, { class: 'nowrap' }, timeEl(mf.started_at)),
    cell(4, {}, h('span', { class: 'nowrap' }, mf.ended_at ? timeEl(mf.ended_at) : h('span', { class: 'muted' }, '—')),
      h('br'), h('span', { class: 'muted' }, failureSpan(mf))),
    cell(5, {}, `${mf.open_events} de ${mf.events}`),
    cell(6, {}, failureStatusBadge(mf))));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data stacked' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}

/* Where an alert comes from: "CAC Lima (CAC-1), por Rosa Quispe" */
export function alertOrigin(a) {
  if (!a.point) return name('alertSource', a.source);
  return `${a.point.name} (${a.point.code}), por ${person(a.raised_by_name, a.raised_by)}`;
}

/* Who decided an alert, and when: "confirmada por Mesa de Fallas el …" */
export function alertDecision(a) {
  if (!a.decided_by) return null;
  const what = a.status === 'DISCARDED' ? 'descartada' : 'confirmada';
  return h('span', { class: 'muted', 'data-testid': 'alert-decided' },
    ` — ${what} por ${person(a.decided_by_name, a.decided_by)} el ${fmtDateTime(a.decided_at)}`);
}

/* The applications as checkboxes, the given ones ticked. */
export function appsField(checked = [], { legend = 'Aplicativos caídos', hint } = {}) {
  const apps = catalog().applications || [];
  return h('fieldset', { class: 'choices', 'data-field': 'applications' },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'choice-list' }, apps.map((a) => choice('applications', {
      value: a.code, label: a.name, checked: checked.includes(a.code),
    }))));
}

/* The causes of a mass failure (FALLA_MASIVA) as a select. */
export function causeField(selected = '') {
  const sc = (catalog().scenarios || []).find((s) => s.code === 'FALLA_MASIVA');
  const select = h('select', { name: 'cause' }, option('', 'Elija el motivo…', !selected),
    (sc ? sc.causes : []).filter((c) => c.active !== false || c.code === selected).map((c) => option(c.code, c.name, c.code === selected)));
  return field('cause', 'Motivo de ocurrencia', select, { required: true, hint: 'Qué originó la falla masiva.' });
}

/* A datetime-local in Lima, at most now. */
export function limaTimeInput(name_, value) {
  const now = limaNowInput();
  return h('input', { type: 'datetime-local', name: name_, value: value || now, max: now });
}

/* "Desde 29/11/2026 05:51 · Falla masiva de aplicativo" */
export function failureSummary(mf) {
  return `Desde ${fmtDateTime(mf.started_at)} · ${name('cause', mf.cause)}${mf.description ? ` · ${mf.description}` : ''}`;
}

/* The audit trail of a failure or an alert: when, who, what. */
export function historyPanel(items) {
  const rows = items.map((it) => h('tr', {},
    h('td', { class: 'nowrap' }, timeEl(it.at, { seconds: true })),
    h('td', {}, person(it.actor_name, it.actor)),
    h('td', {}, name('action', it.action)),
    h('td', {}, historyDetail(it))));
  return h('section', { class: 'panel', 'aria-labelledby': 'hist-title' },
    h('h2', { id: 'hist-title' }, 'Historial (auditoría)'),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Fecha y hora (Lima)'), h('th', { scope: 'col' }, 'Usuario'),
        h('th', { scope: 'col' }, 'Acción'), h('th', { scope: 'col' }, 'Detalle'))),
      h('tbody', {}, rows))) : h('p', { class: 'empty' }, 'Sin registros de auditoría.'));
}

function historyDetail(it) {
  const a = it.after || {};
  const b = it.before || {};
  const parts = [];
  if (JSON.stringify(a.applications) !== JSON.stringify(b.applications) && a.applications) {
    parts.push(`Aplicativos: ${appsText(a.applications)}`);
  }
  if (a.closure_reason && a.closure_reason !== b.closure_reason) {
    parts.push(`Motivo de cierre: ${name('reason', a.closure_reason)}; fin ${fmtDateTime(a.ended_at)}`);
  }
  if (a.mass_failure_id && a.mass_failure_id !== b.mass_failure_id) parts.push(`En la falla masiva N.º ${a.mass_failure_id}`);
  if (a.discard_reason && a.discard_reason !== b.discard_reason) parts.push(`Motivo: ${a.discard_reason}`);
  return parts.length ? h('ul', { class: 'diff' }, parts.map((p) => h('li', {}, p))) : '—';
}
