/*
 * The public complaint form (/reclamos, SPEC Q1): no login.  Sends the
 * fields and up to 3 documents as multipart/form-data to
 * POST /api/v1/complaints and shows the code, status and due date the
 * server answers.  Works on a phone (one column) and with a keyboard and
 * a screen reader (labels, errors tied to their fields and announced).
 */
import { ApiError } from './api.js';
import {
  h, field, notice, option, showErrors, submitting, fmtDate, fmtDateTime,
} from './ui.js';

const MAX_DOCS = 3;
const MAX_BYTES = 5 * 1024 * 1024;
const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

async function call(method, path, body) {
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method, body, headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'No se pudo conectar con el servidor. Verifique su conexión e intente de nuevo.');
  }
  const data = await res.json().catch(() => null);
  if (res.ok) return data;
  const e = (data && data.error) || {};
  let message = e.message || 'No se pudo registrar el reclamo. Intente de nuevo.';
  if (res.status === 429) {
    const s = parseInt(res.headers.get('Retry-After') || '60', 10);
    message = `Se enviaron demasiados reclamos desde su conexión. Intente de nuevo en ${Math.ceil(s / 60)} minuto(s).`;
  } else if (res.status === 413) {
    message = 'Los documentos son demasiado grandes: hasta 3 documentos de 5 MB cada uno.';
  }
  throw new ApiError(res.status, e.code || `HTTP_${res.status}`, message, e.field || null, e);
}

function input(name, attrs = {}) {
  return h('input', { name, type: 'text', ...attrs });
}

function buildForm(matters) {
  const docType = h('select', { name: 'document_type', required: true },
    option('DNI', 'DNI'), option('CE', 'Carné de extranjería'), option('RUC', 'RUC'),
    option('PASAPORTE', 'Pasaporte'));
  const matter = h('select', { name: 'matter', required: true },
    option('', 'Elija la materia…'),
    matters.map((m) => option(m.code, `${m.name} (respuesta en ${m.business_days} días hábiles)`)));
  const files = input('documents', {
    type: 'file', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png',
  });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('h2', { id: 'form-title' }, 'Datos del reclamo'),
    field('customer_name', 'Nombre completo', input('customer_name', { autocomplete: 'name', maxlength: 120, required: true }), { required: true }),
    field('document_type', 'Tipo de documento', docType, { required: true }),
    field('document', 'Número de documento', input('document', { autocomplete: 'off', maxlength: 12, required: true, inputmode: 'text' }),
      { required: true, hint: 'DNI: 8 dígitos. RUC: 11 dígitos. Carné de extranjería o pasaporte: letras y dígitos.' }),
    field('email', 'Correo electrónico', input('email', { type: 'email', autocomplete: 'email', maxlength: 254, required: true }),
      { required: true, hint: 'Le enviaremos aquí el código del reclamo y la hoja de reclamo.' }),
    field('phone', 'Teléfono (opcional)', input('phone', { type: 'tel', autocomplete: 'tel', maxlength: 20 })),
    field('service', 'Línea o servicio reclamado', input('service', { maxlength: 120, required: true }),
      { required: true, hint: 'Por ejemplo: el número de línea, o «Internet fijo».' }),
    field('matter', 'Materia del reclamo', matter, { required: true }),
    field('description', 'Descripción', h('textarea', { name: 'description', rows: 6, maxlength: 4000, required: true }),
      { required: true, hint: 'Cuéntenos qué pasó y qué solicita (hasta 4000 caracteres).' }),
    field('documents', 'Documentos (opcional)', files,
      { hint: 'Hasta 3 documentos PDF, JPEG o PNG, de 5 MB cada uno.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Enviar reclamo')));
  return form;
}

/* Checks the browser can make before sending: {field, message}[] */
function localErrors(form) {
  const errors = [];
  const v = (n) => form.elements[n].value.trim();
  for (const [n, label] of [['customer_name', 'su nombre'], ['document', 'su número de documento'],
    ['service', 'la línea o el servicio'], ['matter', 'la materia'], ['description', 'la descripción']]) {
    if (!v(n)) errors.push({ field: n, message: `Indique ${label}.` });
  }
  if (!v('email')) errors.push({ field: 'email', message: 'El correo electrónico es obligatorio: le enviaremos el código del reclamo.' });
  else if (!form.elements.email.checkValidity()) errors.push({ field: 'email', message: 'El correo electrónico no es válido.' });
  const docs = [...form.elements.documents.files];
  if (docs.length > MAX_DOCS) errors.push({ field: 'documents', message: 'Puede adjuntar hasta 3 documentos.' });
  for (const f of docs) {
    if (f.size > MAX_BYTES) errors.push({ field: 'documents', message: `«${f.name}» supera los 5 MB.` });
    else if (f.type && !TYPES.includes(f.type)) errors.push({ field: 'documents', message: `«${f.name}» no es PDF, JPEG ni PNG.` });
  }
  return errors;
}

function receipt(c, email) {
  return h('section', { class: 'panel result', 'aria-labelledby': 'done-title', tabindex: '-1', id: 'receipt' },
    h('h2', { id: 'done-title' }, 'Reclamo registrado'),
    h('p', {}, 'Código de su reclamo: ', h('strong', { class: 'complaint-code', 'data-code': c.code }, c.code)),
    h('dl', { class: 'dl' },
      h('dt', {}, 'Estado'), h('dd', {}, c.status === 'RECIBIDO' ? 'Recibido' : c.status),
      h('dt', {}, 'Recibido'), h('dd', {}, `${fmtDateTime(c.received_at)} (hora de Lima)`),
      h('dt', {}, 'Fecha máxima de respuesta'), h('dd', { id: 'due-date' }, fmtDate(c.due_date))),
    h('p', {}, `Le enviamos a ${email} un correo con el código, la hoja de reclamo en PDF y los documentos adjuntos. Su reclamo fue trasladado a la empresa operadora.`),
    h('p', {}, h('strong', {}, 'Recuerde: el reclamo no suspende la obligación de pagar los montos no reclamados.')),
    h('p', {}, h('a', { href: '/reclamos' }, 'Presentar otro reclamo')));
}

async function main() {
  const slot = document.getElementById('form-slot');
  let matters;
  try {
    matters = (await call('GET', '/complaint-matters')).items;
  } catch (err) {
    slot.replaceChildren(notice('error', err.message));
    return;
  }
  const form = buildForm(matters);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const errors = localErrors(form);
    if (errors.length) {
      showErrors(form, errors);
      return;
    }
    const email = form.elements.email.value.trim();
    const data = new FormData(form);
    if (!form.elements.documents.files.length) data.delete('documents');
    const done = await submitting(form, () => call('POST', '/complaints', data), { busyLabel: 'Enviando…' });
    if (done) {
      const r = receipt(done, email);
      slot.replaceChildren(r);
      r.focus();
    }
  });
  slot.replaceChildren(form);
}

main();
