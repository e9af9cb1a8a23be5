/*
 * The login form, used by the login screen and by the "session ended"
 * dialog.  401 and 429 (too many attempts) are shown at the top of the
 * form; the username stays typed.
 */
import { login } from '../session.js';
import { h, field, submitting } from '../ui.js';

export function loginForm({ username = '', onSuccess }) {
  const user = h('input', {
    name: 'username', type: 'text', autocomplete: 'username', value: username,
    autocapitalize: 'none', spellcheck: 'false', required: true,
  });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'form login-form', novalidate: true },
    field('username', 'Usuario', user),
    field('password', 'Contraseña', pass),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Ingresar')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const u = await submitting(form, () => login(user.value.trim(), pass.value), { busyLabel: 'Ingresando…' });
    if (u) {
      pass.value = '';
      onSuccess(u);
    }
  });
  return form;
}
