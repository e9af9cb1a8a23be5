/*
 * The deadline board (SPEC O3): every closed, reportable event not yet
 * sent to OSIPTEL, by due date (3 business days after its Lima end day,
 * counting holidays and ADMIN's non-working days), overdue ones first and
 * marked, each with the report that holds it.
 */
import { api } from '../api.js';
import { name } from '../catalog.js';
import { eventLink, pointLabel } from '../events-view.js';
import { href } from '../router.js';
import { daysLeftText, reportStatusBadge } from '../reports-view.js';
import { hasRole } from '../session.js';
import { h, timeEl, fmtDate } from '../ui.js';

const PAGE = 100;

export async function render(view, ctx) {
  const overdueOnly = ctx.query.get('overdue') === 'true';
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const board = await api.get('/deadlines', { overdue: overdueOnly ? 'true' : '', limit: PAGE, offset: (page - 1) * PAGE });
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Plazos de entrega a Regulatorio'),
      hasRole('CONTROL') ? h('a', { class: 'btn btn-primary', href: href('/reportes') }, 'Crear un reporte') : null),
    h('p', { class: 'lead' }, `Hoy es ${fmtDate(board.today)} (Lima). Cada evento reportable se entrega a Regulatorio (con la aprobación de Dirección del reporte) a más tardar 3 días hábiles después del día en que terminó; la fecha de envío a OSIPTEL se registra aparte.`),
    h('div', { class: 'kpis' },
      kpi(overdueOnly ? '—' : board.total, 'Eventos por reportar', href('/plazos')),
      kpi(board.overdue, 'Con el plazo vencido', href('/plazos', { overdue: 'true' }), board.overdue > 0)),
    filter(overdueOnly, ctx),
    h('section', { class: 'panel', 'aria-labelledby': 'board-title' },
      h('h2', { id: 'board-title' }, overdueOnly ? 'Eventos con el plazo vencido' : 'Eventos por reportar, por fecha límite'),
      table(board.items),
      pager(board, page, overdueOnly)));
}

function kpi(value, label, link, alarm = false) {
  return h('a', { class: ['kpi', alarm ? 'kpi-alarm' : null], href: link },
    h('span', { class: 'kpi-value' }, String(value)), h('span', { class: 'kpi-label' }, label));
}

function filter(overdueOnly, ctx) {
  const box = h('input', { type: 'checkbox', id: 'only-overdue', checked: overdueOnly });
  box.addEventListener('change', () => ctx.navigate('/plazos', { overdue: box.checked ? 'true' : '' }));
  return h('p', { class: 'choice' }, box, h('label', { for: 'only-overdue' }, 'Mostrar solo los vencidos'));
}

function table(items) {
  if (!items.length) return h('p', { class: 'empty' }, 'No hay eventos pendientes de reportar.');
  const HEAD = ['Evento', 'Punto de atención', 'Trámite', 'Fin (Lima)', 'Fecha límite', 'Días hábiles', 'Reporte'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((ev) => h('tr', { class: ev.overdue ? 'row-overdue' : null, 'data-number': ev.number },
    cell(0, h('span', { class: 'nowrap' }, eventLink(ev)),
      ev.awaiting_ruling ? [h('br'), h('span', { class: 'badge badge-no', 'data-testid': 'awaiting-ruling' }, 'En riesgo: espera el dictamen de Procesos')] : null),
    cell(1, pointLabel(ev.point)),
    cell(2, name('procedure', ev.procedure)),
    cell(3, h('span', { class: 'nowrap' }, timeEl(ev.ended_at))),
    cell(4, h('span', { class: 'nowrap' }, fmtDate(ev.report_due))),
    cell(5, ev.overdue ? h('span', { class: 'badge badge-no' }, daysLeftText(ev)) : daysLeftText(ev)),
    cell(6, ev.report ? [h('a', { href: href(`/reportes/${ev.report.id}`) }, `N.º ${ev.report.id}`), ' ', reportStatusBadge(ev.report.status)]
      : h('span', { class: 'muted' }, 'Sin reporte'))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

function pager(board, page, overdueOnly) {
  const pages = Math.max(1, Math.ceil(board.total / PAGE));
  if (pages === 1) return null;
  const q = { overdue: overdueOnly ? 'true' : '' };
  return h('nav', { class: 'pager', 'aria-label': 'Páginas' },
    h('span', {}, `Página ${page} de ${pages}`),
    h('span', { class: 'actions' },
      page > 1 ? h('a', { class: 'btn btn-secondary btn-small', href: href('/plazos', { ...q, page: page - 1 }) }, '← Anteriores') : null,
      page < pages ? h('a', { class: 'btn btn-secondary btn-small', href: href('/plazos', { ...q, page: page + 1 }) }, 'Siguientes →') : null));
}
