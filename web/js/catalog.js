/*
 * The catalogue (GET /catalog, loaded once per session) and the Spanish
 * names of every code the UI shows.  Screens display names, never codes
 * alone; an unknown code is shown as itself.
 */
import { api } from './api.js';

let cat = null;
const names = {};

function index(kind, items) {
  names[kind] = new Map((items || []).map((i) => [i.code, i.name]));
}

export async function loadCatalog() {
  cat = await api.get('/catalog');
  index('procedure', cat.procedures);
  index('request', (cat.procedures || []).flatMap((p) => p.requests));
  index('application', cat.applications);
  index('scenario', cat.scenarios);
  index('cause', (cat.scenarios || []).flatMap((s) => s.causes || []));
  index('reason', cat.closure_reasons);
  index('notRegulated', cat.not_regulated);
  index('critical', cat.critical_transactions);
  index('pointType', cat.point_types);
  return cat;
}

export function catalog() {
  return cat;
}

/*
 * K2: how many days back the point's JEFE may regularise a paper form
 * (the server's manual_max_age_days); older forms CONTROL regularises.
 */
export function manualMaxAgeDays() {
  const days = cat && cat.settings && cat.settings.manual_max_age_days;
  return Number.isInteger(days) && days > 0 ? days : 30;
}

export function scenarioOf(code) {
  return (cat.scenarios || []).find((s) => s.code === code) || null;
}

export function procedureOf(code) {
  return (cat.procedures || []).find((p) => p.code === code) || null;
}

const FIXED = {
  role: {
    JEFE: 'Jefe / Supervisor de punto',
    FALLAS: 'Fallas de Sistemas y Plataforma',
    SOPORTE: 'Soporte Postventa – Tecnología',
    CONTROL: 'Control e Información',
    PROCESOS: 'Mejora de Procesos',
    ONLINE: 'Atención Online',
    GERENTE: 'Gerencia',
    DIRECTOR: 'Dirección',
    REGULATORIO: 'Regulatorio',
    RECLAMOS: 'Reclamos',
    ADMIN: 'Administración',
  },
  status: { OPEN: 'Abierto', CLOSED: 'Cerrado' },
  mfStatus: { CONFIRMED: 'Confirmada (abierta)', CLOSED: 'Cerrada' },
  alertStatus: { PENDING: 'Pendiente', CONFIRMED: 'Confirmada', DISCARDED: 'Descartada' },
  alertSource: { JEFE: 'Jefe de punto', ALERTMANAGER: 'Monitoreo (Alertmanager)' },
  origin: { SISTEMA: 'En línea (Inop)', MANUAL: 'Regularizado desde formato manual' },
  channel: { PRESENCIAL: 'Presencial', TELEFONICO: 'Telefónico' },
  action: {
    'event.register': 'Registro del evento',
    'event.add_requests': 'Solicitudes agregadas',
    'event.close': 'Cierre del evento',
    'event.annotate': 'Anotación de Control',
    'event.critical_record': 'Transacción crítica registrada',
    'event.critical_reference': 'Referencia del sistema agregada',
    'event.operational_alert': 'Alerta por error operativo',
    'event.processes_request': 'Dictamen solicitado a Procesos',
    'event.processes_ruling': 'Dictamen de Procesos',
    'event.processes_escalate': 'Dictamen derivado a suplentes',
    'event.rule_out': 'Descartado del reporte',
    'mass_failure.declare': 'Falla masiva confirmada',
    'mass_failure.add_applications': 'Aplicativos agregados a la falla',
    'mass_failure.close': 'Cierre de la falla masiva',
    'alert.raise': 'Alerta de falla masiva',
    'alert.confirm': 'Alerta confirmada',
    'alert.discard': 'Alerta descartada',
    'report.create': 'Reporte creado',
    'report.transition': 'Cambio de estado del reporte',
  },
  /* SPEC O2, in the order a report goes through them */
  reportStatus: {
    BORRADOR: 'Borrador',
    EN_REVISION: 'En revisión',
    APROBADO_GERENTE: 'Aprobado por Gerencia',
    APROBADO_DIRECTOR: 'Aprobado por Dirección',
    ENVIADO: 'Enviado a OSIPTEL',
  },
};

export const ROLES = Object.keys(FIXED.role);
export const REPORT_STATES = Object.keys(FIXED.reportStatus);

/* name('procedure', 'CONSULTAS') -> 'Consultas' */
export function name(kind, code) {
  if (code === null || code === undefined || code === '') return '—';
  const fixed = FIXED[kind];
  if (fixed) return fixed[code] || code;
  const m = names[kind];
  return (m && m.get(code)) || code;
}

/* nameList('request', ['RECLAMO', 'QUEJA']) -> ['Reclamo', 'Queja'] */
export function nameList(kind, codes) {
  return (codes || []).map((c) => name(kind, c));
}

/* What a procedure type covers, in the words of the operator's procedure. */
export const PROCEDURE_HELP = {
  RECLAMOS: 'Cualquier trámite del procedimiento de reclamos: reclamos, apelaciones o quejas.',
  ALTAS: 'Contratación de servicios: altas y portabilidades.',
  BAJAS: 'Baja de servicio y resolución de contrato.',
  CONSULTAS: 'Solicitudes derivadas de las condiciones de uso (incluye migraciones de plan con renovación de equipo) y atenciones informativas.',
};

export const SCENARIO_HELP = {
  FALLA_MASIVA: 'El aplicativo está caído en toda la empresa. Solo el área de Fallas de Sistemas y Plataforma formaliza y confirma una falla masiva.',
  EVENTO_NO_PREVISTO: 'Corte de luz, inundación o problema de infraestructura en este punto: en todo el punto no se puede registrar la solicitud regulada en ninguna PC.',
  PRUEBA: 'Registro de prueba de un área autorizada. Se cierra como «Error de usuario» y no se reporta.',
};

export const REASON_HELP = {
  INTERMITENCIA: 'La intermitencia no es inoperatividad: el evento no se reporta a OSIPTEL.',
  ERROR_USUARIO: 'Registro hecho por error o prueba: requiere sustento y no se reporta a OSIPTEL.',
};
