/*
 * SOPORTE's daily monitoring (SPEC M4): the open mass failures and every
 * open event, longest open first, with how long each has been open —
 * what still needs closing once service is back.
 */
import { api } from '../api.js';
import { name, nameList } from '../catalog.js';
import { eventLink, pointLabel } from '../events-view.js';
import { failureLink, failuresTable } from '../mass-view.js';
import { href } from '../router.js';
import { closableReasons, hasRole } from '../session.js';
import { closeForm } from './event.js';
import { h, timeEl, fmtDateTime } from '../ui.js';

const LONG_MINUTES = 24 * 60;

export async function render(view, ctx) {
  const m = await api.get('/monitoring', { limit: 500 });
  const events = [...m.events].sort((a, b) => b.open_minutes - a.open_minutes);
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Monitoreo diario'),
      h('p', { class: 'muted' }, `Situación al ${fmtDateTime(m.now)} (hora de Lima)`)),
    h('div', { class: 'kpis' },
      kpi(m.mass_failures.length, 'Fallas masivas abiertas', href('/fallas')),
      kpi(m.open_events_total, 'Eventos abiertos', href('/eventos', { status: 'OPEN' })),
      kpi(m.pending_alerts, 'Alertas por revisar (Fallas)', href('/fallas'))),
    h('section', { class: 'panel', 'aria-labelledby': 'mf-title' },
      h('h2', { id: 'mf-title' }, 'Fallas masivas abiertas'),
      failuresTable(m.mass_failures, { empty: 'No hay fallas masivas abiertas.' })),
    h('section', { class: 'panel', 'aria-labelledby': 'ev-title' },
      h('h2', { id: 'ev-title' }, 'Eventos abiertos, del más antiguo al más reciente'),
      hasRole('SOPORTE') ? h('p', { class: 'hint' }, 'Revisión diaria: cierre cualquier evento abierto con un motivo de su escenario, o como «Error de usuario» (con su sustento) si fue un error o una prueba. Los eventos por falla masiva también se cierran al cerrar su falla.') : null,
      openEvents(events, m.open_events_total, ctx)));
}

function kpi(value, label, link) {
  return h('a', { class: 'kpi', href: link },
    h('span', { class: 'kpi-value' }, String(value)),
    h('span', { class: 'kpi-label' }, label));
}

/* "1 d 2 h 05 min" from minutes */
function openFor(minutes) {
  const d = Math.floor(minutes / 1440);
  const hh = Math.floor((minutes % 1440) / 60);
  const mm = String(minutes % 60).padStart(2, '0');
  if (d) return `${d} d ${hh} h ${mm} min`;
  return hh ? `${hh} h ${mm} min` : `${minutes} min`;
}

/* C1: SOPORTE closes any open event here, with a reason or as a mistake. */
function closeCell(ev, ctx) {
  const reasons = closableReasons(ev);
  if (!reasons.length) return '—';
  return h('details', { class: 'collapsible', 'data-testid': 'close-event' },
    h('summary', {}, 'Cerrar…'),
    closeForm(ev, reasons, ctx, { titleId: `close-${ev.id}`, title: `Cerrar el evento ${ev.number}` }));
}

function openEvents(items, total, ctx) {
  if (!items.length) return h('p', { class: 'empty' }, 'No hay eventos abiertos.');
  const HEAD = ['Número', 'Punto de atención', 'Trámite', 'Escenario', 'Falla masiva', 'Inicio (Lima)', 'Abierto hace', 'Cierre'];
  const cell = (i, attrs, ...content) => h('td', { ...attrs, 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((ev) => h('tr', { class: ev.open_minutes >= LONG_MINUTES ? 'row-late' : null, 'data-event': ev.number },
    cell(0, { class: 'nowrap' }, eventLink(ev)),
    cell(1, {}, pointLabel(ev.point)),
    cell(2, {}, name('procedure', ev.procedure), h('br'), h('span', { class: 'muted' }, nameList('application', ev.applications).join(', '))),
    cell(3, {}, name('scenario', ev.scenario)),
    cell(4, {}, ev.mass_failure_id ? failureLink({ id: ev.mass_failure_id }) : '—'),
    cell(5, { class: 'nowrap' }, timeEl(ev.started_at)),
    cell(6, { class: 'nowrap' }, h('strong', {}, openFor(ev.open_minutes)),
      ev.open_minutes >= LONG_MINUTES ? h('span', { class: 'muted' }, ' (más de 1 día)') : null),
    cell(7, {}, closeCell(ev, ctx))));
  return [
    h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
      h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))),
    total > items.length ? h('p', {}, h('a', { href: href('/eventos', { status: 'OPEN' }) }, `Ver los ${total} eventos abiertos`)) : null,
  ];
}
