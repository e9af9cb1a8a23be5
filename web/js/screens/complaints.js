/*
 * The RECLAMOS tray (SPEC Q5): complaints by due date, earliest first,
 * overdue ones marked; filters by status, matter and overdue.
 */
import { api } from '../api.js';
import { href } from '../router.js';
import { h, option, timeEl, fmtDate } from '../ui.js';

const PAGE = 50;
export const STATUS_NAMES = { RECIBIDO: 'Recibido', EN_PROCESO: 'En proceso', RESUELTO: 'Resuelto' };

export function statusBadge(c) {
  const cls = c.status === 'RESUELTO' ? 'badge-closed' : 'badge-open';
  return [h('span', { class: ['badge', cls] }, STATUS_NAMES[c.status] || c.status),
    c.overdue ? [' ', h('span', { class: 'badge badge-overdue' }, 'Vencido')] : null];
}

export async function render(view, ctx) {
  const q = {
    status: ctx.query.get('status') || '',
    matter: ctx.query.get('matter') || '',
    overdue: ctx.query.get('overdue') === 'true' ? 'true' : '',
  };
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const [tray, matters] = await Promise.all([
    api.get('/complaints', { ...q, limit: PAGE, offset: (page - 1) * PAGE }),
    api.get('/complaint-matters'),
  ]);
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Bandeja de reclamos')),
    h('p', { class: 'lead' }, 'Los reclamos recibidos por el formulario web y la plataforma del regulador, por fecha máxima de respuesta (la más próxima primero).'),
    filters(q, matters.items, ctx),
    h('section', { class: 'panel', 'aria-labelledby': 'tray-title' },
      h('h2', { id: 'tray-title' }, tray.total === 1 ? '1 reclamo' : `${tray.total} reclamos`),
      table(tray.items), pager(tray, page, q)));
}

function filters(q, matters, ctx) {
  const status = h('select', { id: 'f-status', name: 'status' }, option('', 'Todos'),
    Object.entries(STATUS_NAMES).map(([k, v]) => option(k, v, q.status === k)));
  const matter = h('select', { id: 'f-matter', name: 'matter' }, option('', 'Todas'),
    matters.map((m) => option(m.code, m.name, q.matter === m.code)));
  const overdue = h('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', checked: q.overdue === 'true' });
  const go = () => ctx.navigate('/reclamos', {
    status: status.value, matter: matter.value, overdue: overdue.checked ? 'true' : '',
  });
  [status, matter, overdue].forEach((el) => el.addEventListener('change', go));
  return h('div', { class: 'filters', role: 'search', 'aria-label': 'Filtrar reclamos' },
    h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Estado'), status),
    h('div', { class: 'field' }, h('label', { for: 'f-matter' }, 'Materia'), matter),
    h('p', { class: 'choice' }, overdue, h('label', { for: 'f-overdue' }, 'Solo vencidos')));
}

function table(items) {
  if (!items.length) return h('p', { class: 'empty' }, 'No hay reclamos con estos filtros.');
  const HEAD = ['Código', 'Recibido', 'Cliente', 'Materia', 'Fecha máxima', 'Estado'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((c) => h('tr', { class: c.overdue ? 'row-overdue' : null, 'data-code': c.code },
    cell(0, h('a', { class: 'nowrap', href: href(`/reclamos/${c.code}`) }, c.code)),
    cell(1, h('span', { class: 'nowrap' }, timeEl(c.received_at))),
    cell(2, c.customer_name),
    cell(3, c.matter_name),
    cell(4, h('span', { class: 'nowrap' }, fmtDate(c.due_date))),
    cell(5, statusBadge(c))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

function pager(tray, page, q) {
  const pages = Math.max(1, Math.ceil(tray.total / PAGE));
  if (pages === 1) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Páginas' },
    h('span', {}, `Página ${page} de ${pages}`),
    h('span', { class: 'actions' },
      page > 1 ? h('a', { class: 'btn btn-secondary btn-small', href: href('/reclamos', { ...q, page: page - 1 }) }, '← Anteriores') : null,
      page < pages ? h('a', { class: 'btn btn-secondary btn-small', href: href('/reclamos', { ...q, page: page + 1 }) }, 'Siguientes →') : null));
}
