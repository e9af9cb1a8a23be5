/*
 * Mass failures (SPEC M1-M2), per role:
 *  - JEFE: alert the Fallas desk of a suspected company-wide failure (M1);
 *    only Fallas formalises it;
 *  - FALLAS: the desk — pending alerts to confirm (into a new or an open
 *    failure) or discard with a reason, and a direct declaration (M2);
 *  - everyone: the open failures (where SOPORTE goes to close them, M3)
 *    and the recently closed ones.
 */
import { api } from '../api.js';
import { name } from '../catalog.js';
import { pointLabel } from '../events-view.js';
import {
  alertDecision, alertOrigin, alertStatusBadge, appsField, appsText, causeField, failureLink, failuresTable,
  failureSummary, limaTimeInput,
} from '../mass-view.js';
import { href } from '../router.js';
import { hasRole } from '../session.js';
import {
  h, field, choiceGroup, checkedValue, checkedValues, option, notice, submitting, setFlash,
  timeEl, isoToLimaInput, limaInputToIso,
} from '../ui.js';

export async function render(view, ctx) {
  const [open, closed] = await Promise.all([
    api.get('/mass-failures', { status: 'CONFIRMED', limit: 100 }),
    api.get('/mass-failures', { status: 'CLOSED', limit: 10 }),
  ]);
  view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Fallas masivas'),
    hasRole('SOPORTE', 'FALLAS', 'CONTROL', 'ADMIN')
      ? h('a', { class: 'btn btn-secondary', href: href('/monitoreo') }, 'Monitoreo diario') : null));
  if (hasRole('FALLAS')) view.append(await pendingSection(open.items, ctx));
  if (hasRole('JEFE')) view.append(await alertSection(ctx));
  view.append(openSection(open));
  if (hasRole('FALLAS')) view.append(declareSection(ctx));
  if (hasRole('JEFE')) view.append(await myAlertsSection());
  view.append(h('section', { class: 'panel', 'aria-labelledby': 'closed-title' },
    h('h2', { id: 'closed-title' }, 'Cerradas recientemente'),
    failuresTable(closed.items, { empty: 'Todavía no se ha cerrado ninguna falla masiva.' })));
}

function openSection(open) {
  const soporte = hasRole('SOPORTE')
    ? notice('info', 'Cuando el servicio se restablezca, abra la falla y ciérrela con su hora de fin y motivo: se cierran con ella todos sus eventos abiertos.')
    : null;
  return h('section', { class: 'panel', 'aria-labelledby': 'open-title' },
    h('h2', { id: 'open-title' }, open.total === 1 ? '1 falla masiva abierta'
      : open.total ? `${open.total} fallas masivas abiertas` : 'Fallas masivas abiertas'),
    soporte,
    failuresTable(open.items, { empty: 'No hay fallas masivas confirmadas abiertas.' }));
}

/* ---------- JEFE: alert (M1) ---------- */

async function alertSection(ctx) {
  const points = (await api.get('/points', { mine: 1 })).items.filter((p) => p.active);
  const section = h('section', { class: 'panel', 'aria-labelledby': 'alert-title' },
    h('h2', { id: 'alert-title' }, 'Alertar una falla masiva'));
  if (!points.length) {
    section.append(notice('warning', 'No tiene puntos de atención asignados: pida a Administración que le asigne su punto.'));
    return section;
  }
  const point = points.length === 1
    ? h('div', { class: 'field', 'data-field': 'point' }, h('p', { class: 'hint' }, 'Punto de atención'),
      h('p', { class: 'point-fixed' }, pointLabel(points[0])))
    : field('point', 'Punto donde se observa la falla', h('select', { name: 'point' },
      option('', 'Elija el punto…', true), points.map((p) => option(p.code, pointLabel(p)))), { required: true });
  const observed = limaTimeInput('observed_at');
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 2000 });
  const form = h('form', { class: 'form alert-form', novalidate: true, 'aria-labelledby': 'alert-title' },
    notice('info', 'Si detecta que un aplicativo está caído en toda la empresa (no solo en su punto), alerte al buzón de ',
      h('strong', {}, 'Fallas de Sistemas y Plataforma'), '. Solo Fallas formaliza la falla masiva; cuando la confirme podrá registrar la inoperatividad con el escenario «Falla masiva».'),
    point,
    appsField([], { hint: 'Marque los aplicativos que no funcionan.' }),
    field('observed_at', 'Desde cuándo se observa (hora de Lima)', observed, { required: true }),
    field('description', 'Qué se observa', description, { hint: 'Mensaje de error, qué trámites no se pueden hacer, si otros puntos reportan lo mismo…' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Alertar a Fallas')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      point: points.length === 1 ? points[0].code : form.elements.point.value,
      applications: checkedValues(form, 'applications'),
      observed_at: limaInputToIso(observed.value),
    };
    if (description.value.trim()) body.description = description.value.trim();
    const a = await submitting(form, () => api.post('/mass-failure-alerts', body), { busyLabel: 'Enviando…' });
    if (a) {
      setFlash(`Alerta N.º ${a.id} enviada a Fallas de Sistemas y Plataforma, que la confirmará o descartará.`);
      ctx.refresh();
    }
  });
  section.append(form);
  return section;
}

async function myAlertsSection() {
  const list = await api.get('/mass-failure-alerts', { limit: 10 });
  return h('section', { class: 'panel', 'aria-labelledby': 'mine-title' },
    h('h2', { id: 'mine-title' }, 'Alertas de mis puntos'),
    list.items.length ? h('ul', { class: 'plain-list' }, list.items.map((a) => h('li', {},
      alertStatusBadge(a), ' ', `Alerta N.º ${a.id} · ${appsText(a.applications)} · `, timeEl(a.observed_at),
      ` · ${alertOrigin(a)}`,
      a.mass_failure_id ? [' → ', failureLink({ id: a.mass_failure_id })] : null,
      alertDecision(a),
      a.discard_reason ? `: ${a.discard_reason}` : null)))
      : h('p', { class: 'empty' }, 'Sus puntos no han enviado alertas.'));
}

/* ---------- FALLAS: the desk (M2) ---------- */

async function pendingSection(openFailures, ctx) {
  const pending = await api.get('/mass-failure-alerts', { status: 'PENDING', limit: 100 });
  const section = h('section', { class: 'panel', 'aria-labelledby': 'pending-title' },
    h('h2', { id: 'pending-title' }, pending.total === 1 ? '1 alerta pendiente' : `${pending.total} alertas pendientes`));
  if (!pending.items.length) {
    section.append(h('p', { class: 'empty' }, 'No hay alertas por revisar.'));
    return section;
  }
  for (const a of pending.items) section.append(alertCard(a, openFailures, ctx));
  return section;
}

function alertCard(a, openFailures, ctx) {
  const decisions = [
    { value: 'new', label: 'Confirmar como nueva falla masiva', checked: !openFailures.length },
    { value: 'existing', label: 'Confirmar en una falla masiva abierta', disabled: !openFailures.length,
      hint: openFailures.length ? null : 'No hay fallas abiertas.' },
    { value: 'discard', label: 'Descartar la alerta' },
  ];
  const started = limaTimeInput('started_at', isoToLimaInput(a.observed_at));
  const desc = h('textarea', { name: 'description', rows: 2, maxlength: 2000 }, a.description || '');
  const target = h('select', { name: 'mass_failure_id' }, option('', 'Elija la falla…', true),
    openFailures.map((mf) => option(String(mf.id), `N.º ${mf.id} · ${appsText(mf.applications)} · ${failureSummary(mf)}`)));
  const reason = h('textarea', { name: 'reason', rows: 2, maxlength: 2000 });
  const parts = {
    new: h('div', { class: 'decision' }, causeField(),
      field('started_at', 'Inicio de la falla (hora de Lima)', started, { required: true }),
      appsField(a.applications, { legend: 'Aplicativos de la falla' }),
      field('description', 'Descripción', desc)),
    existing: h('div', { class: 'decision' }, field('mass_failure_id', 'Falla masiva', target, {
      required: true, hint: 'Los aplicativos de la alerta que la falla no tenía se agregan a ella.' })),
    discard: h('div', { class: 'decision' }, field('reason', 'Motivo del descarte', reason, {
      required: true, hint: 'Por qué no es una falla masiva (p. ej. solo falla la red del punto).' })),
  };
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': `Decisión sobre la alerta ${a.id}` },
    choiceGroup('decision', 'Decisión', decisions, { type: 'radio', inputName: `decision-${a.id}` }),
    parts.new, parts.existing, parts.discard,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Aplicar decisión')));
  const decision = () => checkedValue(form, `decision-${a.id}`);
  const sync = () => {
    for (const [k, el] of Object.entries(parts)) el.hidden = decision() !== k;
  };
  form.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = decision();
    const done = await submitting(form, () => {
      if (d === 'discard') return api.post(`/mass-failure-alerts/${a.id}/discard`, { reason: reason.value.trim() });
      if (d === 'existing') {
        return api.post(`/mass-failure-alerts/${a.id}/confirm`, target.value ? { mass_failure_id: Number(target.value) } : {});
      }
      const body = {
        cause: form.elements.cause.value, started_at: limaInputToIso(started.value),
        applications: checkedValues(parts.new, 'applications'),
      };
      if (desc.value.trim()) body.description = desc.value.trim();
      return api.post(`/mass-failure-alerts/${a.id}/confirm`, body);
    }, { busyLabel: 'Aplicando…' });
    if (!done) return;
    setFlash(done.status === 'DISCARDED' ? `Alerta N.º ${a.id} descartada.`
      : `Alerta N.º ${a.id} confirmada en la falla masiva N.º ${done.mass_failure_id}. Se avisó a los jefes de los puntos.`);
    ctx.refresh();
  });
  return h('article', { class: 'alert-card', 'aria-labelledby': `alert-${a.id}` },
    h('header', {}, h('h3', { id: `alert-${a.id}` }, `Alerta N.º ${a.id} `, alertStatusBadge(a)),
      h('p', {}, h('strong', {}, appsText(a.applications)), ' · observada ', timeEl(a.observed_at)),
      h('p', { class: 'muted' }, `${name('alertSource', a.source)}: ${alertOrigin(a)} · enviada `, timeEl(a.raised_at)),
      a.description ? h('p', {}, a.description) : null),
    form);
}

function declareSection(ctx) {
  const started = limaTimeInput('started_at');
  const desc = h('textarea', { name: 'description', rows: 3, maxlength: 2000 });
  const form = h('form', { class: 'form', novalidate: true },
    appsField([], { legend: 'Aplicativos caídos en toda la empresa' }),
    field('started_at', 'Inicio de la falla (hora de Lima)', started, { required: true }),
    causeField(),
    field('description', 'Descripción', desc, { hint: 'Lo que comunicará a los puntos de atención.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Declarar falla masiva')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      applications: checkedValues(form, 'applications'), started_at: limaInputToIso(started.value),
      cause: form.elements.cause.value,
    };
    if (desc.value.trim()) body.description = desc.value.trim();
    const mf = await submitting(form, () => api.post('/mass-failures', body), { busyLabel: 'Declarando…' });
    if (mf) {
      setFlash(`Falla masiva N.º ${mf.id} confirmada. Se avisó a los jefes de los puntos.`);
      ctx.navigate(`/fallas/${mf.id}`);
    }
  });
  return h('details', { class: 'panel collapsible' },
    h('summary', {}, h('h2', {}, 'Declarar una falla masiva sin alerta')), form);
}
