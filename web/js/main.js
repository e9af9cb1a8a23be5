/*
 * Start-up: find out who is logged in (GET /session), show the login
 * screen or the application shell (header, navigation, screen), and the
 * dialog that logs the user in again when the session expires mid-work,
 * without leaving the current screen.
 */
import { onUnauthorized } from './api.js';
import { loadCatalog, name } from './catalog.js';
import { currentUser, logout, restoreSession } from './session.js';
import { startRouter, render } from './router.js';
import { loginForm } from './screens/login.js';
import { h, notice } from './ui.js';

const $ = (id) => document.getElementById(id);

let routerStarted = false;

function drawUserBox() {
  const user = currentUser();
  const box = $('user-box');
  const roles = user.roles.map((r) => name('role', r)).join(', ');
  box.replaceChildren(
    h('span', { class: 'user-name' }, user.name || user.username),
    h('span', { class: 'user-roles' }, roles),
    h('button', { type: 'button', class: 'btn btn-header', id: 'logout', on: { click: onLogout } }, 'Cerrar sesión'),
  );
  box.hidden = false;
  $('app-nav').hidden = false;
}

async function onLogout() {
  try {
    await logout();
  } catch {
    /* the session is gone either way */
  }
  history.replaceState(null, '', '#/');
  showLogin('Cerró su sesión.');
}

async function enterApp() {
  await loadCatalog();
  drawUserBox();
  if (routerStarted) {
    await render();
  } else {
    routerStarted = true;
    await startRouter();
  }
}

function showLogin(message) {
  $('user-box').hidden = true;
  $('user-box').replaceChildren();
  const nav = $('app-nav');
  nav.hidden = true;
  nav.replaceChildren();
  document.title = 'Ingresar · Inop';
  const main = $('main');
  const form = loginForm({
    onSuccess: () => enterApp().catch(fatal),
  });
  main.replaceChildren(h('div', { class: 'login-wrap' },
    h('section', { class: 'panel login-panel', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, 'Ingresar a Inop'),
      h('p', { class: 'lead' }, 'Registro de Inoperatividad de los aplicativos de venta y postventa (OSIPTEL).'),
      message ? notice('info', message) : null,
      form)));
  form.querySelector('input[name=username]').focus();
}

/* ---------- session expired: log in again over the current screen ---------- */

let relogin = null;

function askLoginAgain() {
  if (relogin) return relogin;
  const before = currentUser();
  relogin = new Promise((resolve) => {
    const dialog = h('dialog', { class: 'relogin', 'aria-labelledby': 'relogin-title' });
    const form = loginForm({
      username: before ? before.username : '',
      onSuccess: (user) => {
        dialog.close();
        dialog.remove();
        relogin = null;
        if (before && user.username !== before.username) {
          /* someone else: start over with their screens */
          location.reload();
          return;
        }
        resolve();
      },
    });
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    dialog.append(
      h('h2', { id: 'relogin-title' }, 'Su sesión terminó'),
      h('p', {}, 'Ingrese de nuevo para continuar. Lo que escribió en la pantalla se conserva y se enviará al ingresar.'),
      form,
      h('p', { class: 'relogin-exit' },
        h('button', { type: 'button', class: 'btn btn-link', on: { click: () => location.reload() } },
          'Salir sin guardar')),
    );
    document.body.append(dialog);
    dialog.showModal();
    form.querySelector(before ? 'input[name=password]' : 'input[name=username]').focus();
  });
  return relogin;
}

function fatal(err) {
  console.error(err); // eslint-disable-line no-console
  $('main').replaceChildren(notice('error', 'No se pudo iniciar Inop: ',
    err && err.message ? err.message : 'error inesperado', '. Recargue la página.'));
}

async function boot() {
  $('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  onUnauthorized(askLoginAgain);
  const user = await restoreSession();
  if (user) await enterApp();
  else showLogin();
}

boot().catch(fatal);
