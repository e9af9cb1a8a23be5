/*
 * Paper contingency (SPEC K1-K2): print the "Formato Manual de Registro
 * de Inoperatividad" of a point — each download reserves the point's next
 * serial — and follow every serial: unused ones stay in sight, used ones
 * link to the event that regularised them, with its delay.
 */
import { api } from '../api.js';
import { manualMaxAgeDays } from '../catalog.js';
import { fmtMinutes } from '../control-view.js';
import { href } from '../router.js';
import { hasRole, isJefeOf, onlyJefe } from '../session.js';
import { h, field, option, notice, submitting, timeEl, announce, person } from '../ui.js';

const STATUS = { LIBRE: 'Sin usar', USADO: 'Regularizado' };

export async function render(view, ctx) {
  const status = ['LIBRE', 'USADO'].includes(ctx.query.get('status')) ? ctx.query.get('status') : '';
  const pointFilter = ctx.query.get('point') || '';
  const points = (await api.get('/points', onlyJefe() ? { mine: 1 } : undefined)).items
    .filter((p) => p.active && (hasRole('CONTROL', 'ADMIN') || isJefeOf(p.code)));
  const list = await api.get('/manual-forms', { status, point: pointFilter, limit: 200 });
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Formatos manuales')),
    h('p', { class: 'lead' }, 'Si Inop no está disponible, el punto registra la inoperatividad en el formato impreso y lo reporta al buzón de Fallas. Al volver Inop, el jefe del punto lo regulariza con su número de formato.',
      h('span', { 'data-testid': 'manual-window' }, ` Puede hacerlo hasta ${manualMaxAgeDays()} días después del inicio anotado; un formato más antiguo lo regulariza Control e Información con un sustento.`)),
    points.length ? issuePanel(points, ctx) : notice('warning', 'No tiene puntos de atención para imprimir formatos.'),
    h('section', { 'aria-labelledby': 'forms-title' },
      h('h2', { id: 'forms-title' }, `Números de formato emitidos: ${list.total}`),
      filters(status, pointFilter, points, ctx),
      formsTable(list.items)));
}

/* Reserves a serial and downloads its PDF. */
function issuePanel(points, ctx) {
  const select = h('select', { name: 'point' }, points.map((p, i) => option(p.code, `${p.name} (${p.code})`, i === 0)));
  const form = h('form', { class: 'form', novalidate: true },
    points.length > 1 ? field('point', 'Punto de atención', select)
      : h('p', { class: 'point-fixed', 'data-field': 'point' }, `${points[0].name} (${points[0].code})`),
    h('p', { class: 'hint' }, 'Cada descarga reserva un número de formato nuevo para el punto; imprímalo y téngalo a mano. El PDF lleva los datos del punto, todos los campos del registro y de las transacciones críticas, y los buzones de contingencia.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Descargar formato manual (PDF)')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const point = points.length > 1 ? select.value : points[0].code;
    const f = await submitting(form, () => api.post('/manual-forms', { point }), { busyLabel: 'Preparando…' });
    if (!f) return;
    download(f);
    announce(`Formato ${f.serial} descargado`);
    ctx.refresh();
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'issue-title' },
    h('h2', { id: 'issue-title' }, 'Imprimir un formato'), form);
}

function download(f) {
  const a = h('a', { href: f.pdf, download: `${f.serial}.pdf`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

function filters(status, point, points, ctx) {
  const st = h('select', { name: 'status' }, option('', 'Todos', !status),
    option('LIBRE', STATUS.LIBRE, status === 'LIBRE'), option('USADO', STATUS.USADO, status === 'USADO'));
  const pt = h('select', { name: 'point' }, option('', 'Todos', !point),
    points.map((p) => option(p.code, `${p.name} (${p.code})`, p.code === point)));
  const form = h('form', { class: 'form filters', novalidate: true, role: 'search', 'aria-label': 'Filtros de formatos' },
    field('status', 'Estado', st), field('point', 'Punto de atención', pt),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Filtrar')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate('/formatos', { status: st.value, point: pt.value });
  });
  return h('div', { class: 'panel' }, form);
}

function formsTable(items) {
  if (!items.length) return h('p', { class: 'empty' }, 'No hay formatos con estos filtros.');
  const HEAD = ['N.º de formato', 'Punto', 'Emitido', 'Estado', 'Evento', 'Acciones'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((f) => h('tr', { 'data-serial': f.serial },
    cell(0, h('span', { class: 'serial' }, f.serial)),
    cell(1, `${f.point.name} (${f.point.code})`),
    cell(2, timeEl(f.issued_at), h('br'), h('span', { class: 'muted' }, person(f.issued_by_name, f.issued_by))),
    cell(3, h('span', { class: ['badge', f.status === 'LIBRE' ? 'badge-open' : 'badge-yes'] }, STATUS[f.status])),
    cell(4, f.event ? [h('a', { href: href(`/eventos/${encodeURIComponent(f.event)}`), class: 'event-number' }, f.event),
      h('br'), h('span', { class: 'muted' }, `demora ${fmtMinutes(f.delay_minutes)}`)] : '—'),
    cell(5, h('span', { class: 'actions' },
      h('a', { class: 'btn btn-secondary btn-small', href: f.pdf, download: `${f.serial}.pdf` }, 'PDF'),
      f.status === 'LIBRE' && (isJefeOf(f.point.code) || hasRole('CONTROL'))
        ? h('a', { class: 'btn btn-primary btn-small', href: href(`/registrar/${encodeURIComponent(f.point.code)}`, { formato: f.serial }) }, 'Regularizar')
        : null))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}
