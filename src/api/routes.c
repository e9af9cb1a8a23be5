#include "api/api.h"

/* Rows leave out the last column, body_max (0: HTTP_BODY_MAX), unless
 * they need more; that is the point of a table, not an oversight. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define J   ROUTE_JSON
#define P   ROUTE_PUBLIC
#define ANY ROLE_ANY
/* 3 documents of 5 MiB, the fields and the multipart framing. */
#define COMPLAINT_BODY_MAX (16u << 20)
/* Who reads reports and deadlines: those who build, approve, send them. */
#define REPORTERS                                                             \
	(ROLE_CONTROL | ROLE_GERENTE | ROLE_DIRECTOR | ROLE_REGULATORIO |     \
	 ROLE_ADMIN)

/* The whole HTTP surface: API.md, one row per route. */
const struct route api_routes[] = {
	{"GET", "/healthz", api_healthz, ANY, P | ROUTE_RAW},
	{"GET", "/metrics", api_metrics, ANY, P | ROUTE_RAW},
	{"GET", "/api/v1/openapi.json", api_openapi, ANY, 0},
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
	/* Control and contingency (V1-V3, E1-E2, T1, K1-K2) */
	{"GET", "/api/v1/events/:id/evaluation", api_events_evaluation, ANY,
	 0},
	{"GET", "/api/v1/events/:id/control", api_events_control, ANY, 0},
	{"GET", "/api/v1/events/:id/critical", api_critical_list, ANY, 0},
	{"POST", "/api/v1/events/:id/critical", api_critical_create,
	 ROLE_JEFE | ROLE_ADMIN, J},
	{"POST", "/api/v1/events/:id/critical/:cid/reference",
	 api_critical_reference, ROLE_JEFE | ROLE_ADMIN, J},
	{"GET", "/api/v1/events/:id/operational-alerts",
	 api_events_alerts_list, ANY, 0},
	{"POST", "/api/v1/events/:id/operational-alerts",
	 api_events_alerts_create, ROLE_CONTROL, J},
	{"POST", "/api/v1/events/:id/rule-out", api_events_rule_out,
	 ROLE_CONTROL, J},
	{"GET", "/api/v1/events/:id/processes-request", api_processes_get, ANY,
	 0},
	{"POST", "/api/v1/events/:id/processes-request", api_processes_request,
	 ROLE_CONTROL, ROUTE_JSON_OPT},
	{"POST", "/api/v1/events/:id/processes-ruling", api_processes_ruling,
	 ROLE_PROCESOS, J},
	{"GET", "/api/v1/control/events", api_control_events, ROLE_CONTROL, 0},
	{"GET", "/api/v1/processes/requests", api_processes_list,
	 ROLE_CONTROL | ROLE_PROCESOS, 0},
	{"GET", "/api/v1/processes/desk", api_processes_desk,
	 ROLE_CONTROL | ROLE_PROCESOS, 0},
	{"POST", "/api/v1/processes/absence", api_processes_absence_start,
	 ROLE_PROCESOS, ROUTE_JSON_OPT},
	{"DELETE", "/api/v1/processes/absence", api_processes_absence_end,
	 ROLE_PROCESOS, 0},
	{"POST", "/api/v1/manual-forms", api_manual_forms_issue,
	 ROLE_JEFE | ROLE_CONTROL | ROLE_ADMIN, J},
	{"GET", "/api/v1/manual-forms", api_manual_forms_list, ANY, 0},
	{"GET", "/api/v1/manual-forms/:serial/pdf", api_manual_forms_pdf, ANY,
	 0},
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
	{"GET", "/api/v1/deadlines", api_deadlines, REPORTERS | ROLE_PROCESOS,
	 0},
	/* Complaints (Q1-Q5).  The intake is public (the web form) or the
	 * platform's bearer token, checked by the handler; JSON or
	 * multipart with up to 3 documents of 5 MiB, hence its own cap. */
	{"POST", "/api/v1/complaints", api_complaints_create, ANY, P,
	 COMPLAINT_BODY_MAX},
	{"GET", "/api/v1/complaint-matters", api_complaint_matters_list, ANY,
	 P},
	{"PUT", "/api/v1/complaint-matters/:code",
	 api_complaint_matters_update, ROLE_ADMIN, J},
	{"GET", "/api/v1/complaints", api_complaints_list, ROLE_RECLAMOS, 0},
	{"GET", "/api/v1/complaints/:id", api_complaints_get, ROLE_RECLAMOS,
	 0},
	{"POST", "/api/v1/complaints/:id/transition",
	 api_complaints_transition, ROLE_RECLAMOS, J},
	{"GET", "/api/v1/complaints/:id/documents/:doc",
	 api_complaints_document, ROLE_RECLAMOS, 0},
	{"GET", "/api/v1/complaints/:id/audit", api_complaints_audit,
	 ROLE_RECLAMOS, 0},
};

const size_t api_n_routes = sizeof(api_routes) / sizeof(api_routes[0]);
