#include "api/api.h"

#define J ROUTE_JSON
#define P ROUTE_PUBLIC
#define ANY ROLE_ANY
/* Who reads reports and deadlines: those who build, approve, send them. */
#define REPORTERS                                                      \
	(ROLE_CONTROL | ROLE_GERENTE | ROLE_DIRECTOR | ROLE_REGULATORIO | \
	 ROLE_ADMIN)

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
	{"GET", "/api/v1/calendar/add-business-days", api_calendar_add, ANY,
	 0},
	{"GET", "/api/v1/calendar/holidays", api_calendar_holidays, ANY, 0},
	{"GET", "/api/v1/calendar/non-working-days", api_calendar_extra_list,
	 ANY, 0},
	{"POST", "/api/v1/calendar/non-working-days", api_calendar_extra_add,
	 ROLE_ADMIN, J},
	{"DELETE", "/api/v1/calendar/non-working-days/:date",
	 api_calendar_extra_remove, ROLE_ADMIN, 0},
	{"POST", "/api/v1/reports", api_reports_create, ROLE_CONTROL, J},
	{"GET", "/api/v1/reports", api_reports_list, REPORTERS, 0},
	{"GET", "/api/v1/reports/:id", api_reports_get, REPORTERS, 0},
	{"POST", "/api/v1/reports/:id/transition", api_reports_transition,
	 ROLE_CONTROL | ROLE_GERENTE | ROLE_DIRECTOR | ROLE_REGULATORIO, J},
	{"GET", "/api/v1/reports/:id/export", api_reports_export, REPORTERS,
	 0},
	{"GET", "/api/v1/reports/:id/audit", api_reports_audit, REPORTERS, 0},
	{"GET", "/api/v1/deadlines", api_deadlines,
	 REPORTERS | ROLE_PROCESOS, 0},
};

const size_t api_n_routes = sizeof(api_routes) / sizeof(api_routes[0]);
