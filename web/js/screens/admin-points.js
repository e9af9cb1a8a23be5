/* ADMIN: the points of attention (stores, distributors, call centres). */
import { api } from '../api.js';
import { catalog, name } from '../catalog.js';
import { h, field, choiceGroup, checkedValues, option, submitting, setFlash } from '../ui.js';

export async function render(view, ctx) {
  const points = (await api.get('/points')).items;
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Puntos de atención')),
    pointsTable(points),
    createForm(ctx));
}

function pointsTable(items) {
  const rows = items.map((p) => h('tr', {},
    h('td', { class: 'mono' }, p.code),
    h('td', {}, p.name),
    h('td', {}, name('pointType', p.type)),
    h('td', {}, name('channel', p.channel)),
    h('td', {}, p.lines.length ? p.lines.join(', ') : '—'),
    h('td', {}, p.region),
    h('td', {}, p.active ? 'Sí' : 'No')));
  return h('section', { class: 'panel', 'aria-labelledby': 'points-title' },
    h('h2', { id: 'points-title' }, `${items.length} puntos`),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['Código', 'Nombre', 'Tipo', 'Canal', 'Líneas', 'Región', 'Activo'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))) : h('p', { class: 'empty' }, 'Todavía no hay puntos de atención.'));
}

function createForm(ctx) {
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const pname = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const type = h('select', { name: 'type' }, option('', 'Elija el tipo…', true),
    (catalog().point_types || []).map((t) => option(t.code, `${t.name} (${t.code})`)));
  const region = h('input', { type: 'text', name: 'region', autocomplete: 'off' });
  const lines = choiceGroup('lines', 'Líneas de atención telefónica', [
    { value: '123', label: '123', disabled: true }, { value: '135', label: '135', disabled: true }],
  { hint: 'Obligatorio para un call center (123, 135 o ambas); los CAC y ACD no tienen líneas.' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'new-point-title' },
    h('h2', { id: 'new-point-title' }, 'Nuevo punto de atención'),
    h('div', { class: 'cols-2' },
      field('code', 'Código', code, { required: true, hint: 'Mayúsculas, dígitos, «-» y «_». Ej.: CAC-LIMA-01' }),
      field('name', 'Nombre', pname, { required: true }),
      field('type', 'Tipo', type, { required: true }),
      field('region', 'Región', region, { required: true })),
    lines,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Crear punto')));
  type.addEventListener('change', () => {
    const cc = type.value === 'CALL_CENTER';
    for (const i of lines.querySelectorAll('input')) {
      i.disabled = !cc;
      if (!cc) i.checked = false;
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      code: code.value.trim(), name: pname.value.trim(), type: type.value,
      region: region.value.trim(), lines: checkedValues(form, 'lines'),
    };
    const p = await submitting(form, () => api.post('/points', body), { busyLabel: 'Creando…' });
    if (p) {
      setFlash(`Punto «${p.code}» creado.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel' }, form);
}
