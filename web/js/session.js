/*
 * The logged-in user.  The session itself is the HttpOnly cookie; the UI
 * keeps only the user and the CSRF token in memory.
 *
 * The role checks here only decide what to offer on screen; the API is
 * the authority and its refusal is shown like any other error.
 */
import { api, setCsrfToken } from './api.js';
import { catalog, scenarioOf } from './catalog.js';

let user = null;

export function currentUser() {
  return user;
}

function adopt(answer) {
  setCsrfToken(answer.csrf_token);
  user = answer.user;
  return user;
}

/*
 * Whether this browser logged in and has not logged out: without it a
 * fresh load shows the login at once instead of probing GET /session,
 * whose expected 401 the browser would log as a console error.  The
 * session itself stays in its HttpOnly cookie; this is only a hint.
 */
const HINT = 'inop.session';

function hint(on) {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    /* storage disabled: the probe still works */
  }
}

function hinted() {
  try {
    return localStorage.getItem(HINT) === '1';
  } catch {
    return true;
  }
}

/* The current session's user, or null when not logged in. */
export async function restoreSession() {
  if (!hinted()) return null;
  try {
    return adopt(await api.get('/session', undefined, { noRetry: true }));
  } catch (err) {
    if (err.status === 401) {
      hint(false);
      return null;
    }
    throw err;
  }
}

export async function login(username, password) {
  const u = adopt(await api.post('/session', { username, password }, { noRetry: true }));
  hint(true);
  return u;
}

export async function logout() {
  try {
    await api.del('/session', { noRetry: true });
  } finally {
    user = null;
    setCsrfToken(null);
    hint(false);
  }
}

export function hasRole(...roles) {
  return !!user && roles.some((r) => user.roles.includes(r));
}

/* roles: '*' (anyone logged in) or a list of role codes */
export function allowed(roles) {
  return roles === '*' || hasRole(...roles);
}

export function isJefeOf(pointCode) {
  return hasRole('JEFE') && (user.points || []).includes(pointCode);
}

/* A JEFE with no other role sees only own points (as the API does). */
export function onlyJefe() {
  return !!user && user.roles.length === 1 && user.roles[0] === 'JEFE';
}

/*
 * The closure reasons this user may choose for an open event (SPEC C1, C2):
 * the point's JEFE closes unforeseen events with any of their reasons and
 * anything else as ERROR_USUARIO; SOPORTE, in its daily review, closes any
 * open event with a reason of its scenario (ERROR_USUARIO included);
 * ADMIN closes tests as ERROR_USUARIO.
 */
export function closableReasons(event) {
  const sc = scenarioOf(event.scenario);
  if (!sc || event.status !== 'OPEN') return [];
  /* a retired reason stays on old events but is not offered */
  const retired = new Set((catalog().closure_reasons || []).filter((r) => r.active === false).map((r) => r.code));
  const all = (sc.closure_reasons || []).filter((r) => !retired.has(r));
  const ok = new Set();
  const jefe = isJefeOf(event.point.code);
  for (const r of all) {
    const eu = r === 'ERROR_USUARIO';
    if (jefe && (event.scenario === 'EVENTO_NO_PREVISTO' || eu)) ok.add(r);
    if (hasRole('SOPORTE')) ok.add(r);
    if (hasRole('ADMIN') && event.scenario === 'PRUEBA' && eu) ok.add(r);
  }
  return all.filter((r) => ok.has(r));
}

/* Whether this user may add requests to an open event (R3). */
export function canAddRequests(event) {
  if (event.status !== 'OPEN') return false;
  return isJefeOf(event.point.code) || (event.scenario === 'PRUEBA' && hasRole('ADMIN'));
}
