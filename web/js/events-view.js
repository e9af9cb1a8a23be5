/* Pieces that show events the same way on every screen. */
import { name, nameList } from './catalog.js';
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

/*
 * The events table.  opts.caption: table caption (for screen readers);
 * opts.empty: text when there are no events.
 */
export function eventsTable(items, { caption, empty = 'No hay eventos.' } = {}) {
  if (!items.length) return h('p', { class: 'empty' }, empty);
  const rows = items.map((ev) => h('tr', {},
    h('td', { class: 'nowrap' }, eventLink(ev)),
    h('td', {}, pointLabel(ev.point)),
    h('td', {}, name('procedure', ev.procedure)),
    h('td', {}, nameList('request', ev.requests).join(', ')),
    h('td', {}, name('scenario', ev.scenario)),
    h('td', { class: 'nowrap' }, timeEl(ev.started_at)),
    h('td', { class: 'nowrap' }, ev.ended_at ? timeEl(ev.ended_at) : h('span', { class: 'muted' }, '—'),
      h('br'), h('span', { class: 'muted' }, spanText(ev))),
    h('td', {}, statusBadge(ev.status))));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Número'),
        h('th', { scope: 'col' }, 'Punto de atención'),
        h('th', { scope: 'col' }, 'Trámite'),
        h('th', { scope: 'col' }, 'Solicitudes'),
        h('th', { scope: 'col' }, 'Escenario'),
        h('th', { scope: 'col' }, 'Inicio (Lima)'),
        h('th', { scope: 'col' }, 'Fin (Lima)'),
        h('th', { scope: 'col' }, 'Estado'))),
      h('tbody', {}, rows)));
}
