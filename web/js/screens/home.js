/*
 * The home page, per role.  A JEFE sees own points first, each with its
 * four procedure types and the open event of each (at most one per type,
 * R3), and a button to register.  Everyone else sees the open events and
 * a few counters; ADMIN also users and points.
 */
import { api } from '../api.js';
import { catalog, name, nameList } from '../catalog.js';
import { eventLink, eventsTable, spanText } from '../events-view.js';
import { appsText, failureLink } from '../mass-view.js';
import { href } from '../router.js';
import { hasRole, onlyJefe } from '../session.js';
import { h, notice, timeEl, limaNowInput } from '../ui.js';

export async function render(view, ctx) {
  const user = ctx.user;
  view.append(h('div', { class: 'page-head' },
    h('h1', {}, `Hola, ${user.name || user.username}`),
    h('p', { class: 'muted' }, user.roles.map((r) => name('role', r)).join(' · '))));
  if (hasRole('JEFE')) await jefeSection(view);
  if (!onlyJefe()) await generalSection(view);
}

/* ---------- JEFE: my points and their open events ---------- */

async function jefeSection(view) {
  const points = (await api.get('/points', { mine: 1 })).items;
  const section = h('section', { 'aria-labelledby': 'my-points' }, h('h2', { id: 'my-points' }, 'Mis puntos de atención'));
  view.append(section);
  if (!points.length) {
    section.append(notice('warning', 'No tiene puntos de atención asignados. Pida a Administración que le asigne su punto para poder registrar inoperatividad.'));
    return;
  }
  const [open, failures] = await Promise.all([
    Promise.all(points.map((p) => api.get('/events', { status: 'OPEN', point: p.code, limit: 10 }).then((r) => r.items))),
    api.get('/mass-failures', { status: 'CONFIRMED', limit: 20 }),
  ]);
  section.append(failuresNotice(failures.items));
  const cards = points.map((p, i) => ({ p, open: open[i] }))
    .sort((a, b) => (b.open.length > 0) - (a.open.length > 0) || a.p.name.localeCompare(b.p.name, 'es'));
  if (cards.some((c) => c.open.length)) section.append(criticalReminder());
  for (const c of cards) section.append(pointCard(c.p, c.open));
  if (!onlyJefe()) return; /* the general section below lists events */
  const recent = await api.get('/events', { limit: 5 });
  view.append(h('section', { class: 'panel', 'aria-labelledby': 'recent' },
    h('h2', { id: 'recent' }, 'Últimos eventos de mis puntos'),
    eventsTable(recent.items, { empty: 'Todavía no hay eventos registrados en sus puntos.' }),
    h('p', {}, h('a', { href: href('/eventos') }, 'Ver todos los eventos'))));
}

/* M2: the failures Fallas confirmed, and the way to alert one (M1). */
function failuresNotice(items) {
  const alertLink = h('a', { class: 'btn btn-secondary btn-small', href: href('/fallas') }, 'Alertar falla masiva');
  if (!items.length) {
    return h('p', { class: 'muted' }, 'No hay fallas masivas confirmadas. ¿Un aplicativo está caído en toda la empresa? ', alertLink);
  }
  return notice('warning',
    h('strong', {}, items.length === 1 ? 'Falla masiva confirmada por Fallas:' : `${items.length} fallas masivas confirmadas por Fallas:`),
    h('ul', {}, items.map((mf) => h('li', {}, failureLink(mf), ` — ${appsText(mf.applications)}, desde `, timeEl(mf.started_at)))),
    h('p', {}, 'Registre la inoperatividad con el escenario «Falla masiva» solo si un cliente pide un trámite regulado. ', alertLink));
}

function criticalReminder() {
  const items = (catalog().critical_transactions || []).map((t) => h('li', {}, t.name));
  return notice('warning',
    h('strong', {}, 'Con un evento abierto, atienda obligatoriamente las transacciones críticas:'),
    h('ul', {}, items));
}

function pointCard(p, open) {
  const byProc = new Map(open.map((ev) => [ev.procedure, ev]));
  const slots = (catalog().procedures || []).map((proc) => {
    const ev = byProc.get(proc.code);
    if (!ev) {
      return h('div', { class: 'slot' }, h('h3', {}, proc.name), h('p', { class: 'muted' }, 'Sin evento abierto'));
    }
    return h('div', { class: 'slot slot-open' },
      h('h3', {}, proc.name),
      h('p', {}, eventLink(ev)),
      h('p', {}, 'Desde ', timeEl(ev.started_at), ` (${spanText(ev)})`),
      h('p', {}, nameList('request', ev.requests).join(', ')));
  });
  const count = open.length;
  return h('article', { class: ['point-card', count ? 'has-open' : null], 'aria-label': `${p.name} (${p.code})` },
    h('header', {},
      h('div', {},
        h('h2', {}, p.name, ' ', h('span', { class: 'muted mono' }, `(${p.code})`)),
        h('p', { class: 'muted' }, `${name('pointType', p.type)} · ${name('channel', p.channel)} · ${p.region}`)),
      h('div', {},
        h('p', {}, count ? h('span', { class: 'badge badge-open' }, count === 1 ? '1 evento abierto' : `${count} eventos abiertos`)
          : h('span', { class: 'badge badge-closed' }, 'Sin eventos abiertos')),
        h('a', { class: 'btn btn-primary', href: href(`/registrar/${encodeURIComponent(p.code)}`) }, 'Registrar inoperatividad'))),
    h('div', { class: 'slots' }, slots));
}

/* ---------- everyone else ---------- */

async function generalSection(view) {
  const today = limaNowInput().slice(0, 10);
  const [open, todays] = await Promise.all([
    api.get('/events', { status: 'OPEN', limit: 10 }),
    api.get('/events', { from: today, to: today, limit: 1 }),
  ]);
  const kpis = [
    kpi(open.total, 'Eventos abiertos', href('/eventos', { status: 'OPEN' })),
    kpi(todays.total, 'Eventos iniciados hoy', href('/eventos', { from: today, to: today })),
  ];
  if (hasRole('CONTROL', 'GERENTE', 'DIRECTOR', 'REGULATORIO', 'ADMIN', 'PROCESOS')) {
    /* O3: what is late or about to be, on the first screen */
    const board = await api.get('/deadlines', { limit: 1 });
    kpis.push(kpi(board.total, 'Eventos por entregar a Regulatorio', href('/plazos')));
    kpis.push(kpi(board.overdue, 'Con el plazo de entrega vencido', href('/plazos', { overdue: 'true' })));
  }
  if (hasRole('CONTROL')) {
    const [failing, late] = await Promise.all([
      api.get('/control/events', { limit: 1 }),
      api.get('/processes/requests', { status: 'VENCIDA', limit: 1 }),
    ]);
    kpis.push(kpi(failing.total, 'Eventos con observaciones de control', href('/control')));
    kpis.push(kpi(late.total, 'Dictámenes de Procesos vencidos', href('/procesos', { status: 'VENCIDA' })));
  } else if (hasRole('PROCESOS')) {
    const [waiting, late] = await Promise.all([
      api.get('/processes/requests', { status: 'PENDIENTE', limit: 1 }),
      api.get('/processes/requests', { status: 'VENCIDA', limit: 1 }),
    ]);
    kpis.push(kpi(waiting.total, 'Dictámenes por responder', href('/procesos')));
    kpis.push(kpi(late.total, 'Dictámenes vencidos', href('/procesos', { status: 'VENCIDA' })));
  }
  if (hasRole('FALLAS', 'SOPORTE', 'CONTROL')) {
    const failures = await api.get('/mass-failures', { status: 'CONFIRMED', limit: 1 });
    kpis.push(kpi(failures.total, 'Fallas masivas abiertas', href(hasRole('SOPORTE') ? '/monitoreo' : '/fallas')));
  }
  if (hasRole('FALLAS')) {
    const pending = await api.get('/mass-failure-alerts', { status: 'PENDING', limit: 1 });
    kpis.push(kpi(pending.total, 'Alertas por confirmar o descartar', href('/fallas')));
  }
  if (hasRole('ADMIN')) {
    const [users, points] = await Promise.all([api.get('/users'), api.get('/points')]);
    kpis.push(kpi(users.total, 'Usuarios', href('/admin/usuarios')));
    kpis.push(kpi(points.total, 'Puntos de atención', href('/admin/puntos')));
  }
  view.append(h('div', { class: 'kpis' }, kpis));
  if (hasRole('ADMIN') && !hasRole('JEFE')) {
    view.append(notice('info', 'Administración solo puede registrar eventos de ',
      h('strong', {}, 'prueba'), '. ', h('a', { href: href('/registrar') }, 'Registrar una prueba')));
  }
  const title = hasRole('SOPORTE') ? 'Eventos abiertos (monitoreo diario)' : 'Eventos abiertos';
  view.append(h('section', { class: 'panel', 'aria-labelledby': 'open-events' },
    h('h2', { id: 'open-events' }, title),
    eventsTable(open.items, { empty: 'No hay eventos abiertos.' }),
    open.total > open.items.length
      ? h('p', {}, h('a', { href: href('/eventos', { status: 'OPEN' }) }, `Ver los ${open.total} eventos abiertos`))
      : null));
}

function kpi(value, label, link) {
  return h('a', { class: 'kpi', href: link },
    h('span', { class: 'kpi-value' }, String(value)),
    h('span', { class: 'kpi-label' }, label));
}
