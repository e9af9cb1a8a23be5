/* Pieces that show events the same way on every screen. */
import { name, nameList } from './catalog.js';
import { fmtMinutes, regularisedText } from './control-view.js';
import { href } from './router.js';
import { h, timeEl, fmtDuration } from './ui.js';

export function statusBadge(status) {
  return h('span', { class: ['badge', status === 'OPEN' ? 'badge-open' : 'badge-closed'] }, name('status', status));
}

export function eventLink(ev) {
  return h('a', { href: href(`/eventos/${encodeURIComponent(ev.number)}`), class: 'event-number' }, ev.number);
}

export function pointLabel(p) {
  return `${p.name} (${p.code})`;
}

/* "Abierto hace 35 min" / "Duró 1 h 05 min" */
export function spanText(ev) {
  return ev.status === 'OPEN' ? `abierto hace ${fmtDuration(ev.started_at)}`
    : `duró ${fmtDuration(ev.started_at, ev.ended_at)}`;
}

/* K2: a paper form typed in later, with how late it was. */
export function regularisedBadge(ev) {
  if (ev.origin !== 'MANUAL') return null;
  return [h('br'), h('span', { class: 'badge badge-role regularised', title: regularisedText(ev) },
    `Regularizado · ${fmtMinutes(ev.regularisation_delay_minutes || 0)} después`)];
}

/*
 * The events table.  opts.caption: table caption (for screen readers);
 * opts.empty: text when there are no events.
 */
export function eventsTable(items, { caption, empty = 'No hay eventos.' } = {}) {
  if (!items.length) return h('p', { class: 'empty' }, empty);
  const HEAD = ['Número', 'Punto de atención', 'Trámite', 'Solicitudes', 'Escenario', 'Inicio (Lima)', 'Fin (Lima)', 'Estado'];
  const cell = (i, attrs, ...content) => h('td', { ...attrs, 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((ev) => h('tr', {},
    cell(0, { class: 'nowrap' }, eventLink(ev), regularisedBadge(ev)),
    cell(1, {}, pointLabel(ev.point)),
    cell(2, {}, name('procedure', ev.procedure)),
    cell(3, {}, nameList('request', ev.requests).join(', ')),
    cell(4, {}, name('scenario', ev.scenario)),
    cell(5, { class: 'nowrap' }, timeEl(ev.started_at)),
    cell(6, {}, h('span', { class: 'nowrap' }, ev.ended_at ? timeEl(ev.ended_at) : h('span', { class: 'muted' }, '—')),
      h('br'), h('span', { class: 'muted' }, spanText(ev))),
    cell(7, {}, statusBadge(ev.status))));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data stacked' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}
