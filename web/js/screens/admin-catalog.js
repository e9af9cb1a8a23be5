/*
 * Section 4 upkeep: SOPORTE ("definir los motivos de ocurrencia") and
 * ADMIN add, rename and retire the causes and closure reasons.  Codes
 * never change and nothing is deleted: a retired entry stays on old events
 * and is no longer offered on new ones.  A cause belongs to one scenario;
 * a closure reason may be allowed in several (as the operator's
 * procedure has «Error de usuario» in every scenario), and taking it out
 * of a scenario works like retiring it there.
 */
import { api } from '../api.js';
import { loadCatalog } from '../catalog.js';
import { h, field, choiceGroup, checkedValues, submitting, setFlash, button } from '../ui.js';

const KINDS = { causes: 'Motivo de ocurrencia', 'closure-reasons': 'Motivo de cierre' };

export async function render(view, ctx) {
  const cat = await loadCatalog();
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Motivos de ocurrencia y de cierre')),
    h('p', { class: 'lead' }, 'Agregue, renombre o retire motivos. Los códigos no cambian y nada se borra: un motivo retirado se conserva en los eventos que ya lo usan y deja de ofrecerse en los nuevos. Un motivo de ocurrencia pertenece a un escenario; un motivo de cierre puede servir en varios (como «Error de usuario»). Cada cambio queda en la auditoría.'),
    addForm(cat, ctx),
    ...cat.scenarios.map((sc) => scenarioPanel(sc, cat, ctx)),
    reasonsPanel(cat, ctx));
}

function option(value, label) {
  return h('option', { value }, label);
}

/* The scenarios of a closure reason, as the catalogue lists them. */
function scenariosOf(cat, code) {
  return cat.scenarios.filter((s) => (s.closure_reasons || []).includes(code)).map((s) => s.code);
}

function scenarioChoices(cat, name, checked, legend, hint) {
  return choiceGroup(name, legend, cat.scenarios.map((s) => ({ value: s.code, label: s.name, checked: checked.includes(s.code) })), { hint });
}

function addForm(cat, ctx) {
  const kind = h('select', { name: 'kind' }, Object.entries(KINDS).map(([v, l]) => option(v, l)));
  const scenario = h('select', { name: 'scenario' }, cat.scenarios.map((s) => option(s.code, s.name)));
  const code = h('input', { type: 'text', name: 'code', maxlength: 47, autocomplete: 'off', pattern: '[A-Z0-9_]+' });
  const name = h('input', { type: 'text', name: 'name', maxlength: 120, autocomplete: 'off' });
  const one = field('scenario', 'Escenario', scenario, { required: true });
  const several = scenarioChoices(cat, 'scenarios', [], 'Permitido en',
    'Marque cada escenario en el que se podrá elegir al cerrar un evento.');
  const sync = () => {
    const reason = kind.value === 'closure-reasons';
    one.hidden = reason;
    several.hidden = !reason;
  };
  kind.addEventListener('change', sync);
  sync();
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'cat-add-title' },
    h('h2', { id: 'cat-add-title' }, 'Agregar un motivo'),
    h('div', { class: 'cols-2' },
      field('kind', 'Tipo de motivo', kind, { required: true }),
      one,
      field('code', 'Código', code, { required: true, hint: 'Mayúsculas, dígitos y guiones bajos, p. ej. CAIDA_ENLACE. No se puede cambiar después.' }),
      field('name', 'Nombre', name, { required: true, hint: 'Como lo verán los usuarios y el reporte.' })),
    several,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Agregar motivo')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { code: code.value.trim(), name: name.value.trim() };
    if (kind.value === 'closure-reasons') body.scenarios = checkedValues(several, 'scenarios');
    else body.scenario = scenario.value;
    const done = await submitting(form, () => api.post(`/catalog/${kind.value}`, body), { busyLabel: 'Agregando…' });
    if (done) {
      setFlash(`Motivo «${done.name}» (${done.code}) agregado.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel' }, form);
}

/* Sends a change of one entry and shows the page again. */
function sender(form, kind, item, ctx) {
  return async (body, flash) => {
    const done = await submitting(form, () => api.patch(`/catalog/${kind}/${encodeURIComponent(item.code)}`, body));
    if (done) {
      setFlash(flash);
      ctx.refresh();
    }
  };
}

function nameCell(kind, item, ctx) {
  const input = h('input', { type: 'text', name: 'name', value: item.name, maxlength: 120, 'aria-label': `Nombre de ${item.code}` });
  const form = h('form', { class: 'form inline-ref', novalidate: true }, h('div', { class: 'field', 'data-field': 'name' }, input));
  const send = sender(form, kind, item, ctx);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ name: input.value.trim() }, `Motivo ${item.code} renombrado: «${input.value.trim()}».`);
  });
  form.append(h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'btn btn-secondary btn-small' }, 'Guardar nombre'),
    item.active === false
      ? button('Reactivar', { kind: 'secondary', onClick: () => send({ active: true }, `Motivo ${item.code} reactivado.`) })
      : button('Retirar', { kind: 'danger', onClick: () => send({ active: false }, `Motivo ${item.code} retirado: ya no se ofrece en eventos nuevos.`) })));
  return form;
}

function stateCell(item) {
  return item.active === false ? h('span', { class: 'badge badge-no' }, 'Retirado') : h('span', { class: 'badge badge-yes' }, 'En uso');
}

function entryRow(kind, item, ctx) {
  return h('tr', { 'data-code': item.code, class: item.active === false ? 'row-retired' : null },
    h('td', { class: 'mono' }, item.code),
    h('td', {}, nameCell(kind, item, ctx)),
    h('td', {}, stateCell(item)));
}

function table(kind, title, items, ctx) {
  return [h('h3', {}, title), items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-kind': kind },
      h('thead', {}, h('tr', {}, ['Código', 'Nombre', 'Estado'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((it) => entryRow(kind, it, ctx)))))
    : h('p', { class: 'empty' }, 'Sin motivos.')];
}

/* A scenario: its causes to edit, and the closure reasons allowed in it. */
function scenarioPanel(sc, cat, ctx) {
  const names = (sc.closure_reasons || []).map((code) => {
    const r = (cat.closure_reasons || []).find((x) => x.code === code);
    return r ? `${r.name}${r.active === false ? ' (retirado)' : ''}` : code;
  });
  return h('section', { class: 'panel', 'aria-labelledby': `sc-${sc.code}`, 'data-scenario': sc.code },
    h('h2', { id: `sc-${sc.code}` }, sc.name),
    ...table('causes', 'Motivos de ocurrencia', sc.causes || [], ctx),
    h('p', { 'data-testid': 'scenario-reasons' }, h('strong', {}, 'Motivos de cierre permitidos: '), names.join(', ') || '—'));
}

/* The scenarios a closure reason may be chosen in, to tick and save. */
function scenariosCell(cat, item, ctx) {
  const current = scenariosOf(cat, item.code);
  const group = scenarioChoices(cat, 'scenarios', current, `Escenarios de ${item.code}`);
  group.classList.add('compact');
  const form = h('form', { class: 'form', novalidate: true }, group,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-secondary btn-small' }, 'Guardar escenarios')));
  const send = sender(form, 'closure-reasons', item, ctx);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const scenarios = checkedValues(form, 'scenarios');
    const shown = cat.scenarios.filter((s) => scenarios.includes(s.code)).map((s) => s.name).join(', ');
    send({ scenarios }, `Motivo ${item.code}: se puede elegir en ${shown || 'ningún escenario'}.`);
  });
  return form;
}

function reasonsPanel(cat, ctx) {
  const items = cat.closure_reasons || [];
  return h('section', { class: 'panel', 'aria-labelledby': 'reasons-title' },
    h('h2', { id: 'reasons-title' }, 'Motivos de cierre'),
    h('p', { class: 'hint' }, 'Un motivo de cierre puede servir en varios escenarios. Si lo quita de un escenario, deja de ofrecerse al cerrar los eventos de ese escenario y se conserva en los que ya lo usan.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-kind': 'closure-reasons' },
      h('thead', {}, h('tr', {}, ['Código', 'Nombre', 'Escenarios', 'Estado'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((item) => h('tr', { 'data-code': item.code, class: item.active === false ? 'row-retired' : null },
        h('td', { class: 'mono' }, item.code),
        h('td', {}, nameCell('closure-reasons', item, ctx)),
        h('td', {}, scenariosCell(cat, item, ctx)),
        h('td', {}, stateCell(item))))))));
}
