/*
 * Section 4 upkeep: SOPORTE ("definir los motivos de ocurrencia") and
 * ADMIN add, rename and retire the causes and closure reasons of each
 * scenario.  Codes never change and nothing is deleted: a retired entry
 * stays on old events and is no longer offered on new ones.
 */
import { api } from '../api.js';
import { loadCatalog } from '../catalog.js';
import { h, field, submitting, setFlash, button } from '../ui.js';

const KINDS = { causes: 'Motivo de ocurrencia', 'closure-reasons': 'Motivo de cierre' };

export async function render(view, ctx) {
  const cat = await loadCatalog();
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Motivos de ocurrencia y de cierre')),
    h('p', { class: 'lead' }, 'Agregue, renombre o retire motivos. Los códigos no cambian y nada se borra: un motivo retirado se conserva en los eventos que ya lo usan y deja de ofrecerse en los nuevos. Cada cambio queda en la auditoría.'),
    addForm(cat, ctx),
    ...cat.scenarios.map((sc) => scenarioPanel(sc, cat, ctx)));
}

function option(value, label) {
  return h('option', { value }, label);
}

function addForm(cat, ctx) {
  const kind = h('select', { name: 'kind' }, Object.entries(KINDS).map(([v, l]) => option(v, l)));
  const scenario = h('select', { name: 'scenario' }, cat.scenarios.map((s) => option(s.code, s.name)));
  const code = h('input', { type: 'text', name: 'code', maxlength: 47, autocomplete: 'off', pattern: '[A-Z0-9_]+' });
  const name = h('input', { type: 'text', name: 'name', maxlength: 120, autocomplete: 'off' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'cat-add-title' },
    h('h2', { id: 'cat-add-title' }, 'Agregar un motivo'),
    h('div', { class: 'cols-2' },
      field('kind', 'Tipo de motivo', kind, { required: true }),
      field('scenario', 'Escenario', scenario, { required: true }),
      field('code', 'Código', code, { required: true, hint: 'Mayúsculas, dígitos y guiones bajos, p. ej. CAIDA_ENLACE. No se puede cambiar después.' }),
      field('name', 'Nombre', name, { required: true, hint: 'Como lo verán los usuarios y el reporte.' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Agregar motivo')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const done = await submitting(form, () => api.post(`/catalog/${kind.value}`, {
      code: code.value.trim(), name: name.value.trim(), scenario: scenario.value,
    }), { busyLabel: 'Agregando…' });
    if (done) {
      setFlash(`Motivo «${done.name}» (${done.code}) agregado.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel' }, form);
}

function entryRow(kind, item, ctx) {
  const input = h('input', { type: 'text', name: 'name', value: item.name, maxlength: 120, 'aria-label': `Nombre de ${item.code}` });
  const form = h('form', { class: 'form inline-ref', novalidate: true }, h('div', { class: 'field', 'data-field': 'name' }, input));
  const send = async (body, flash) => {
    const done = await submitting(form, () => api.patch(`/catalog/${kind}/${encodeURIComponent(item.code)}`, body));
    if (done) {
      setFlash(flash);
      ctx.refresh();
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ name: input.value.trim() }, `Motivo ${item.code} renombrado: «${input.value.trim()}».`);
  });
  form.append(h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'btn btn-secondary btn-small' }, 'Guardar nombre'),
    item.active === false
      ? button('Reactivar', { kind: 'secondary', onClick: () => send({ active: true }, `Motivo ${item.code} reactivado.`) })
      : button('Retirar', { kind: 'danger', onClick: () => send({ active: false }, `Motivo ${item.code} retirado: ya no se ofrece en eventos nuevos.`) })));
  return h('tr', { 'data-code': item.code, class: item.active === false ? 'row-retired' : null },
    h('td', { class: 'mono' }, item.code),
    h('td', {}, form),
    h('td', {}, item.active === false ? h('span', { class: 'badge badge-no' }, 'Retirado') : h('span', { class: 'badge badge-yes' }, 'En uso')));
}

function table(kind, title, items, ctx) {
  return [h('h3', {}, title), items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-kind': kind },
      h('thead', {}, h('tr', {}, ['Código', 'Nombre', 'Estado'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((it) => entryRow(kind, it, ctx)))))
    : h('p', { class: 'empty' }, 'Sin motivos.')];
}

function scenarioPanel(sc, cat, ctx) {
  const reasons = (sc.closure_reasons || []).map((code) => (cat.closure_reasons || []).find((r) => r.code === code) || { code, name: code, active: true });
  return h('section', { class: 'panel', 'aria-labelledby': `sc-${sc.code}`, 'data-scenario': sc.code },
    h('h2', { id: `sc-${sc.code}` }, sc.name),
    ...table('causes', 'Motivos de ocurrencia', sc.causes || [], ctx),
    ...table('closure-reasons', 'Motivos de cierre', reasons, ctx));
}
