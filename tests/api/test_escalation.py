"""SPEC V3: the 24-hour escalation of a Procesos request to the backups,
without waiting 24 hours: `inop processes escalate --now TIME` runs the
same step as the once-a-minute timer, on the database a server is using
(another process, like a second node).  Its own database and server, so
that who is a PROCESOS primary and who is absent is known exactly."""

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
        args = ["processes", "escalate", "--db", self.db,
                "--procesos_backups", backups]
        if at is not None:
            args += ["--now", t.iso_z(at)]
        p = t.run_inop(args)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        return int(out.split()[1])

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
        self.assertEqual(self.escalate(asked + dt.timedelta(hours=23,
                                                             minutes=59)), 0)
        got = self.request_of(ev)
        self.assertIsNone(got["escalated_at"])
        self.assertEqual(got["status"], "PENDIENTE")
        self.assertFalse(got["overdue"])

    def waiting_due(self, at):
        """Requests still waiting whose 24 hours are up at `at`."""
        r = self.control.get("/api/v1/processes/requests?status=PENDIENTE"
                             "&limit=500")
        return sum(1 for i in r.json["items"]
                   if t.parse_time(i["due_at"]) <= at)

    def test_v3_escalated_at_24_hours_to_the_backups_once(self):
        ev, q = self.requested_event()
        at = t.parse_time(q["due_at"]) + dt.timedelta(minutes=1)
        due = self.waiting_due(at)
        self.assertGreaterEqual(due, 1)
        self.assertEqual(self.escalate(at), due)
        got = self.request_of(ev)
        self.assertSameInstant(got["escalated_at"], t.iso_z(at))
        self.assertEqual(got["escalation_reason"], "VENCIDA")
        self.assertEqual(got["escalated_to"], BACKUPS.split(","))
        self.assertEqual(got["status"], "VENCIDA")
        self.assertTrue(got["overdue"])
        # two more runs (another node, the next minute): nothing more
        self.assertEqual(self.escalate(at), 0)
        self.assertEqual(self.escalate(at + dt.timedelta(minutes=1)), 0)
        self.assertEqual(len(self.escalations_audited(ev)), 1)
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
        args = [t.CTX.inop, "processes", "escalate", "--db", self.db,
                "--procesos_backups", BACKUPS, "--now", t.iso_z(at)]
        due = self.waiting_due(at)
        procs = [subprocess.Popen(args, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(4)]
        total = 0
        for p in procs:
            out, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
            total += int(out.decode().split()[1])
        mine = [self.request_of(ev) for ev, _ in evs]
        self.assertTrue(all(m["escalated_at"] for m in mine))
        self.assertEqual(total, due)
        for ev, _ in evs:
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
            # right away, not 24 hours later
            self.assertGreaterEqual(self.escalate(), 1)
            got = self.request_of(ev)
            self.assertEqual(got["escalation_reason"], "AUSENCIA")
            self.assertEqual(got["escalated_to"], BACKUPS.split(","))
            self.assertTrue(got["overdue"])
            self.assertEqual(self.escalate(), 0)
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
        ev2, _ = self.requested_event()
        self.assertEqual(self.escalate(), 0)
        self.assertIsNone(self.request_of(ev2)["escalated_at"])
        self.assertError(self.primary.delete("/api/v1/processes/absence"),
                         409, "NOT_ABSENT")

    def test_v3_absence_rules(self):
        self.assertError(self.control.post("/api/v1/processes/absence", {}),
                         403)
        self.assertError(self.primary.post(
            "/api/v1/processes/absence",
            {"until": iso(now() - dt.timedelta(hours=1))}), 422,
            "VALIDATION", "until")
        self.assertError(self.jefe.get("/api/v1/processes/desk"), 403)
        self.assertStatus(self.control.get("/api/v1/processes/desk"), 200)
