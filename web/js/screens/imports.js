/*
 * Data brought in (SPEC I1-I3): upload a CSV (or .gz) of interactions,
 * social posts or LDR entries with a progress bar; a rejected file shows
 * its first bad lines and nothing is imported.  The list of imports says
 * who, when, rows, the days they span and the file's SHA-256; CONTROL can
 * withdraw one.  Atención Online also types posts in.
 */
import { api, upload, ApiError } from '../api.js';
import { hasRole } from '../session.js';
import {
  h, field, option, notice, submitting, timeEl, fmtDate, announce, limaNowInput, limaInputToIso, person,
} from '../ui.js';

const KINDS = {
  interactions: { label: 'Tipificaciones (interacciones)', roles: ['CONTROL'], cols: 'fecha_hora, punto, tipo_tramite (RECLAMOS, ALTAS, BAJAS o CONSULTAS), solicitud (opcional)' },
  social: { label: 'Publicaciones en redes sociales', roles: ['CONTROL', 'ONLINE'], cols: 'fecha_hora, red (FACEBOOK, X, INSTAGRAM…), tipo (PUBLICO o INBOX)' },
  ldr: { label: 'Libro de Reclamaciones (LDR)', roles: ['CONTROL'], cols: 'fecha_hora, punto' },
};

export async function render(view, ctx) {
  const kinds = Object.keys(KINDS).filter((k) => hasRole(...KINDS[k].roles));
  const listSection = h('section', { 'aria-labelledby': 'imports-title' });
  const reload = async () => {
    const list = await api.get('/imports');
    if (!ctx.isCurrent()) return;
    listSection.replaceChildren(
      h('h2', { id: 'imports-title' }, `Importaciones: ${list.total}`),
      importsTable(list.items, ctx));
  };
  await reload();
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Datos importados')),
    h('p', { class: 'lead' }, 'Los datos importados alimentan los criterios E3 y E4 de la evaluación de cada evento. Un archivo con una sola fila errónea se rechaza completo: no se importa nada.'),
    uploadPanel(kinds, reload),
    hasRole('ONLINE') ? postsPanel(ctx) : null,
    listSection);
}

function pct(sent, total) {
  return total ? Math.min(100, Math.round((sent / total) * 100)) : 0;
}

function uploadPanel(kinds, reload) {
  const kind = h('select', { name: 'kind' }, kinds.map((k, i) => option(k, KINDS[k].label, i === 0)));
  const cols = h('p', { class: 'hint', id: 'import-cols' });
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,.txt,.gz,text/csv,application/gzip', required: true });
  const bar = h('progress', { max: 100, value: 0, id: 'import-progress', hidden: true, 'aria-label': 'Progreso de la carga' });
  const status = h('p', { class: 'status', role: 'status', id: 'import-status' });
  const result = h('div', { id: 'import-result' });
  const showCols = () => { cols.textContent = `Columnas (cabecera en la primera fila, en cualquier orden; separador , o ;): ${KINDS[kind.value].cols}. Fechas AAAA-MM-DD HH:MM o DD/MM/AAAA HH:MM, hora de Lima. UTF-8 o Windows-1252.`; };
  kind.addEventListener('change', showCols);
  showCols();
  const form = h('form', { class: 'form', novalidate: true },
    field('kind', 'Tipo de datos', kind),
    cols,
    field('file', 'Archivo CSV (o .gz)', file, { required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Importar')),
    bar, status, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    result.replaceChildren();
    const f = file.files && file.files[0];
    if (!f) {
      status.textContent = 'Elija un archivo.';
      return;
    }
    bar.hidden = false;
    bar.value = 0;
    status.textContent = `Enviando ${f.name}…`;
    const started = performance.now();
    const done = await submitting(form, async () => {
      try {
        return await upload(`/imports/${kind.value}`, f, (sent, total) => {
          bar.value = pct(sent, total);
          const s = (performance.now() - started) / 1000;
          const mbs = s > 0 ? sent / 1e6 / s : 0;
          status.textContent = sent < total
            ? `Enviando ${f.name}: ${bar.value} % (${mbs.toFixed(1)} MB/s)`
            : `Archivo enviado: el servidor lo está revisando e importando…`;
        });
      } catch (err) {
        bar.hidden = true;
        status.textContent = '';
        result.replaceChildren(errorBox(err));
        return null;
      }
    }, { busyLabel: 'Importando…' });
    if (!done) return;
    bar.value = 100;
    status.textContent = '';
    announce(`Importación ${done.id}: ${done.rows} filas`);
    result.replaceChildren(notice('success', `Importación ${done.id} registrada: ${done.rows.toLocaleString('es-PE')} filas del ${fmtDate(done.from)} al ${fmtDate(done.to)}.`));
    await reload();
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Importar un archivo'), form);
}

function errorBox(err) {
  if (!(err instanceof ApiError)) throw err;
  const d = err.details || {};
  if (err.code === 'IMPORT_INVALID' && Array.isArray(d.lines)) {
    return h('div', { class: 'import-errors' },
      notice('error', `${err.message}. Filas con errores: ${d.bad_rows}${d.bad_rows > d.lines.length ? ` (se muestran las primeras ${d.lines.length})` : ''}.`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'import-error-lines' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Línea'), h('th', { scope: 'col' }, 'Motivo'))),
        h('tbody', {}, d.lines.map((l) => h('tr', {}, h('td', { class: 'num' }, String(l.line)), h('td', {}, l.reason)))))));
  }
  if (err.code === 'ALREADY_IMPORTED') {
    return notice('warning', `${err.message}.`);
  }
  return notice('error', err.message);
}

function postsPanel(ctx) {
  const at = h('input', { type: 'datetime-local', name: 'posted_at', value: limaNowInput(), required: true });
  const network = h('input', { type: 'text', name: 'network', value: 'FACEBOOK', maxlength: 32, required: true });
  const kind = h('select', { name: 'kind' }, option('PUBLICO', 'Pública', true), option('INBOX', 'Mensaje directo (inbox)'));
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 100000, value: 1 });
  const form = h('form', { class: 'form', novalidate: true },
    field('posted_at', 'Fecha y hora (Lima)', at, { required: true }),
    field('network', 'Red social', network, { required: true }),
    field('kind', 'Tipo', kind),
    field('count', 'Cantidad de publicaciones', count),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Registrar publicaciones')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const done = await submitting(form, () => api.post('/social-posts', {
      posted_at: limaInputToIso(at.value), network: network.value.trim().toUpperCase(),
      kind: kind.value, count: Number(count.value || 1),
    }));
    if (done) {
      announce('Publicaciones registradas');
      ctx.refresh();
    }
  });
  return h('details', { class: 'panel collapsible' },
    h('summary', {}, h('h2', {}, 'Registrar publicaciones a mano (Atención Online)')), form);
}

const KIND_SHORT = { interactions: 'Tipificaciones', social: 'Redes sociales', ldr: 'LDR' };

function importsTable(items, ctx) {
  if (!items.length) return h('p', { class: 'muted' }, 'Todavía no hay importaciones.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'imports-table' },
    h('thead', {}, h('tr', {}, ...['N.º', 'Tipo', 'Importado por', 'Fecha', 'Filas', 'Días', 'SHA-256', 'Estado']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((i) => h('tr', { 'data-import': i.id },
      h('td', { class: 'num' }, String(i.id)),
      h('td', {}, KIND_SHORT[i.kind] || i.kind, i.source === 'DIGITADO' ? ' (digitado)' : ''),
      h('td', {}, person(i.imported_by_name, i.imported_by)),
      h('td', {}, timeEl(i.imported_at)),
      h('td', { class: 'num' }, i.rows.toLocaleString('es-PE')),
      h('td', { class: 'nowrap' }, i.from === i.to ? fmtDate(i.from) : `${fmtDate(i.from)} – ${fmtDate(i.to)}`),
      h('td', {}, h('code', { title: i.sha256 }, `${i.sha256.slice(0, 12)}…`)),
      h('td', {}, i.withdrawn_at ? h('span', { class: 'badge badge-closed' }, 'Retirada')
        : hasRole('CONTROL') ? withdrawButton(i, ctx) : h('span', { class: 'badge badge-yes' }, 'Vigente')))))));
}

function withdrawButton(i, ctx) {
  const b = h('button', { type: 'button', class: 'btn btn-danger btn-small' }, 'Retirar');
  b.addEventListener('click', async () => {
    if (!window.confirm(`¿Retirar la importación ${i.id}? Sus filas dejan de contar en E3 y E4.`)) return;
    b.disabled = true;
    try {
      await api.del(`/imports/${i.id}`);
      announce(`Importación ${i.id} retirada`);
      ctx.refresh();
    } catch (err) {
      b.disabled = false;
      b.after(notice('error', err.message));
    }
  });
  return b;
}
