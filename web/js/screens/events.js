/*
 * The register: every event the user may see, newest first, with filters
 * (status, point, procedure, dates, reportable) kept in the address
 * (#/eventos?status=OPEN&page=2) so Back and shared links work.
 */
import { api, ApiError } from '../api.js';
import { catalog } from '../catalog.js';
import { eventsTable } from '../events-view.js';
import { href } from '../router.js';
import { hasRole, onlyJefe } from '../session.js';
import { h, field, option, showError } from '../ui.js';

const PAGE = 25;
const KEYS = ['status', 'point', 'procedure', 'from', 'to', 'reportable'];

export async function render(view, ctx) {
  const filters = {};
  for (const k of KEYS) filters[k] = ctx.query.get(k) || '';
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const points = (await api.get('/points', onlyJefe() ? { mine: 1 } : undefined)).items;

  const head = h('div', { class: 'page-head' }, h('h1', {}, 'Eventos de inoperatividad'),
    hasRole('JEFE', 'ADMIN') ? h('a', { class: 'btn btn-primary', href: href('/registrar') }, 'Registrar inoperatividad') : null);
  const form = filterForm(filters, points, ctx);
  const results = h('section', { 'aria-labelledby': 'results-title' });
  view.append(head, h('div', { class: 'panel' }, form), results);

  let list;
  try {
    list = await api.get('/events', { ...filters, limit: PAGE, offset: (page - 1) * PAGE });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 422) throw err;
    showError(form, err);
    return;
  }
  const first = list.total ? (page - 1) * PAGE + 1 : 0;
  const last = Math.min(list.total, page * PAGE);
  results.append(
    h('h2', { id: 'results-title' }, list.total === 1 ? '1 evento' : `${list.total} eventos`),
    eventsTable(list.items, { caption: `Eventos ${first}–${last} de ${list.total}, del más reciente al más antiguo`, empty: 'Ningún evento cumple los filtros.' }),
    pager(filters, page, list.total, first, last));
}

function filterForm(filters, points, ctx) {
  const status = h('select', { name: 'status' },
    option('', 'Todos', !filters.status), option('OPEN', 'Abiertos', filters.status === 'OPEN'),
    option('CLOSED', 'Cerrados', filters.status === 'CLOSED'));
  const point = h('select', { name: 'point' }, option('', 'Todos', !filters.point),
    points.map((p) => option(p.code, `${p.name} (${p.code})`, filters.point === p.code)));
  const procedure = h('select', { name: 'procedure' }, option('', 'Todos', !filters.procedure),
    catalog().procedures.map((p) => option(p.code, p.name, filters.procedure === p.code)));
  const from = h('input', { type: 'date', name: 'from', value: filters.from });
  const to = h('input', { type: 'date', name: 'to', value: filters.to });
  const reportable = h('select', { name: 'reportable' }, option('', 'Todos', !filters.reportable),
    option('true', 'Sí', filters.reportable === 'true'), option('false', 'No', filters.reportable === 'false'));
  const form = h('form', { class: 'form filters', novalidate: true, role: 'search', 'aria-label': 'Filtros de eventos' },
    field('status', 'Estado', status),
    field('point', 'Punto de atención', point),
    field('procedure', 'Tipo de trámite', procedure),
    field('from', 'Inicio desde', from),
    field('to', 'Inicio hasta', to),
    field('reportable', 'Reportable', reportable),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Filtrar'),
      h('a', { class: 'btn btn-secondary', href: href('/eventos') }, 'Limpiar')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = {};
    for (const k of KEYS) q[k] = form.elements[k].value;
    ctx.navigate('/eventos', q);
  });
  return form;
}

function pager(filters, page, total, first, last) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const link = (p, label, rel) => h('a', { class: 'btn btn-secondary btn-small', href: href('/eventos', { ...filters, page: p }), rel }, label);
  return h('nav', { class: 'pager', 'aria-label': 'Páginas' },
    h('span', {}, total ? `Mostrando ${first}–${last} de ${total} · página ${page} de ${pages}` : ''),
    h('span', { class: 'actions' },
      page > 1 ? link(page - 1, '← Anteriores', 'prev') : null,
      page < pages ? link(page + 1, 'Siguientes →', 'next') : null));
}
