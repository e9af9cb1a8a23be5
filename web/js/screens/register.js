/*
 * Registering an outage (SPEC R1–R8), a form that teaches the rules as it
 * goes:
 *  - only the user's own points (a JEFE) — another point's form is not shown;
 *  - only regulated requests, grouped by procedure type; what is not
 *    regulated is named;
 *  - an open event of the same point and type is offered for adding the
 *    request (before sending, and again if the API answers 409);
 *  - SICAR only together with SISACT / SISACT Prepago;
 *  - the scenarios the user may use, with the cause where required; a
 *    mass failure is chosen among the open ones Fallas confirmed (R6);
 *  - the attestation that the outage is total, with the cases that are not
 *    inoperability spelled out (from the operator's procedure).
 */
import { api, ApiError } from '../api.js';
import { catalog, manualMaxAgeDays, name, nameList, PROCEDURE_HELP, SCENARIO_HELP } from '../catalog.js';
import { regularisedText } from '../control-view.js';
import { eventLink, pointLabel } from '../events-view.js';
import { appsText, failureSummary } from '../mass-view.js';
import { href } from '../router.js';
import { hasRole, isJefeOf } from '../session.js';
import {
  h, field, choice, choiceGroup, checkedValue, checkedValues, option, notice, submitting,
  showErrors, clearErrors, announce, timeEl, limaNowInput, limaInputToIso, fmtDateTime,
} from '../ui.js';

/* API fields shown next to another part of this form */
const ALIASES = { origin: 'started_at', manual_form_ref: 'started_at' };

export async function render(view, ctx) {
  const wanted = ctx.params.point || '';
  const serial = ctx.query.get('formato') || '';
  const points = await registrablePoints();
  if (serial) ctx.setTitle('Regularizar formato manual');
  if (!serial && !hasRole('JEFE', 'ADMIN')) {
    view.append(notice('info', 'Control solo regulariza aquí los formatos manuales con más días de antigüedad de los que el jefe del punto puede regularizar.'));
    return;
  }
  view.append(h('div', { class: 'page-head' }, h('h1', {}, serial ? 'Regularizar formato manual' : 'Registrar inoperatividad')));

  if (wanted && !points.some((p) => p.code === wanted)) {
    view.append(notice('error',
      h('strong', {}, `No puede registrar inoperatividad en el punto «${wanted}».`), ' ',
      'Solo el jefe asignado a un punto de atención registra sus eventos, y ese punto no está asignado a usted.'),
    points.length ? h('p', {}, h('a', { href: href('/registrar') }, 'Registrar en uno de mis puntos')) : null);
    return;
  }
  if (!points.length) {
    view.append(notice('warning', 'No tiene puntos de atención asignados. Pida a Administración que le asigne su punto para poder registrar inoperatividad.'));
    return;
  }
  const initial = wanted || (points.length === 1 ? points[0].code : '');
  new RegisterForm(view, points, initial, serial).start();
}

/* A JEFE registers for own points; ADMIN registers tests for any point. */
async function registrablePoints() {
  /* K2: CONTROL regularises old paper forms of any point */
  const all = hasRole('ADMIN', 'CONTROL') ? (await api.get('/points')).items : (await api.get('/points', { mine: 1 })).items;
  return all.filter((p) => p.active);
}

function scenariosFor(pointCode) {
  const codes = [];
  if (isJefeOf(pointCode) || hasRole('CONTROL')) codes.push('FALLA_MASIVA', 'EVENTO_NO_PREVISTO');
  if (hasRole('ADMIN')) codes.push('PRUEBA');
  return catalog().scenarios.filter((s) => codes.includes(s.code));
}

function section(step, title, ...children) {
  return h('section', { class: 'form-section' },
    h('h2', {}, h('span', { class: 'step', 'aria-hidden': 'true' }, String(step)), title), ...children);
}

class RegisterForm {
  constructor(view, points, initial, serial) {
    this.view = view;
    this.points = points;
    this.initial = initial;
    /* K2: typing in a paper form (origin MANUAL) with its serial */
    this.serial = serial;
    this.aliases = serial ? { ...ALIASES, manual_form_ref: 'manual_form_ref', origin: 'manual_form_ref' } : ALIASES;
    this.openByProc = new Map(); /* procedure -> open event of the chosen point */
    this.pointSeq = 0;
    this.failures = null; /* the open mass failures, once loaded */
  }

  /* K2: CONTROL, not the point's JEFE, regularises forms past the window */
  lateByControl() {
    return hasRole('CONTROL') && !isJefeOf(this.initial);
  }

  start() {
    const c = catalog();
    this.form = h('form', { class: 'form register-form', novalidate: true, 'aria-label': 'Registro de inoperatividad' });
    this.form.append(
      this.serial ? manualNotice(this.serial, !this.lateByControl()) : notice('info', 'Registre solo cuando un cliente pide un trámite regulado y el aplicativo no funciona en ',
        h('strong', {}, 'ninguna PC'), ' del punto de atención. Un registro es por punto y por tipo de trámite. ',
        '¿Inop estuvo caído y llenó un formato impreso? ', h('a', { href: href('/formatos') }, 'Regularice el formato manual')),
      section(1, 'Punto de atención', this.pointField()),
      section(2, 'Trámite que el cliente no pudo realizar', this.procedureField(c), this.requestsField(c),
        this.offerBox = h('div', { class: 'offer', hidden: true, tabindex: '-1' }),
        notRegulatedNote(c)),
      this.rest = h('div', {},
        section(3, 'Aplicativos que no funcionan', this.applicationsField(c)),
        section(4, 'Escenario', this.scenarioBox = h('div', {})),
        section(5, 'Inicio y detalle', this.timeFields()),
        section(6, '¿Es inoperatividad?', rulesBox(), this.attestField()),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'btn btn-primary' }, 'Registrar inoperatividad'),
          h('span', { class: 'muted' }, 'Al registrar se asigna el número correlativo del evento.'))));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.form.addEventListener('change', (e) => this.onChange(e));
    this.view.append(this.form);
    this.pointChanged();
  }

  /* ---------- 1. point ---------- */

  pointField() {
    if (this.points.length === 1 || this.initial) {
      const p = this.points.find((x) => x.code === this.initial) || this.points[0];
      this.pointCode = () => p.code;
      return h('div', { class: 'field', 'data-field': 'point' },
        h('p', { class: 'point-fixed' }, pointLabel(p)),
        h('p', { class: 'muted' }, pointInfo(p)),
        this.points.length > 1 ? h('p', {}, h('a', { href: href('/registrar') }, 'Elegir otro punto')) : null);
    }
    const select = h('select', { name: 'point' }, option('', 'Elija el punto…', true),
      this.points.map((p) => option(p.code, pointLabel(p))));
    this.pointInfoEl = h('p', { class: 'muted' });
    this.pointCode = () => select.value;
    const f = field('point', 'Punto donde ocurre la inoperatividad', select, { required: true });
    f.append(this.pointInfoEl);
    return f;
  }

  async pointChanged() {
    const code = this.pointCode();
    if (this.pointInfoEl) {
      const p = this.points.find((x) => x.code === code);
      this.pointInfoEl.textContent = p ? pointInfo(p) : '';
    }
    this.drawScenarios();
    this.openByProc = new Map();
    this.updateOffer();
    if (!code) return;
    const mine = ++this.pointSeq;
    try {
      const open = await api.get('/events', { status: 'OPEN', point: code, limit: 10 });
      if (mine !== this.pointSeq) return;
      this.openByProc = new Map(open.items.map((ev) => [ev.procedure, ev]));
      this.updateOffer();
    } catch (err) {
      /* the 409 on sending still offers the open event */
      if (!(err instanceof ApiError)) throw err;
    }
  }

  /* ---------- 2. procedure and requests ---------- */

  procedureField(c) {
    return choiceGroup('procedure', 'Tipo de trámite', c.procedures.map((p) => ({
      value: p.code, label: p.name, hint: PROCEDURE_HELP[p.code],
    })), { type: 'radio', className: 'cards' });
  }

  requestsField(c) {
    this.groups = new Map();
    const box = h('fieldset', { class: 'choices subgroup', 'data-field': 'requests' },
      h('legend', {}, 'Solicitudes reguladas que pidió el cliente'),
      h('p', { class: 'hint' }, 'Marque una o más. Si varios clientes pidieron solicitudes del mismo tipo de trámite, van en el mismo registro.'));
    this.noProcedure = h('p', { class: 'muted' }, 'Elija primero el tipo de trámite.');
    box.append(this.noProcedure);
    for (const p of c.procedures) {
      const group = h('div', { class: 'choice-list', 'data-procedure': p.code, hidden: true, role: 'group', 'aria-label': `Solicitudes de ${p.name}` },
        p.requests.map((r) => choice('requests', { value: r.code, label: r.name })));
      this.groups.set(p.code, group);
      box.append(group);
    }
    return box;
  }

  procedure() {
    return checkedValue(this.form, 'procedure');
  }

  selectedRequests() {
    const group = this.groups.get(this.procedure());
    if (!group) return [];
    return [...group.querySelectorAll('input[name=requests]:checked:not(:disabled)')].map((i) => i.value);
  }

  procedureChanged() {
    const proc = this.procedure();
    this.noProcedure.hidden = !!proc;
    for (const [code, group] of this.groups) group.hidden = code !== proc;
    this.updateOffer();
  }

  /*
   * R3: with an open event of this point and type, the only thing to do is
   * to add the new requests to it.  Requests already in it are shown
   * ticked and locked.
   */
  updateOffer() {
    const proc = this.procedure();
    const ev = proc ? this.openByProc.get(proc) : null;
    for (const [code, group] of this.groups) {
      for (const input of group.querySelectorAll('input[name=requests]')) {
        const locked = !!ev && code === proc && ev.requests.includes(input.value);
        const hintEl = input.parentElement.querySelector('.choice-hint');
        if (locked) {
          input.checked = true;
          input.disabled = true;
          input.dataset.locked = '1';
          if (!hintEl) input.parentElement.querySelector('.choice-text').append(h('span', { class: 'choice-hint' }, `Ya está en ${ev.number}`));
        } else if (input.dataset.locked) {
          delete input.dataset.locked;
          input.checked = false;
          input.disabled = false;
          if (hintEl) hintEl.remove();
        }
      }
    }
    this.rest.hidden = !!ev;
    this.offerBox.hidden = !ev;
    if (!ev) {
      this.offerBox.replaceChildren();
      return;
    }
    const addBtn = h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => this.addToOpen(ev) } },
      'Agregar la solicitud al evento abierto');
    this.offerBox.replaceChildren(notice('warning',
      h('p', {}, h('strong', {}, `Ya hay un evento abierto de ${name('procedure', proc)} en este punto: `),
        eventLink(ev), ev.started_at ? [' desde ', timeEl(ev.started_at)] : null, '.'),
      h('p', {}, 'Solo se permite un registro abierto por tipo de trámite. Marque arriba la solicitud del nuevo cliente y agréguela a ese evento; no se abre un registro nuevo.'),
      h('p', {}, `Solicitudes ya registradas: ${nameList('request', ev.requests).join(', ')}.`),
      h('div', { class: 'actions' }, addBtn)));
  }

  async addToOpen(ev) {
    const requests = this.selectedRequests();
    const btn = this.offerBox.querySelector('button');
    const updated = await submitting(this.form, async () => {
      if (!requests.length) {
        throw new ApiError(422, 'VALIDATION', 'Marque la solicitud del nuevo cliente que desea agregar al evento abierto.', 'requests');
      }
      return api.post(`/events/${ev.id}/requests`, { requests });
    }, { aliases: this.aliases, submitter: btn, busyLabel: 'Agregando…' });
    if (updated) this.showDone(updated, true);
  }

  /* ---------- 3. applications ---------- */

  applicationsField(c) {
    const group = (kind, legend, note) => h('div', { class: 'subgroup' },
      h('h3', {}, legend),
      h('div', { class: 'choice-list' }, c.applications.filter((a) => a.kind === kind).map((a) => choice('applications', {
        value: a.code, label: a.name,
        hint: a.code === 'SICAR' ? 'Se habilita al marcar SISACT o SISACT Prepago.' : null,
        disabled: a.code === 'SICAR',
      }))), note);
    return h('fieldset', { class: 'choices', 'data-field': 'applications' },
      h('legend', {}, 'Aplicativos caídos'),
      h('p', { class: 'hint' }, 'Marque todos los aplicativos que no funcionan en el punto.'),
      group('VENTA', 'Sistemas de venta'),
      group('POSTVENTA', 'Sistemas de postventa'));
  }

  /* R4: SICAR only with SISACT or SISACT Prepago. */
  syncSicar() {
    const apps = checkedValues(this.form, 'applications');
    const sicar = this.form.querySelector('input[name=applications][value=SICAR]');
    if (!sicar) return;
    const ok = apps.includes('SISACT') || apps.includes('SISACT_PREPAGO');
    sicar.disabled = !ok;
    if (!ok) sicar.checked = false;
  }

  /* ---------- 4. scenario ---------- */

  drawScenarios() {
    const code = this.pointCode();
    const before = this.scenarioBox.querySelector('input[name=scenario]:checked');
    const keep = before ? before.value : '';
    const causeBefore = this.form.querySelector('select[name=cause]');
    this.causeKeep = causeBefore ? causeBefore.value : '';
    const list = code ? scenariosFor(code) : [];
    if (!list.length) {
      this.scenarioBox.replaceChildren(h('div', { 'data-field': 'scenario' },
        h('p', { class: 'muted' }, code ? 'Usted no puede registrar eventos en este punto.' : 'Elija primero el punto de atención.')));
      return;
    }
    const only = list.length === 1;
    this.scenarioBox.replaceChildren(
      choiceGroup('scenario', 'Escenario de la inoperatividad', list.map((s) => ({
        value: s.code, label: s.name, hint: SCENARIO_HELP[s.code], checked: only || s.code === keep,
      })), { type: 'radio', className: 'cards' }),
      this.scenarioDetail = h('div', {}));
    this.scenarioChanged();
  }

  scenarioChanged() {
    const code = checkedValue(this.form, 'scenario');
    const sc = catalog().scenarios.find((s) => s.code === code);
    const parts = [];
    if (code === 'FALLA_MASIVA') {
      parts.push(notice('warning',
        h('p', {}, h('strong', {}, 'Requiere una falla masiva confirmada por Fallas de Sistemas y Plataforma.')),
        h('p', {}, 'Solo ese buzón formaliza una falla masiva. Elija abajo la falla confirmada que cubre los aplicativos caídos en su punto.')),
      this.failureBox = h('fieldset', { class: 'choices', 'data-field': 'mass_failure_id' },
        h('legend', {}, 'Falla masiva confirmada'), h('p', { class: 'muted' }, 'Cargando las fallas masivas abiertas…')));
      this.loadFailures();
    }
    if (sc && sc.causes && sc.causes.length) {
      const required = code === 'EVENTO_NO_PREVISTO';
      const select = h('select', { name: 'cause' }, option('', required ? 'Elija el motivo…' : 'Sin especificar', true),
        sc.causes.filter((x) => x.active !== false).map((x) => option(x.code, x.name, x.code === this.causeKeep)));
      parts.push(field('cause', 'Motivo de ocurrencia', select, {
        required,
        hint: required ? 'Qué ocurrió en el punto.' : 'Opcional: lo define Fallas al confirmar la falla masiva.',
      }));
    }
    if (code === 'PRUEBA') {
      parts.push(notice('info', 'Las pruebas conservan su número pero no se reportan a OSIPTEL; ciérrela como «Error de usuario» con su sustento.'));
    }
    this.scenarioDetail.replaceChildren(...parts);
  }

  async loadFailures() {
    if (!this.failures) {
      try {
        this.failures = (await api.get('/mass-failures', { status: 'CONFIRMED', limit: 100 })).items;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        this.failures = [];
      }
    }
    this.drawFailures();
  }

  /* R6: the open failures, those covering a ticked application first. */
  drawFailures() {
    const box = this.failureBox;
    if (!box || !box.isConnected || !this.failures) return;
    const before = checkedValue(this.form, 'mass_failure_id');
    const apps = checkedValues(this.form, 'applications');
    const covers = (mf) => mf.applications.some((a) => apps.includes(a));
    const list = [...this.failures].sort((a, b) => covers(b) - covers(a));
    const legend = h('legend', {}, 'Falla masiva confirmada');
    if (!list.length) {
      box.replaceChildren(legend, notice('error',
        h('p', {}, h('strong', {}, 'No hay fallas masivas confirmadas abiertas.')),
        h('p', {}, 'Si en su punto detecta una falla general, ', h('a', { href: href('/fallas') }, 'alerte a Fallas de Sistemas y Plataforma'),
          '. Podrá registrar con este escenario cuando Fallas la confirme.')));
      return;
    }
    box.replaceChildren(legend,
      h('p', { class: 'hint' }, 'La falla debe cubrir al menos uno de los aplicativos que marcó arriba.'),
      h('div', { class: 'choice-list single' }, list.map((mf) => choice('mass_failure_id', {
        value: String(mf.id),
        label: `Falla masiva N.º ${mf.id} — ${appsText(mf.applications)}`,
        hint: `${failureSummary(mf)}${apps.length && !covers(mf) ? ' · no cubre los aplicativos marcados' : ''}`,
        checked: String(mf.id) === before || (list.length === 1 && !before),
      }, 'radio'))));
  }

  /* ---------- 5. time and description ---------- */

  timeFields() {
    const now = limaNowInput();
    this.started = h('input', { type: 'datetime-local', name: 'started_at', value: now, max: now });
    if (this.serial) {
      /* K2: the original time of the paper form; past the window
         (manual_max_age_days, from the server) CONTROL regularises it
         with a justification */
      const late = this.lateByControl();
      const days = manualMaxAgeDays();
      if (!late) this.started.min = limaInputDaysAgo(days);
      this.late = late ? h('textarea', { name: 'late_justification', rows: 3, maxlength: 2000 }) : null;
      return [
        h('div', { class: 'field', 'data-field': 'manual_form_ref' },
          h('p', {}, h('strong', {}, 'Número de formato: '), h('span', { class: 'serial' }, this.serial))),
        field('started_at', 'Inicio de la inoperatividad según el formato (hora de Lima)', this.started, {
          required: true,
          hint: late ? 'La fecha y hora originales anotadas en el formato.'
            : `La fecha y hora originales anotadas en el formato, hasta ${days} días atrás. Un formato más antiguo lo regulariza Control e Información con un sustento.`,
        }),
        field('description', 'Detalle (opcional)', this.description = h('textarea', { name: 'description', rows: 3, maxlength: 2000 }), {
          hint: 'Lo anotado en el formato: mensaje de error, clientes esperando…',
        }),
        this.late ? field('late_justification', 'Sustento de la regularización tardía', this.late, {
          required: true, hint: 'Por qué el formato se regulariza después del plazo del jefe del punto (al menos 10 caracteres).',
        }) : null,
      ];
    }
    this.description = h('textarea', { name: 'description', rows: 3, maxlength: 2000 });
    return [
      field('started_at', 'Inicio de la inoperatividad (hora de Lima)', this.started, {
        required: true, hint: 'Cuándo dejó de funcionar el aplicativo. No puede estar en el futuro.',
      }),
      field('description', 'Detalle (opcional)', this.description, {
        hint: 'Lo que se observa: mensaje de error, desde cuándo, clientes esperando…',
      }),
    ];
  }

  /* ---------- 6. attestation ---------- */

  attestField() {
    return h('fieldset', { class: 'choices', 'data-field': 'attest_total' },
      h('legend', {}, 'Confirmación'),
      h('div', { class: 'attest' }, choice('attest_total', {
        value: 'true',
        label: 'Confirmo que el aplicativo no funciona en ninguna PC del punto de atención y que no se puede registrar la solicitud regulada del cliente (ni por caso manual ni por la transacción automatizada).',
      })));
  }

  onChange(e) {
    const n = e.target.name;
    if (n === 'point') this.pointChanged();
    else if (n === 'procedure') this.procedureChanged();
    else if (n === 'applications') {
      this.syncSicar();
      this.drawFailures();
    }
    else if (n === 'scenario') this.scenarioChanged();
  }

  /* ---------- sending ---------- */

  payload() {
    const body = {
      point: this.pointCode(),
      procedure: this.procedure(),
      requests: this.selectedRequests(),
      applications: checkedValues(this.form, 'applications'),
      scenario: checkedValue(this.form, 'scenario'),
      started_at: limaInputToIso(this.started.value),
      attest_total: !!this.form.querySelector('input[name=attest_total]:checked'),
    };
    if (this.serial) {
      body.origin = 'MANUAL';
      body.manual_form_ref = this.serial;
      if (this.late && this.late.value.trim()) body.late_justification = this.late.value.trim();
    }
    const cause = this.form.querySelector('select[name=cause]');
    if (cause && cause.value) body.cause = cause.value;
    const mf = body.scenario === 'FALLA_MASIVA' ? checkedValue(this.form, 'mass_failure_id') : '';
    if (mf) body.mass_failure_id = Number(mf);
    if (this.description.value.trim()) body.description = this.description.value.trim();
    return body;
  }

  /* The choices still missing, all shown at once; the API checks the rest. */
  missing(b) {
    const m = [];
    if (!b.point) m.push({ field: 'point', message: 'Elija el punto de atención.' });
    if (!b.procedure) m.push({ field: 'procedure', message: 'Elija el tipo de trámite que el cliente no pudo realizar.' });
    else if (!b.requests.length) m.push({ field: 'requests', message: 'Marque al menos una solicitud regulada que pidió el cliente.' });
    if (!b.applications.length) m.push({ field: 'applications', message: 'Marque al menos un aplicativo que no funciona.' });
    if (!b.scenario) m.push({ field: 'scenario', message: 'Elija el escenario.' });
    else if (b.scenario === 'EVENTO_NO_PREVISTO' && !b.cause) m.push({ field: 'cause', message: 'Elija el motivo de ocurrencia del evento no previsto.' });
    else if (b.scenario === 'FALLA_MASIVA' && !b.mass_failure_id) {
      m.push({
        field: 'mass_failure_id',
        message: this.failures && !this.failures.length
          ? 'No hay una falla masiva confirmada y abierta: alerte a Fallas de Sistemas y Plataforma.'
          : 'Elija la falla masiva confirmada en la que registra.',
      });
    }
    if (!b.started_at) m.push({ field: 'started_at', message: 'Indique la fecha y hora de inicio.' });
    else if (this.serial && !this.late && Date.parse(b.started_at) < Date.now() - manualMaxAgeDays() * 86400e3) {
      /* K2: past the window the JEFE does not regularise: CONTROL does */
      m.push({
        field: 'started_at',
        message: `El formato tiene más de ${manualMaxAgeDays()} días: lo regulariza Control e Información con un sustento. Pídale que regularice el formato ${this.serial} desde «Formatos manuales».`,
      });
    }
    if (!b.attest_total) m.push({ field: 'attest_total', message: 'Solo es inoperatividad si el aplicativo no funciona en ninguna PC del punto: confirme que es así.' });
    return m;
  }

  async submit() {
    const body = this.payload();
    const missing = this.missing(body);
    if (missing.length) {
      showErrors(this.form, missing, this.aliases);
      return;
    }
    let duplicate = null;
    const ev = await submitting(this.form, async () => {
      try {
        return await api.post('/events', body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'DUPLICATE_OPEN_EVENT' && err.details.open_event) {
          duplicate = err;
          return null;
        }
        throw err;
      }
    }, { aliases: this.aliases, busyLabel: 'Registrando…' });
    if (ev) {
      this.showDone(ev, false);
    } else if (duplicate) {
      const open = duplicate.details.open_event;
      this.openByProc.set(body.procedure, { ...open, procedure: body.procedure });
      this.updateOffer();
      clearErrors(this.form);
      this.offerBox.focus();
      this.offerBox.scrollIntoView({ block: 'center' });
      announce(duplicate.message);
    }
  }

  showDone(ev, added) {
    const crit = (catalog().critical_transactions || []).map((t) => h('li', {}, t.name));
    let title = added ? 'Solicitud agregada al evento abierto' : 'Inoperatividad registrada';
    if (this.serial && !added) title = `Formato ${this.serial} regularizado`;
    const panel = h('section', { class: 'panel result', 'aria-labelledby': 'done-title' },
      h('h2', { id: 'done-title', tabindex: '-1' }, title),
      h('p', {}, added ? 'El evento queda con las solicitudes:' : 'Número del evento:'),
      h('p', {}, h('span', { class: 'big-number', 'data-testid': 'event-number' }, ev.number)),
      h('p', {}, `${pointLabel(ev.point)} · ${name('procedure', ev.procedure)} · desde ${fmtDateTime(ev.started_at)}`),
      h('p', {}, `Solicitudes: ${nameList('request', ev.requests).join(', ')}`),
      ev.origin === 'MANUAL' ? h('p', { 'data-testid': 'regularised' }, regularisedText(ev)) : null,
      ev.origin === 'MANUAL' ? notice('info', 'Ahora, en el evento, agregue las transacciones críticas del formato y ciérrelo con la hora de fin anotada.') : null,
      notice('warning', h('strong', {}, 'Mientras el evento siga abierto, atienda obligatoriamente las transacciones críticas:'), h('ul', {}, crit)),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-primary', href: href(`/eventos/${encodeURIComponent(ev.number)}`) }, 'Ver el evento'),
        h('a', { class: 'btn btn-secondary', href: href('/') }, 'Volver al inicio'),
        h('a', { class: 'btn btn-secondary', href: href(`/registrar/${encodeURIComponent(ev.point.code)}`) }, 'Registrar otro trámite')));
    this.view.querySelector('.page-head h1').textContent = title;
    this.form.replaceWith(panel);
    panel.querySelector('h2').focus();
    announce(`${title}: ${ev.number}`);
  }
}

/* K2: what regularising a paper form means, above the form. */
function manualNotice(serial, jefe) {
  const days = manualMaxAgeDays();
  return notice('info', h('p', {}, h('strong', {}, `Regularización del formato manual ${serial}. `),
    'Registre los datos tal como se anotaron en el formato, con la fecha y hora de inicio originales',
    jefe ? ` (hasta ${days} días atrás; uno más antiguo lo regulariza Control e Información con un sustento). `
      : `. Si el formato tiene más de ${days} días, explique por qué se regulariza tan tarde. `,
    'El evento queda con origen «formato manual» y se muestra su demora de regularización.'),
  h('p', {}, 'Después, en el evento, agregue las transacciones críticas del formato y ciérrelo con la hora de fin anotada.'));
}

/* A datetime-local value n days before now (Lima). */
function limaInputDaysAgo(n) {
  const d = new Date(Date.now() - 5 * 3600e3 - n * 86400e3);
  return d.toISOString().slice(0, 16);
}

function pointInfo(p) {
  return `${name('pointType', p.type)} · canal ${name('channel', p.channel).toLowerCase()} · ${p.region}`;
}

function notRegulatedNote(c) {
  const names = (c.not_regulated || []).map((n) => n.name.toLowerCase());
  return h('p', { class: 'hint' }, h('strong', {}, 'No corresponde registrar'),
    ` las gestiones no reguladas: ${names.join(', ')}, ni otras que no estén en la lista de solicitudes reguladas.`);
}

/* The operator's procedure: what is and is not inoperability. */
function rulesBox() {
  return h('div', { class: 'rules' },
    h('h3', {}, 'No se considera inoperatividad'),
    h('ul', {},
      h('li', {}, h('strong', {}, 'Intermitencia en los sistemas: '),
        'el aplicativo está lento o demora en entrar, pero sí se podría atender al cliente.'),
      h('li', {}, h('strong', {}, 'Algunas PCs del punto no funcionan: '),
        'si en algunas PCs no se puede atender al cliente, atiéndalo en las PCs operativas y registre allí su solicitud.'),
      h('li', {}, h('strong', {}, 'Gestiones no reguladas: '),
        'fallas de los equipos terminales, pagos por la prestación del servicio, financiamiento de deuda y otras que no estén en la lista de solicitudes reguladas.')),
    h('h3', { class: 'subgroup' }, 'Sí es inoperatividad'),
    h('p', {}, 'Cuando los aplicativos de venta o postventa no están disponibles en todo el punto y no se puede registrar la solicitud regulada del cliente: por una falla masiva confirmada por Fallas, o por un evento no previsto (corte de luz, inundación, infraestructura).'));
}

