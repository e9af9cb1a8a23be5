/*
 * The control part of the event page: the V1 checks with E1/E2, the
 * critical transactions (T1), the Procesos ruling with its 24-hour clock
 * (V3), the operational-error alerts (V2) and the ruling-out (C4).  Each
 * section offers only what the user may do; the API decides.
 */
import { api } from '../api.js';
import { catalog, name } from '../catalog.js';
import {
  CHECK_NAMES, RULING_NAMES, checkBadge, clockText, fmtMinutes, processesBadge,
} from '../control-view.js';
import { href } from '../router.js';
import { hasRole, isJefeOf, onlyJefe } from '../session.js';
import {
  h, field, choiceGroup, checkedValue, notice, submitting, setFlash,
  timeEl, fmtDate, fmtDateTime, limaNowInput, isoToLimaInput, limaInputToIso, person,
} from '../ui.js';

export async function loadControl(ev) {
  const [evaluation, control] = await Promise.all([
    api.get(`/events/${ev.id}/evaluation`),
    api.get(`/events/${ev.id}/control`),
  ]);
  return { evaluation, control };
}

export function controlSections(ev, { evaluation, control }, ctx) {
  return [
    exclusionNotice(control.exclusion),
    evaluationPanel(ev, evaluation),
    criticalPanel(ev, control.critical, ctx),
    processesPanel(ev, control.processes, ctx),
    alertsPanel(ev, control.alerts, ctx),
    hasRole('CONTROL') && !ev.ruled_out ? ruleOutForm(ev, ctx) : null,
  ];
}

function panel(id, title, ...children) {
  return h('section', { class: 'panel', 'aria-labelledby': id, id: `${id}-panel` },
    h('h2', { id }, title), ...children);
}

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function textarea(nameAttr, rows = 3, max = 2000) {
  return h('textarea', { name: nameAttr, rows, maxlength: max });
}

function actions(label, kind = 'primary') {
  return h('div', { class: 'actions' }, h('button', { type: 'submit', class: ['btn', `btn-${kind}`] }, label));
}

/* Runs a form's submission, then shows the flash on the refreshed page. */
function onSubmit(form, send, flash, ctx) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const done = await submitting(form, send);
    if (done) {
      setFlash(typeof flash === 'function' ? flash(done) : flash);
      ctx.refresh();
    }
  });
  return form;
}

/* ---------- C4: ruled out ---------- */

function exclusionNotice(x) {
  if (!x) return null;
  const who = x.source === 'PROCESOS' ? 'Procesos (dictamen «No procede»)' : 'Control';
  return notice('warning', h('strong', {}, `Descartado del reporte por ${who}: `), x.reason,
    h('span', { class: 'muted' }, ` — ${person(x.created_by_name, x.created_by)}, ${fmtDateTime(x.created_at)}`));
}

function ruleOutForm(ev, ctx) {
  const reason = textarea('reason');
  const form = h('form', { class: 'form', novalidate: true },
    field('reason', 'Motivo', reason, { required: true, hint: 'El evento queda registrado (nada se borra) pero no se reporta a OSIPTEL.' }),
    actions('Descartar del reporte', 'danger'));
  onSubmit(form, () => api.post(`/events/${ev.id}/rule-out`, { reason: reason.value.trim() }),
    `Evento ${ev.number} descartado del reporte.`, ctx);
  return h('details', { class: 'panel collapsible' },
    h('summary', {}, h('h2', {}, 'Descartar del reporte (Control)')), form);
}

/* ---------- V1, E1, E2 ---------- */

export const E1_TEXT = {
  DENTRO: 'Dentro de horario de falla masiva',
  FUERA: 'Fuera de horario de falla masiva',
};

/* E1 for every event: the result and the overlapping failures. */
export function e1View(e1) {
  const failures = e1.mass_failures || [];
  return h('span', { 'data-e1': e1.result }, E1_TEXT[e1.result] || e1.result,
    failures.length ? h('span', { class: 'muted' }, ' — ', failures.map((f, i) => [i ? ', ' : '',
      h('a', { href: href(`/fallas/${f.id}`) }, `Falla masiva N.º ${f.id}`),
      ` (${fmtDateTime(f.started_at)} – ${f.ended_at ? fmtDateTime(f.ended_at) : 'sigue abierta'})`]))
      : h('span', { class: 'muted' }, ' — ninguna falla masiva de sus aplicativos en su horario'));
}

/*
 * A JEFE reads Control's own pending steps (asking Procesos for the
 * ruling) as Control's, not as a red "No cumple" that reads as the
 * JEFE's fault.
 */
const CONTROL_STEPS = new Set(['PROCESOS_RULING']);

function checkCell(c) {
  if (onlyJefe() && CONTROL_STEPS.has(c.code) && c.status === 'FALLA') {
    return h('span', { class: 'badge badge-closed', 'data-status': 'CONTROL' }, 'Pendiente de Control');
  }
  return checkBadge(c.status);
}

function evaluationPanel(ev, evaluation) {
  const rows = evaluation.checks.map((c) => h('tr', { 'data-check': c.code },
    h('td', {}, CHECK_NAMES[c.code] || c.code),
    h('td', { class: 'nowrap' }, checkCell(c)),
    h('td', {}, onlyJefe() && CONTROL_STEPS.has(c.code) && c.status === 'FALLA' ? `Paso a cargo de Control e Información: ${c.detail}` : c.detail)));
  const e2 = evaluation.e2;
  const duration = [fmtMinutes(e2.minutes), e2.ongoing ? ' (sigue abierto)' : '',
    e2.over_1h ? ' — más de 1 hora' : ' — 1 hora o menos'].join('');
  return panel('checks-title', 'Controles y evaluación',
    h('div', { class: 'table-wrap' }, h('table', { class: 'data checks' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Control'),
        h('th', { scope: 'col' }, 'Resultado'), h('th', { scope: 'col' }, 'Detalle'))),
      h('tbody', {}, rows))),
    h('dl', { class: 'dl evaluation' },
      row('Ventana de falla masiva (E1)', e1View(evaluation.e1)),
      row('Duración (E2)', duration),
      row('Motivo de cierre (E2)', e2.closure_reason ? name('reason', e2.closure_reason) : 'Sigue abierto')),
    impactSection(ev, evaluation));
}

/* ---------- E3, E4: the 8 days compared, and the impact chart ---------- */

const NO_DATA = 'sin datos';

function num(v) {
  return v === null || v === undefined ? h('span', { class: 'muted' }, NO_DATA)
    : String(v).replace('.', ',');
}

function change(v) {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, '—');
  return `${v > 0 ? '+' : ''}${String(v).replace('.', ',')} %`;
}

/*
 * E3 (the point's interactions of the event's procedure and the social
 * posts, in the event's clock window) and E4 (complaints and LDR of the
 * whole company, per day): a row per day, the 7 previous days oldest
 * first, then the event's day, the mean and the change.
 */
function impactTable(e3, e4) {
  const series = [e3, e3.social, e4.complaints, e4.ldr];
  const days = e3.previous.map((p, i) => ({ date: p.date, e4date: e4.complaints.previous[i].date, i }));
  const cell = (s, i) => h('td', { class: 'num' }, num(i === 7 ? s.count : s.previous[i].count));
  const dayRow = (label, i) => h('tr', { 'data-day': i },
    h('th', { scope: 'row' }, label), ...series.map((s) => cell(s, i)));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data impact' },
    h('caption', {}, `E3 en la ventana ${fmtDateTime(e3.from)} – ${fmtDateTime(e3.to)} de cada día; E4 por día completo (todos los puntos)`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Día'),
      h('th', { scope: 'col' }, 'Interacciones del punto (E3)'),
      h('th', { scope: 'col' }, 'Publicaciones en redes (E3)'),
      h('th', { scope: 'col' }, 'Reclamos (E4)'),
      h('th', { scope: 'col' }, 'LDR (E4)'))),
    h('tbody', {},
      days.map((d) => dayRow(fmtDate(d.date), d.i)),
      dayRow(`${fmtDate(e4.date)} (evento)`, 7),
      h('tr', { class: 'summary' }, h('th', { scope: 'row' }, 'Media de los días con datos'),
        ...series.map((s) => h('td', { class: 'num' }, num(s.mean)))),
      h('tr', { class: 'summary' }, h('th', { scope: 'row' }, 'Variación'),
        ...series.map((s) => h('td', { class: 'num', 'data-change': '' }, change(s.change_pct)))))));
}

function impactSection(ev, evaluation) {
  const { e3, e4 } = evaluation;
  const social = e3.social.count === null ? NO_DATA
    : `${e3.social.public} públicas y ${e3.social.inbox} por mensaje directo`;
  return h('section', { class: 'impact', 'aria-labelledby': 'impact-title' },
    h('h3', { id: 'impact-title' }, 'Impacto en el canal (E3) y reclamos (E4)'),
    impactTable(e3, e4),
    h('p', { class: 'hint' }, `Redes sociales en la ventana del evento: ${social}. «sin datos»: no hay datos importados para ese día (no es cero).`),
    h('figure', { class: 'impact-chart' },
      h('img', {
        src: `/api/v1/events/${encodeURIComponent(ev.id)}/impact.svg`,
        alt: `Interacciones del punto ${ev.point.code} cada 15 minutos el día del evento, comparadas con la media de los 7 días previos`,
        width: 720, height: 300, loading: 'lazy',
      }),
      h('figcaption', {}, 'Interacciones del punto para el trámite del evento, cada 15 minutos (hora de Lima); en línea discontinua la media de los 7 días previos; sombreado, la duración del evento.')));
}

/* ---------- T1: critical transactions ---------- */

function canRecordCritical(ev) {
  return isJefeOf(ev.point.code) || (ev.scenario === 'PRUEBA' && hasRole('ADMIN'));
}

function referenceCell(ev, tx, ctx) {
  if (tx.system_ref) {
    return [h('span', { class: 'mono' }, tx.system_ref), h('br'),
      h('span', { class: 'muted', 'data-testid': 'system-ref-by' }, `${person(tx.system_ref_by_name, tx.system_ref_by)}, ${fmtDateTime(tx.system_ref_at)}`)];
  }
  if (!canRecordCritical(ev)) return h('span', { class: 'badge badge-no' }, 'Sin referencia');
  const input = h('input', { type: 'text', name: 'system_ref', maxlength: 64, 'aria-label': `Referencia del sistema de la transacción ${tx.id}` });
  const form = h('form', { class: 'form inline-ref', novalidate: true },
    h('div', { class: 'field', 'data-field': 'system_ref' }, input),
    h('button', { type: 'submit', class: 'btn btn-secondary btn-small' }, 'Agregar referencia'));
  return onSubmit(form, () => api.post(`/events/${ev.id}/critical/${tx.id}/reference`, { system_ref: input.value.trim() }),
    'Referencia del sistema registrada.', ctx);
}

function criticalTable(ev, list, ctx) {
  if (!list.length) return h('p', { class: 'empty' }, 'No se registraron transacciones críticas en este evento.');
  const rows = list.map((tx) => h('tr', { 'data-critical': tx.id },
    h('td', {}, name('critical', tx.type)),
    h('td', {}, tx.customer_ref),
    h('td', { class: 'nowrap' }, timeEl(tx.attended_at)),
    h('td', {}, tx.how),
    h('td', {}, referenceCell(ev, tx, ctx))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data critical' },
    h('thead', {}, h('tr', {}, ['Tipo', 'Cliente', 'Atendida (Lima)', 'Cómo se atendió', 'Referencia del sistema']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}

function criticalForm(ev, ctx) {
  const types = (catalog().critical_transactions || []).map((t, i) => ({ value: t.code, label: t.name, checked: i === 0 }));
  const customer = h('input', { type: 'text', name: 'customer_ref', maxlength: 120 });
  const attended = h('input', { type: 'datetime-local', name: 'attended_at', value: limaNowInput(), min: isoToLimaInput(ev.started_at), max: limaNowInput() });
  const how = textarea('how', 2, 500);
  const ref = h('input', { type: 'text', name: 'system_ref', maxlength: 64 });
  const form = h('form', { class: 'form', novalidate: true },
    choiceGroup('type', 'Transacción crítica', types, { type: 'radio', className: 'single-col' }),
    field('customer_ref', 'Referencia del cliente', customer, { required: true, hint: 'Documento, línea o nombre del cliente atendido.' }),
    field('attended_at', 'Atendida (hora de Lima)', attended, { required: true }),
    field('how', 'Cómo se atendió', how, { required: true, hint: 'Por ejemplo: reclamo tomado en el formato físico; bloqueo por la línea 123.' }),
    field('system_ref', 'Referencia del sistema (opcional)', ref, { hint: 'El código del reclamo o del bloqueo; si aún no lo tiene, agréguelo cuando el sistema vuelva.' }),
    actions('Registrar transacción crítica', 'secondary'));
  return onSubmit(form, () => {
    const body = {
      type: checkedValue(form, 'type'), customer_ref: customer.value.trim(),
      attended_at: limaInputToIso(attended.value), how: how.value.trim(),
    };
    if (ref.value.trim()) body.system_ref = ref.value.trim();
    return api.post(`/events/${ev.id}/critical`, body);
  }, (tx) => `Transacción crítica registrada: ${name('critical', tx.type)}.`, ctx);
}

/* The operator's document, when its URL is configured. */
function docLink() {
  const url = (catalog().documents || {}).critical_transactions;
  if (!url) return null;
  return h('p', {}, 'Ver documento: ',
    h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'critical-doc' }, 'Atención de Transacciones Críticas'));
}

function criticalPanel(ev, list, ctx) {
  const items = (catalog().critical_transactions || []).map((t) => t.name).join('; ');
  const missing = list.filter((t) => !t.system_ref).length;
  return panel('critical-title', 'Transacciones críticas',
    h('p', { class: 'hint' }, `Con el evento abierto se atienden obligatoriamente: ${items}. La referencia del sistema se agrega cuando el sistema vuelve.`),
    docLink(),
    missing ? notice('warning', `${missing} transacción(es) crítica(s) sin referencia del sistema.`) : null,
    criticalTable(ev, list, ctx),
    ev.status === 'OPEN' && canRecordCritical(ev)
      ? h('details', { class: 'collapsible subgroup' }, h('summary', {}, h('h3', {}, 'Registrar una transacción crítica atendida')), criticalForm(ev, ctx))
      : null);
}

/* ---------- V3: the Procesos ruling ---------- */

function requestForm(ev, ctx) {
  const note = textarea('note', 2, 500);
  const form = h('form', { class: 'form', novalidate: true },
    field('note', 'Nota para Procesos (opcional)', note, { hint: 'Por ejemplo: revisar si el evento está dentro del horario de la falla masiva.' }),
    actions('Solicitar dictamen a Procesos'));
  return onSubmit(form, () => api.post(`/events/${ev.id}/processes-request`, note.value.trim() ? { note: note.value.trim() } : undefined),
    'Dictamen solicitado a Procesos: tiene 24 horas para responder.', ctx);
}

function rulingForm(ev, ctx) {
  const reason = textarea('reason');
  const form = h('form', { class: 'form', novalidate: true },
    choiceGroup('ruling', 'Dictamen', [
      { value: 'PROCEDE', label: 'Procede: el evento se reporta' },
      { value: 'NO_PROCEDE', label: 'No procede: el evento no se reporta' },
    ], { type: 'radio', className: 'single-col' }),
    field('reason', 'Motivo', reason, { required: true }),
    actions('Registrar dictamen'));
  return onSubmit(form, () => api.post(`/events/${ev.id}/processes-ruling`, {
    ruling: checkedValue(form, 'ruling'), reason: reason.value.trim(),
  }), (q) => `Dictamen registrado: ${RULING_NAMES[q.ruling]}.`, ctx);
}

function processesPanel(ev, q, ctx) {
  const inPerson = ev.point.channel === 'PRESENCIAL';
  if (!q && (!inPerson || ev.scenario === 'PRUEBA')) return null;
  if (!q) {
    return panel('proc-title', 'Dictamen de Procesos',
      h('p', {}, 'Punto de atención presencial: Control solicita a Mejora de Procesos si procede reportar el evento (respuesta en 24 horas).'),
      h('p', { class: 'muted' }, 'Aún no se solicitó el dictamen.'),
      hasRole('CONTROL') ? requestForm(ev, ctx) : null);
  }
  return panel('proc-title', 'Dictamen de Procesos',
    h('dl', { class: 'dl processes' },
      row('Estado', processesBadge(q.status)),
      row('Solicitado por', h('span', { 'data-testid': 'requested-by' }, person(q.requested_by_name, q.requested_by)), ', ', timeEl(q.requested_at)),
      q.note ? row('Nota de Control', q.note) : [],
      row('Plazo de 24 horas', h('span', { class: 'clock', 'data-testid': 'processes-clock' }, clockText(q))),
      row('Dictamen', q.ruling ? h('span', {}, h('strong', {}, RULING_NAMES[q.ruling]), ` — ${q.reason}`) : 'Sin respuesta')),
    !q.ruling && hasRole('PROCESOS') ? rulingForm(ev, ctx) : null);
}

/* ---------- V2: operational-error alerts ---------- */

function alertsPanel(ev, alerts, ctx) {
  if (!alerts.length && !hasRole('CONTROL')) return null;
  const list = alerts.length
    ? h('ul', { class: 'alerts' }, alerts.map((a) => h('li', {},
      h('strong', {}, fmtDateTime(a.created_at)), ` — ${person(a.created_by_name, a.created_by)} a ${a.recipients.join(', ') || 'ningún jefe asignado'}: `, a.text)))
    : h('p', { class: 'muted' }, 'Sin alertas enviadas.');
  let form = null;
  if (hasRole('CONTROL')) {
    const text = textarea('text');
    form = h('form', { class: 'form', novalidate: true },
      field('text', 'Alerta por error operativo', text, { required: true, hint: 'Se envía por correo a los jefes del punto y queda en el evento.' }),
      actions('Enviar alerta al jefe del punto', 'secondary'));
    onSubmit(form, () => api.post(`/events/${ev.id}/operational-alerts`, { text: text.value.trim() }),
      (a) => `Alerta enviada a ${a.recipients.join(', ') || 'ningún destinatario'}.`, ctx);
  }
  return panel('alerts-title', 'Alertas por error operativo', list, form);
}
