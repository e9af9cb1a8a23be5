/*
 * Hash routing: the page is always "/", the screen is the hash
 * ("#/eventos?status=OPEN", "#/eventos/INOP-2026-000001").  The router
 * matches the hash against SCREENS, checks the roles, draws the navigation
 * and hands the screen a fresh view element and a context:
 *
 *   ctx.params   {name: value} from the route's :params (decoded)
 *   ctx.query    URLSearchParams of the hash's query
 *   ctx.user     the logged-in user {username, name, roles, points}
 *   ctx.setTitle(text)    the page title (and document.title)
 *   ctx.navigate(path, query?)   go to another screen
 *   ctx.refresh()         render the current screen again
 *   ctx.isCurrent()       false once the user has moved on (ignore late
 *                         answers)
 */
import { SCREENS } from './screens.js';
import { allowed, currentUser } from './session.js';
import { h, errorPanel, notice, takeFlash } from './ui.js';

const APP = 'Inop';

export function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = (q >= 0 ? raw.slice(0, q) : raw) || '/';
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

/* '#/eventos?status=OPEN' from ('/eventos', {status: 'OPEN'}) */
export function href(path, query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function navigate(path, query) {
  const target = href(path, query);
  if (location.hash === target) render();
  else location.hash = target;
}

function match(pattern, path) {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) {
      try {
        params[a[i].slice(1)] = decodeURIComponent(b[i]);
      } catch {
        return null;
      }
    } else if (a[i] !== b[i]) {
      return null;
    }
  }
  return params;
}

function findScreen(path) {
  for (const screen of SCREENS) {
    const params = match(screen.path, path);
    if (params) return { screen, params };
  }
  return null;
}

/* The navigation bar: the screens with a nav label the user may see. */
export function drawNav(nav, current) {
  const active = current ? (current.parent || current.path) : null;
  const items = SCREENS.filter((s) => s.nav && allowed(s.roles)).map((s) => {
    const a = h('a', { href: href(s.path) }, s.nav);
    if (s.path === active) a.setAttribute('aria-current', 'page');
    return h('li', {}, a);
  });
  nav.replaceChildren(h('ul', {}, items));
}

let seq = 0;

export async function render() {
  if (!currentUser()) return; /* the login screen is showing */
  const main = document.getElementById('main');
  const nav = document.getElementById('app-nav');
  const { path, query } = parseHash();
  const found = findScreen(path);
  const mine = ++seq;
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  drawNav(nav, found && found.screen);
  const setTitle = (text) => {
    document.title = `${text} · ${APP}`;
  };
  if (!found) {
    setTitle('No encontrado');
    view.append(h('h1', { tabindex: '-1' }, 'Pantalla no encontrada'),
      notice('warning', 'La dirección no corresponde a ninguna pantalla de Inop. ',
        h('a', { href: '#/' }, 'Ir al inicio')));
    return;
  }
  const { screen, params } = found;
  setTitle(screen.title);
  if (!allowed(screen.roles)) {
    view.append(h('h1', { tabindex: '-1' }, screen.title),
      notice('error', 'Su rol no permite usar esta pantalla. ', h('a', { href: '#/' }, 'Ir al inicio')));
    return;
  }
  view.append(h('p', { class: 'loading', role: 'status' }, 'Cargando…'));
  const ctx = {
    params, query, user: currentUser(), setTitle,
    navigate, refresh: render, isCurrent: () => mine === seq,
  };
  try {
    const mod = await screen.load();
    if (!ctx.isCurrent()) return;
    const body = h('div', { class: 'view-body' });
    await mod.render(body, ctx);
    if (!ctx.isCurrent()) return;
    view.replaceChildren(body);
    const flash = takeFlash();
    if (flash) {
      const head = body.querySelector('.page-head') || body.querySelector('h1');
      const n = notice('success', flash);
      if (head) head.after(n); else body.prepend(n);
    }
  } catch (err) {
    if (!ctx.isCurrent()) return;
    view.replaceChildren(h('h1', { tabindex: '-1' }, screen.title), errorPanel(err, {
      links: [h('a', { href: '#/' }, 'Ir al inicio')],
    }));
  }
  focusHeading(view);
}

/* Moves focus to the new screen's heading unless the screen took it. */
function focusHeading(view) {
  const active = document.activeElement;
  if (active && active !== document.body && view.contains(active)) return;
  const h1 = view.querySelector('h1');
  if (h1) {
    if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
}

/* A link to the screen already shown draws it again (e.g. a fresh form). */
function onLinkClick(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href^="#/"]');
  if (!a || a.getAttribute('href') !== (location.hash || '#/')) return;
  e.preventDefault();
  render();
}

export function startRouter() {
  window.addEventListener('hashchange', render);
  document.addEventListener('click', onLinkClick);
  return render();
}
