/*
 * The official reports to OSIPTEL: the list, with what each one waits for
 * and whose turn it is, and (CONTROL) the form that builds a new one for
 * a period of Lima days (SPEC O1, O2).
 */
import { api } from '../api.js';
import { name, REPORT_STATES } from '../catalog.js';
import { href } from '../router.js';
import { periodText, pendingForMe, reportLink, reportStatusBadge, WAITING_FOR } from '../reports-view.js';
import { hasRole } from '../session.js';
import { h, field, option, submitting, setFlash, timeEl, fmtDate, limaNowInput, person } from '../ui.js';

export async function render(view, ctx) {
  const status = ctx.query.get('status') || '';
  const list = await api.get('/reports', { status, limit: 200 });
  view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Reportes a OSIPTEL'),
    h('a', { class: 'btn btn-secondary', href: href('/plazos') }, 'Ver plazos de reporte')));
  if (hasRole('CONTROL')) view.append(buildForm(ctx));
  const mine = list.items.filter((r) => pendingForMe(r).length);
  if (mine.length) {
    view.append(h('div', { class: 'notice notice-warning', role: 'status' },
      h('strong', {}, mine.length === 1 ? '1 reporte espera su acción: ' : `${mine.length} reportes esperan su acción: `),
      mine.map((r, i) => [i ? ', ' : '', reportLink(r)])));
  }
  view.append(h('section', { class: 'panel', 'aria-labelledby': 'list-title' },
    h('div', { class: 'page-head' }, h('h2', { id: 'list-title' }, list.total === 1 ? '1 reporte' : `${list.total} reportes`),
      statusFilter(status, ctx)),
    reportsTable(list.items)));
}

function statusFilter(status, ctx) {
  const select = h('select', { name: 'status', id: 'status-filter' }, option('', 'Todos los estados', !status),
    REPORT_STATES.map((s) => option(s, name('reportStatus', s), s === status)));
  select.addEventListener('change', () => ctx.navigate('/reportes', { status: select.value }));
  return h('div', { class: 'inline-field' }, h('label', { for: 'status-filter' }, 'Estado'), select);
}

function reportsTable(items) {
  if (!items.length) return h('p', { class: 'empty' }, 'No hay reportes con ese estado.');
  const HEAD = ['Reporte', 'Periodo (días de Lima)', 'Estado', 'Eventos', 'Creado', 'Envío a OSIPTEL', 'Siguiente paso'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((r) => h('tr', { class: pendingForMe(r).length ? 'row-mine' : null },
    cell(0, reportLink(r)),
    cell(1, periodText(r)),
    cell(2, reportStatusBadge(r.status)),
    cell(3, String(r.total_events)),
    cell(4, timeEl(r.created_at), h('br'), h('span', { class: 'muted' }, person(r.created_by_name, r.created_by))),
    cell(5, r.sent_on ? [fmtDate(r.sent_on), h('br'), h('span', { class: 'muted' }, r.sent_reference)] : '—'),
    cell(6, pendingForMe(r).length ? h('strong', {}, 'Le toca a usted') : WAITING_FOR[r.status])));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

function buildForm(ctx) {
  const today = limaNowInput().slice(0, 10);
  const weekAgo = new Date(`${today}T12:00:00Z`);
  weekAgo.setUTCDate(weekAgo.getUTCDate() - 7);
  const from = h('input', { type: 'date', name: 'from', value: weekAgo.toISOString().slice(0, 10), max: today });
  const to = h('input', { type: 'date', name: 'to', value: today, max: today });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'build-title' },
    h('h2', { id: 'build-title' }, 'Nuevo reporte'),
    h('p', { class: 'hint' }, 'Reúne los eventos cerrados y reportables que iniciaron en esos días (hora de Lima) y que no están en un reporte enviado ni en otro en aprobación. Cada evento se entrega a Regulatorio (con la aprobación de Dirección) a más tardar 3 días hábiles después de su fin; la fecha de envío a OSIPTEL se registra aparte.'),
    h('div', { class: 'cols-2' },
      field('from', 'Desde (inicio del evento)', from, { required: true }),
      field('to', 'Hasta', to, { required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Crear reporte')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const rep = await submitting(form, () => api.post('/reports', { from: from.value, to: to.value }), { busyLabel: 'Creando…' });
    if (rep) {
      setFlash(`Reporte N.º ${rep.id} creado en borrador con ${rep.total_events === 1 ? '1 evento' : `${rep.total_events} eventos`}.`);
      ctx.navigate(`/reportes/${rep.id}`);
    }
  });
  return h('section', { class: 'panel' }, form);
}
