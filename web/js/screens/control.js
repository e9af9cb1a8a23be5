/*
 * Control e Información (SPEC V1): the events with a failing check, by
 * check, point and dates, with what fails on each, and the Procesos
 * requests waiting or overdue.  Filters live in the address.
 */
import { api, ApiError } from '../api.js';
import { catalog, name } from '../catalog.js';
import { CHECK_NAMES, checkBadge, clockText, processesBadge } from '../control-view.js';
import { eventLink, pointLabel, regularisedBadge, statusBadge } from '../events-view.js';
import { href } from '../router.js';
import { append, h, field, option, showError, timeEl } from '../ui.js';

const PAGE = 25;
const KEYS = ['check', 'point', 'procedure', 'status', 'from', 'to'];

export async function render(view, ctx) {
  const filters = {};
  for (const k of KEYS) filters[k] = ctx.query.get(k) || '';
  const page = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
  const points = (await api.get('/points')).items;
  const form = filterForm(filters, points, ctx);
  const results = h('section', { 'aria-labelledby': 'failing-title' });
  append(view, [
    h('div', { class: 'page-head' }, h('h1', {}, 'Control de eventos'),
      h('a', { class: 'btn btn-secondary', href: href('/procesos') }, 'Dictámenes de Procesos')),
    h('p', { class: 'lead' }, 'Eventos con al menos un control que no se cumple: regístrelos, alerte al punto, solicite el dictamen de Procesos o descártelos del reporte desde cada evento.'),
    await overdueBox(),
    h('div', { class: 'panel' }, form), results]);
  let list;
  try {
    list = await api.get('/control/events', { ...filters, limit: PAGE, offset: (page - 1) * PAGE });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 422) throw err;
    showError(form, err);
    return;
  }
  results.append(
    h('h2', { id: 'failing-title' }, list.total === 1 ? '1 evento con observaciones' : `${list.total} eventos con observaciones`),
    failingTable(list.items),
    pager(filters, page, list.total));
}

/* The Procesos requests past their 24 hours, if any. */
async function overdueBox() {
  const late = await api.get('/processes/requests', { status: 'VENCIDA', limit: 5 });
  if (!late.total) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'late-title' },
    h('h2', { id: 'late-title' }, `Dictámenes vencidos: ${late.total}`),
    h('ul', {}, late.items.map((q) => h('li', {},
      h('a', { href: href(`/eventos/${encodeURIComponent(q.event)}`), class: 'event-number' }, q.event), ' ',
      processesBadge(q.status), ' ', clockText(q)))),
    late.total > late.items.length ? h('p', {}, h('a', { href: href('/procesos', { status: 'VENCIDA' }) }, 'Ver todos')) : null);
}

function filterForm(filters, points, ctx) {
  const check = h('select', { name: 'check' }, option('', 'Cualquiera', !filters.check),
    Object.entries(CHECK_NAMES).map(([code, label]) => option(code, label, filters.check === code)));
  const point = h('select', { name: 'point' }, option('', 'Todos', !filters.point),
    points.map((p) => option(p.code, `${p.name} (${p.code})`, filters.point === p.code)));
  const procedure = h('select', { name: 'procedure' }, option('', 'Todos', !filters.procedure),
    catalog().procedures.map((p) => option(p.code, p.name, filters.procedure === p.code)));
  const status = h('select', { name: 'status' }, option('', 'Todos', !filters.status),
    option('OPEN', 'Abiertos', filters.status === 'OPEN'), option('CLOSED', 'Cerrados', filters.status === 'CLOSED'));
  const from = h('input', { type: 'date', name: 'from', value: filters.from });
  const to = h('input', { type: 'date', name: 'to', value: filters.to });
  const form = h('form', { class: 'form filters', novalidate: true, role: 'search', 'aria-label': 'Filtros de control' },
    field('check', 'Control que no se cumple', check),
    field('point', 'Punto de atención', point),
    field('procedure', 'Tipo de trámite', procedure),
    field('status', 'Estado', status),
    field('from', 'Inicio desde', from),
    field('to', 'Inicio hasta', to),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Filtrar'),
      h('a', { class: 'btn btn-secondary', href: href('/control') }, 'Limpiar')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = {};
    for (const k of KEYS) q[k] = form.elements[k].value;
    ctx.navigate('/control', q);
  });
  return form;
}

function failingTable(items) {
  if (!items.length) return h('p', { class: 'empty' }, 'Ningún evento tiene controles que no se cumplan con estos filtros.');
  const HEAD = ['Número', 'Punto de atención', 'Trámite', 'Inicio (Lima)', 'Estado', 'Controles que no se cumplen'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((ev) => {
    const failing = ev.checks.filter((c) => c.status === 'FALLA');
    return h('tr', { 'data-event': ev.number },
      cell(0, eventLink(ev), regularisedBadge(ev)),
      cell(1, pointLabel(ev.point)),
      cell(2, name('procedure', ev.procedure)),
      cell(3, timeEl(ev.started_at)),
      cell(4, statusBadge(ev.status)),
      cell(5, h('ul', { class: 'diff' }, failing.map((c) => h('li', { 'data-check': c.code },
        checkBadge(c.status), ' ', h('strong', {}, CHECK_NAMES[c.code] || c.code), `: ${c.detail}`)))));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

function pager(filters, page, total) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const link = (p, label) => h('a', { class: 'btn btn-secondary btn-small', href: href('/control', { ...filters, page: p }) }, label);
  return h('nav', { class: 'pager', 'aria-label': 'Páginas' },
    h('span', {}, total ? `Página ${page} de ${pages}` : ''),
    h('span', { class: 'actions' },
      page > 1 ? link(page - 1, '← Anteriores') : null,
      page < pages ? link(page + 1, 'Siguientes →') : null));
}
