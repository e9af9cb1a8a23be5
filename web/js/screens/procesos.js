/*
 * Mejora de Procesos (SPEC V3): the requests for a ruling with their
 * 24-hour clock (waiting, overdue, answered), who of the desk is present,
 * and — for a PROCESOS user — marking an absence, so that new requests go
 * to the backups at once.
 */
import { api } from '../api.js';
import { name } from '../catalog.js';
import { RULING_NAMES, clockText, processesBadge } from '../control-view.js';
import { e1View } from './event-control.js';
import { href } from '../router.js';
import { hasRole } from '../session.js';
import {
  h, field, notice, submitting, setFlash, timeEl, fmtDateTime, limaInputToIso, person,
} from '../ui.js';

const TABS = [
  ['PENDIENTE', 'Por responder'],
  ['VENCIDA', 'Vencidas'],
  ['RESUELTA', 'Respondidas'],
];

export async function render(view, ctx) {
  const status = TABS.some(([s]) => s === ctx.query.get('status')) ? ctx.query.get('status') : 'PENDIENTE';
  const [desk, list] = await Promise.all([
    api.get('/processes/desk'),
    api.get('/processes/requests', { status, limit: 200 }),
  ]);
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Dictámenes de Procesos')),
    h('p', { class: 'lead' }, `Control solicita si procede reportar cada evento de un punto presencial; Procesos responde en ${desk.deadline_hours} horas. Sin respuesta a tiempo, o si los responsables están ausentes, la solicitud se deriva por correo a los suplentes.`),
    deskPanel(desk, ctx),
    h('nav', { class: 'actions tabs', 'aria-label': 'Estado de las solicitudes' }, TABS.map(([s, label]) => h('a', {
      class: ['btn', s === status ? 'btn-primary' : 'btn-secondary', 'btn-small'],
      href: href('/procesos', { status: s }), 'aria-current': s === status ? 'page' : null,
    }, label))),
    h('section', { 'aria-labelledby': 'tray-title' },
      h('h2', { id: 'tray-title' }, `${TABS.find(([s]) => s === status)[1]}: ${list.total}`),
      trayTable(list.items)));
}

function trayTable(items) {
  if (!items.length) return h('p', { class: 'empty' }, 'No hay solicitudes en este estado.');
  const HEAD = ['Evento', 'Punto', 'Trámite / escenario', 'Inicio del evento', 'Ventana de falla masiva (E1)', 'Solicitado', 'Plazo', 'Dictamen'];
  const cell = (i, ...content) => h('td', { 'data-label': HEAD[i] }, h('div', {}, ...content));
  const rows = items.map((q) => {
    const s = q.event_summary;
    return h('tr', { 'data-event': q.event },
      cell(0, h('a', { href: href(`/eventos/${encodeURIComponent(q.event)}`), class: 'event-number' }, q.event)),
      cell(1, `${s.point.name} (${s.point.code})`),
      cell(2, `${name('procedure', s.procedure)} · ${name('scenario', s.scenario)}`),
      cell(3, timeEl(s.started_at)),
      cell(4, e1View(q.e1)),
      cell(5, timeEl(q.requested_at), h('br'), h('span', { class: 'muted' }, person(q.requested_by_name, q.requested_by))),
      cell(6, processesBadge(q.status), ' ', h('span', { class: 'clock' }, clockText(q))),
      cell(7, q.ruling ? [h('strong', {}, RULING_NAMES[q.ruling]), ` — ${q.reason}`] : '—'));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stacked' },
    h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

/* ---------- who answers ---------- */

function personLine(p) {
  const state = p.absent
    ? h('span', { class: 'badge badge-no' }, p.absent_until ? `Ausente hasta ${fmtDateTime(p.absent_until)}` : 'Ausente')
    : h('span', { class: 'badge badge-yes' }, 'Presente');
  return h('li', { 'data-user': p.username }, `${p.name} (${p.username}) `, p.backup ? h('span', { class: 'badge badge-role' }, 'Suplente') : null, ' ', state);
}

function deskPanel(desk, ctx) {
  const me = desk.people.find((p) => p.username === ctx.user.username);
  const primaries = desk.people.filter((p) => !p.backup);
  return h('section', { class: 'panel', 'aria-labelledby': 'desk-title' },
    h('h2', { id: 'desk-title' }, 'Responsables de Procesos'),
    desk.primaries_present === 0
      ? notice('warning', 'Ningún responsable está presente: cada solicitud nueva se deriva de inmediato a los suplentes.') : null,
    primaries.length || desk.people.length
      ? h('ul', {}, desk.people.map(personLine))
      : h('p', { class: 'muted' }, 'No hay usuarios con el rol de Procesos.'),
    h('p', {}, h('strong', {}, 'Suplentes (correo): '), desk.backups.length ? desk.backups.join(', ') : 'no configurados (clave procesos_backups)'),
    me && hasRole('PROCESOS') ? absenceForm(me, ctx) : null);
}

function absenceForm(me, ctx) {
  if (me.absent) {
    const form = h('form', { class: 'form', novalidate: true },
      h('p', {}, `Usted figura ausente${me.absent_until ? ` hasta el ${fmtDateTime(me.absent_until)}` : ''}.`),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Registrar mi regreso')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (await submitting(form, () => api.del('/processes/absence'))) {
        setFlash('Regreso registrado: las solicitudes vuelven a llegarle.');
        ctx.refresh();
      }
    });
    return form;
  }
  const until = h('input', { type: 'datetime-local', name: 'until' });
  const note = h('input', { type: 'text', name: 'note', maxlength: 500 });
  const form = h('form', { class: 'form', novalidate: true },
    h('h3', {}, 'Marcar mi ausencia'),
    field('until', 'Regreso (hora de Lima, opcional)', until, { hint: 'Sin fecha, la ausencia dura hasta que registre su regreso.' }),
    field('note', 'Nota (opcional)', note),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Marcar ausencia')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    if (until.value) body.until = limaInputToIso(until.value);
    if (note.value.trim()) body.note = note.value.trim();
    if (await submitting(form, () => api.post('/processes/absence', body))) {
      setFlash('Ausencia registrada.');
      ctx.refresh();
    }
  });
  return form;
}
