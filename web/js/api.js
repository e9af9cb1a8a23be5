/*
 * The one way the UI calls the Inop API (/api/v1).
 *
 * - JSON in and out; the session is the HttpOnly cookie, never a token in
 *   storage.
 * - Every state-changing call (POST, PUT, PATCH, DELETE) carries the
 *   session's CSRF token as X-CSRF-Token.
 * - Every failure is thrown as an ApiError {status, code, field, message,
 *   details}; message is Spanish and ready to show.
 * - 401 on any call but the login itself asks the registered handler to get
 *   the user logged in again (a dialog over the current screen, so nothing
 *   typed is lost) and then retries the call once.
 * - 403 CSRF (a stale token) refreshes the token from GET /session and
 *   retries once.
 */

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, field = null, details = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details; /* the whole "error" object of the answer */
  }
}

let csrfToken = null;
let unauthorizedHandler = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/* For the one call that cannot go through fetch (an upload with progress). */
export function getCsrfToken() {
  return csrfToken;
}

/* handler(): a promise that resolves once the user is logged in again. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

const GENERIC = {
  0: 'No se pudo conectar con el servidor de Inop. Verifique su conexión e intente de nuevo.',
  400: 'La solicitud no es válida.',
  401: 'Inicie sesión para continuar.',
  403: 'No tiene permiso para esta acción.',
  404: 'No se encontró lo solicitado.',
  409: 'La operación entra en conflicto con el estado actual.',
  413: 'El contenido enviado es demasiado grande.',
  422: 'Los datos no cumplen las reglas del registro.',
  429: 'Demasiados intentos: espere unos minutos.',
  500: 'Error interno del servidor. Intente de nuevo; si persiste, avise a Soporte.',
};

function genericMessage(status) {
  return GENERIC[status] || GENERIC[status >= 500 ? 500 : 400];
}

function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function send(method, path, body, query) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let res;
  try {
    res = await fetch(BASE + path + queryString(query), init);
  } catch {
    throw new ApiError(0, 'NETWORK', genericMessage(0));
  }
  if (res.status === 204) return null;
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;
  const e = (data && data.error) || {};
  throw new ApiError(res.status, e.code || `HTTP_${res.status}`,
    e.message || genericMessage(res.status), e.field || null, e);
}

async function refreshCsrf() {
  const s = await send('GET', '/session');
  setCsrfToken(s && s.csrf_token);
}

/*
 * opts.noRetry: do not run the 401 handler (used by the session calls
 * themselves).
 */
export async function request(method, path, { body, query, noRetry = false } = {}) {
  try {
    return await send(method, path, body, query);
  } catch (err) {
    if (!(err instanceof ApiError) || noRetry) throw err;
    if (err.status === 401 && unauthorizedHandler) {
      await unauthorizedHandler();
      return send(method, path, body, query);
    }
    if (err.status === 403 && err.code === 'CSRF') {
      await refreshCsrf();
      return send(method, path, body, query);
    }
    throw err;
  }
}

/*
 * POST of a file as the request body (an import), with upload progress:
 * onProgress(sentBytes, totalBytes).  Resolves with the JSON answer;
 * rejects with an ApiError like every other call.
 */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', BASE + path);
    x.setRequestHeader('Content-Type', /\.gz$/i.test(file.name) ? 'application/gzip' : 'text/csv');
    x.setRequestHeader('Accept', 'application/json');
    if (csrfToken) x.setRequestHeader('X-CSRF-Token', csrfToken);
    x.upload.onprogress = (e) => onProgress && onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    x.onerror = () => reject(new ApiError(0, 'NETWORK', genericMessage(0)));
    x.onload = () => {
      let data = null;
      try {
        data = JSON.parse(x.responseText);
      } catch {
        data = null;
      }
      if (x.status >= 200 && x.status < 300) {
        resolve(data);
        return;
      }
      const e = (data && data.error) || {};
      reject(new ApiError(x.status, e.code || `HTTP_${x.status}`,
        e.message || genericMessage(x.status), e.field || null, e));
    };
    x.send(file);
  });
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body: body ?? {} }),
  del: (path, opts = {}) => request('DELETE', path, opts),
  patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body: body ?? {} }),
};
