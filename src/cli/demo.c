/*
 * inop demo: a database with demo points, users and events, then serve.
 * The demo data goes through the same rules and store functions as the
 * API; run again on the same database it only serves.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "store/alerts.h"
#include "store/events.h"
#include "store/mass_failures.h"
#include "store/points.h"
#include "store/store.h"
#include "store/users.h"
#include "util/clock.h"
#include "util/password.h"
#include "util/str.h"

#define DEMO_PASSWORD "demo-inop-2026"

static const struct {
	const char *code, *name, *type, *region, *lines;
} demo_points[] = {
	{"CAC-LIMA-CENTRO", "CAC Lima Centro", "CAC", "Lima", ""},
	{"CAC-SAN-ISIDRO", "CAC San Isidro", "CAC", "Lima", ""},
	{"CAC-AREQUIPA", "CAC Arequipa Mall Aventura", "CAC", "Arequipa", ""},
	{"ACD-TRUJILLO", "ACD Trujillo Centro", "ACD", "La Libertad", ""},
	{"CC-123", "Call Center 123", "CALL_CENTER", "Lima", "123"},
	{"CC-135", "Call Center 135", "CALL_CENTER", "Lima", "135"},
};

static const struct {
	const char *username, *name, *roles, *points;
} demo_users[] = {
	{"jefe.lima", "Rosa Quispe (Jefa CAC Lima)", "JEFE",
	 "CAC-LIMA-CENTRO,CAC-SAN-ISIDRO"},
	{"jefe.sur", "Carlos Mamani (Jefe Arequipa y Trujillo)", "JEFE",
	 "CAC-AREQUIPA,ACD-TRUJILLO"},
	{"jefe.callcenter", "Lucía Flores (Coordinadora Call Center)", "JEFE",
	 "CC-123,CC-135"},
	{"fallas", "Mesa de Fallas de Sistemas y Plataforma", "FALLAS", ""},
	{"soporte", "Soporte Postventa - Tecnología", "SOPORTE", ""},
	{"control", "Control e Información", "CONTROL", ""},
	{"procesos", "Mejora de Procesos", "PROCESOS", ""},
	{"gerente", "Gerente de Atención al Cliente", "GERENTE", ""},
	{"director", "Director de Atención al Cliente", "DIRECTOR", ""},
	{"regulatorio", "Asuntos Regulatorios", "REGULATORIO", ""},
	{"reclamos", "Mesa de Reclamos", "RECLAMOS", ""},
};

struct demo_event {
	const char *user, *point, *procedure, *requests, *apps, *scenario,
		*cause;
	int start_min_ago, duration_min; /* duration 0: still open */
	const char *reason, *justification;
};

static const struct demo_event demo_events[] = {
	{"jefe.lima", "CAC-LIMA-CENTRO", "CONSULTAS",
	 "MIGRACION_PLAN,BLOQUEO_DESBLOQUEO_LINEA_EQUIPO", "SIAC_UNICO",
	 "EVENTO_NO_PREVISTO", "CORTE_LUZ", 3 * 1440 + 300, 100,
	 "SIN_FLUIDO_ELECTRICO", ""},
	{"jefe.callcenter", "CC-123", "RECLAMOS", "RECLAMO,APELACION",
	 "WEB_ASESOR_RECLAMOS", "EVENTO_NO_PREVISTO", "INFRAESTRUCTURA",
	 1440 + 200, 45, "ERROR_USUARIO",
	 "Registrado por error: el aplicativo funcionaba en otras PCs"},
	{"jefe.sur", "CAC-AREQUIPA", "ALTAS", "CONTRATACION,PORTABILIDAD",
	 "SISACT,SICAR", "EVENTO_NO_PREVISTO", "INFRAESTRUCTURA", 1440 + 30,
	 75, "INFRAESTRUCTURA_PUNTO", ""},
	{"jefe.sur", "ACD-TRUJILLO", "CONSULTAS", "REPOSICION_CHIP",
	 "SIAC_UNICO", "EVENTO_NO_PREVISTO", "INUNDACION", 130, 0, NULL, NULL},
	{"jefe.lima", "CAC-SAN-ISIDRO", "BAJAS", "BAJA_SERVICIO", "SGA",
	 "EVENTO_NO_PREVISTO", "CORTE_LUZ", 40, 0, NULL, NULL},
	{"admin", "CC-135", "CONSULTAS", "INFORMATIVA", "SIAC_UNICO", "PRUEBA",
	 "", 20, 5, "ERROR_USUARIO",
	 "Prueba del registro por el área autorizada"},
};

static int add_points(struct db *db, time_t now)
{
	struct inop_err e;

	for (size_t i = 0; i < sizeof(demo_points) / sizeof(demo_points[0]);
	     i++) {
		struct point p = {0};

		/* the demo's literals fit their fields (here and below) */
		(void)str_copy(p.ref.code, sizeof(p.ref.code),
			       demo_points[i].code);
		(void)str_copy(p.ref.name, sizeof(p.ref.name),
			       demo_points[i].name);
		(void)str_copy(p.ref.type, sizeof(p.ref.type),
			       demo_points[i].type);
		(void)str_copy(p.ref.channel, sizeof(p.ref.channel),
			       strcmp(demo_points[i].type, "CALL_CENTER") == 0
				       ? "TELEFONICO"
				       : "PRESENCIAL");
		(void)str_copy(p.ref.region, sizeof(p.ref.region),
			       demo_points[i].region);
		codes_from_csv(&p.lines, demo_points[i].lines);
		if (store_point_insert(db, &p, "inop-demo", now, &e) < 0)
			return -1;
	}
	return 0;
}

static int add_users(struct db *db, time_t now)
{
	struct inop_err e;

	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]);
	     i++) {
		struct user u = {0};
		char pts[256];
		const char *codes[8];
		size_t n = 0;

		(void)str_copy(u.username, sizeof(u.username),
			       demo_users[i].username);
		(void)str_copy(u.name, sizeof(u.name), demo_users[i].name);
		(void)str_printf(u.email, sizeof(u.email), "%s@demo.inop.pe",
				 demo_users[i].username);
		u.roles = roles_from_csv(demo_users[i].roles);
		(void)str_copy(pts, sizeof(pts), demo_users[i].points);
		for (char *p = pts; *p && n < 8;) {
			char *comma = strchr(p, ',');

			if (comma)
				*comma = '\0';
			codes[n++] = p;
			if (!comma)
				break;
			p = comma + 1;
		}
		if (password_hash(DEMO_PASSWORD, u.password_hash) < 0 ||
		    store_user_insert(db, &u, codes, n, "inop-demo", now, &e) <
			    0)
			return -1;
	}
	return 0;
}

struct demo_close {
	const struct demo_event *d;
	const struct actor *who;
	int64_t ended_at;
};

static int demo_decide_close(struct db *db, struct event *ev, void *arg,
			     struct inop_err *e)
{
	struct demo_close *c = arg;

	(void)db;
	(void)e;
	ev->open = 0;
	ev->ended_at = c->ended_at;
	(void)str_copy(ev->closure_reason, sizeof(ev->closure_reason),
		       c->d->reason);
	(void)str_copy(ev->justification, sizeof(ev->justification),
		       c->d->justification);
	(void)str_copy(ev->closed_by, sizeof(ev->closed_by), c->who->username);
	(void)str_copy(ev->closed_by_name, sizeof(ev->closed_by_name),
		       c->who->name);
	return 0;
}

static int add_event(struct db *db, const struct catalog *cat,
		     const struct demo_event *d, int64_t now)
{
	static struct event ev;
	struct user u = {0};
	struct point p;
	struct actor a = {0};
	struct rule_ctx ctx;
	struct inop_err e;
	struct demo_close c = {.d = d, .who = &a};
	int64_t open_id;
	char key[24];

	if (store_user_by_username(db, d->user, &u) != 1 ||
	    store_point_by_code(db, d->point, &p) != 1)
		return -1;
	a.id = u.id;
	a.roles = u.roles;
	(void)str_copy(a.username, sizeof(a.username), u.username);
	(void)str_copy(a.name, sizeof(a.name), u.name);
	user_release(&u);
	memset(&ev, 0, sizeof(ev));
	ev.point = p.ref;
	(void)str_copy(ev.procedure, sizeof(ev.procedure), d->procedure);
	codes_from_csv(&ev.requests, d->requests);
	codes_from_csv(&ev.applications, d->apps);
	(void)str_copy(ev.scenario, sizeof(ev.scenario), d->scenario);
	(void)str_copy(ev.cause, sizeof(ev.cause), d->cause);
	(void)str_copy(ev.origin, sizeof(ev.origin), "SISTEMA");
	ev.started_at = now - (int64_t)d->start_min_ago * 60;
	ev.attest_total = 1;
	ctx = (struct rule_ctx){
		.roles = a.roles,
		.jefe_of_point = store_user_has_point(db, a.id, p.ref.id),
		.point_active = 1,
		.now = now};
	if (registration_check(cat, &ctx, &ev, &e) < 0 ||
	    store_event_register(db, &ev, &a, now, &open_id, NULL, NULL, &e) <
		    0) {
		fprintf(stderr, "inop: demo event refused: %s\n", e.message);
		return -1;
	}
	if (!d->duration_min)
		return 0;
	c.ended_at = ev.started_at + (int64_t)d->duration_min * 60;
	if (closure_check(cat, &ctx, &ev, d->reason, d->justification,
			  c.ended_at, &e) < 0) {
		fprintf(stderr, "inop: demo closure refused: %s\n", e.message);
		return -1;
	}
	(void)str_printf(key, sizeof(key), "%lld", (long long)ev.id);
	return store_event_change(db, key, "event.close", demo_decide_close,
				  &c, &a, now, &ev, &e);
}

static int demo_actor(struct db *db, const char *username, struct actor *a)
{
	struct user u = {0};
	int rc = store_user_by_username(db, username, &u);

	*a = (struct actor){.id = u.id, .roles = u.roles};
	(void)str_copy(a->username, sizeof(a->username), u.username);
	(void)str_copy(a->name, sizeof(a->name), u.name);
	user_release(&u);
	return rc == 1 ? 0 : -1;
}

/*
 * M1-M2: an open mass failure of SIAC ÚNICO with an event registered
 * under it (for SOPORTE to close), and a pending alert for the Fallas
 * desk.
 */
static int add_mass_failure(struct db *db, const struct catalog *cat,
			    int64_t now)
{
	static struct mass_failure mf;
	static struct mf_alert al;
	static struct event ev;
	struct actor fallas, jefe, cc;
	struct point p;
	struct rule_ctx ctx;
	struct inop_err e;
	int64_t open_id;
	int created;

	if (demo_actor(db, "fallas", &fallas) < 0 ||
	    demo_actor(db, "jefe.lima", &jefe) < 0 ||
	    demo_actor(db, "jefe.callcenter", &cc) < 0)
		return -1;
	codes_add(&mf.applications, "SIAC_UNICO");
	mf.started_at = now - 60 * 60;
	(void)str_copy(mf.cause, sizeof(mf.cause), "FALLA_MASIVA_APLICATIVO");
	(void)str_copy(mf.description, sizeof(mf.description),
		       "SIAC ÚNICO no responde en todos los CAC (demo)");
	if (store_mf_declare(db, &mf, &fallas, now, NULL, NULL, &e) < 0 ||
	    store_point_by_code(db, "CAC-LIMA-CENTRO", &p) != 1)
		return -1;
	ev.point = p.ref;
	(void)str_copy(ev.procedure, sizeof(ev.procedure), "CONSULTAS");
	codes_add(&ev.requests, "CAMBIO_TITULARIDAD");
	codes_add(&ev.applications, "SIAC_UNICO");
	(void)str_copy(ev.scenario, sizeof(ev.scenario), "FALLA_MASIVA");
	(void)str_copy(ev.origin, sizeof(ev.origin), "SISTEMA");
	ev.mass_failure_id = mf.id;
	ev.started_at = now - 45 * 60;
	ev.attest_total = 1;
	ctx = (struct rule_ctx){.roles = jefe.roles,
				.jefe_of_point = 1,
				.point_active = 1,
				.mass_failure_ok = 1,
				.now = now};
	if (registration_check(cat, &ctx, &ev, &e) < 0 ||
	    store_event_register(db, &ev, &jefe, now, &open_id, NULL, NULL,
				 &e) < 0 ||
	    store_point_by_code(db, "CC-135", &p) != 1)
		return -1;
	(void)str_copy(al.source, sizeof(al.source), "JEFE");
	al.point = p.ref;
	codes_add(&al.applications, "SGA");
	al.observed_at = now - 10 * 60;
	(void)str_copy(
		al.description, sizeof(al.description),
		"SGA no carga para ningún asesor de la línea 135 (demo)");
	return store_alert_raise(db, &al, &cc, now, NULL, NULL, &created, &e);
}

static int demo_seed(const struct config *cfg)
{
	struct catalog cat = {0};
	struct inop_err e;
	struct user u = {0};
	time_t now = (time_t)clock_wall_s();
	struct db *db = cli_open_db(cfg);
	int rc = -1, have;

	if (!db)
		return -1;
	have = store_user_by_username(db, "jefe.lima", &u);
	user_release(&u);
	if (have != 0) {
		db_close(db);
		return have < 0 ? -1 : 0;
	}
	memset(&u, 0, sizeof(u));
	if (store_user_by_username(db, "admin", &u) == 0) {
		(void)str_copy(u.username, sizeof(u.username), "admin");
		(void)str_copy(u.name, sizeof(u.name), "Administrador");
		(void)str_copy(u.email, sizeof(u.email), "admin@demo.inop.pe");
		u.roles = ROLE_ADMIN;
		if (password_hash(DEMO_PASSWORD, u.password_hash) < 0 ||
		    store_user_insert(db, &u, NULL, 0, "inop-demo", now, &e) <
			    0)
			goto out;
	}
	user_release(&u);
	if (store_load_catalog(db, &cat, &e) < 0 || add_points(db, now) < 0 ||
	    add_users(db, now) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(demo_events) / sizeof(demo_events[0]);
	     i++)
		if (add_event(db, &cat, &demo_events[i], now) < 0)
			goto out;
	if (add_mass_failure(db, &cat, now) < 0)
		goto out;
	rc = 0;
out:
	catalog_release(&cat);
	db_close(db);
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop demo [--db PATH] [--listen HOST:PORT]\n"
		"Creates (once) demo points, users and events in the database "
		"(default\ninop-demo.db), prints the logins and serves it "
		"like "
		"'inop serve'.\n";
	struct config cfg;
	struct opts o;
	int db_given = 0;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	for (int i = 0; i < argc; i++)
		db_given |= strcmp(argv[i], "--db") == 0;
	if (cli_parse(argc, argv, NULL, &cfg, &o) < 0)
		return 2;
	if (!db_given)
		(void)str_copy(cfg.db, sizeof(cfg.db), "inop-demo.db");
	if (demo_seed(&cfg) < 0) {
		fprintf(stderr, "inop: cannot create the demo data\n");
		return 1;
	}
	printf("\nInop demo: http://%s/\n"
	       "Logins (password for all: %s):\n"
	       "  admin            ADMIN\n",
	       cfg.listen, DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
		printf("  %-16s %s %s\n", demo_users[i].username,
		       demo_users[i].roles, demo_users[i].points);
	printf("\n");
	fflush(stdout);
	return serve_run(&cfg);
}
