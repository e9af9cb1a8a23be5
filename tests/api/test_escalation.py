"""SPEC V3: the 24-hour escalation of a Procesos request to the backups,
without waiting 24 hours: `inop jobs run --now TIME` runs the same step as
the once-a-minute timer of `serve`, on the database a server is using
(another process, like a second node).  Its own database and server, so
that who is a PROCESOS primary and who is absent is known exactly; the
mails are read from the outbox of that database."""

import datetime as dt
import os
import subprocess

import inoptest as t
from inoptest import ApiTest, event_payload, iso, now

BACKUPS = "virginia.sotelo@example.pe,milagros.velasco@example.pe"


class Escalation(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(t.CTX.tmp, "escalation")
        os.makedirs(cls.dir, exist_ok=True)
        cls.db = os.path.join(cls.dir, "esc.db")
        admin_url = os.environ.get("INOP_TEST_PG_ADMIN_URL")
        if admin_url and os.environ.get("INOP_TEST_DB_URL"):
            # the suite runs on PostgreSQL: so does this database
            name = "inop_esc_" + t.CTX.run_id.lower()
            subprocess.run([cls.psql(), "-q", admin_url, "-c",
                            "CREATE DATABASE " + name], check=True,
                           capture_output=True, timeout=60)
            cls.db = os.environ["INOP_TEST_DB_URL"].rsplit("/", 1)[0] \
                + "/" + name
        pw = "Clave-admin-escalada-" + t.CTX.run_id
        f = t.write_secret(os.path.join(cls.dir, "pw"), pw)
        p = t.run_inop(["init", "--db", cls.db, "--admin-password-file", f])
        assert p.returncode == 0, p.stderr
        cls.server = t.Server(t.CTX.inop, cls.db, cls.dir, name="esc-serve",
                              extra_args=["--procesos_backups", BACKUPS])
        cls.server.wait_healthy()
        cls.admin = cls.client("admin", pw)
        cls.points = []
        for i in range(8):
            code = "ESC-%s-%d" % (t.CTX.run_id, i)
            cls.call("POST", "/api/v1/points", cls.admin,
                     t.point_body(code=code))
            cls.points.append(code)
        cls.jefe = cls.user("jefe.esc", ["JEFE"], cls.points)
        cls.control = cls.user("control.esc", ["CONTROL"])
        cls.primary = cls.user("marcelo.linares", ["PROCESOS"])
        # a backup who also uses Inop: not a primary
        cls.backup = cls.user("virginia.sotelo", ["PROCESOS"])
        cls._free = list(cls.points)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    @staticmethod
    def psql():
        return os.path.join(os.environ.get("INOP_TEST_PG_BINDIR", "/usr/bin"),
                            "psql")

    def query(self, sql):
        """Rows of `sql` on this class's database, fields split on |."""
        if self.db.startswith("postgresql://"):
            args = [self.psql(), "-At", "-F", "|", self.db, "-c", sql]
        else:
            args = ["sqlite3", "-separator", "|", self.db, sql]
        out = subprocess.run(args, capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return [line.split("|") for line in out.stdout.decode().splitlines()
                if line]

    @classmethod
    def call(cls, method, path, client, body=t._NOBODY):
        r = t.Client(token=client.token, port=cls.server.port).request(
            method, path, body)
        return r

    @classmethod
    def client(cls, username, password):
        r = t.Client(port=cls.server.port).post(
            "/api/v1/session", {"username": username, "password": password})
        assert r.status == 200, r
        return t.Client(token=r.json["token"], username=username,
                        port=cls.server.port)

    @classmethod
    def user(cls, username, roles, points=()):
        body = t.user_body(roles, points, username=username)
        body["email"] = username + "@example.pe"
        r = cls.call("POST", "/api/v1/users", cls.admin, body)
        assert r.status == 201, r
        return cls.client(username, body["password"])

    def take_point(self):
        return self._free.pop(0)

    def requested_event(self):
        p = self.take_point()
        r = self.jefe.post("/api/v1/events", event_payload(p))
        self.assertStatus(r, 201)
        ev = r.json
        r = self.jefe.post("/api/v1/events/%s/close" % ev["id"], {
            "ended_at": iso(now()), "closure_reason": "SIN_FLUIDO_ELECTRICO"})
        self.assertStatus(r, 200)
        r = self.control.post("/api/v1/events/%s/processes-request"
                              % ev["id"])
        self.assertStatus(r, 201)
        return ev, r.json

    def escalate(self, at=None, backups=BACKUPS):
        """One run of the timers at `at` (default: now), as another node."""
        args = ["jobs", "run", "--db", self.db, "--procesos_backups",
                backups]
        if at is not None:
            args += ["--now", t.iso_z(at)]
        p = t.run_inop(args)
        self.assertEqual(p.returncode, 0,
                         p.stdout.decode() + p.stderr.decode())

    def mails(self, q):
        """The escalation mails queued for request q: [(to, subject)]."""
        return [tuple(row) for row in self.query(
            "SELECT recipients, subject FROM outbox WHERE trigger = "
            "'processes.escalation' AND dedupe_key = "
            "'processes.escalation:%d'" % q["id"])]

    def request_of(self, ev):
        r = self.control.get("/api/v1/events/%s/processes-request" % ev["id"])
        self.assertStatus(r, 200)
        return r.json

    def escalations_audited(self, ev):
        r = self.admin.get("/api/v1/events/%s/audit" % ev["id"])
        return [i for i in r.json["items"]
                if i["action"] == "event.processes_escalate"]

    def test_v3_not_escalated_before_24_hours(self):
        ev, q = self.requested_event()
        asked = t.parse_time(q["requested_at"])
        self.escalate(asked + dt.timedelta(hours=23, minutes=59))
        got = self.request_of(ev)
        self.assertIsNone(got["escalated_at"])
        self.assertEqual(got["status"], "PENDIENTE")
        self.assertFalse(got["overdue"])
        self.assertEqual(self.mails(q), [])

    def test_v3_escalated_at_24_hours_to_the_backups_once(self):
        ev, q = self.requested_event()
        at = t.parse_time(q["due_at"]) + dt.timedelta(minutes=1)
        self.escalate(at)
        got = self.request_of(ev)
        self.assertSameInstant(got["escalated_at"], t.iso_z(at))
        self.assertEqual(got["escalation_reason"], "VENCIDA")
        self.assertEqual(got["escalated_to"], BACKUPS.split(","))
        self.assertEqual(got["status"], "VENCIDA")
        self.assertTrue(got["overdue"])
        mails = self.mails(q)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0][0], BACKUPS)
        self.assertIn(ev["number"], mails[0][1])
        # two more runs (another node, the next minute): nothing more
        self.escalate(at)
        self.escalate(at + dt.timedelta(minutes=1))
        self.assertEqual(len(self.mails(q)), 1)
        self.assertEqual(len(self.escalations_audited(ev)), 1)
        self.assertSameInstant(self.request_of(ev)["escalated_at"],
                               t.iso_z(at))
        check = {c["code"]: c for c in self.control.get(
            "/api/v1/events/%s/evaluation" % ev["id"]).json["checks"]}
        self.assertEqual(check["PROCESOS_RULING"]["status"], "FALLA")
        # a late ruling is still taken and resolves it
        r = self.primary.post("/api/v1/events/%s/processes-ruling" % ev["id"],
                              {"ruling": "PROCEDE", "reason": "Tarde"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "RESUELTA")

    def test_v3_two_nodes_at_once_escalate_once(self):
        evs = [self.requested_event() for _ in range(2)]
        at = max(t.parse_time(q["due_at"]) for _, q in evs) \
            + dt.timedelta(minutes=2)
        args = [t.CTX.inop, "jobs", "run", "--db", self.db,
                "--procesos_backups", BACKUPS, "--now", t.iso_z(at)]
        procs = [subprocess.Popen(args, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(4)]
        for p in procs:
            _out, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
        for ev, q in evs:
            self.assertTrue(self.request_of(ev)["escalated_at"])
            self.assertEqual(len(self.mails(q)), 1)
            self.assertEqual(len(self.escalations_audited(ev)), 1)

    def test_v3_absent_primary_escalates_at_once_and_back_stops_it(self):
        desk = self.primary.get("/api/v1/processes/desk").json
        self.assertEqual(desk["primaries_present"], 1)
        self.assertEqual(desk["backups"], BACKUPS.split(","))
        people = {p["username"]: p for p in desk["people"]}
        self.assertTrue(people["virginia.sotelo"]["backup"])
        self.assertFalse(people["marcelo.linares"]["backup"])
        until = iso(now() + dt.timedelta(days=3))
        r = self.primary.post("/api/v1/processes/absence",
                              {"until": until, "note": "Vacaciones"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["primaries_present"], 0)
        me = {p["username"]: p for p in r.json["people"]}["marcelo.linares"]
        self.assertTrue(me["absent"])
        self.assertSameInstant(me["absent_until"], until)
        try:
            ev, q = self.requested_event()
            # right away, not 24 hours later (this run, or the server's
            # own timer if it came first)
            self.escalate()
            got = self.request_of(ev)
            self.assertEqual(got["escalation_reason"], "AUSENCIA")
            self.assertEqual(got["escalated_to"], BACKUPS.split(","))
            self.assertTrue(got["overdue"])
            self.escalate()
            self.assertEqual(len(self.mails(q)), 1)
            self.assertEqual(len(self.escalations_audited(ev)), 1)
            # the backup rules it
            r = self.backup.post("/api/v1/events/%s/processes-ruling"
                                 % ev["id"], {"ruling": "NO_PROCEDE",
                                              "reason": "Fuera de horario"})
            self.assertStatus(r, 200)
        finally:
            r = self.primary.delete("/api/v1/processes/absence")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["primaries_present"], 1)
        ev2, q2 = self.requested_event()
        self.escalate()
        self.assertIsNone(self.request_of(ev2)["escalated_at"])
        self.assertEqual(self.mails(q2), [])
        self.assertError(self.primary.delete("/api/v1/processes/absence"),
                         409, "NOT_ABSENT")

    def test_v3_request_mails_the_procesos_users(self):
        ev, q = self.requested_event()
        rows = self.query("SELECT recipients, subject FROM outbox WHERE "
                          "trigger = 'processes.request' AND subject LIKE "
                          "'%%%s%%'" % ev["number"])
        self.assertEqual(len(rows), 1, rows)
        to = set(rows[0][0].split(","))
        self.assertEqual(to, {"marcelo.linares@example.pe",
                              "virginia.sotelo@example.pe"})

    def test_v2_operational_alert_mails_the_points_jefes(self):
        ev, _q = self.requested_event()
        r = self.control.post("/api/v1/events/%s/operational-alerts"
                              % ev["id"], {"text": "Revise el registro"})
        self.assertStatus(r, 201)
        rows = self.query("SELECT recipients FROM outbox WHERE trigger = "
                          "'event.operational_error' AND subject LIKE "
                          "'%%%s%%' AND body_text LIKE '%%Revise el "
                          "registro%%'" % ev["number"])
        self.assertEqual(rows, [["jefe.esc@example.pe"]])

    def test_v3_absence_rules(self):
        self.assertError(self.control.post("/api/v1/processes/absence", {}),
                         403)
        self.assertError(self.primary.post(
            "/api/v1/processes/absence",
            {"until": iso(now() - dt.timedelta(hours=1))}), 422,
            "VALIDATION", "until")
        self.assertError(self.jefe.get("/api/v1/processes/desk"), 403)
        self.assertStatus(self.control.get("/api/v1/processes/desk"), 200)
