/*
 * One mass failure: its data, its events, and — for SOPORTE while it is
 * open — the closure (M3): the time the service came back and the reason;
 * every open event of the failure closes with it, with that time and
 * reason.
 */
import { api } from '../api.js';
import { catalog, name, REASON_HELP } from '../catalog.js';
import { eventsTable } from '../events-view.js';
import {
  appsText, failureSpan, failureStatusBadge, historyPanel, limaTimeInput,
} from '../mass-view.js';
import { href } from '../router.js';
import { hasRole } from '../session.js';
import {
  h, field, choiceGroup, checkedValue, notice, submitting, setFlash, timeEl, fmtDateTime,
  isoToLimaInput, limaInputToIso, person,
} from '../ui.js';

export async function render(view, ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const [mf, events, audit] = await Promise.all([
    api.get(`/mass-failures/${id}`),
    api.get('/events', { mass_failure: ctx.params.id, limit: 100 }),
    api.get(`/mass-failures/${id}/audit`),
  ]);
  ctx.setTitle(`Falla masiva N.º ${mf.id}`);
  view.append(
    h('p', {}, h('a', { href: href('/fallas') }, '← Fallas masivas')),
    h('div', { class: 'page-head' }, h('h1', {}, `Falla masiva N.º ${mf.id}`), failureStatusBadge(mf)),
    details(mf));
  if (mf.status === 'CONFIRMED' && hasRole('SOPORTE')) view.append(closeForm(mf, ctx));
  else if (mf.status === 'CONFIRMED') {
    view.append(notice('info', 'Soporte Postventa – Tecnología cierra la falla cuando se restablece el servicio; sus eventos abiertos se cierran con ella.'));
  }
  view.append(h('section', { class: 'panel', 'aria-labelledby': 'events-title' },
    h('h2', { id: 'events-title' }, events.total === 1 ? '1 evento registrado en esta falla' : `${events.total} eventos registrados en esta falla`),
    eventsTable(events.items, { empty: 'Ningún punto ha registrado inoperatividad en esta falla.' })),
  historyPanel(audit.items));
}

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function details(mf) {
  return h('section', { class: 'panel', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, 'Datos de la falla masiva'),
    h('dl', { class: 'dl' },
      row('Aplicativos', appsText(mf.applications)),
      row('Motivo de ocurrencia', name('cause', mf.cause)),
      row('Descripción', mf.description || '—'),
      row('Inicio (hora de Lima)', timeEl(mf.started_at)),
      row('Fin (hora de Lima)', mf.ended_at ? timeEl(mf.ended_at) : 'Sigue abierta'),
      row(mf.status === 'CONFIRMED' ? 'Abierta hace' : 'Duración', failureSpan(mf).replace(/^(abierta hace|duró) /, '')),
      row('Confirmada por', person(mf.confirmed_by_name, mf.confirmed_by), ' el ', timeEl(mf.confirmed_at, { seconds: true })),
      row('Eventos abiertos', `${mf.open_events} de ${mf.events}`),
      row('Motivo de cierre', name('reason', mf.closure_reason)),
      mf.justification ? row('Sustento', mf.justification) : [],
      row('Cerrada por', mf.closed_by ? person(mf.closed_by_name, mf.closed_by) : '—')));
}

function closeForm(mf, ctx) {
  const sc = (catalog().scenarios || []).find((s) => s.code === 'FALLA_MASIVA');
  const reasons = sc ? sc.closure_reasons.map((r) => r.code || r) : [];
  const ended = limaTimeInput('ended_at');
  ended.min = isoToLimaInput(mf.started_at);
  const just = h('textarea', { name: 'justification', rows: 2, maxlength: 2000 });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'close-title' },
    notice('warning', h('strong', {}, `Se cerrarán también los ${mf.open_events} eventos abiertos de esta falla`),
      ', con la misma hora de fin y el mismo motivo, y se avisará a Control e Información.'),
    choiceGroup('closure_reason', 'Motivo de cierre', reasons.map((r) => ({
      value: r, label: name('reason', r), hint: REASON_HELP[r],
    })), { type: 'radio', className: 'single-col' }),
    field('ended_at', 'Fin: cuándo se restableció el servicio (hora de Lima)', ended, {
      required: true, hint: `No puede ser anterior al inicio (${fmtDateTime(mf.started_at)}) ni estar en el futuro.`,
    }),
    field('justification', 'Sustento', just, { hint: 'Obligatorio si la falla fue un error (mínimo 10 caracteres).' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Cerrar falla masiva')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { ended_at: limaInputToIso(ended.value), closure_reason: checkedValue(form, 'closure_reason') };
    if (just.value.trim()) body.justification = just.value.trim();
    const done = await submitting(form, () => api.post(`/mass-failures/${mf.id}/close`, body), { busyLabel: 'Cerrando…' });
    if (done) {
      const n = done.closed_events;
      setFlash(`Falla masiva N.º ${mf.id} cerrada: ${n === 1 ? '1 evento cerrado' : `${n} eventos cerrados`}.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'close-title' },
    h('h2', { id: 'close-title' }, 'Cerrar la falla masiva'), form);
}
