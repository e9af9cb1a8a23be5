/*
 * Pieces shown the same way on every control screen: the V1 checks and
 * their status, the 24-hour clock of a Procesos request, the delay of a
 * regularised paper form.
 */
import { h, fmtDateTime, person } from './ui.js';

export const CHECK_NAMES = {
  REGISTERED_BY_JEFE: 'Registrado por el jefe del punto',
  CLOSURE_REASON_FITS: 'Motivo de cierre acorde al escenario',
  NOT_ERROR_OR_TEST: 'No es error de usuario ni prueba',
  CRITICAL_REGULARISED: 'Transacciones críticas regularizadas',
  PROCESOS_RULING: 'Dictamen de Procesos (puntos presenciales)',
  IMPACT_DATA: 'Datos de impacto importados (E3/E4)',
};

const CHECK_STATUS = {
  OK: ['badge-yes', 'Cumple'],
  FALLA: ['badge-no', 'No cumple'],
  PENDIENTE: ['badge-open', 'Pendiente'],
  NO_APLICA: ['badge-closed', 'No aplica'],
};

export function checkBadge(status) {
  const [cls, label] = CHECK_STATUS[status] || ['badge-closed', status];
  return h('span', { class: ['badge', cls], 'data-status': status }, label);
}

const PROC_STATUS = {
  PENDIENTE: ['badge-open', 'Pendiente'],
  VENCIDA: ['badge-no', 'Vencida'],
  RESUELTA: ['badge-yes', 'Resuelta'],
};

export function processesBadge(status) {
  const [cls, label] = PROC_STATUS[status] || ['badge-closed', status];
  return h('span', { class: ['badge', cls] }, label);
}

export const RULING_NAMES = { PROCEDE: 'Procede', NO_PROCEDE: 'No procede' };

/* "2 d 3 h 05 min" from whole minutes */
export function fmtMinutes(total) {
  const m = Math.max(0, Math.floor(total));
  const d = Math.floor(m / 1440);
  const hh = Math.floor((m % 1440) / 60);
  const mm = String(m % 60).padStart(2, '0');
  if (d) return `${d} d ${hh} h ${mm} min`;
  if (hh) return `${hh} h ${mm} min`;
  return `${m} min`;
}

/* "23 h 05 min": the 24-hour clock counts in hours */
function fmtHours(total) {
  const m = Math.max(0, Math.floor(total));
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/*
 * The 24-hour clock of a request: what is left, or how late it is, and
 * whether it went to the backups.
 */
export function clockText(q) {
  if (q.status === 'RESUELTA') {
    return `Respondida el ${fmtDateTime(q.ruled_at)} por ${person(q.ruled_by_name, q.ruled_by)}`;
  }
  const parts = [];
  if (q.seconds_left > 0) {
    parts.push(`Quedan ${fmtHours(q.seconds_left / 60)} (vence el ${fmtDateTime(q.due_at)})`);
  } else {
    parts.push(`Vencida hace ${fmtMinutes(-q.seconds_left / 60)} (venció el ${fmtDateTime(q.due_at)})`);
  }
  if (q.escalated_at) {
    const why = q.escalation_reason === 'AUSENCIA' ? 'por ausencia de los responsables' : 'por no responder en 24 horas';
    parts.push(`Derivada ${why} el ${fmtDateTime(q.escalated_at)} a ${q.escalated_to.join(', ') || 'los suplentes (sin correos configurados)'}`);
  }
  return parts.join('. ');
}

/* K2: "Formato FM-… — regularizado 2 d 3 h 05 min después del inicio" */
export function regularisedText(ev) {
  if (ev.origin !== 'MANUAL') return null;
  const delay = ev.regularisation_delay_minutes;
  return `Formato ${ev.manual_form_ref}${delay != null ? ` — regularizado ${fmtMinutes(delay)} después del inicio` : ''}`;
}
