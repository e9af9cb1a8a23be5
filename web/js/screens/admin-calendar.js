/*
 * ADMIN: the calendar of business days (SPEC D1).  The national holidays
 * of a year (computed, Holy Week from Easter) and the extra non-working
 * days ADMIN declares (e.g. a day decreed non-working for the public
 * sector), which every report deadline then skips.
 */
import { api } from '../api.js';
import { h, field, submitting, setFlash, button, showError, fmtDate, timeEl, limaNowInput, person } from '../ui.js';

const WEEKDAYS = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];

function weekday(iso) {
  return WEEKDAYS[new Date(`${iso}T12:00:00Z`).getUTCDay()];
}

export async function render(view, ctx) {
  const thisYear = parseInt(limaNowInput().slice(0, 4), 10);
  const year = parseInt(ctx.query.get('year') || String(thisYear), 10) || thisYear;
  const [holidays, extra] = await Promise.all([
    api.get('/calendar/holidays', { year }),
    api.get('/calendar/non-working-days', { year }),
  ]);
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Calendario de días hábiles'), yearNav(year, ctx)),
    h('p', { class: 'lead' }, 'Los plazos de reporte cuentan días hábiles de Lima: de lunes a viernes, sin feriados nacionales ni los días no laborables que se agreguen aquí.'),
    addForm(year, ctx),
    extraTable(extra.items, year, ctx),
    holidaysTable(holidays.items, year));
}

function yearNav(year, ctx) {
  const go = (y) => () => ctx.navigate('/admin/calendario', { year: y });
  return h('div', { class: 'actions' },
    button(`← ${year - 1}`, { kind: 'secondary', onClick: go(year - 1), 'aria-label': `Año ${year - 1}` }),
    h('strong', { class: 'year' }, String(year)),
    button(`${year + 1} →`, { kind: 'secondary', onClick: go(year + 1), 'aria-label': `Año ${year + 1}` }));
}

function addForm(year, ctx) {
  const date = h('input', { type: 'date', name: 'date', min: `${year}-01-01`, max: `${year}-12-31` });
  const reason = h('input', { type: 'text', name: 'name', maxlength: 120, autocomplete: 'off' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'add-title' },
    h('h2', { id: 'add-title' }, 'Agregar un día no laborable'),
    h('div', { class: 'cols-2' },
      field('date', 'Fecha', date, { required: true, hint: 'Un día de semana que no sea feriado nacional.' }),
      field('name', 'Motivo', reason, { required: true, hint: 'Ej.: Día no laborable para el sector público (D.S. N.º …)' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Agregar día no laborable')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = await submitting(form, () => api.post('/calendar/non-working-days', { date: date.value, name: reason.value.trim() }), { busyLabel: 'Agregando…' });
    if (d) {
      setFlash(`El ${fmtDate(d.date)} es ahora un día no laborable: los plazos de reporte ya lo saltan.`);
      ctx.navigate('/admin/calendario', { year: d.date.slice(0, 4) });
    }
  });
  return h('section', { class: 'panel' }, form);
}

function extraTable(items, year, ctx) {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'extra-title' },
    h('h2', { id: 'extra-title' }, `Días no laborables adicionales de ${year}`));
  if (!items.length) {
    section.append(h('p', { class: 'empty' }, `No hay días no laborables adicionales en ${year}.`));
    return section;
  }
  const rows = items.map((d) => {
    const remove = button('Quitar', { kind: 'secondary', class: 'btn btn-secondary btn-small', 'aria-label': `Quitar el ${fmtDate(d.date)}` });
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await api.del(`/calendar/non-working-days/${d.date}`);
        setFlash(`El ${fmtDate(d.date)} vuelve a ser día hábil.`);
        ctx.refresh();
      } catch (err) {
        remove.disabled = false;
        showError(section, err);
      }
    });
    return h('tr', { 'data-date': d.date },
      h('td', { class: 'nowrap' }, fmtDate(d.date)),
      h('td', {}, weekday(d.date)),
      h('td', {}, d.name),
      h('td', {}, person(d.created_by_name, d.created_by), ' — ', timeEl(d.created_at)),
      h('td', {}, remove));
  });
  section.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ['Fecha', 'Día', 'Motivo', 'Agregado por', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows))));
  return section;
}

function holidaysTable(items, year) {
  return h('details', { class: 'panel collapsible' },
    h('summary', {}, h('h2', {}, `Feriados nacionales de ${year} (${items.length})`)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['Fecha', 'Día', 'Feriado'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((d) => h('tr', {},
        h('td', { class: 'nowrap' }, fmtDate(d.date)), h('td', {}, weekday(d.date)), h('td', {}, d.name)))))));
}
