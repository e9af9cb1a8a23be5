/*
 * One report: where it is in the approval chain, the buttons of the step
 * this user may take (SPEC O2), the three downloads (O4), the approval
 * trail and the events it holds.  From EN_REVISION on, what is shown is
 * the frozen snapshot, with its hash.
 */
import { api } from '../api.js';
import { name } from '../catalog.js';
import { href } from '../router.js';
import { MOVE, periodText, reportStatusBadge, stepper, WAITING_FOR } from '../reports-view.js';
import {
  h, field, notice, submitting, setFlash, timeEl, fmtDate, fmtDateTime, limaNowInput, person,
} from '../ui.js';

const PAGE = 100;

export async function render(view, ctx) {
  const rep = await api.get(`/reports/${encodeURIComponent(ctx.params.id)}`);
  ctx.setTitle(`Reporte N.º ${rep.id}`);
  view.append(
    h('p', {}, h('a', { href: href('/reportes') }, '← Reportes')),
    h('div', { class: 'page-head' },
      h('h1', {}, `Reporte N.º ${rep.id}`), reportStatusBadge(rep.status)),
    stepper(rep.status),
    summary(rep),
    downloads(rep),
    ...actions(rep, ctx),
    trail(rep),
    pendingSection(rep),
    rowsSection(rep));
}

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function summary(rep) {
  const frozen = rep.frozen
    ? [h('span', {}, `Congelado el ${fmtDateTime(rep.frozen_at)}. Huella SHA-256: `),
      h('code', { class: 'hash', 'data-testid': 'snapshot-hash' }, rep.snapshot_hash)]
    : h('span', {}, 'Borrador: muestra los eventos reportables del periodo tal como están ahora; se congela al enviarlo a revisión.');
  return h('section', { class: 'panel', 'aria-labelledby': 'sum-title' },
    h('h2', { id: 'sum-title' }, 'Resumen'),
    h('dl', { class: 'dl' },
      row('Periodo (inicio de los eventos, días de Lima)', periodText(rep)),
      row('Eventos', String(rep.total_events)),
      row('Estado', name('reportStatus', rep.status), ' — ', WAITING_FOR[rep.status]),
      row('Creado', person(rep.created_by_name, rep.created_by), ' el ', timeEl(rep.created_at)),
      row('Contenido', frozen),
      row('Entregado a Regulatorio (plazo)', rep.handed_over_at ? h('span', { 'data-testid': 'handed-over' }, timeEl(rep.handed_over_at), ' — con la aprobación de Dirección; esto cumple el plazo de 3 días hábiles') : 'Aún no: se entrega con la aprobación de Dirección'),
      rep.sent_on ? row('Enviado a OSIPTEL (por Regulatorio)', `${fmtDate(rep.sent_on)} — referencia ${rep.sent_reference}`) : []));
}

function downloads(rep) {
  const link = (format, label) => h('a', {
    class: 'btn btn-secondary', href: `/api/v1/reports/${rep.id}/export?format=${format}`,
    download: `reporte-inoperatividad-${rep.id}.${format}`, 'data-format': format,
  }, label);
  return h('section', { class: 'panel', 'aria-labelledby': 'dl-title' },
    h('h2', { id: 'dl-title' }, 'Descargas'),
    rep.frozen ? null : h('p', { class: 'hint' }, 'Mientras es borrador, cada descarga muestra el contenido de ese momento y está marcada como borrador.'),
    h('div', { class: 'actions' },
      link('xlsx', 'Excel (XLSX)'), link('pdf', 'PDF para firma'), link('csv', 'CSV')));
}

/* ---------- the steps this user may take ---------- */

function actions(rep, ctx) {
  const next = rep.next || [];
  const out = [];
  const forward = next.filter((s) => s !== 'BORRADOR');
  for (const to of forward) out.push(to === 'ENVIADO' ? sendForm(rep, ctx) : approveForm(rep, to, ctx));
  if (next.includes('BORRADOR')) out.push(sendBackForm(rep, ctx));
  if (!next.length && rep.status !== 'ENVIADO') {
    out.push(notice('info', `Este reporte ${WAITING_FOR[rep.status]}. Su rol no tiene una acción en esta etapa.`));
  }
  return out;
}

async function transition(form, rep, body, ctx) {
  const done = await submitting(form, () => api.post(`/reports/${rep.id}/transition`, body), { busyLabel: 'Guardando…' });
  if (done) {
    setFlash(`Reporte N.º ${rep.id} ${MOVE[body.to].done}.`);
    ctx.refresh();
  }
}

function approveForm(rep, to, ctx) {
  const comment = h('textarea', { name: 'comment', rows: 2, maxlength: 2000 });
  const form = h('form', { class: 'form', novalidate: true, 'data-to': to },
    to === 'EN_REVISION'
      ? h('p', {}, 'Al enviarlo a revisión se congela su contenido (los eventos y sus datos) con una huella SHA-256; los cambios posteriores en los eventos ya no lo alteran.')
      : h('p', {}, 'Revise los eventos y las descargas antes de aprobar.'),
    field('comment', 'Comentario (opcional)', comment),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, MOVE[to].label)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { to };
    if (comment.value.trim()) body.comment = comment.value.trim();
    transition(form, rep, body, ctx);
  });
  return h('section', { class: 'panel panel-action', 'aria-labelledby': `act-${to}` },
    h('h2', { id: `act-${to}` }, MOVE[to].label), form);
}

function sendForm(rep, ctx) {
  const today = limaNowInput().slice(0, 10);
  const date = h('input', { type: 'date', name: 'date', value: today, max: today });
  const reference = h('input', { type: 'text', name: 'reference', maxlength: 120, autocomplete: 'off' });
  const form = h('form', { class: 'form', novalidate: true, 'data-to': 'ENVIADO' },
    h('div', { class: 'cols-2' },
      field('date', 'Fecha de envío', date, { required: true }),
      field('reference', 'Referencia del envío', reference, { required: true, hint: 'N.º de carta o de registro en la plataforma de OSIPTEL.' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, MOVE.ENVIADO.label)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    transition(form, rep, { to: 'ENVIADO', date: date.value, reference: reference.value.trim() }, ctx);
  });
  return h('section', { class: 'panel panel-action', 'aria-labelledby': 'act-sent' },
    h('h2', { id: 'act-sent' }, 'Envío a OSIPTEL'), form);
}

function sendBackForm(rep, ctx) {
  const comment = h('textarea', { name: 'comment', rows: 3, maxlength: 2000 });
  const form = h('form', { class: 'form', novalidate: true, 'data-to': 'BORRADOR' },
    field('comment', 'Motivo de la devolución', comment, { required: true, hint: 'Control e Información lo verá en la trayectoria del reporte.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-danger' }, MOVE.BORRADOR.label)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    transition(form, rep, { to: 'BORRADOR', comment: comment.value.trim() }, ctx);
  });
  return h('details', { class: 'panel collapsible' },
    h('summary', {}, h('h2', {}, 'Devolver a borrador con observaciones')), form);
}

/* ---------- trail and rows ---------- */

function trail(rep) {
  const rows = rep.transitions.map((s) => h('tr', {},
    h('td', { class: 'nowrap' }, timeEl(s.at, { seconds: true })),
    h('td', {}, s.by_name, h('br'), h('span', { class: 'muted' }, s.by)),
    h('td', {}, name('role', s.role)),
    h('td', {}, s.from ? `${name('reportStatus', s.from)} → ${name('reportStatus', s.to)}` : 'Creación'),
    h('td', {}, s.comment || '', s.comment && s.reference ? h('br') : null,
      s.reference ? `Referencia: ${s.reference}` : '')));
  return h('section', { class: 'panel', 'aria-labelledby': 'trail-title' },
    h('h2', { id: 'trail-title' }, 'Trayectoria de aprobación'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['Fecha y hora (Lima)', 'Usuario', 'Rol', 'Paso', 'Comentario / referencia']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))));
}

/* O1: in-person events of the period still without a PROCEDE ruling. */
function pendingSection(rep) {
  if (!rep.pending_ruling || !rep.pending_ruling.length) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'pending-title', 'data-testid': 'pending-ruling' },
    h('h2', { id: 'pending-title' }, `Esperan el dictamen de Procesos: ${rep.pending_ruling.length}`),
    h('p', { class: 'hint' }, 'Eventos de puntos presenciales del periodo sin dictamen «Procede»: no entran al reporte hasta que Procesos dictamine que procede reportarlos.'),
    h('ul', {}, rep.pending_ruling.map((n) => h('li', {}, h('a', { href: href(`/eventos/${encodeURIComponent(n)}`), class: 'event-number' }, n)))));
}

function rowsSection(rep) {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'rows-title' },
    h('h2', { id: 'rows-title' }, rep.total_events === 1 ? '1 evento' : `${rep.total_events} eventos`),
    h('p', { class: 'hint' }, 'Todas las columnas del formato, con la evaluación E1–E4 de cada evento, están en las descargas.'));
  if (!rep.rows.length) {
    section.append(h('p', { class: 'empty' }, 'El reporte no contiene eventos: no hay eventos reportables cerrados en el periodo que no estén ya en otro reporte.'));
    return section;
  }
  const HEAD = ['N.º', 'Punto de atención', 'Trámite y solicitudes', 'Escenario y cierre', 'Inicio y fin (Lima)', 'Min.', 'Plazo'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const tbody = h('tbody', {});
  const more = h('button', { type: 'button', class: 'btn btn-secondary' });
  let shown = 0;
  const showMore = () => {
    for (const r of rep.rows.slice(shown, shown + PAGE)) {
      tbody.append(h('tr', {},
        cell(0, h('a', { class: 'event-number nowrap', href: href(`/eventos/${encodeURIComponent(r.number)}`) }, r.number)),
        cell(1, `${r.point_name} (${r.point_code})`, h('br'), h('span', { class: 'muted' }, `${r.channel} · ${r.region}`)),
        cell(2, h('strong', {}, r.procedure), h('br'), r.requests),
        cell(3, r.scenario, r.cause ? [h('br'), h('span', { class: 'muted' }, r.cause)] : null,
          h('br'), h('span', { class: 'muted' }, `Cierre: ${r.closure_reason}`)),
        cell(4, h('span', { class: 'nowrap' }, fmtDateTime(r.started_at)), h('br'), h('span', { class: 'nowrap' }, fmtDateTime(r.ended_at))),
        cell(5, String(r.minutes), r.e2_over_1h ? [' ', h('span', { class: 'badge badge-open', title: 'E2: más de 1 hora' }, '> 1 h')] : null),
        cell(6, h('span', { class: 'nowrap' }, fmtDate(r.report_due)))));
    }
    shown = Math.min(rep.rows.length, shown + PAGE);
    more.textContent = `Mostrar ${Math.min(PAGE, rep.rows.length - shown)} más (${shown} de ${rep.rows.length})`;
    more.hidden = shown >= rep.rows.length;
  };
  more.addEventListener('click', showMore);
  showMore();
  section.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))), tbody)),
  h('div', { class: 'actions' }, more));
  return section;
}
