/* Pieces that show reports and deadlines the same way on every screen. */
import { name, REPORT_STATES } from './catalog.js';
import { href } from './router.js';
import { h, fmtDate } from './ui.js';

/* Who must act next on a report in each state (SPEC O2). */
export const WAITING_FOR = {
  BORRADOR: 'Control e Información lo envía a revisión',
  EN_REVISION: 'espera la aprobación de Gerencia',
  APROBADO_GERENTE: 'espera la aprobación de Dirección',
  APROBADO_DIRECTOR: 'Entregado a Regulatorio (plazo cumplido); Regulatorio lo envía a OSIPTEL',
  ENVIADO: 'enviado: no admite más cambios',
};

/* What each move is called on its button and in messages. */
export const MOVE = {
  EN_REVISION: { label: 'Enviar a revisión', done: 'enviado a revisión: su contenido quedó congelado' },
  APROBADO_GERENTE: { label: 'Aprobar (Gerencia)', done: 'aprobado por Gerencia' },
  APROBADO_DIRECTOR: { label: 'Aprobar (Dirección)', done: 'aprobado por Dirección' },
  ENVIADO: { label: 'Marcar como enviado a OSIPTEL', done: 'marcado como enviado a OSIPTEL' },
  BORRADOR: { label: 'Devolver a borrador', done: 'devuelto a borrador' },
};

export function reportStatusBadge(status) {
  const cls = status === 'ENVIADO' ? 'badge-yes' : status === 'BORRADOR' ? 'badge-closed' : 'badge-open';
  return h('span', { class: ['badge', cls], 'data-status': status }, name('reportStatus', status));
}

export function reportLink(report, text) {
  return h('a', { href: href(`/reportes/${report.id}`) }, text || `Reporte N.º ${report.id}`);
}

export function periodText(r) {
  return r.from === r.to ? fmtDate(r.from) : `${fmtDate(r.from)} al ${fmtDate(r.to)}`;
}

/* The approval chain as steps, the current one marked. */
export function stepper(status) {
  const at = REPORT_STATES.indexOf(status);
  return h('ol', { class: 'stepper', 'aria-label': 'Etapas del reporte' },
    REPORT_STATES.map((s, i) => h('li', {
      class: [i < at ? 'done' : null, i === at ? 'current' : null],
      'aria-current': i === at ? 'step' : null,
    }, name('reportStatus', s))));
}

/* Forward moves (not the send-back) this user may make now. */
export function pendingForMe(report) {
  return (report.next || []).filter((s) => s !== 'BORRADOR');
}

/* "Vencido hace 2 días hábiles" / "Vence hoy" / "Quedan 3 días hábiles" */
export function daysLeftText(item) {
  const n = item.business_days_left;
  if (n === undefined || n === null) return '—';
  if (n < 0) return n === -1 ? 'Vencido hace 1 día hábil' : `Vencido hace ${-n} días hábiles`;
  if (n === 0) return item.overdue ? 'Vencido' : 'Vence hoy';
  return n === 1 ? 'Queda 1 día hábil' : `Quedan ${n} días hábiles`;
}
