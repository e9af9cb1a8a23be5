/*
 * ADMIN: the users and a form to create one (roles, and for a JEFE the
 * points they answer for).  The form keeps what was typed on an error.
 */
import { api } from '../api.js';
import { name, ROLES } from '../catalog.js';
import { h, field, choice, choiceGroup, checkedValues, submitting, setFlash } from '../ui.js';

export async function render(view, ctx) {
  const [users, points] = await Promise.all([api.get('/users'), api.get('/points')]);
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Usuarios'),
      h('a', { class: 'btn btn-primary', href: '#/admin/usuarios', on: { click: (e) => { e.preventDefault(); view.querySelector('#new-user input').focus(); } } }, 'Nuevo usuario')),
    usersTable(users.items),
    createForm(points.items, ctx));
}

function usersTable(items) {
  const rows = items.map((u) => h('tr', {},
    h('td', { class: 'mono' }, u.username),
    h('td', {}, u.name),
    h('td', {}, u.email),
    h('td', {}, u.roles.map((r) => h('span', { class: 'badge badge-role', title: name('role', r) }, r))),
    h('td', {}, u.points.length ? u.points.join(', ') : h('span', { class: 'muted' }, '—')),
    h('td', {}, u.active ? 'Sí' : 'No')));
  return h('section', { class: 'panel', 'aria-labelledby': 'users-title' },
    h('h2', { id: 'users-title' }, `${items.length} usuarios`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['Usuario', 'Nombre', 'Correo', 'Roles', 'Puntos', 'Activo'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))));
}

function createForm(points, ctx) {
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const fullName = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 12 });
  const roles = choiceGroup('roles', 'Roles', ROLES.map((r) => ({ value: r, label: name('role', r), hint: r })),
    { hint: 'Un usuario puede tener varios roles. El jefe solo registra en los puntos que se le asignen.' });
  const form = h('form', { class: 'form', novalidate: true, id: 'new-user', 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'Nuevo usuario'),
    h('div', { class: 'cols-2' },
      field('username', 'Usuario', username, { required: true, hint: 'De 3 a 60 caracteres: minúsculas, dígitos, «.», «-» o «_». Ej.: jefe.lima' }),
      field('name', 'Nombre completo', fullName, { required: true }),
      field('email', 'Correo electrónico', email, { required: true, hint: 'Recibirá aquí las notificaciones.' }),
      field('password', 'Contraseña inicial', password, { required: true, hint: 'Al menos 12 caracteres.' })),
    roles,
    pointsPicker(points),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Crear usuario')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      username: username.value.trim(),
      password: password.value,
      name: fullName.value.trim(),
      email: email.value.trim(),
      roles: checkedValues(form, 'roles'),
      points: checkedValues(form, 'points'),
    };
    const user = await submitting(form, () => api.post('/users', body), { busyLabel: 'Creando…' });
    if (user) {
      setFlash(`Usuario «${user.username}» creado.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel' }, form);
}

/* Point checkboxes with a filter box (there may be hundreds of points). */
function pointsPicker(points) {
  const filter = h('input', { type: 'search', class: 'filter-box', placeholder: 'Filtrar por código, nombre o región', 'aria-label': 'Filtrar puntos' });
  const items = points.map((p) => {
    const el = choice('points', { value: p.code, label: `${p.name} (${p.code})`, hint: `${p.type} · ${p.region}` });
    el.dataset.search = `${p.code} ${p.name} ${p.region}`.toLowerCase();
    return el;
  });
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const el of items) el.hidden = q !== '' && !el.dataset.search.includes(q);
  });
  return h('fieldset', { class: 'choices', 'data-field': 'points' },
    h('legend', {}, 'Puntos de atención a cargo'),
    h('p', { class: 'hint' }, 'Para el rol Jefe: los puntos donde podrá registrar inoperatividad.'),
    points.length ? [filter, h('div', { class: 'scroll-list' }, h('div', { class: 'choice-list' }, items))]
      : h('p', { class: 'muted' }, 'Todavía no hay puntos de atención.'));
}
