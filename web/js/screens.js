/*
 * Every screen of the UI, in navigation order: its route (hash path, with
 * :params), the roles that see it ('*' = anyone logged in), the label in
 * the one navigation bar (none = not in the bar; parent = the bar item it
 * belongs to) and its module, loaded on first use.  A screen module
 * exports render(view, ctx) — see router.js for ctx.
 *
 * Later issues add their screens here, e.g.
 *   {path: '/fallas', nav: 'Fallas masivas', roles: ['JEFE', 'FALLAS', 'SOPORTE'], ...}
 *   {path: '/control', nav: 'Control', roles: ['CONTROL', 'PROCESOS'], ...}
 *   {path: '/reclamos', nav: 'Reclamos', roles: ['RECLAMOS'], ...}
 */
export const SCREENS = [
  {
    path: '/', nav: 'Inicio', title: 'Inicio', roles: '*',
    load: () => import('./screens/home.js'),
  },
  {
    path: '/eventos', nav: 'Eventos', title: 'Eventos de inoperatividad', roles: '*',
    load: () => import('./screens/events.js'),
  },
  {
    path: '/eventos/:id', parent: '/eventos', title: 'Evento', roles: '*',
    load: () => import('./screens/event.js'),
  },
  {
    path: '/registrar', nav: 'Registrar inoperatividad', title: 'Registrar inoperatividad',
    roles: ['JEFE', 'ADMIN'],
    load: () => import('./screens/register.js'),
  },
  {
    path: '/registrar/:point', parent: '/registrar', title: 'Registrar inoperatividad',
    roles: ['JEFE', 'ADMIN', 'CONTROL'],
    load: () => import('./screens/register.js'),
  },
  {
    path: '/reportes', nav: 'Reportes', title: 'Reportes a OSIPTEL',
    roles: ['CONTROL', 'GERENTE', 'DIRECTOR', 'REGULATORIO', 'ADMIN'],
    load: () => import('./screens/reports.js'),
  },
  {
    path: '/reportes/:id', parent: '/reportes', title: 'Reporte',
    roles: ['CONTROL', 'GERENTE', 'DIRECTOR', 'REGULATORIO', 'ADMIN'],
    load: () => import('./screens/report.js'),
  },
  {
    path: '/plazos', nav: 'Plazos', title: 'Plazos de entrega a Regulatorio',
    roles: ['CONTROL', 'GERENTE', 'DIRECTOR', 'REGULATORIO', 'ADMIN', 'PROCESOS'],
    load: () => import('./screens/deadlines.js'),
  },
  {
    path: '/control', nav: 'Control', title: 'Control de eventos', roles: ['CONTROL'],
    load: () => import('./screens/control.js'),
  },
  {
    path: '/procesos', nav: 'Procesos', title: 'Dictámenes de Procesos', roles: ['CONTROL', 'PROCESOS'],
    load: () => import('./screens/procesos.js'),
  },
  {
    path: '/importaciones', nav: 'Datos importados', title: 'Datos importados', roles: ['CONTROL', 'ONLINE'],
    load: () => import('./screens/imports.js'),
  },
  {
    path: '/formatos', nav: 'Formatos manuales', title: 'Formatos manuales', roles: ['JEFE', 'CONTROL', 'ADMIN'],
    load: () => import('./screens/forms.js'),
  },
  {
    path: '/fallas', nav: 'Fallas masivas', title: 'Fallas masivas',
    roles: ['JEFE', 'FALLAS', 'SOPORTE', 'CONTROL', 'PROCESOS', 'ADMIN'],
    load: () => import('./screens/fallas.js'),
  },
  {
    path: '/fallas/:id', parent: '/fallas', title: 'Falla masiva', roles: '*',
    load: () => import('./screens/falla.js'),
  },
  {
    path: '/monitoreo', nav: 'Monitoreo', title: 'Monitoreo diario',
    roles: ['SOPORTE', 'FALLAS', 'CONTROL', 'ADMIN'],
    load: () => import('./screens/monitoring.js'),
  },
  {
    path: '/reclamos', nav: 'Reclamos', title: 'Bandeja de reclamos', roles: ['RECLAMOS'],
    load: () => import('./screens/complaints.js'),
  },
  {
    path: '/reclamos/:id', parent: '/reclamos', title: 'Reclamo', roles: ['RECLAMOS'],
    load: () => import('./screens/complaint.js'),
  },
  {
    path: '/admin/usuarios', nav: 'Usuarios', title: 'Usuarios', roles: ['ADMIN'],
    load: () => import('./screens/admin-users.js'),
  },
  {
    path: '/admin/puntos', nav: 'Puntos de atención', title: 'Puntos de atención', roles: ['ADMIN'],
    load: () => import('./screens/admin-points.js'),
  },
  {
    path: '/admin/calendario', nav: 'Calendario', title: 'Calendario de días hábiles', roles: ['ADMIN'],
    load: () => import('./screens/admin-calendar.js'),
  },
  {
    path: '/admin/motivos', nav: 'Motivos', title: 'Motivos de ocurrencia y de cierre', roles: ['ADMIN', 'SOPORTE'],
    load: () => import('./screens/admin-catalog.js'),
  },
];
