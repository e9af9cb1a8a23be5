/*
 * One complaint (SPEC Q5): every field, the documents (downloadable), its
 * history, and the next step of the tray (RECIBIDO -> EN_PROCESO ->
 * RESUELTO; resolving mails the customer).
 */
import { api } from '../api.js';
import { href } from '../router.js';
import {
  h, append, field, notice, submitting, setFlash, timeEl, fmtDate, person,
} from '../ui.js';
import { STATUS_NAMES, statusBadge } from './complaints.js';

const DOC_TYPES = { DNI: 'DNI', CE: 'Carné de extranjería', RUC: 'RUC', PASAPORTE: 'Pasaporte' };

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

export async function render(view, ctx) {
  const c = await api.get(`/complaints/${encodeURIComponent(ctx.params.id)}`);
  ctx.setTitle(`Reclamo ${c.code}`);
  append(view, [
    h('p', {}, h('a', { href: href('/reclamos') }, '← Bandeja de reclamos')),
    h('div', { class: 'page-head' }, h('h1', {}, `Reclamo ${c.code}`), h('span', { class: 'head-badges' }, statusBadge(c))),
    c.overdue ? notice('warning', `La fecha máxima de respuesta (${fmtDate(c.due_date)}) ya pasó.`) : null,
    details(c), documents(c),
    c.next.length ? moveForm(c, c.next[0], ctx) : null,
    history(c)]);
}

function details(c) {
  return h('section', { class: 'panel', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, 'Datos del reclamo'),
    h('dl', { class: 'dl' },
      row('Recibido (hora de Lima)', timeEl(c.received_at)),
      row('Canal', c.source === 'PLATAFORMA' ? 'Plataforma del regulador' : 'Formulario web'),
      c.external_ref ? row('Referencia de la plataforma', c.external_ref) : [],
      row('Cliente', c.customer_name),
      row('Documento', `${DOC_TYPES[c.document_type] || c.document_type} ${c.document}`),
      row('Correo electrónico', c.email),
      row('Teléfono', c.phone || '—'),
      row('Línea o servicio', c.service),
      row('Materia', c.matter_name),
      row('Fecha máxima de respuesta', `${fmtDate(c.due_date)} (${c.business_days} días hábiles)`),
      row('Descripción', h('span', { class: 'pre-wrap' }, c.description)),
      c.note ? row('Última nota', c.note) : []));
}

function documents(c) {
  return h('section', { class: 'panel', 'aria-labelledby': 'docs-title' },
    h('h2', { id: 'docs-title' }, 'Documentos del cliente'),
    c.documents.length
      ? h('ul', { class: 'plain-list' }, c.documents.map((d) => h('li', {},
        h('a', { href: `/api/v1/complaints/${c.id}/documents/${d.id}`, download: d.filename }, d.filename),
        ` (${Math.ceil(d.size / 1024)} KB)`)))
      : h('p', { class: 'empty' }, 'El cliente no adjuntó documentos.'));
}

function moveForm(c, to, ctx) {
  const resolving = to === 'RESUELTO';
  const note = h('textarea', { name: 'note', rows: 3, maxlength: 1000 });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'move-title' },
    resolving ? h('p', {}, 'Al marcarlo como resuelto se enviará un correo al cliente con la respuesta.') : null,
    field('note', resolving ? 'Respuesta al cliente' : 'Nota (opcional)', note),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' },
      resolving ? 'Marcar como resuelto' : 'Pasar a En proceso')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { to };
    if (note.value.trim()) body.note = note.value.trim();
    const done = await submitting(form, () => api.post(`/complaints/${c.id}/transition`, body), { busyLabel: 'Guardando…' });
    if (done) {
      setFlash(`Reclamo ${c.code}: ${STATUS_NAMES[done.status]}.`);
      ctx.refresh();
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'move-title' },
    h('h2', { id: 'move-title' }, resolving ? 'Resolver el reclamo' : 'Atender el reclamo'), form);
}

function history(c) {
  const items = [{ to: 'RECIBIDO', at: c.received_at, by: c.source === 'PLATAFORMA' ? 'plataforma' : 'formulario web', note: '' },
    ...c.transitions];
  return h('section', { class: 'panel', 'aria-labelledby': 'hist-title' },
    h('h2', { id: 'hist-title' }, 'Historial'),
    h('ol', { class: 'plain-list' }, items.map((t) => h('li', {},
      timeEl(t.at), ` — ${STATUS_NAMES[t.to] || t.to} (${person(t.by_name, t.by)})`, t.note ? `: ${t.note}` : ''))));
}
