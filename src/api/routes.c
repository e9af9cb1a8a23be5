#include "api/api.h"

#define J ROUTE_JSON
#define P ROUTE_PUBLIC
#define ANY ROLE_ANY

/* The whole HTTP surface: API.md, one row per route. */
const struct route api_routes[] = {
	{"GET", "/healthz", api_healthz, ANY, P | ROUTE_RAW},
	{"GET", "/metrics", api_metrics, ANY, P | ROUTE_RAW},
	{"POST", "/api/v1/session", api_session_create, ANY, P | J},
	{"GET", "/api/v1/session", api_session_get, ANY, 0},
	{"DELETE", "/api/v1/session", api_session_delete, ANY, 0},
	{"GET", "/api/v1/catalog", api_catalog, ANY, 0},
	{"POST", "/api/v1/points", api_points_create, ROLE_ADMIN, J},
	{"GET", "/api/v1/points", api_points_list, ANY, 0},
	{"POST", "/api/v1/users", api_users_create, ROLE_ADMIN, J},
	{"GET", "/api/v1/users", api_users_list, ROLE_ADMIN, 0},
	{"POST", "/api/v1/events", api_events_create, ROLE_JEFE | ROLE_ADMIN,
	 J},
	{"GET", "/api/v1/events", api_events_list, ANY, 0},
	{"GET", "/api/v1/events/:id", api_events_get, ANY, 0},
	{"POST", "/api/v1/events/:id/requests", api_events_add_requests,
	 ROLE_JEFE | ROLE_ADMIN, J},
	{"POST", "/api/v1/events/:id/close", api_events_close,
	 ROLE_JEFE | ROLE_SOPORTE | ROLE_ADMIN, J},
	{"POST", "/api/v1/events/:id/annotations", api_events_annotate,
	 ROLE_CONTROL, J},
	{"GET", "/api/v1/events/:id/audit", api_events_audit, ANY, 0},
	{"POST", "/api/v1/mass-failure-alerts", api_alerts_create, ROLE_JEFE,
	 J},
	{"GET", "/api/v1/mass-failure-alerts", api_alerts_list, ANY, 0},
	{"GET", "/api/v1/mass-failure-alerts/:id", api_alerts_get, ANY, 0},
	{"GET", "/api/v1/mass-failure-alerts/:id/audit", api_alerts_audit, ANY,
	 0},
	{"POST", "/api/v1/mass-failure-alerts/:id/confirm", api_alerts_confirm,
	 ROLE_FALLAS, J},
	{"POST", "/api/v1/mass-failure-alerts/:id/discard", api_alerts_discard,
	 ROLE_FALLAS, J},
	{"POST", "/api/v1/mass-failures", api_mass_failures_create,
	 ROLE_FALLAS, J},
	{"GET", "/api/v1/mass-failures", api_mass_failures_list, ANY, 0},
	{"GET", "/api/v1/mass-failures/:id", api_mass_failures_get, ANY, 0},
	{"POST", "/api/v1/mass-failures/:id/close", api_mass_failures_close,
	 ROLE_SOPORTE, J},
	{"GET", "/api/v1/mass-failures/:id/audit", api_mass_failures_audit,
	 ANY, 0},
	{"GET", "/api/v1/monitoring", api_monitoring,
	 ROLE_SOPORTE | ROLE_FALLAS | ROLE_CONTROL | ROLE_ADMIN, 0},
	/* Authenticated by its own token (alertmanager_token), not a
	 * session. */
	{"POST", "/api/v1/integrations/alertmanager", api_alertmanager, ANY,
	 P | J},
	{"GET", "/api/v1/calendar/add-business-days", api_calendar_add, ANY,
	 0},
	{"GET", "/api/v1/calendar/holidays", api_calendar_holidays, ANY, 0},
};

const size_t api_n_routes = sizeof(api_routes) / sizeof(api_routes[0]);
