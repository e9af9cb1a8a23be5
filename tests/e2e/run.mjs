#!/usr/bin/env node
/*
 * Browser tests of Inop's web UI.
 *
 *   node tests/e2e/run.mjs --inop build/inop [--only TEXT] [--keep]
 *
 * Creates a temporary database (`inop init`), starts `inop serve` on a free
 * port, prepares points and users through the API (bearer tokens), then
 * drives Debian's chromium (/usr/bin/chromium, via playwright-core) through
 * the scenarios below, each a named test printed as PASS or FAIL.
 * Screenshots of every main screen go to tests/e2e/artifacts/.  The server
 * is stopped with SIGTERM; the exit status is 1 when any test failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.INOP_E2E_CHROMIUM || '/usr/bin/chromium';
const ADMIN_PASSWORD = 'admin-e2e-password-2026';
const PASSWORD = 'clave-e2e-segura-2026';
const NUMBER_RE = /^INOP-\d{4}-\d{6}$/;
const CRITICAL_DOC = 'https://intranet.example.pe/atencion-transacciones-criticas.pdf';
/* K2's window for a JEFE's paper forms, not the default 30: the screens
 * must take it from the server */
const MANUAL_MAX_AGE_DAYS = 45;

/* ---------- arguments ---------- */

function parseArgs(argv) {
  const out = { inop: null, only: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--inop') out.inop = argv[++i];
    else if (argv[i] === '--only') out.only = argv[++i];
    else if (argv[i] === '--keep') out.keep = true;
    else {
      console.error(`usage: run.mjs --inop PATH [--only TEXT] [--keep] (unknown: ${argv[i]})`);
      process.exit(2);
    }
  }
  if (!out.inop) {
    console.error('usage: run.mjs --inop PATH [--only TEXT] [--keep]');
    process.exit(2);
  }
  out.inop = path.resolve(out.inop);
  return out;
}

/* ---------- the server ---------- */

/* A port the kernel had free a moment ago: another program may take it
 * before `inop serve` binds it, so startServer() starts again on a new
 * port when serve cannot listen (Node cannot hold a port without listening
 * on it, as tests/api/inoptest.py's reserve_port() does). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/* Only as the interval between two checks of a condition (poll()). */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Deadlines for conditions, generous: CI is a loaded 2-core machine (and
 * the second pass runs under ASan); a condition that holds returns at once. */
const WAIT_MS = 30000;
const SERVER_START_MS = 60000;

async function startServer(inop, tmp) {
  const db = path.join(tmp, 'inop.db');
  const pwFile = path.join(tmp, 'admin-password');
  fs.writeFileSync(pwFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  const init = spawnSync(inop, ['init', '--db', db, '--admin-password-file', pwFile], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`inop init failed (${init.status}): ${init.stderr}${init.stdout}`);
  const logPath = path.join(tmp, 'serve.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const logStart = fs.existsSync(logPath) ? fs.statSync(logPath).size : 0;
    const log = fs.openSync(logPath, 'a');
    const proc = spawn(inop, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
      '--critical_transactions_doc_url', CRITICAL_DOC,
      '--manual_max_age_days', String(MANUAL_MAX_AGE_DAYS)], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const base = `http://127.0.0.1:${port}`;
    let exited = null;
    proc.on('exit', (code, signal) => { exited = { code, signal }; });
    const deadline = Date.now() + SERVER_START_MS;
    while (!exited && Date.now() < deadline) {
      try {
        const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10000) });
        if (r.ok) return { proc, base, exitedRef: () => exited };
      } catch { /* not listening yet */ }
      if (!exited) await sleep(100);
    }
    if (exited) {
      const said = fs.readFileSync(logPath, 'utf8').slice(logStart);
      if (/cannot listen/.test(said) && attempt < 5) continue; /* port taken meanwhile */
      throw new Error(`inop serve exited early (${JSON.stringify(exited)}); see ${logPath}`);
    }
    proc.kill('SIGKILL');
    throw new Error(`inop serve did not answer /healthz within ${SERVER_START_MS / 1000} s`);
  }
}

async function stopServer(server) {
  if (!server || server.exitedRef()) return server && server.exitedRef();
  const done = new Promise((resolve) => server.proc.once('exit', (code, signal) => resolve({ code, signal })));
  server.proc.kill('SIGTERM');
  const result = await Promise.race([done, sleep(10000).then(() => null)]);
  if (!result) {
    server.proc.kill('SIGKILL');
    return { code: null, signal: 'SIGKILL (did not stop on SIGTERM)' };
  }
  return result;
}

/* ---------- the API, for setting up data ---------- */

class Api {
  constructor(base, token = null) {
    this.base = base;
    this.token = token;
  }

  async call(method, p, body) {
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${this.base}/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const data = text ? JSON.parse(text) : null;
    return { status: r.status, data };
  }

  async ok(method, p, body, want) {
    const r = await this.call(method, p, body);
    if (r.status !== want) throw new Error(`${method} ${p}: expected ${want}, got ${r.status} ${JSON.stringify(r.data)}`);
    return r.data;
  }

  async login(username, password) {
    const d = await this.ok('POST', '/session', { username, password }, 200);
    return new Api(this.base, d.token);
  }
}

function limaNow(offsetMinutes = 0) {
  const d = new Date(Date.now() - 5 * 3600e3 + offsetMinutes * 60e3);
  return `${d.toISOString().slice(0, 19)}-05:00`;
}

async function setUpData(base) {
  const anon = new Api(base);
  const admin = await anon.login('admin', ADMIN_PASSWORD);
  const points = [
    { code: 'CAC-LIMA-01', name: 'CAC Lima Centro', type: 'CAC', region: 'Lima' },
    { code: 'CAC-AREQ-01', name: 'CAC Arequipa Plaza', type: 'CAC', region: 'Arequipa' },
    { code: 'ACD-TRUJ-02', name: 'ACD Trujillo Mall', type: 'ACD', region: 'La Libertad' },
  ];
  for (const p of points) await admin.ok('POST', '/points', p, 201);
  await admin.ok('POST', '/users', {
    username: 'jefe.lima', password: PASSWORD, name: 'Rosa Quispe', email: 'rosa.quispe@example.pe',
    roles: ['JEFE'], points: ['CAC-LIMA-01'],
  }, 201);
  await admin.ok('POST', '/users', {
    username: 'jefe.sur', password: PASSWORD, name: 'Carlos Mamani', email: 'carlos.mamani@example.pe',
    roles: ['JEFE'], points: ['CAC-AREQ-01', 'ACD-TRUJ-02'],
  }, 201);
  await admin.ok('POST', '/users', {
    username: 'soporte', password: PASSWORD, name: 'Mesa de Soporte', email: 'soporte@example.pe',
    roles: ['SOPORTE'], points: [],
  }, 201);
  await admin.ok('POST', '/users', {
    username: 'control', password: PASSWORD, name: 'Ana Control', email: 'analistas.control@example.pe',
    roles: ['CONTROL'], points: [],
  }, 201);
  await admin.ok('POST', '/users', {
    username: 'procesos', password: PASSWORD, name: 'Marcelo Linares', email: 'marcelo.linares@example.pe',
    roles: ['PROCESOS'], points: [],
  }, 201);
  for (const [username, name, role] of [['gerente', 'Luis Paredes', 'GERENTE'],
    ['director', 'Marta Salas', 'DIRECTOR'], ['regulatorio', 'Jorge Ríos', 'REGULATORIO']]) {
    await admin.ok('POST', '/users', {
      username, password: PASSWORD, name, email: `${username}@example.pe`, roles: [role], points: [],
    }, 201);
  }
  await admin.ok('POST', '/users', {
    username: 'fallas', password: PASSWORD, name: 'Fallas de Sistemas y Plataforma', email: 'fallas@example.pe',
    roles: ['FALLAS'], points: [],
  }, 201);
  await admin.ok('POST', '/users', {
    username: 'reclamos', password: PASSWORD, name: 'Mesa de Reclamos', email: 'reclamos@example.pe',
    roles: ['RECLAMOS'], points: [],
  }, 201);
  /* history at another point, for paging the register (more than 25 events) */
  const sur = await anon.login('jefe.sur', PASSWORD);
  const procs = [['RECLAMOS', 'RECLAMO'], ['ALTAS', 'PORTABILIDAD'], ['BAJAS', 'BAJA_SERVICIO'], ['CONSULTAS', 'REPOSICION_CHIP']];
  let otherNumber = null;
  for (let i = 0; i < 28; i++) {
    const [procedure, request] = procs[i % 4];
    const ev = await sur.ok('POST', '/events', {
      point: 'CAC-AREQ-01', procedure, requests: [request], applications: ['SIAC_UNICO'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'CORTE_LUZ', started_at: limaNow(-600 + i * 10),
      attest_total: true, description: `Corte de luz de prueba ${i + 1}`,
    }, 201);
    otherNumber = ev.number;
    if (i < 26) {
      await sur.ok('POST', `/events/${ev.id}/close`, {
        ended_at: limaNow(-600 + i * 10 + 5), closure_reason: 'SIN_FLUIDO_ELECTRICO',
      }, 200);
    }
  }
  return { admin, anon, otherNumber };
}

/* ---------- the test runner ---------- */

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  const file = path.join(ARTIFACTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/*
 * Every check of the page waits for the state it needs: the UI draws a
 * screen after loading its module and data, so a value read once right
 * after a click or a navigation may still be the previous screen's.
 * poll() reads `probe` until `accept` holds (Playwright's expect-style
 * polling; playwright-core has no expect) and fails after WAIT_MS naming
 * what it waited for and the last value seen.
 */
async function poll(what, probe, accept, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (err) {
      last = `(${String(err && err.message || err).split('\n')[0]})`;
    }
    if (Date.now() > deadline) {
      const shown = typeof last === 'string' ? last.slice(0, 300) : last;
      throw new Error(`${what}: not within ${timeout / 1000} s; last seen: ${JSON.stringify(shown)}`);
    }
    await sleep(100);
  }
}

async function expectText(locator, re, what) {
  return poll(what, async () => (await locator.first().textContent({ timeout: 1000 })) || '', (t) => re.test(t));
}

async function expectCount(locator, n, what) {
  return poll(what, () => locator.count(), (c) => c === n);
}

/* The texts of every match, once `accept` holds for them. */
async function expectTexts(locator, accept, what) {
  return poll(what, () => locator.allTextContents(), accept);
}

/* A boolean state (isChecked, isDisabled, isHidden, ...) becomes `want`. */
async function expectState(what, probe, want = true) {
  return poll(what, probe, (v) => v === want);
}

/* `value` of each match (radio and checkbox choices). */
async function expectValues(locator, want, what) {
  return poll(what, () => locator.evaluateAll((els) => els.map((e) => e.value)),
    (v) => JSON.stringify(v) === JSON.stringify(want));
}

/*
 * `action` moves to another screen (or draws this one again), and the
 * router draws it after loading its module and data: until then the old
 * screen, with the same labels and buttons, is still there to be typed
 * into.  This marks the screen shown, runs the action and waits until a
 * new one is drawn.
 */
async function newScreen(page, action) {
  await page.evaluate(() => {
    const v = document.querySelector('#main > .view');
    if (v) v.dataset.old = '1';
  });
  await action();
  await page.locator('#main > .view:not([data-old]) > .view-body').waitFor();
}

/* A fresh page; console errors, uncaught exceptions and CSP refusals fail the test. */
async function newPage(context, problems, viewport = { width: 1280, height: 900 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const t = msg.text();
    /* the browser logs every 4xx answer the UI expects and handles */
    if (/^Failed to load resource: the server responded with a status of (4\d\d)/.test(t)) return;
    problems.push(`console error: ${t}`);
  });
  return page;
}

async function login(page, base, username, password = PASSWORD) {
  await page.goto(`${base}/`);
  await page.getByLabel('Usuario').fill(username);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.locator('#user-box:not([hidden])').waitFor();
  await page.locator('.view-body h1').first().waitFor();
}

async function fillRegistration(page, { procedure, requests, applications, cause = 'CORTE_LUZ', attest = true }) {
  await page.locator(`input[name=procedure][value=${procedure}]`).check();
  for (const r of requests) await page.locator(`[data-procedure=${procedure}] input[value=${r}]`).check();
  for (const a of applications) await page.locator(`input[name=applications][value=${a}]`).check();
  await page.locator('input[name=scenario][value=EVENTO_NO_PREVISTO]').check();
  await page.getByLabel('Motivo de ocurrencia').selectOption(cause);
  if (attest) await page.locator('input[name=attest_total]').check();
}

/* ---------- the scenarios ---------- */

const state = {};

function defineTests(base, data) {
  test('JEFE inicia sesión (con teclado) y ve sus puntos primero', async (page) => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Ingresar a Inop' }).waitFor();
    await shot(page, 'login');
    /* a wrong password: the message at the top, the username kept */
    await page.getByLabel('Usuario').fill('jefe.lima');
    await page.getByLabel('Contraseña').fill('no-es-la-clave');
    await page.keyboard.press('Enter');
    await expectText(page.locator('.form-alert'), /Usuario o contraseña incorrectos/, 'error de login');
    await poll('el usuario escrito se conserva', () => page.getByLabel('Usuario').inputValue(), (v) => v === 'jefe.lima');
    await shot(page, 'login-error');
    /* keyboard only */
    await page.getByLabel('Contraseña').fill('');
    await page.getByLabel('Usuario').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await expectText(page.locator('.view-body h1'), /Hola, Rosa Quispe/, 'saludo');
    await expectText(page.locator('.point-card h2'), /CAC Lima Centro/, 'tarjeta del punto');
    await expectCount(page.locator('.point-card'), 1, 'el jefe ve solo su punto');
    const nav = await expectTexts(page.locator('#app-nav a'), (n) => n.includes('Registrar inoperatividad'), 'navegación del jefe');
    assert(!nav.includes('Usuarios'), `navegación inesperada: ${nav}`);
    await shot(page, 'home-jefe-sin-eventos');
  });

  test('JEFE registra un evento y ve su número', async (page) => {
    await login(page, base, 'jefe.lima');
    await page.locator('#app-nav').getByRole('link', { name: 'Registrar inoperatividad' }).click();
    await page.locator('form.register-form').waitFor();
    await expectText(page.locator('.point-fixed'), /CAC Lima Centro \(CAC-LIMA-01\)/, 'punto fijo');
    /* the seed's "no es inoperatividad" cases are spelled out */
    const ruleRes = [/Intermitencia/, /lento o demora en entrar/, /PCs operativas/, /equipos terminales/, /financiamiento de deuda/];
    await poll('los casos que no son inoperatividad', async () => (await page.locator('.rules').textContent()) || '',
      (rules) => ruleRes.every((re) => re.test(rules)));
    /* only regulated requests, grouped by type: FALLA_EQUIPO_TERMINAL is not offered
     * (checked once the choices it would be among are drawn) */
    await page.locator('input[name=requests][value=MIGRACION_PLAN]').waitFor({ state: 'attached' });
    await page.locator('input[name=scenario][value=EVENTO_NO_PREVISTO]').waitFor({ state: 'attached' });
    assert(await page.locator('input[name=requests][value=FALLA_EQUIPO_TERMINAL]').count() === 0, 'se ofrece una solicitud no regulada');
    assert(await page.locator('input[name=scenario][value=PRUEBA]').count() === 0, 'al jefe se le ofrece PRUEBA');
    await shot(page, 'registro-vacio');
    /* sending it empty: every missing choice is named next to its field */
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    for (const f of ['procedure', 'applications', 'scenario', 'attest_total']) {
      await page.locator(`[data-field=${f}] .field-error`).waitFor();
    }
    await shot(page, 'registro-errores');
    /* SICAR only with SISACT */
    const sicar = page.locator('input[name=applications][value=SICAR]');
    await expectState('SICAR deshabilitado sin SISACT', () => sicar.isDisabled());
    await page.locator('input[name=applications][value=SISACT]').check();
    await expectState('SICAR se habilita con SISACT', () => sicar.isEnabled());
    await sicar.check();
    await page.locator('input[name=applications][value=SISACT]').uncheck();
    await expectState('SICAR se desmarca y deshabilita sin SISACT',
      async () => await sicar.isDisabled() && !(await sicar.isChecked()));
    /* a mass failure needs Fallas: explained when chosen */
    await page.locator('input[name=scenario][value=FALLA_MASIVA]').check();
    await expectText(page.locator('.notice-warning', { hasText: 'Fallas' }), /confirmada por Fallas/, 'explicación de falla masiva');
    await fillRegistration(page, { procedure: 'CONSULTAS', requests: ['MIGRACION_PLAN'], applications: ['SIAC_UNICO'] });
    await page.getByLabel('Detalle (opcional)').fill('SIAC ÚNICO no carga en ninguna PC; dos clientes esperando.');
    /* an API refusal is shown next to its field and nothing typed is lost */
    await page.getByLabel('Inicio de la inoperatividad (hora de Lima)').fill('2030-01-01T10:00');
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    await expectText(page.locator('[data-field=started_at] .field-error'), /futuro/, 'error de la API junto a la hora de inicio');
    await poll('el detalle se conserva', () => page.getByLabel('Detalle (opcional)').inputValue(),
      (v) => v === 'SIAC ÚNICO no carga en ninguna PC; dos clientes esperando.');
    await expectState('la solicitud sigue marcada', () => page.locator('[data-procedure=CONSULTAS] input[value=MIGRACION_PLAN]').isChecked());
    await shot(page, 'registro-error-api');
    const now = await page.evaluate(() => {
      const d = new Date(Date.now() - 5 * 3600e3 - 2 * 60e3);
      return d.toISOString().slice(0, 16);
    });
    await page.getByLabel('Inicio de la inoperatividad (hora de Lima)').fill(now);
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    const number = (await expectText(page.locator('[data-testid=event-number]'), NUMBER_RE, 'número del evento')).trim();
    state.number = number;
    await shot(page, 'registro-exitoso');
  });

  test('JEFE intenta un duplicado y se le ofrece el evento abierto', async (page) => {
    assert(state.number, 'requiere el evento del test anterior');
    await login(page, base, 'jefe.lima');
    await shot(page, 'home-jefe-con-evento');
    await expectText(page.locator('.slot-open'), new RegExp(state.number), 'evento abierto en el inicio');
    /* known before sending: choosing the same type offers the open event */
    await page.goto(`${base}/#/registrar`);
    await page.locator('input[name=procedure][value=CONSULTAS]').check();
    await expectText(page.locator('.offer'), new RegExp(`Ya hay un evento abierto de Consultas en este punto: ${state.number}`), 'oferta del evento abierto');
    const locked = page.locator('[data-procedure=CONSULTAS] input[value=MIGRACION_PLAN]');
    await expectState('la solicitud ya registrada aparece marcada y bloqueada',
      async () => await locked.isChecked() && await locked.isDisabled());
    await page.locator('[data-procedure=CONSULTAS] input[value=CAMBIO_TITULARIDAD]').check();
    await shot(page, 'duplicado-oferta');
    await page.getByRole('button', { name: 'Agregar la solicitud al evento abierto' }).click();
    await expectText(page.locator('[data-testid=event-number]'), new RegExp(`^${state.number}$`), 'mismo número');
    await expectText(page.locator('.result'), /Cambio de titularidad/, 'solicitud agregada');
    await shot(page, 'duplicado-agregado');

    /* the race: someone registers the same type while the form is open -> 409 -> offer */
    await page.locator('#app-nav').getByRole('link', { name: 'Registrar inoperatividad' }).click();
    await page.locator('form.register-form').waitFor();
    await fillRegistration(page, { procedure: 'ALTAS', requests: ['CONTRATACION'], applications: ['SISACT'] });
    const jefe = await data.anon.login('jefe.lima', PASSWORD);
    const other = await jefe.ok('POST', '/events', {
      point: 'CAC-LIMA-01', procedure: 'ALTAS', requests: ['PORTABILIDAD'], applications: ['SISACT'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'CORTE_LUZ', started_at: limaNow(-3), attest_total: true,
    }, 201);
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    await expectText(page.locator('.offer'), new RegExp(other.number), 'oferta tras el 409');
    await expectState('la solicitud marcada se conserva', () => page.locator('[data-procedure=ALTAS] input[value=CONTRATACION]').isChecked());
    await shot(page, 'duplicado-409-oferta');
    await page.getByRole('button', { name: 'Agregar la solicitud al evento abierto' }).click();
    await expectText(page.locator('[data-testid=event-number]'), new RegExp(`^${other.number}$`), 'número del evento abierto');
    const ev = await jefe.ok('GET', `/events/${other.number}`, undefined, 200);
    assert(ev.requests.includes('CONTRATACION') && ev.requests.includes('PORTABILIDAD'), `solicitudes: ${ev.requests}`);
    state.altas = other.number;
  });

  test('JEFE cierra el evento con un motivo permitido', async (page) => {
    assert(state.number, 'requiere el evento registrado');
    await login(page, base, 'jefe.lima');
    await page.goto(`${base}/#/eventos/${state.number}`);
    await expectText(page.locator('.view-body h1'), new RegExp(state.number), 'título del evento');
    await expectValues(page.locator('input[name=closure_reason]'), ['INFRAESTRUCTURA_PUNTO', 'SIN_FLUIDO_ELECTRICO', 'ERROR_USUARIO'],
      'motivos ofrecidos');
    await shot(page, 'evento-abierto');
    /* ERROR_USUARIO without enough justification: refused next to the field */
    await page.locator('input[name=closure_reason][value=ERROR_USUARIO]').check();
    await page.getByLabel(/Sustento/).fill('corto');
    await page.getByRole('button', { name: 'Cerrar evento' }).click();
    await expectText(page.locator('[data-field=justification] .field-error'), /al menos 10 caracteres/, 'sustento requerido');
    await shot(page, 'cierre-error-sustento');
    await page.locator('input[name=closure_reason][value=SIN_FLUIDO_ELECTRICO]').check();
    await page.getByLabel(/Sustento/).fill('');
    await page.getByRole('button', { name: 'Cerrar evento' }).click();
    await expectText(page.locator('.notice-success'), /cerrado: Sin fluido eléctrico/, 'aviso de cierre');
    await expectText(page.locator('.page-head .badge'), /Cerrado/, 'estado cerrado');
    await expectCount(page.locator('input[name=closure_reason]'), 0, 'el formulario de cierre desaparece');
    await expectTexts(page.locator('section[aria-labelledby=hist-title] tbody tr td:nth-child(3)'),
      (a) => JSON.stringify(a) === JSON.stringify(['Registro del evento', 'Solicitudes agregadas', 'Cierre del evento']), 'historial');
    await expectText(page.locator('section[aria-labelledby=hist-title] tbody tr td:first-child'),
      /^\s*\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}\s*$/, 'hora del historial');
    await shot(page, 'evento-cerrado');
  });

  test('JEFE no ve el formulario de registro de otro punto', async (page) => {
    await login(page, base, 'jefe.lima');
    await page.goto(`${base}/#/registrar/CAC-AREQ-01`);
    await expectText(page.locator('.view-body .notice-error'), /No puede registrar inoperatividad en el punto «CAC-AREQ-01»/, 'aviso de punto ajeno');
    await expectCount(page.locator('form.register-form'), 0, 'no se muestra el formulario de un punto ajeno');
    await shot(page, 'registro-punto-ajeno');
    /* nor another point's event */
    await page.goto(`${base}/#/eventos/${data.otherNumber}`);
    await expectText(page.locator('.view .notice-error'), /punto que no tiene asignado/, 'evento de punto ajeno');
    /* and the list shows only own points */
    await page.goto(`${base}/#/eventos`);
    await page.locator('section[aria-labelledby=results-title] h2').waitFor();
    await expectTexts(page.locator('section[aria-labelledby=results-title] tbody tr td:nth-child(2)'),
      (pts) => pts.length > 0 && pts.every((p) => p.includes('CAC-LIMA-01')), 'solo puntos propios en la lista');
  });

  test('Sesión vencida: se vuelve a ingresar sin perder lo escrito', async (page, context) => {
    await login(page, base, 'jefe.lima');
    await page.goto(`${base}/#/registrar`);
    await fillRegistration(page, { procedure: 'BAJAS', requests: ['BAJA_SERVICIO'], applications: ['SGA'] });
    await page.getByLabel('Detalle (opcional)').fill('Texto escrito antes de que venza la sesión');
    await context.clearCookies();
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    const dialog = page.locator('dialog.relogin');
    await dialog.waitFor();
    await shot(page, 'sesion-vencida');
    await dialog.getByLabel('Contraseña').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Ingresar' }).click();
    await expectText(page.locator('[data-testid=event-number]'), NUMBER_RE, 'registro enviado tras volver a ingresar');
    const ev = await (await data.anon.login('jefe.lima', PASSWORD)).ok('GET', `/events/${(await page.locator('[data-testid=event-number]').textContent()).trim()}`, undefined, 200);
    assert(ev.description === 'Texto escrito antes de que venza la sesión', `descripción: ${ev.description}`);
  });

  test('JEFE con varios puntos elige el punto y ve sus eventos abiertos', async (page) => {
    await login(page, base, 'jefe.sur');
    await expectCount(page.locator('.point-card'), 2, 've sus dos puntos');
    await expectText(page.locator('.point-card h2'), /CAC Arequipa Plaza/, 'el punto con eventos abiertos va primero');
    await page.locator('#app-nav').getByRole('link', { name: 'Registrar inoperatividad' }).click();
    const select = page.getByLabel(/Punto donde ocurre la inoperatividad/);
    /* the form is drawn after its module and the points load: wait for its options */
    const options = await expectTexts(select.locator('option'), (o) => o.length === 3, 'puntos ofrecidos (3 opciones)');
    assert(!options.some((o) => o.includes('CAC-LIMA-01')), `puntos ofrecidos: ${options}`);
    await select.selectOption('CAC-AREQ-01');
    await page.locator('input[name=procedure][value=BAJAS]').check();
    await expectText(page.locator('.offer'), /Ya hay un evento abierto de Bajas en este punto/, 'oferta en el punto elegido');
    await select.selectOption('ACD-TRUJ-02');
    await page.locator('.offer').waitFor({ state: 'hidden' });
    await expectState('la solicitud se desbloquea al cambiar de punto', () => page.locator('[data-procedure=BAJAS] input[value=BAJA_SERVICIO]').isEnabled());
    await shot(page, 'registro-varios-puntos');
  });

  test('SOPORTE ve los eventos abiertos y, en su revisión diaria, puede cerrar eventos no previstos', async (page) => {
    await login(page, base, 'soporte');
    await expectText(page.locator('#open-events'), /monitoreo diario/, 'título de monitoreo');
    const nav = await expectTexts(page.locator('#app-nav a'), (n) => n.includes('Monitoreo'), 'navegación de soporte');
    assert(!nav.includes('Registrar inoperatividad') && !nav.includes('Usuarios'), `navegación: ${nav}`);
    await shot(page, 'home-soporte');
    await page.locator('.view-body tbody a').first().click();
    await page.locator('section[aria-labelledby=data-title]').waitFor();
    /* C1 (issue 11): SOPORTE's daily review closes any open event */
    await page.locator('section[aria-labelledby=close-title]').waitFor();
    await expectCount(page.locator('input[name=closure_reason][value=ERROR_USUARIO]'), 1, 'SOPORTE puede cerrar como error de usuario');
    await page.goto(`${base}/#/admin/usuarios`);
    await expectText(page.locator('.view .notice-error'), /Su rol no permite usar esta pantalla/, 'pantalla de ADMIN');
  });

  test('Lista de eventos con filtros y páginas', async (page) => {
    await login(page, base, 'admin', ADMIN_PASSWORD);
    await shot(page, 'home-admin');
    await page.locator('#app-nav').getByRole('link', { name: 'Eventos' }).click();
    await expectText(page.locator('section[aria-labelledby=results-title] h2'), /^\d+ eventos$/, 'total');
    await expectCount(page.locator('section[aria-labelledby=results-title] tbody tr'), 25, 'la primera página tiene 25 filas');
    await shot(page, 'eventos-lista');
    await newScreen(page, () => page.getByRole('link', { name: 'Siguientes →' }).click());
    await expectText(page.locator('.pager'), /página 2 de 2/, 'segunda página');
    await page.getByLabel('Estado').selectOption('OPEN');
    await page.getByLabel('Punto de atención').selectOption('CAC-LIMA-01');
    await newScreen(page, () => page.getByRole('button', { name: 'Filtrar' }).click());
    await expectText(page.locator('.pager'), /página 1 de 1/, 'filtro vuelve a la página 1');
    await expectTexts(page.locator('section[aria-labelledby=results-title] tbody tr td:last-child'),
      (st) => st.length > 0 && st.every((x) => x === 'Abierto'), 'solo eventos abiertos');
    await poll('los filtros en la dirección', () => page.url(), (u) => /status=OPEN/.test(u) && /point=CAC-LIMA-01/.test(u));
    await shot(page, 'eventos-filtrados');
  });

  test('ADMIN crea un usuario', async (page) => {
    await login(page, base, 'admin', ADMIN_PASSWORD);
    await page.locator('#app-nav').getByRole('link', { name: 'Usuarios' }).click();
    await page.getByRole('heading', { name: 'Nuevo usuario' }).waitFor();
    await page.getByLabel(/^Usuario/).fill('jefe.norte');
    await page.getByLabel('Nombre completo').fill('Lucía Flores');
    await page.getByLabel('Correo electrónico').fill('lucia.flores@example.pe');
    await page.getByLabel('Contraseña inicial').fill('corta');
    await page.locator('input[name=roles][value=JEFE]').check();
    await page.getByLabel('Filtrar puntos').fill('trujillo');
    await expectState('el filtro de puntos oculta los demás', () => page.locator('input[name=points][value=CAC-LIMA-01]').isHidden());
    await page.locator('input[name=points][value=ACD-TRUJ-02]').check();
    await page.getByRole('button', { name: 'Crear usuario' }).click();
    await expectText(page.locator('[data-field=password] .field-error'), /al menos 12 caracteres/, 'contraseña débil');
    await poll('el nombre se conserva', () => page.getByLabel('Nombre completo').inputValue(), (v) => v === 'Lucía Flores');
    await expectState('el punto sigue marcado', () => page.locator('input[name=points][value=ACD-TRUJ-02]').isChecked());
    await shot(page, 'usuario-error');
    await page.getByLabel('Contraseña inicial').fill('una-clave-bastante-larga');
    await page.getByRole('button', { name: 'Crear usuario' }).click();
    await expectText(page.locator('.notice-success'), /Usuario «jefe\.norte» creado/, 'aviso de creación');
    await expectText(page.locator('tbody tr', { hasText: 'jefe.norte' }), /Lucía Flores.*ACD-TRUJ-02/, 'fila del usuario');
    await shot(page, 'usuarios');
    /* the new user can log in and is a JEFE of that point */
    const u = await data.anon.ok('POST', '/session', { username: 'jefe.norte', password: 'una-clave-bastante-larga' }, 200);
    assert(u.user.roles.includes('JEFE') && u.user.points.includes('ACD-TRUJ-02'), JSON.stringify(u.user));
    /* a duplicate username is named next to the field */
    await page.getByLabel(/^Usuario/).fill('jefe.norte');
    await page.getByLabel('Nombre completo').fill('Otra Persona');
    await page.getByLabel('Correo electrónico').fill('otra@example.pe');
    await page.getByLabel('Contraseña inicial').fill('una-clave-bastante-larga');
    await page.locator('input[name=roles][value=CONTROL]').check();
    await page.getByRole('button', { name: 'Crear usuario' }).click();
    await page.locator('[data-field=username] .field-error').waitFor();
  });

  test('ADMIN crea un punto de atención', async (page) => {
    await login(page, base, 'admin', ADMIN_PASSWORD);
    await page.goto(`${base}/#/admin/puntos`);
    await page.getByRole('heading', { name: 'Nuevo punto de atención' }).waitFor();
    await page.getByLabel('Código').fill('CC-LIMA-123');
    await page.getByLabel(/^Nombre/).fill('Call center Lima');
    await expectState('líneas deshabilitadas sin call center', () => page.locator('input[name=lines][value="123"]').isDisabled());
    await page.getByLabel('Tipo').selectOption('CALL_CENTER');
    await page.getByRole('button', { name: 'Crear punto' }).click();
    await page.locator('[data-field=region] .field-error').waitFor();
    await page.getByLabel('Región').fill('Lima');
    /* a call centre needs its line: the API's refusal is shown next to the lines */
    await page.getByRole('button', { name: 'Crear punto' }).click();
    await page.locator('[data-field=lines] .field-error').waitFor();
    await shot(page, 'punto-error-lineas');
    await page.locator('input[name=lines][value="123"]').check();
    await page.locator('input[name=lines][value="135"]').check();
    await page.getByRole('button', { name: 'Crear punto' }).click();
    await expectText(page.locator('.notice-success'), /Punto «CC-LIMA-123» creado/, 'aviso de creación');
    await expectText(page.locator('tbody tr', { hasText: 'CC-LIMA-123' }), /123, 135/, 'fila del punto');
    await shot(page, 'puntos');
  });

  test('ADMIN solo registra pruebas y las cierra como error de usuario', async (page) => {
    await login(page, base, 'admin', ADMIN_PASSWORD);
    await page.goto(`${base}/#/registrar/ACD-TRUJ-02`);
    await page.locator('form.register-form').waitFor();
    await expectValues(page.locator('input[name=scenario]'), ['PRUEBA'], 'escenarios de ADMIN');
    await page.locator('input[name=procedure][value=RECLAMOS]').check();
    await page.locator('[data-procedure=RECLAMOS] input[value=QUEJA]').check();
    await page.locator('input[name=applications][value=WEB_ASESOR_RECLAMOS]').check();
    await page.locator('input[name=attest_total]').check();
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    const number = (await expectText(page.locator('[data-testid=event-number]'), NUMBER_RE, 'número')).trim();
    await page.getByRole('link', { name: 'Ver el evento' }).click();
    await expectText(page.locator('.view-body h1'), new RegExp(number), 'evento de prueba');
    await expectValues(page.locator('input[name=closure_reason]'), ['ERROR_USUARIO'], 'motivos de cierre de una prueba');
    await page.getByLabel(/Sustento/).fill('Prueba de la pantalla de registro');
    await page.getByRole('button', { name: 'Cerrar evento' }).click();
    await expectText(page.locator('.page-head .badge'), /Cerrado/, 'prueba cerrada');
    await expectText(page.locator('.dl'), /Reportable\s*No — es una prueba/, 'no reportable');
  });

  test('Registro usable en tableta (sin desplazamiento horizontal)', async (page) => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await login(page, base, 'jefe.lima');
    await page.goto(`${base}/#/registrar`);
    await page.locator('form.register-form').waitFor();
    await page.locator('input[name=procedure][value=RECLAMOS]').check();
    await page.locator('[data-procedure=RECLAMOS] input[value=RECLAMO]').waitFor();
    await poll('sin desplazamiento horizontal (px de más)',
      () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), (px) => px <= 0);
    await poll('opciones con menos de 44px de alto', () => page.locator('input[type=checkbox], input[type=radio]').evaluateAll((els) => els
      .filter((e) => e.offsetParent !== null)
      .map((e) => e.closest('.choice').getBoundingClientRect().height)
      .filter((hgt) => hgt < 44).length), (n) => n === 0);
    await shot(page, 'registro-tableta');
    await page.goto(`${base}/#/eventos`);
    await page.locator('section[aria-labelledby=results-title] h2').waitFor();
    await shot(page, 'eventos-tableta');
  });

  test('JEFE imprime un formato manual, lo regulariza y ve la demora', async (page) => {
    await login(page, base, 'jefe.lima');
    await page.locator('#app-nav').getByRole('link', { name: 'Formatos manuales' }).click();
    await page.getByRole('heading', { name: 'Imprimir un formato' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar formato manual (PDF)' }).click(),
    ]);
    const serial = 'FM-CAC-LIMA-01-000001';
    assert(download.suggestedFilename() === `${serial}.pdf`, `archivo: ${download.suggestedFilename()}`);
    const pdf = fs.readFileSync(await download.path());
    assert(pdf.subarray(0, 4).toString() === '%PDF', 'la descarga no es un PDF');
    const text = spawnSync('pdftotext', ['-raw', await download.path(), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    for (const want of [serial, 'Formato Manual de Registro de Inoperatividad', 'CAC Lima Centro (CAC-LIMA-01)', 'Transacciones críticas atendidas']) {
      assert(text.includes(want), `falta en el PDF: ${want}`);
    }
    /* K2: no resolution number the seed does not give */
    assert(!text.includes('127-2013'), 'el formato cita una resolución');
    const row = page.locator(`tr[data-serial="${serial}"]`);
    await expectText(row, /Sin usar/, 'formato sin usar');
    await shot(page, 'formatos-emitido');
    /* typed in two days later, with the paper's original times */
    await row.getByRole('link', { name: 'Regularizar' }).click();
    await expectText(page.locator('.view-body h1'), /Regularizar formato manual/, 'título de regularización');
    await expectText(page.locator('[data-field=manual_form_ref]'), new RegExp(serial), 'número de formato');
    await fillRegistration(page, { procedure: 'RECLAMOS', requests: ['RECLAMO'], applications: ['WEB_ASESOR_RECLAMOS'] });
    const started = limaNow(-2 * 1440 - 120).slice(0, 16);
    await page.getByLabel(/Inicio de la inoperatividad según el formato/).fill(started);
    await shot(page, 'regularizar-formulario');
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    const number = (await expectText(page.locator('[data-testid=event-number]'), NUMBER_RE, 'número')).trim();
    await expectText(page.locator('.result h2'), new RegExp(`Formato ${serial} regularizado`), 'resultado');
    await expectText(page.locator('.result [data-testid=regularised]'), /regularizado 2 d \d+ h \d{2} min después del inicio/, 'demora');
    await shot(page, 'regularizar-exitoso');
    state.manual = number;
    /* the critical transaction of the paper, then its closure */
    await page.getByRole('link', { name: 'Ver el evento' }).click();
    await expectText(page.locator('[data-testid=regularised]'), new RegExp(`${serial} — regularizado 2 d`), 'demora en el evento');
    await page.locator('#critical-title-panel summary').click();
    await page.getByLabel('Referencia del cliente').fill('DNI 40123456');
    await page.getByLabel('Atendida (hora de Lima)').fill(limaNow(-2 * 1440 - 60).slice(0, 16));
    await page.getByLabel('Cómo se atendió').fill('Reclamo tomado en el formato físico');
    await page.getByRole('button', { name: 'Registrar transacción crítica' }).click();
    await expectText(page.locator('.notice-success'), /Transacción crítica registrada/, 'transacción registrada');
    await expectText(page.locator('tr[data-check=CRITICAL_REGULARISED]'), /Pendiente/, 'control pendiente');
    await page.getByLabel('Fin de la inoperatividad (hora de Lima)').fill(limaNow(-2 * 1440).slice(0, 16));
    await page.locator('input[name=closure_reason][value=SIN_FLUIDO_ELECTRICO]').check();
    await page.getByRole('button', { name: 'Cerrar evento' }).click();
    await expectText(page.locator('.page-head .badge').first(), /Cerrado/, 'evento cerrado');
    await expectText(page.locator('tr[data-check=CRITICAL_REGULARISED]'), /No cumple/, 'control sin referencia');
    await page.getByLabel(/Referencia del sistema de la transacción/).fill('REC-2026-0000042');
    await page.getByRole('button', { name: 'Agregar referencia' }).click();
    await expectText(page.locator('tr[data-check=CRITICAL_REGULARISED]'), /Cumple/, 'control cumplido');
    /* a JEFE reads Control's pending step as Control's (issue 11) */
    await expectText(page.locator('tr[data-check=PROCESOS_RULING]'), /Pendiente de Control/, 'falta el dictamen');
    await shot(page, 'regularizado-evento');
    /* the register and the form list show it as regularised, with its delay */
    await page.goto(`${base}/#/eventos`);
    await expectText(page.locator(`tr:has(a:text-is("${number}")) .regularised`), /Regularizado · 2 d/, 'lista de eventos');
    await shot(page, 'eventos-regularizado');
    await page.goto(`${base}/#/formatos`);
    await expectText(page.locator(`tr[data-serial="${serial}"]`), new RegExp(`Regularizado.*${number}.*demora 2 d`), 'formato usado');
    await shot(page, 'formatos-usado');
  });

  test('CONTROL ve las observaciones, pide el dictamen y alerta; PROCESOS responde', async (page) => {
    assert(state.manual, 'requiere el evento regularizado');
    await login(page, base, 'control');
    await newScreen(page, () => page.locator('#app-nav').getByRole('link', { name: 'Control' }).click());
    await page.getByLabel('Punto de atención').selectOption('CAC-LIMA-01');
    await newScreen(page, () => page.getByRole('button', { name: 'Filtrar' }).click());
    const row = page.locator(`tr[data-event="${state.manual}"]`);
    await expectText(row, /Dictamen de Procesos/, 'evento con observación');
    await shot(page, 'control-observaciones');
    await page.getByLabel('Control que no se cumple').selectOption('NOT_ERROR_OR_TEST');
    await newScreen(page, () => page.getByRole('button', { name: 'Filtrar' }).click());
    await expectText(page.locator('#failing-title'), /eventos? con observaciones/, 'filtro');
    assert(await page.locator(`tr[data-event="${state.manual}"]`).count() === 0, 'el filtro por control no filtra');
    await page.goto(`${base}/#/eventos/${state.manual}`);
    await page.getByLabel('Nota para Procesos (opcional)').fill('Revisar si procede: punto sin luz');
    await page.getByRole('button', { name: 'Solicitar dictamen a Procesos' }).click();
    await expectText(page.locator('[data-testid=processes-clock]'), /Quedan 2[34] h \d{2} min/, 'reloj de 24 horas');
    await page.getByLabel('Alerta por error operativo').fill('El evento se registró dos días tarde: recuerde regularizar el mismo día.');
    await page.getByRole('button', { name: 'Enviar alerta al jefe del punto' }).click();
    await expectText(page.locator('.notice-success'), /Alerta enviada a rosa\.quispe@example\.pe/, 'alerta enviada');
    await expectText(page.locator('ul.alerts'), /recuerde regularizar/, 'alerta en el evento');
    await shot(page, 'control-dictamen-solicitado');

    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await login(page, base, 'procesos');
    await page.locator('#app-nav').getByRole('link', { name: 'Procesos' }).click();
    await expectText(page.locator(`tr[data-event="${state.manual}"]`), /Pendiente/, 'solicitud en la bandeja');
    await shot(page, 'procesos-bandeja');
    await page.locator(`tr[data-event="${state.manual}"] a.event-number`).click();
    await page.locator('input[name=ruling][value=NO_PROCEDE]').check();
    await page.locator('#proc-title-panel textarea[name=reason]').fill('El corte de luz fue en horario sin atención');
    await page.getByRole('button', { name: 'Registrar dictamen' }).click();
    await expectText(page.locator('.notice-warning', { hasText: 'Descartado' }), /Descartado del reporte por Procesos/, 'descartado');
    await expectText(page.locator('.dl').first(), /Reportable\s*No/, 'no reportable');
    await expectText(page.locator('tr[data-check=PROCESOS_RULING]'), /Cumple/, 'dictamen presente');
    await shot(page, 'procesos-no-procede');
    /* an absence sends new requests to the backups at once */
    await page.goto(`${base}/#/procesos`);
    await page.getByRole('button', { name: 'Marcar ausencia' }).click();
    await expectText(page.locator('[data-user=procesos]'), /Ausente/, 'ausente');
    await expectText(page.locator('#desk-title').locator('..'), /Ningún responsable está presente/, 'aviso de ausencia');
    await shot(page, 'procesos-ausente');
    await page.getByRole('button', { name: 'Registrar mi regreso' }).click();
    await expectText(page.locator('[data-user=procesos]'), /Presente/, 'presente');
  });

  test('Falla masiva: alerta, confirmación, registro, cierre por Soporte', async (page, context) => {
    /* M1: the JEFE alerts Fallas */
    await login(page, base, 'jefe.lima');
    await page.locator('#app-nav').getByRole('link', { name: 'Fallas masivas' }).click();
    const alertForm = page.locator('form.alert-form');
    await alertForm.waitFor();
    await shot(page, 'fallas-jefe');
    await alertForm.getByRole('button', { name: 'Alertar a Fallas' }).click();
    await alertForm.locator('[data-field=applications] .field-error').waitFor();
    await alertForm.locator('input[name=applications][value=WEB_ASESOR_RECLAMOS]').check();
    await alertForm.getByLabel('Qué se observa').fill('Web Asesor Reclamos no carga en ninguna PC; otros CAC reportan lo mismo.');
    await alertForm.getByRole('button', { name: 'Alertar a Fallas' }).click();
    const flash = await expectText(page.locator('.notice-success'), /Alerta N\.º \d+ enviada a Fallas/, 'alerta enviada');
    const alertId = /N\.º (\d+)/.exec(flash)[1];
    await shot(page, 'fallas-alerta-enviada');

    /* M2: Fallas confirms it into a new mass failure */
    await context.clearCookies();
    await login(page, base, 'fallas');
    await page.locator('#app-nav').getByRole('link', { name: 'Fallas masivas' }).click();
    const card = page.locator('article.alert-card', { hasText: `Alerta N.º ${alertId}` });
    await card.waitFor();
    await expectText(card, /Web Asesor/, 'aplicativo de la alerta');
    await shot(page, 'fallas-mesa-pendiente');
    await card.getByRole('button', { name: 'Aplicar decisión' }).click();
    await card.locator('[data-field=cause] .field-error').waitFor();
    await card.getByLabel('Motivo de ocurrencia').selectOption('FALLA_MASIVA_APLICATIVO');
    await card.getByRole('button', { name: 'Aplicar decisión' }).click();
    const confirmed = await expectText(page.locator('.notice-success'), /confirmada en la falla masiva N\.º \d+/, 'alerta confirmada');
    const mfId = /falla masiva N\.º (\d+)/.exec(confirmed)[1];
    await expectCount(page.locator('article.alert-card', { hasText: `Alerta N.º ${alertId}` }), 0, 'la alerta deja de estar pendiente');
    await shot(page, 'fallas-alerta-confirmada');

    /* R6: the JEFE registers under the confirmed failure */
    await context.clearCookies();
    await login(page, base, 'jefe.lima');
    await expectText(page.locator('.view-body .notice-warning').first(), new RegExp(`Falla masiva N\\.º ${mfId}`), 'falla confirmada en el inicio');
    await page.goto(`${base}/#/registrar`);
    await page.locator('form.register-form').waitFor();
    await page.locator('input[name=procedure][value=RECLAMOS]').check();
    await page.locator('[data-procedure=RECLAMOS] input[value=RECLAMO]').check();
    await page.locator('input[name=applications][value=WEB_ASESOR_RECLAMOS]').check();
    await page.locator('input[name=scenario][value=FALLA_MASIVA]').check();
    const failureChoice = page.locator(`input[name=mass_failure_id][value="${mfId}"]`);
    await failureChoice.waitFor();
    await expectState('la única falla abierta queda elegida', () => failureChoice.isChecked());
    await page.locator('input[name=attest_total]').check();
    await shot(page, 'registro-falla-masiva');
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    const number = (await expectText(page.locator('[data-testid=event-number]'), NUMBER_RE, 'número del evento')).trim();
    await page.getByRole('link', { name: 'Ver el evento' }).click();
    await expectText(page.locator('.dl'), new RegExp(`Falla masiva N\\.º ${mfId}`), 'falla del evento');
    /* the event screen is drawn whole: its data shown, its close form is too */
    assert(await page.locator('input[name=closure_reason][value=FALLA_MASIVA_APLICATIVO]').count() === 0, 'el jefe puede cerrar por falla masiva');

    /* M4 + M3: Soporte monitors and closes the failure, and its event with it */
    await context.clearCookies();
    await login(page, base, 'soporte');
    await page.locator('#app-nav').getByRole('link', { name: 'Monitoreo' }).click();
    await expectText(page.locator('section[aria-labelledby=ev-title]'), new RegExp(number), 'evento en el monitoreo');
    await expectText(page.locator('section[aria-labelledby=mf-title]'), new RegExp(`Falla masiva N\\.º ${mfId}`), 'falla en el monitoreo');
    await shot(page, 'monitoreo-soporte');
    await page.locator('section[aria-labelledby=mf-title]').getByRole('link', { name: `Falla masiva N.º ${mfId}` }).click();
    await page.locator('section[aria-labelledby=close-title]').waitFor();
    await expectText(page.locator('section[aria-labelledby=events-title]'), new RegExp(number), 'evento de la falla');
    await page.locator('input[name=closure_reason][value=FALLA_MASIVA_APLICATIVO]').check();
    await shot(page, 'falla-cierre');
    await page.getByRole('button', { name: 'Cerrar falla masiva' }).click();
    await expectText(page.locator('.notice-success'), /cerrada: 1 evento cerrado/, 'falla cerrada');
    await expectText(page.locator('.page-head .badge'), /Cerrada/, 'estado de la falla');
    await shot(page, 'falla-cerrada');
    await page.goto(`${base}/#/eventos/${number}`);
    await expectText(page.locator('.page-head .badge'), /Cerrado/, 'evento cerrado con la falla');
    await expectText(page.locator('.dl'), /Falla masiva de aplicativo/, 'motivo de cierre del evento');
    await shot(page, 'evento-cerrado-por-falla');
  });

  test('V3/O1: el dictamen decide el reporte; los plazos muestran en riesgo los eventos sin dictamen', async (page) => {
    await login(page, base, 'control');
    await page.goto(`${base}/#/plazos`);
    /* O3: the deadline is the hand-over to Regulatorio */
    await expectText(page.locator('.view-body .lead'), /se entrega a Regulatorio \(con la aprobación de Dirección del reporte\) a más tardar 3 días hábiles/, 'plazo de entrega');
    await expectText(page.locator('[data-testid=awaiting-ruling]'), /En riesgo: espera el dictamen de Procesos/, 'evento en riesgo');
    await shot(page, 'plazos-espera-dictamen');
  });

  test('Reporte a OSIPTEL: toda la cadena de aprobación hasta la descarga', async (page, context) => {
    const as = async (username) => {
      await context.clearCookies();
      await login(page, base, username);
    };
    const step = async (label, flash) => {
      await page.getByRole('button', { name: label }).click();
      await expectText(page.locator('.notice-success'), flash, `aviso tras «${label}»`);
    };
    /* O1: in-person events enter only with Procesos' PROCEDE ruling */
    const control = await data.anon.login('control', PASSWORD);
    const procesos = await data.anon.login('procesos', PASSWORD);
    const closed = await control.ok('GET', '/events?point=CAC-AREQ-01&status=CLOSED&limit=3', undefined, 200);
    for (const ev of closed.items) {
      await control.ok('POST', `/events/${ev.id}/processes-request`, {}, 201);
      await procesos.ok('POST', `/events/${ev.id}/processes-ruling`, { ruling: 'PROCEDE', reason: 'Fuera de horario de falla masiva: procede' }, 200);
    }
    /* CONTROL builds it for the last week */
    await as('control');
    await page.locator('#app-nav').getByRole('link', { name: 'Reportes' }).click();
    await page.getByRole('heading', { name: 'Nuevo reporte' }).waitFor();
    await shot(page, 'reportes-lista-vacia');
    await page.getByRole('button', { name: 'Crear reporte' }).click();
    await expectText(page.locator('.notice-success'), /Reporte N\.º \d+ creado en borrador con \d+ eventos/, 'reporte creado');
    const id = /#\/reportes\/(\d+)/.exec(await poll('la dirección del reporte', () => page.url(), (u) => /#\/reportes\/\d+/.test(u)))[1];
    const first = (await expectText(page.locator('section[aria-labelledby=rows-title] tbody tr td:first-child a'), NUMBER_RE,
      'primer evento del reporte')).trim();
    await expectText(page.locator('.stepper [aria-current=step]'), /Borrador/, 'etapa actual');
    /* the in-person events still without PROCEDE are listed apart */
    await expectText(page.locator('[data-testid=pending-ruling]'), /Esperan el dictamen de Procesos: \d+/, 'eventos que esperan el dictamen');
    await shot(page, 'reporte-borrador');
    await step('Enviar a revisión', /enviado a revisión/);
    const hash = (await expectText(page.locator('[data-testid=snapshot-hash]'), /^\s*[0-9a-f]{64}\s*$/, 'huella')).trim();
    await expectCount(page.getByRole('button', { name: 'Enviar a revisión' }), 0, 'CONTROL ya no puede volver a enviar');
    /* GERENTE sees it waiting for him and approves */
    await as('gerente');
    await page.goto(`${base}/#/reportes`);
    await expectText(page.locator('.notice-warning'), new RegExp(`espera su acción: Reporte N\\.º ${id}`), 'pendiente del gerente');
    await shot(page, 'reportes-pendiente-gerente');
    await page.locator('.notice-warning a').first().click();
    await step('Aprobar (Gerencia)', /aprobado por Gerencia/);
    /* DIRECTOR sends it back: the comment is required */
    await as('director');
    await page.goto(`${base}/#/reportes/${id}`);
    await page.locator('summary', { hasText: 'Devolver a borrador' }).click();
    await page.getByRole('button', { name: 'Devolver a borrador' }).click();
    await expectText(page.locator('[data-field=comment] .field-error'), /comentario/, 'comentario obligatorio');
    await page.getByLabel('Motivo de la devolución').fill('Falta revisar el evento ' + first);
    await step('Devolver a borrador', /devuelto a borrador/);
    await expectText(page.locator('section[aria-labelledby=trail-title] tbody tr:last-child'), /Falta revisar el evento/, 'comentario en la trayectoria');
    await shot(page, 'reporte-devuelto');
    /* the chain again, to the end */
    await as('control');
    await page.goto(`${base}/#/reportes/${id}`);
    await step('Enviar a revisión', /enviado a revisión/);
    await as('gerente');
    await page.goto(`${base}/#/reportes/${id}`);
    await step('Aprobar (Gerencia)', /aprobado por Gerencia/);
    await as('director');
    await page.goto(`${base}/#/reportes/${id}`);
    await page.getByRole('button', { name: 'Aprobar (Dirección)' }).waitFor();
    await shot(page, 'reporte-para-director');
    await step('Aprobar (Dirección)', /aprobado por Dirección/);
    /* O3: the Director's approval hands it to Regulatorio: the deadline is met */
    await expectText(page.locator('[data-testid=handed-over]'), /con la aprobación de Dirección; esto cumple el plazo/, 'entregado a Regulatorio');
    await as('regulatorio');
    await page.goto(`${base}/#/reportes/${id}`);
    await page.getByRole('button', { name: 'Marcar como enviado a OSIPTEL' }).click();
    await expectText(page.locator('[data-field=reference] .field-error'), /referencia/, 'referencia obligatoria');
    await page.getByLabel('Referencia del envío').fill('Carta C-0451-2026/GR');
    await step('Marcar como enviado a OSIPTEL', /marcado como enviado a OSIPTEL/);
    await expectText(page.locator('.page-head .badge'), /Enviado a OSIPTEL/, 'estado final');
    await expectCount(page.locator('.stepper li.done'), 4, 'etapas completas');
    await expectCount(page.locator('section[aria-labelledby=trail-title] tbody tr'), 8, 'pasos en la trayectoria');
    await shot(page, 'reporte-enviado');
    /* frozen again after the send-back: a new snapshot, a new hash */
    const finalHash = (await expectText(page.locator('[data-testid=snapshot-hash]'), /^\s*[0-9a-f]{64}\s*$/, 'huella final')).trim();
    assert(finalHash !== hash, `huella final igual a la primera: ${finalHash}`);
    /* the downloads */
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inop-e2e-dl-'));
    for (const [format, magic] of [['pdf', '%PDF-'], ['xlsx', 'PK'], ['csv', 'N.º de evento']]) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`a[data-format=${format}]`).click()]);
      const file = path.join(dir, dl.suggestedFilename());
      await dl.saveAs(file);
      assert(file.endsWith(`reporte-inoperatividad-${id}.${format}`), `nombre de la descarga: ${file}`);
      const head = fs.readFileSync(file).subarray(0, Buffer.byteLength(magic)).toString('utf8');
      assert(head === magic, `${format}: empieza con ${JSON.stringify(head)}`);
    }
    const text = spawnSync('pdftotext', ['-layout', path.join(dir, `reporte-inoperatividad-${id}.pdf`), '-'], { encoding: 'utf8' }).stdout;
    for (const want of ['Reporte de Eventos de Inoperatividad de los Sistemas de Atención', first, finalHash, 'Marta Salas (director)', 'Carta C-0451-2026/GR',
      /* O4: Spanish names and signature lines for Gerencia and Dirección */
      'Firma y sello — Gerencia', 'Firma y sello — Dirección', 'En línea', 'Fuera de horario', 'Dirección']) {
      assert(text.includes(want), `el PDF no dice ${want}`);
    }
    for (const code of ['EVENTO_NO_PREVISTO', 'SIN_FLUIDO_ELECTRICO', 'FUERA', 'SISTEMA', 'REGULATORIO']) {
      assert(!text.includes(code), `el PDF muestra el código ${code}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Plazos: eventos por reportar y calendario de ADMIN', async (page, context) => {
    /* a fresh closed event is due in 3 business days and holds no report */
    const jefe = await data.anon.login('jefe.sur', PASSWORD);
    const ev = await jefe.ok('POST', '/events', {
      point: 'ACD-TRUJ-02', procedure: 'RECLAMOS', requests: ['QUEJA'], applications: ['WEB_ASESOR_RECLAMOS'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'INUNDACION', started_at: limaNow(-90), attest_total: true,
    }, 201);
    await jefe.ok('POST', `/events/${ev.id}/close`, { ended_at: limaNow(-30), closure_reason: 'INFRAESTRUCTURA_PUNTO' }, 200);
    await login(page, base, 'control');
    await page.locator('#app-nav').getByRole('link', { name: 'Plazos' }).click();
    const row = page.locator(`tr[data-number="${ev.number}"]`);
    await expectText(row, /Quedan \d días hábiles|Queda 1 día hábil|Vence hoy/, 'días hábiles que quedan');
    await expectText(row, /Sin reporte/, 'sin reporte');
    await shot(page, 'plazos');
    /* ADMIN declares a non-working day; a national holiday is refused next to the date */
    await context.clearCookies();
    await login(page, base, 'admin', ADMIN_PASSWORD);
    await page.locator('#app-nav').getByRole('link', { name: 'Calendario' }).click();
    await page.getByRole('heading', { name: 'Agregar un día no laborable' }).waitFor();
    const year = (await page.locator('.year').textContent()).trim();
    await newScreen(page, () => page.getByRole('button', { name: `Año ${Number(year) + 1}` }).click());
    await expectText(page.locator('.year'), new RegExp(`^${Number(year) + 1}$`), 'año siguiente');
    await page.getByLabel('Fecha').fill(`${Number(year) + 1}-12-25`);
    await page.getByLabel('Motivo').fill('Navidad otra vez');
    await page.getByRole('button', { name: 'Agregar día no laborable' }).click();
    await expectText(page.locator('[data-field=date] .field-error'), /feriado nacional/, 'feriado rechazado');
    const friday = `${Number(year) + 1}-12-24`;
    await page.getByLabel('Fecha').fill(friday);
    await page.getByLabel('Motivo').fill('Día no laborable para el sector público');
    await page.getByRole('button', { name: 'Agregar día no laborable' }).click();
    await expectText(page.locator('.notice-success'), /es ahora un día no laborable/, 'día agregado');
    await expectText(page.locator(`tr[data-date="${friday}"]`), /sector público/, 'día en la lista');
    await shot(page, 'calendario-admin');
    await page.locator(`tr[data-date="${friday}"]`).getByRole('button', { name: /Quitar/ }).click();
    await expectText(page.locator('.notice-success'), /vuelve a ser día hábil/, 'día quitado');
    await expectCount(page.locator(`tr[data-date="${friday}"]`), 0, 'el día sale de la lista');
  });

  /* I1-I3 and E3/E4: the upload screen, its errors, the event's table
   * of 8 days and the impact chart. */
  const limaStamp = (offsetMinutes) => new Date(Date.now() - 5 * 3600e3 + offsetMinutes * 60e3)
    .toISOString().slice(0, 19).replace('T', ' ');
  /* The event's window (2 h to 1 h ago) and its rows must lie in one Lima
   * day: a window across midnight reads two days, and a day without rows
   * then shows the next one's (0, not "sin datos").  In the first hours
   * after Lima's midnight both move back to the evening before. */
  const limaMinute = Math.floor(((Date.now() - 5 * 3600e3) % 86400e3) / 60e3);
  const dayShift = limaMinute < 150 ? -(limaMinute + 10) : 0;
  test('Datos importados: CONTROL importa tipificaciones con progreso y ve las filas erróneas', async (page) => {
    /* a point of its own: no other scenario leaves events open there */
    await data.admin.ok('POST', '/points', { code: 'CAC-DATOS-01', name: 'CAC Datos', type: 'CAC', region: 'Lima' }, 201);
    await data.admin.ok('POST', '/users', {
      username: 'jefe.datos', password: PASSWORD, name: 'Lucía Datos', email: 'lucia.datos@example.pe',
      roles: ['JEFE'], points: ['CAC-DATOS-01'],
    }, 201);
    await login(page, base, 'control');
    await page.locator('#app-nav').getByRole('link', { name: 'Datos importados' }).click();
    await page.getByRole('heading', { name: 'Importar un archivo' }).waitFor();
    const bad = `fecha_hora,punto,tipo_tramite\n${limaStamp(-90)},NO-EXISTE,BAJAS\n${limaStamp(-90)},CAC-DATOS-01,PAGO\n`;
    await page.getByLabel('Archivo CSV (o .gz)').setInputFiles({ name: 'malo.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Importar' }).click();
    await expectText(page.locator('#import-error-lines tbody tr').first(), /^2Punto desconocido/, 'primera fila errónea');
    await expectText(page.locator('#import-error-lines tbody tr').nth(1), /^3tipo_tramite desconocido/, 'segunda fila errónea');
    await shot(page, 'importacion-rechazada');
    /* day k before today holds k rows in the event's window, today 3;
     * day 3 has no data at all */
    const rows = ['fecha_hora;punto;tipo_tramite'];
    for (const k of [0, 1, 2, 4, 5, 6, 7]) {
      const n = k === 0 ? 3 : k;
      for (let i = 0; i < n; i++) rows.push(`${limaStamp(dayShift - 90 + i - k * 1440)};CAC-DATOS-01;BAJAS`);
    }
    await page.getByLabel('Archivo CSV (o .gz)').setInputFiles({ name: 'bueno.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\r\n')}\r\n`) });
    await page.getByRole('button', { name: 'Importar' }).click();
    await expectText(page.locator('#import-result'), /Importación \d+ registrada: 28 filas/, 'importación aceptada');
    await page.locator('#import-progress[value="100"]').waitFor({ state: 'attached' });
    /* who imported it, by name (issue 11) */
    await expectText(page.locator('#imports-table tbody tr').first(), /Tipificaciones.*Ana Control.*28/, 'lista de importaciones');
    await shot(page, 'importacion-aceptada');
  });

  test('Datos importados: el evento muestra E3/E4 de 8 días y el gráfico de impacto', async (page) => {
    const jefe = await data.anon.login('jefe.datos', PASSWORD);
    const ev = await jefe.ok('POST', '/events', {
      point: 'CAC-DATOS-01', procedure: 'BAJAS', requests: ['BAJA_SERVICIO'], applications: ['SIAC_UNICO'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'CORTE_LUZ', started_at: limaNow(dayShift - 120), attest_total: true,
    }, 201);
    await jefe.ok('POST', `/events/${ev.id}/close`, { ended_at: limaNow(dayShift - 60), closure_reason: 'SIN_FLUIDO_ELECTRICO' }, 200);
    await login(page, base, 'control');
    await page.goto(`${base}/#/eventos/${ev.number}`);
    const table = page.locator('table.impact');
    await table.waitFor();
    const e3 = async (i) => (await table.locator(`tr[data-day="${i}"] td`).first().textContent()).trim();
    const want = ['7', '6', '5', '4', 'sin datos', '2', '1', '3'];
    for (let i = 0; i < 8; i++) assert(await e3(i) === want[i], `E3 día ${i}: ${await e3(i)} (esperado ${want[i]})`);
    await expectText(table.locator('tr.summary').first(), /4,17/, 'media de 6 días con datos');
    await expectText(table.locator('tr.summary').nth(1), /-28 %/, 'variación');
    const img = page.locator('figure.impact-chart img');
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const i = document.querySelector('figure.impact-chart img');
      return i && i.complete && i.naturalWidth > 0;
    });
    await shot(page, 'evento-impacto');
  });

  test('Reclamo público en un teléfono: errores junto al campo, documento, código y fecha', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/reclamos`);
    await page.getByRole('heading', { name: 'Presentar un reclamo' }).waitFor();
    await page.getByText('no suspende la obligación de pagar').first().waitFor();
    await page.getByLabel('Materia del reclamo').locator('option[value=CALIDAD]').waitFor({ state: 'attached' });
    /* nothing filled: each error next to its field, focus on the first */
    await page.getByRole('button', { name: 'Enviar reclamo' }).click();
    await page.locator('[data-field=customer_name] .field-error').waitFor();
    await page.locator('[data-field=email] .field-error').waitFor();
    await expectState('el foco va al primer campo con error',
      () => page.getByLabel('Nombre completo').evaluate((e) => e === document.activeElement));
    await poll('correo con aria-invalid', () => page.getByLabel('Correo electrónico').getAttribute('aria-invalid'), (v) => v === 'true');
    await page.getByLabel('Nombre completo').fill('Lucía Ñahui Torres');
    await page.getByLabel('Tipo de documento').selectOption('DNI');
    await page.getByLabel('Número de documento').fill('1234567');
    await page.getByLabel('Correo electrónico').fill('lucia.nahui@cliente.pe');
    await page.getByLabel('Teléfono (opcional)').fill('987 654 321');
    await page.getByLabel('Línea o servicio reclamado').fill('Línea 987654321');
    await page.getByLabel('Materia del reclamo').selectOption('CALIDAD');
    await page.getByLabel('Descripción').fill('No tengo señal en casa desde el lunes.');
    await page.getByLabel('Documentos (opcional)').setInputFiles({
      name: 'recibo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% e2e\n%%EOF\n'),
    });
    /* the server names the field: DNI of 7 digits */
    await page.getByRole('button', { name: 'Enviar reclamo' }).click();
    await expectText(page.locator('[data-field=document] .field-error'), /8 dígitos/, 'error del DNI');
    await page.getByLabel('Número de documento').fill('12345678');
    await poll('sin desplazamiento horizontal en el teléfono (px de más)',
      () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), (px) => px <= 0);
    await shot(page, 'reclamo-publico-telefono');
    await page.getByRole('button', { name: 'Enviar reclamo' }).click();
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    const code = await poll('código del reclamo', async () => (await receipt.locator('[data-code]').getAttribute('data-code')) || '',
      (c) => /^REC-\d{4}-\d{7}$/.test(c));
    await expectText(page.locator('#due-date'), /^\d{2}\/\d{2}\/\d{4}$/, 'fecha máxima de respuesta');
    await expectState('el foco va al comprobante', () => receipt.evaluate((e) => e === document.activeElement));
    await expectText(receipt, /lucia\.nahui@cliente\.pe/, 'correo del comprobante');
    await shot(page, 'reclamo-publico-registrado');
    state.complaintCode = code;
  });

  test('RECLAMOS: bandeja, reclamo con su documento y transiciones hasta resuelto', async (page) => {
    await login(page, base, 'reclamos');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Reclamos' }).click();
    await page.getByRole('heading', { name: 'Bandeja de reclamos' }).waitFor();
    const row = page.locator(`tr[data-code="${state.complaintCode}"]`);
    await row.waitFor();
    await expectText(row, /Recibido/, 'estado en la bandeja');
    await shot(page, 'reclamos-bandeja');
    /* filters live in the address */
    /* the old tray stays until the filtered one is drawn: wait for a new screen */
    await newScreen(page, () => page.getByLabel('Estado').selectOption('RESUELTO'));
    await page.waitForURL(/status=RESUELTO/);
    await page.locator('p.empty, table.data').first().waitFor();
    assert(await page.locator(`tr[data-code="${state.complaintCode}"]`).count() === 0, 'filtro por estado');
    await newScreen(page, () => page.getByLabel('Estado').selectOption(''));
    await page.waitForURL((u) => !/status=/.test(u.toString()));
    await row.getByRole('link', { name: state.complaintCode }).click();
    await page.getByRole('heading', { name: `Reclamo ${state.complaintCode}` }).waitFor();
    await expectText(page.locator('section[aria-labelledby=data-title]'), /Lucía Ñahui Torres/, 'datos del cliente');
    const link = page.getByRole('link', { name: 'recibo.pdf' });
    const got = await page.request.get(new URL(await link.getAttribute('href'), base).toString());
    assert(got.status() === 200, `descarga del documento: ${got.status()}`);
    assert((await got.body()).toString().startsWith('%PDF-1.4'), 'el documento descargado no es el enviado');
    await page.getByRole('button', { name: 'Pasar a En proceso' }).click();
    await expectText(page.locator('.notice-success'), /En proceso/, 'aviso de en proceso');
    await page.getByLabel('Respuesta al cliente').fill('Se restableció la señal en su zona.');
    await page.getByRole('button', { name: 'Marcar como resuelto' }).click();
    await expectText(page.locator('.notice-success'), /Resuelto/, 'aviso de resuelto');
    /* who moved it, by name (issue 11) */
    await expectText(page.locator('section[aria-labelledby=hist-title]'), /Resuelto \(Mesa de Reclamos\): Se restableció/, 'historial');
    await expectCount(page.getByRole('button', { name: 'Marcar como resuelto' }), 0, 'ya no ofrece resolver');
    assert(!/\b(null|undefined)\b/.test(await page.locator('.view-body').textContent()), 'texto null/undefined en la página');
    await shot(page, 'reclamo-resuelto');
    /* the tray on a phone */
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/reclamos`);
    await page.locator(`tr[data-code="${state.complaintCode}"]`).waitFor();
    await poll('sin desplazamiento horizontal en la bandeja (px de más)',
      () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), (px) => px <= 0);
    await shot(page, 'reclamos-bandeja-telefono');
  });

  test('E1 para todo evento: un evento no previsto dentro de una falla masiva, en la bandeja de Procesos y en el evento', async (page) => {
    const fallas = await data.anon.login('fallas', PASSWORD);
    const sur = await data.anon.login('jefe.sur', PASSWORD);
    const control = await data.anon.login('control', PASSWORD);
    const mf = await fallas.ok('POST', '/mass-failures', {
      applications: ['SGA'], started_at: limaNow(-90), cause: 'INCONVENIENTE_CONECTIVIDAD',
      description: 'SGA sin conexión en todo el país',
    }, 201);
    const ev = await sur.ok('POST', '/events', {
      point: 'ACD-TRUJ-02', procedure: 'RECLAMOS', requests: ['RECLAMO'], applications: ['SGA'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'CORTE_LUZ', started_at: limaNow(-30), attest_total: true,
    }, 201);
    await control.ok('POST', `/events/${ev.id}/processes-request`, {}, 201);
    try {
      await login(page, base, 'procesos');
      await page.locator('#app-nav').getByRole('link', { name: 'Procesos' }).click();
      const row = page.locator(`tr[data-event="${ev.number}"]`);
      await expectText(row.locator('[data-e1]'), new RegExp(`Dentro de horario de falla masiva.*Falla masiva N.º ${mf.id}`), 'E1 en la bandeja');
      await shot(page, 'procesos-e1');
      await row.locator('a.event-number').click();
      await expectText(page.locator('#checks-title-panel [data-e1]'), new RegExp(`Dentro de horario de falla masiva.*Falla masiva N.º ${mf.id}`), 'E1 en el evento');
    } finally {
      const soporte = await data.anon.login('soporte', PASSWORD);
      await soporte.ok('POST', `/mass-failures/${mf.id}/close`, { ended_at: limaNow(), closure_reason: 'INCONVENIENTE_CONECTIVIDAD' }, 200);
    }
  });

  test('C1: Soporte, en su revisión diaria, cierra desde el monitoreo un evento no previsto y uno por error', async (page) => {
    const sur = await data.anon.login('jefe.sur', PASSWORD);
    const open = async (procedure, request) => sur.ok('POST', '/events', {
      point: 'ACD-TRUJ-02', procedure, requests: [request], applications: ['SIAC_UNICO'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'CORTE_LUZ', started_at: limaNow(-45), attest_total: true,
    }, 201);
    const power = await open('ALTAS', 'PORTABILIDAD');
    const mistake = await open('BAJAS', 'BAJA_SERVICIO');
    await login(page, base, 'soporte');
    await page.locator('#app-nav').getByRole('link', { name: 'Monitoreo' }).click();
    const close = async (ev, reason, justification) => {
      const row = page.locator(`tr[data-event="${ev.number}"]`);
      await row.locator('[data-testid=close-event] summary').click();
      await row.locator(`input[name=closure_reason][value=${reason}]`).check();
      if (justification) await row.locator('textarea[name=justification]').fill(justification);
      await row.getByRole('button', { name: 'Cerrar evento' }).click();
      await expectText(page.locator('.notice-success'), new RegExp(`Evento ${ev.number} cerrado`), `cierre de ${ev.number}`);
    };
    await close(power, 'SIN_FLUIDO_ELECTRICO');
    await shot(page, 'monitoreo-cierre-soporte');
    await close(mistake, 'ERROR_USUARIO', 'Registro de prueba hecho por error en el punto');
    await expectCount(page.locator(`tr[data-event="${power.number}"], tr[data-event="${mistake.number}"]`), 0, 'los eventos cerrados salen del monitoreo');
    const got = await sur.ok('GET', `/events/${mistake.id}`, undefined, 200);
    assert(got.closure_reason === 'ERROR_USUARIO' && got.status === 'CLOSED', `cierre por error: ${JSON.stringify(got)}`);
  });

  test('Sección 4: Soporte agrega, renombra y retira un motivo de ocurrencia; el retirado ya no se ofrece', async (page) => {
    await login(page, base, 'soporte');
    await page.locator('#app-nav').getByRole('link', { name: 'Motivos' }).click();
    await page.getByLabel('Tipo de motivo').selectOption('causes');
    await page.getByLabel('Escenario').selectOption('EVENTO_NO_PREVISTO');
    const add = page.locator('form[aria-labelledby=cat-add-title]');
    await add.getByLabel('Código').fill('CAIDA_ENLACE');
    await add.locator('input[name=name]').fill('Caída del enlace');
    await page.getByRole('button', { name: 'Agregar motivo' }).click();
    await expectText(page.locator('.notice-success'), /Motivo «Caída del enlace» \(CAIDA_ENLACE\) agregado/, 'motivo agregado');
    const row = page.locator('[data-scenario=EVENTO_NO_PREVISTO] table[data-kind=causes] tr[data-code=CAIDA_ENLACE]');
    await row.getByLabel('Nombre de CAIDA_ENLACE').fill('Caída del enlace del punto');
    await row.getByRole('button', { name: 'Guardar nombre' }).click();
    await expectText(page.locator('.notice-success'), /CAIDA_ENLACE renombrado/, 'motivo renombrado');
    await page.locator('[data-scenario=EVENTO_NO_PREVISTO] table[data-kind=causes] tr[data-code=CAIDA_ENLACE]').getByRole('button', { name: 'Retirar' }).click();
    await expectText(page.locator('[data-scenario=EVENTO_NO_PREVISTO] tr[data-code=CAIDA_ENLACE]'), /Retirado/, 'motivo retirado');
    await shot(page, 'motivos');
    const cat = await (await data.anon.login('jefe.lima', PASSWORD)).ok('GET', '/catalog', undefined, 200);
    const sc = cat.scenarios.find((s) => s.code === 'EVENTO_NO_PREVISTO');
    assert(sc.causes.some((c) => c.code === 'CAIDA_ENLACE' && c.active === false && c.name === 'Caída del enlace del punto'), 'motivo retirado en el catálogo');
    /* the registration form no longer offers it */
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await login(page, base, 'jefe.lima');
    await page.goto(`${base}/#/registrar`);
    await page.locator('input[name=scenario][value=EVENTO_NO_PREVISTO]').check();
    await page.getByLabel('Motivo de ocurrencia').locator('option[value=CORTE_LUZ]').waitFor({ state: 'attached' });
    assert(await page.getByLabel('Motivo de ocurrencia').locator('option[value=CAIDA_ENLACE]').count() === 0, 'el motivo retirado se sigue ofreciendo');
  });

  test('K2: un formato manual más antiguo que el plazo lo regulariza Control con un sustento', async (page) => {
    const form = await data.admin.ok('POST', '/manual-forms', { point: 'ACD-TRUJ-02' }, 201);
    await login(page, base, 'control');
    await page.goto(`${base}/#/formatos`);
    await page.locator(`tr[data-serial="${form.serial}"]`).getByRole('link', { name: 'Regularizar' }).click();
    await page.getByRole('heading', { name: 'Regularizar formato manual' }).waitFor();
    await fillRegistration(page, { procedure: 'CONSULTAS', requests: ['REPOSICION_CHIP'], applications: ['SIAC_UNICO'] });
    await page.locator('input[name=started_at]').fill(limaNow(-50 * 1440).slice(0, 16));
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    await expectText(page.locator('[data-field=late_justification] .field-error'), /al menos 10 caracteres/, 'falta el sustento');
    await page.locator('textarea[name=late_justification]').fill('El formato llegó por valija desde Trujillo 50 días después');
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    await expectText(page.locator('[data-testid=regularised]'), /regularizado 50 d/, 'formato regularizado por Control');
    await shot(page, 'k2-control-regulariza');
  });

  test('K2: el plazo del jefe para regularizar es el configurado (45 días); uno más antiguo lo remite a Control', async (page) => {
    const form = await data.admin.ok('POST', '/manual-forms', { point: 'CAC-AREQ-01' }, 201);
    await login(page, base, 'jefe.sur');
    await page.goto(`${base}/#/formatos`);
    await expectText(page.locator('[data-testid=manual-window]'), new RegExp(`hasta ${MANUAL_MAX_AGE_DAYS} días`), 'plazo en Formatos manuales');
    await page.locator(`tr[data-serial="${form.serial}"]`).getByRole('link', { name: 'Regularizar' }).click();
    await page.getByRole('heading', { name: 'Regularizar formato manual' }).waitFor();
    /* the date picker stops at the configured window, not at 30 days */
    const started = page.locator('input[name=started_at]');
    const min = await poll('mínimo del selector de fecha', () => started.getAttribute('min'), (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v || ''));
    const minMs = Date.parse(`${min}:00-05:00`);
    const want = Date.now() - MANUAL_MAX_AGE_DAYS * 86400e3;
    assert(Math.abs(minMs - want) < 15 * 60e3, `el selector empieza el ${min}, no ${MANUAL_MAX_AGE_DAYS} días atrás`);
    await expectText(page.locator('[data-field=started_at]'), new RegExp(`hasta ${MANUAL_MAX_AGE_DAYS} días atrás`), 'plazo junto a la fecha');
    await fillRegistration(page, { procedure: 'ALTAS', requests: ['PORTABILIDAD'], applications: ['SISACT'] });
    /* past the window: directed to Control's regularisation with a justification */
    await started.fill(limaNow(-(MANUAL_MAX_AGE_DAYS + 5) * 1440).slice(0, 16));
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    await expectText(page.locator('[data-field=started_at] .field-error'),
      new RegExp(`más de ${MANUAL_MAX_AGE_DAYS} días: lo regulariza Control e Información con un sustento`), 'remite a Control');
    await shot(page, 'k2-jefe-fuera-de-plazo');
    /* within the configured window (though past the default 30 days) the JEFE regularises it */
    await started.fill(limaNow(-40 * 1440).slice(0, 16));
    await page.getByRole('button', { name: 'Registrar inoperatividad' }).click();
    await expectText(page.locator('[data-testid=regularised]'), /regularizado 40 d/, 'formato de 40 días regularizado por el jefe');
    await shot(page, 'k2-jefe-40-dias');
  });

  test('Ingreso: una carga nueva de la página de ingreso no deja errores en la consola', async (page) => {
    /* A browser that never logged in: the origin's storage is cleared
     * before any page of it loads (the browser keeps the last test's
     * token; cleared from a loaded `/`, the app was already asking the
     * server with it, and under load its 401 arrived after the listener
     * below was attached). */
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(base).origin, storageTypes: 'local_storage' });
    await cdp.detach();
    const errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Ingresar a Inop' }).waitFor();
    await page.getByLabel('Usuario').waitFor();
    assert(errors.length === 0, `errores en la consola: ${errors.join(' | ')}`);
    /* logged in, a reload keeps the session */
    await login(page, base, 'jefe.lima');
    await page.reload();
    await page.locator('#user-box:not([hidden])').waitFor();
  });

  test('Un JEFE ve los pasos pendientes de Control como de Control; nombres de personas; documento de transacciones críticas', async (page) => {
    const sur = await data.anon.login('jefe.sur', PASSWORD);
    const closed = await sur.ok('GET', '/events?point=CAC-AREQ-01&status=CLOSED&limit=50', undefined, 200);
    const ev = closed.items[closed.items.length - 1];
    await login(page, base, 'jefe.sur');
    await page.goto(`${base}/#/eventos/${ev.number}`);
    const ruling = page.locator('tr[data-check=PROCESOS_RULING]');
    await expectText(ruling, /Pendiente de Control/, 'paso de Control');
    assert(!/No cumple/.test(await ruling.textContent()), 'el paso de Control se muestra como «No cumple» al JEFE');
    await expectText(ruling, /Paso a cargo de Control e Información/, 'detalle del paso de Control');
    /* names, not usernames, in the history */
    await expectText(page.locator('section', { has: page.locator('h2', { hasText: 'Historial' }) }).locator('tbody'), /Carlos Mamani/, 'nombre en el historial');
    /* the operator's document from the critical-transactions section */
    const doc = page.locator('[data-testid=critical-doc]');
    await expectText(doc, /Atención de Transacciones Críticas/, 'enlace al documento');
    assert(await doc.getAttribute('href') === CRITICAL_DOC, 'el enlace no apunta al documento configurado');
    await shot(page, 'jefe-evento-cerrado-control');
  });

  test('Nombres de personas, no usuarios: registrado y cerrado por, dictamen de Procesos, referencia crítica y alertas', async (page, context) => {
    await data.admin.ok('POST', '/points', { code: 'CAC-PIURA-01', name: 'CAC Piura Centro', type: 'CAC', region: 'Piura' }, 201);
    await data.admin.ok('POST', '/users', {
      username: 'jefe.piura', password: PASSWORD, name: 'Lucía Torres', email: 'lucia.torres@example.pe',
      roles: ['JEFE'], points: ['CAC-PIURA-01'],
    }, 201);
    const jefe = await data.anon.login('jefe.piura', PASSWORD);
    const ev = await jefe.ok('POST', '/events', {
      point: 'CAC-PIURA-01', procedure: 'RECLAMOS', requests: ['RECLAMO'], applications: ['WEB_ASESOR_RECLAMOS'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'CORTE_LUZ', started_at: limaNow(-60), attest_total: true,
    }, 201);
    const tx = await jefe.ok('POST', `/events/${ev.id}/critical`, {
      type: 'RECLAMO_APELACION_QUEJA', customer_ref: 'DNI 40999888', attended_at: limaNow(-50), how: 'Reclamo en el formato físico',
    }, 201);
    await jefe.ok('POST', `/events/${ev.id}/critical/${tx.id}/reference`, { system_ref: 'REC-2026-0000777' }, 200);
    const soporte = await data.anon.login('soporte', PASSWORD);
    await soporte.ok('POST', `/events/${ev.id}/close`, { ended_at: limaNow(-10), closure_reason: 'SIN_FLUIDO_ELECTRICO' }, 200);
    const control = await data.anon.login('control', PASSWORD);
    await control.ok('POST', `/events/${ev.id}/processes-request`, {}, 201);
    const procesos = await data.anon.login('procesos', PASSWORD);
    await procesos.ok('POST', `/events/${ev.id}/processes-ruling`, { ruling: 'PROCEDE', reason: 'Corte de luz del punto' }, 200);
    const alert = await jefe.ok('POST', '/mass-failure-alerts', {
      point: 'CAC-PIURA-01', applications: ['SGA'], observed_at: limaNow(-5), description: 'SGA no carga en ninguna PC',
    }, 201);
    const fallas = await data.anon.login('fallas', PASSWORD);
    await fallas.ok('POST', `/mass-failure-alerts/${alert.id}/discard`, { reason: 'Falla de la red del punto' }, 200);

    await login(page, base, 'control');
    await page.goto(`${base}/#/eventos/${ev.number}`);
    await expectText(page.locator('[data-testid=registered-by]'), /^Lucía Torres$/, 'registrado por (nombre)');
    await expectText(page.locator('[data-testid=closed-by]'), /^Mesa de Soporte$/, 'cerrado por (nombre)');
    await expectText(page.locator('[data-testid=requested-by]'), /^Ana Control$/, 'dictamen solicitado por (nombre)');
    await expectText(page.locator('[data-testid=processes-clock]'), /Respondida el .* por Marcelo Linares/, 'dictamen por (nombre)');
    await expectText(page.locator('[data-testid=system-ref-by]'), /^Lucía Torres, /, 'referencia crítica por (nombre)');
    await expectText(page.locator('tr[data-check=REGISTERED_BY_JEFE]'), /Registrado por Lucía Torres \(jefe\.piura\), jefe asignado/, 'control del registro');
    await expectText(page.locator('#hist-title').locator('..').locator('tbody'), /Cerrado por: Mesa de Soporte/, 'cierre en el historial');
    const shown = await page.locator('section[aria-labelledby=data-title]').textContent();
    assert(!/jefe\.piura|\bsoporte\b/.test(shown), `usuarios en los datos del evento: ${shown}`);
    await shot(page, 'evento-nombres');

    await context.clearCookies();
    await login(page, base, 'jefe.piura');
    await page.locator('#app-nav').getByRole('link', { name: 'Fallas masivas' }).click();
    const mine = page.locator('section[aria-labelledby=mine-title] li', { hasText: `Alerta N.º ${alert.id}` });
    await expectText(mine, /CAC Piura Centro \(CAC-PIURA-01\), por Lucía Torres/, 'alerta enviada por (nombre)');
    await expectText(mine.locator('[data-testid=alert-decided]'), /descartada por Fallas de Sistemas y Plataforma el /, 'alerta descartada por (nombre)');
    await shot(page, 'alertas-nombres');
  });

  test('Sección 4: un motivo de cierre sirve en varios escenarios; quitado de uno, deja de ofrecerse allí', async (page) => {
    await data.admin.ok('POST', '/points', { code: 'CAC-CUSCO-01', name: 'CAC Cusco Plaza', type: 'CAC', region: 'Cusco' }, 201);
    await data.admin.ok('POST', '/users', {
      username: 'jefe.cusco', password: PASSWORD, name: 'Jorge Huamán', email: 'jorge.huaman@example.pe',
      roles: ['JEFE'], points: ['CAC-CUSCO-01'],
    }, 201);
    const jefe = await data.anon.login('jefe.cusco', PASSWORD);
    const ev = await jefe.ok('POST', '/events', {
      point: 'CAC-CUSCO-01', procedure: 'CONSULTAS', requests: ['REPOSICION_CHIP'], applications: ['SIAC_UNICO'],
      scenario: 'EVENTO_NO_PREVISTO', cause: 'INFRAESTRUCTURA', started_at: limaNow(-30), attest_total: true,
    }, 201);
    await login(page, base, 'soporte');
    await page.locator('#app-nav').getByRole('link', { name: 'Motivos' }).click();
    const add = page.locator('form[aria-labelledby=cat-add-title]');
    await add.getByLabel('Tipo de motivo').selectOption('closure-reasons');
    await expectState('el escenario único se oculta para un motivo de cierre', () => add.locator('[data-field=scenario]').isHidden());
    for (const sc of ['FALLA_MASIVA', 'EVENTO_NO_PREVISTO']) await add.locator(`input[name=scenarios][value=${sc}]`).check();
    await add.getByLabel('Código').fill('CORTE_FIBRA');
    await add.locator('input[name=name]').fill('Corte de fibra del proveedor');
    await add.getByRole('button', { name: 'Agregar motivo' }).click();
    await expectText(page.locator('.notice-success'), /Motivo «Corte de fibra del proveedor» \(CORTE_FIBRA\) agregado/, 'motivo de cierre agregado');
    for (const sc of ['FALLA_MASIVA', 'EVENTO_NO_PREVISTO']) {
      await expectText(page.locator(`[data-scenario=${sc}] [data-testid=scenario-reasons]`), /Corte de fibra del proveedor/, `permitido en ${sc}`);
    }
    assert(!/Corte de fibra/.test(await page.locator('[data-scenario=PRUEBA] [data-testid=scenario-reasons]').textContent()), 'permitido en PRUEBA');
    const row = page.locator('table[data-kind=closure-reasons] tr[data-code=CORTE_FIBRA]');
    await expectState('marcado en Evento no previsto', () => row.locator('input[name=scenarios][value=EVENTO_NO_PREVISTO]').isChecked());
    await shot(page, 'motivo-cierre-varios-escenarios');
    /* offered when closing an unforeseen event */
    await page.goto(`${base}/#/eventos/${ev.number}`);
    await expectCount(page.locator('input[name=closure_reason][value=CORTE_FIBRA]'), 1, 'se ofrece en el evento no previsto');
    /* taken out of EVENTO_NO_PREVISTO */
    await page.goto(`${base}/#/admin/motivos`);
    await row.locator('input[name=scenarios][value=EVENTO_NO_PREVISTO]').uncheck();
    await row.getByRole('button', { name: 'Guardar escenarios' }).click();
    await expectText(page.locator('.notice-success'), /Motivo CORTE_FIBRA: se puede elegir en Falla masiva\./, 'escenarios guardados');
    await expectText(page.locator('[data-scenario=EVENTO_NO_PREVISTO] [data-testid=scenario-reasons]'), /^(?!.*Corte de fibra)/, 'ya no permitido en Evento no previsto');
    await expectText(page.locator('[data-scenario=FALLA_MASIVA] [data-testid=scenario-reasons]'), /Corte de fibra del proveedor/, 'sigue en Falla masiva');
    await page.goto(`${base}/#/eventos/${ev.number}`);
    await expectCount(page.locator('input[name=closure_reason][value=SIN_FLUIDO_ELECTRICO]'), 1, 'formulario de cierre');
    await expectCount(page.locator('input[name=closure_reason][value=CORTE_FIBRA]'), 0, 'ya no se ofrece en el evento no previsto');
  });

  test('Cerrar sesión vuelve al ingreso', async (page) => {
    await login(page, base, 'jefe.lima');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await expectText(page.locator('.login-panel'), /Cerró su sesión/, 'aviso de cierre de sesión');
    await page.reload();
    await page.getByRole('heading', { name: 'Ingresar a Inop' }).waitFor();
    await expectState('navegación oculta sin sesión', () => page.locator('#app-nav').isHidden());
  });
}

/* ---------- main ---------- */

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(args.inop)) {
    console.error(`e2e: no such program: ${args.inop}`);
    process.exit(2);
  }
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inop-e2e-'));
  let server = null;
  let browser = null;
  let failed = 0;
  let ran = 0;
  try {
    server = await startServer(args.inop, tmp);
    console.log(`e2e: inop serve at ${server.base} (data in ${tmp})`);
    const data = await setUpData(server.base);
    defineTests(server.base, data);
    browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      locale: 'es-PE',
      timezoneId: 'Asia/Tokyo', /* not Lima: the UI must not depend on the browser's zone */
      viewport: { width: 1280, height: 900 },
    });
    browser.setDefaultTimeout(WAIT_MS);
    for (const t of tests) {
      if (args.only && !t.name.toLowerCase().includes(args.only.toLowerCase())) continue;
      ran += 1;
      const problems = [];
      await browser.clearCookies();
      const page = await newPage(browser, problems);
      const started = Date.now();
      try {
        await t.fn(page, browser);
        if (problems.length) throw new Error(problems.join('\n'));
        console.log(`PASS  ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (err) {
        failed += 1;
        console.log(`FAIL  ${t.name}\n      ${String(err && err.stack || err).split('\n').slice(0, 6).join('\n      ')}`);
        if (problems.length) console.log(`      ${problems.join('\n      ')}`);
        const slug = t.name.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
        await page.screenshot({ path: path.join(ARTIFACTS, `FAIL-${slug}.png`), fullPage: true }).catch(() => {});
      } finally {
        await page.close().catch(() => {});
      }
    }
  } catch (err) {
    failed += 1;
    console.log(`FAIL  set-up: ${err && err.stack || err}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    const stop = await stopServer(server);
    if (server && stop && stop.code !== 0) {
      failed += 1;
      console.log(`FAIL  inop serve did not exit 0 on SIGTERM: ${JSON.stringify(stop)}`);
    }
    if (failed && fs.existsSync(path.join(tmp, 'serve.log'))) {
      const log = fs.readFileSync(path.join(tmp, 'serve.log'), 'utf8').split('\n').slice(-30).join('\n');
      console.log(`--- last lines of serve.log ---\n${log}`);
    }
    if (!args.keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`e2e: ${ran - Math.min(failed, ran)} of ${ran} passed${failed ? `, ${failed} failure(s)` : ''}; screenshots in ${path.relative(process.cwd(), ARTIFACTS) || ARTIFACTS}`);
  process.exit(failed ? 1 : 0);
}

main();
