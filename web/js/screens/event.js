/*
 * One event: every field, what the user may do with it now (add requests,
 * close with the reasons allowed for the scenario, annotate) and its audit
 * history — who did what and when, in Lima time.
 */
import { api } from '../api.js';
import { name, nameList, procedureOf, REASON_HELP } from '../catalog.js';
import { pointLabel, statusBadge } from '../events-view.js';
import { href } from '../router.js';
import { regularisedText } from '../control-view.js';
import { canAddRequests, closableReasons, hasRole } from '../session.js';
import { controlSections, loadControl } from './event-control.js';
import {
  append, h, field, choiceGroup, checkedValue, notice, submitting, setFlash,
  timeEl, fmtDate, fmtDateTime, fmtDuration, limaNowInput, isoToLimaInput, limaInputToIso, person,
} from '../ui.js';

export async function render(view, ctx) {
  const id = ctx.params.id;
  const [ev, audit] = await Promise.all([
    api.get(`/events/${encodeURIComponent(id)}`),
    api.get(`/events/${encodeURIComponent(id)}/audit`),
  ]);
  const control = await loadControl(ev);
  ctx.setTitle(`Evento ${ev.number}`);
  view.append(
    h('p', {}, h('a', { href: href('/eventos') }, '← Eventos')),
    h('div', { class: 'page-head' },
      h('h1', {}, 'Evento ', h('span', { class: 'event-number' }, ev.number)),
      h('span', { class: 'head-badges' }, statusBadge(ev.status),
        ev.origin === 'MANUAL' ? h('span', { class: 'badge badge-role' }, 'Regularizado') : null,
        ev.ruled_out ? h('span', { class: 'badge badge-no' }, 'Descartado del reporte') : null)),
    details(ev));
  if (ev.status === 'OPEN') view.append(...openActions(ev, ctx));
  append(view, controlSections(ev, control, ctx));
  if (hasRole('CONTROL')) view.append(annotateForm(ev, ctx));
  view.append(history(audit.items));
}

/* ---------- the fields ---------- */

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function list(items) {
  return items.length ? h('ul', {}, items.map((i) => h('li', {}, i))) : '—';
}

function reportableText(ev) {
  if (ev.status === 'OPEN') return 'Se decide al cerrar el evento';
  if (ev.reportable) return h('span', {}, h('span', { class: 'badge badge-yes' }, 'Sí'), ev.report_due ? ` — entregar a Regulatorio (aprobación de Dirección) a más tardar el ${fmtDate(ev.report_due)}` : '');
  let why = 'descartado del reporte por Control o Procesos';
  if (ev.scenario === 'PRUEBA') why = 'es una prueba';
  else if (ev.closure_reason === 'ERROR_USUARIO') why = 'cerrado como error de usuario';
  else if (ev.closure_reason === 'INTERMITENCIA') why = 'la intermitencia no es inoperatividad';
  return h('span', {}, h('span', { class: 'badge badge-no' }, 'No'), ` — ${why}`);
}

function details(ev) {
  const p = ev.point;
  const rows = [
    row('Punto de atención', pointLabel(p), h('br'),
      h('span', { class: 'muted' }, `${name('pointType', p.type)} · canal ${name('channel', p.channel).toLowerCase()} · ${p.region}`)),
    row('Tipo de trámite', name('procedure', ev.procedure)),
    row('Solicitudes de clientes', list(nameList('request', ev.requests))),
    row('Aplicativos inoperativos', list(nameList('application', ev.applications))),
    row('Escenario', name('scenario', ev.scenario)),
    row('Motivo de ocurrencia', name('cause', ev.cause)),
    ev.mass_failure_id ? row('Falla masiva', h('a', { href: href(`/fallas/${ev.mass_failure_id}`) }, `Falla masiva N.º ${ev.mass_failure_id}`)) : [],
    row('Inicio (hora de Lima)', timeEl(ev.started_at)),
    row('Fin (hora de Lima)', ev.ended_at ? timeEl(ev.ended_at) : 'Sigue abierto'),
    row(ev.status === 'OPEN' ? 'Abierto hace' : 'Duración', fmtDuration(ev.started_at, ev.ended_at),
      ev.status === 'CLOSED' && Date.parse(ev.ended_at) - Date.parse(ev.started_at) > 3600000
        ? h('span', { class: 'muted' }, ' (más de 1 hora)') : null),
    row('Estado', statusBadge(ev.status)),
    row('Motivo de cierre', name('reason', ev.closure_reason)),
    row('Sustento', ev.justification || '—'),
    row('Descripción', ev.description || '—'),
    row('Origen', name('origin', ev.origin),
      ev.origin === 'MANUAL' ? [h('br'), h('span', { 'data-testid': 'regularised' }, regularisedText(ev))] : ''),
    row('Registrado por', h('span', { 'data-testid': 'registered-by' }, person(ev.registered_by_name, ev.registered_by)), ' el ', timeEl(ev.registered_at, { seconds: true })),
    row('Cerrado por', h('span', { 'data-testid': 'closed-by' }, ev.closed_by ? person(ev.closed_by_name, ev.closed_by) : '—')),
    row('Reportable', reportableText(ev)),
  ];
  return h('section', { class: 'panel', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, 'Datos del evento'), h('dl', { class: 'dl' }, rows));
}

/* ---------- what may be done while it is open ---------- */

function openActions(ev, ctx) {
  const out = [];
  const reasons = closableReasons(ev);
  if (reasons.length) {
    out.push(closeForm(ev, reasons, ctx));
  } else {
    const who = ev.scenario === 'FALLA_MASIVA'
      ? 'Este evento por falla masiva lo cierra Soporte Postventa – Tecnología cuando se restablezca el servicio; el jefe del punto solo puede cerrarlo como «Error de usuario».'
      : 'Este evento lo cierra el jefe del punto de atención.';
    out.push(notice('info', who));
  }
  if (canAddRequests(ev)) out.push(addRequestsForm(ev, ctx));
  return out;
}

function addRequestsForm(ev, ctx) {
  const proc = procedureOf(ev.procedure);
  const items = (proc ? proc.requests : []).map((r) => {
    const has = ev.requests.includes(r.code);
    return { value: r.code, label: r.name, checked: has, disabled: has, hint: has ? 'Ya registrada en este evento' : null };
  });
  const form = h('form', { class: 'form', novalidate: true },
    choiceGroup('requests', `Solicitudes de ${name('procedure', ev.procedure)}`, items,
      { hint: 'Si otro cliente pide una solicitud del mismo tipo de trámite mientras el evento sigue abierto, agréguela aquí: no se abre otro registro.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Agregar solicitudes')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const requests = [...form.querySelectorAll('input[name=requests]:checked:not(:disabled)')].map((i) => i.value);
    const done = await submitting(form, () => api.post(`/events/${ev.id}/requests`, { requests }));
    if (done) {
      setFlash(`Solicitud agregada al evento ${ev.number}.`);
      ctx.refresh();
    }
  });
  return h('details', { class: 'panel collapsible' },
    h('summary', {}, h('h2', {}, 'Agregar solicitudes de otro cliente')), form);
}

/* The closure form (C1, C2); also offered on SOPORTE's monitoring screen. */
export function closeForm(ev, reasons, ctx, { titleId = 'close-title', title = 'Cerrar el evento' } = {}) {
  const items = reasons.map((r) => ({ value: r, label: name('reason', r), hint: REASON_HELP[r], checked: reasons.length === 1 }));
  const ended = h('input', { type: 'datetime-local', name: 'ended_at', value: limaNowInput(), min: isoToLimaInput(ev.started_at), max: limaNowInput() });
  const just = h('textarea', { name: 'justification', rows: 3, maxlength: 2000 });
  const count = h('p', { class: 'char-count', 'aria-live': 'polite' });
  const justField = field('justification', 'Sustento', just, {
    hint: 'Obligatorio si cierra como «Error de usuario»: explique por qué el registro fue un error o una prueba (mínimo 10 caracteres).',
  });
  justField.append(count);
  const form = h('form', { class: 'form', novalidate: true },
    choiceGroup('closure_reason', 'Motivo de cierre', items, {
      type: 'radio', className: 'single-col',
      hint: `Solo se muestran los motivos permitidos para el escenario «${name('scenario', ev.scenario)}» que usted puede usar.`,
    }),
    field('ended_at', 'Fin de la inoperatividad (hora de Lima)', ended, {
      hint: `Cuándo se restableció el servicio. No puede ser anterior al inicio (${fmtDateTime(ev.started_at)}) ni estar en el futuro.`,
      required: true,
    }),
    justField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Cerrar evento')));
  const sync = () => {
    const eu = checkedValue(form, 'closure_reason') === 'ERROR_USUARIO';
    justField.querySelector('label').replaceChildren('Sustento', eu ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : ' (opcional)');
    just.required = eu;
    const n = [...just.value.trim()].length;
    count.textContent = eu && n < 10 ? `${n} de 10 caracteres mínimos` : `${n} caracteres`;
  };
  form.addEventListener('change', sync);
  just.addEventListener('input', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      ended_at: limaInputToIso(ended.value),
      closure_reason: checkedValue(form, 'closure_reason'),
    };
    if (just.value.trim()) body.justification = just.value.trim();
    const done = await submitting(form, () => api.post(`/events/${ev.id}/close`, body), { busyLabel: 'Cerrando…' });
    if (done) {
      setFlash(`Evento ${ev.number} cerrado: ${name('reason', done.closure_reason)}.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': titleId }, h('h2', { id: titleId }, title), form);
}

function annotateForm(ev, ctx) {
  const text = h('textarea', { name: 'text', rows: 3, maxlength: 2000 });
  const form = h('form', { class: 'form', novalidate: true },
    field('text', 'Anotación', text, { hint: 'Queda en el historial del evento, con su usuario y la hora.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Agregar anotación')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const done = await submitting(form, () => api.post(`/events/${ev.id}/annotations`, { text: text.value }));
    if (done) {
      setFlash('Anotación registrada.');
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'annot-title' }, h('h2', { id: 'annot-title' }, 'Anotación de Control'), form);
}

/* ---------- audit history ---------- */

const FIELD_LABELS = {
  ruled_out: 'Descartado del reporte', ruling: 'Dictamen', reason: 'Motivo', escalated_at: 'Derivado a suplentes',
  escalation_reason: 'Motivo de derivación', system_ref: 'Referencia del sistema', customer_ref: 'Cliente',
  type: 'Tipo', source: 'Descartado por', recipients: 'Destinatarios',
  requests: 'Solicitudes', applications: 'Aplicativos', status: 'Estado', ended_at: 'Fin',
  started_at: 'Inicio', closure_reason: 'Motivo de cierre', justification: 'Sustento',
  closed_by: 'Cerrado por', reportable: 'Reportable', scenario: 'Escenario', cause: 'Motivo de ocurrencia',
  description: 'Descripción', procedure: 'Tipo de trámite', text: 'Texto', origin: 'Origen',
  manual_form_ref: 'Formato manual', mass_failure_id: 'Falla masiva',
};

const PERSON_FIELDS = new Set(['closed_by']);

function fmtValue(key, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Sí' : 'No';
  switch (key) {
    case 'requests': return nameList('request', v).join(', ');
    case 'applications': return nameList('application', v).join(', ');
    case 'status': return name('status', v);
    case 'closure_reason': return name('reason', v);
    case 'scenario': return name('scenario', v);
    case 'cause': return name('cause', v);
    case 'procedure': return name('procedure', v);
    case 'origin': return name('origin', v);
    case 'started_at': case 'ended_at': case 'escalated_at': return fmtDateTime(v);
    case 'type': return name('critical', v);
    case 'ruling': return v === 'PROCEDE' ? 'Procede' : 'No procede';
    default: return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

function changes(item) {
  const before = item.before || {};
  const after = item.after || {};
  if (item.action === 'event.register') {
    return h('ul', { class: 'diff' },
      ['procedure', 'requests', 'applications', 'scenario', 'cause', 'started_at'].filter((k) => after[k] != null)
        .map((k) => h('li', {}, `${FIELD_LABELS[k]}: ${fmtValue(k, after[k])}`)));
  }
  const keys = Object.keys(FIELD_LABELS).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) && (k in after || k in before));
  if (!keys.length) return '—';
  /* a person by name where the record has it (newer records do) */
  const shown = (rec, k) => (PERSON_FIELDS.has(k) && rec[k] && rec[`${k}_name`] ? rec[`${k}_name`] : rec[k]);
  return h('ul', { class: 'diff' }, keys.map((k) => h('li', {}, `${FIELD_LABELS[k]}: `,
    k in before && before[k] !== null ? [h('span', { class: 'old' }, fmtValue(k, shown(before, k))), ' → '] : null,
    fmtValue(k, shown(after, k)))));
}

function history(items) {
  const rows = items.map((it) => h('tr', {},
    h('td', { class: 'nowrap' }, timeEl(it.at, { seconds: true })),
    h('td', {}, person(it.actor_name, it.actor)),
    h('td', {}, name('action', it.action)),
    h('td', {}, changes(it))));
  return h('section', { class: 'panel', 'aria-labelledby': 'hist-title' },
    h('h2', { id: 'hist-title' }, 'Historial (auditoría)'),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Fecha y hora (Lima)'), h('th', { scope: 'col' }, 'Usuario'),
        h('th', { scope: 'col' }, 'Acción'), h('th', { scope: 'col' }, 'Cambios'))),
      h('tbody', {}, rows))) : h('p', { class: 'empty' }, 'Sin registros de auditoría.'));
}
