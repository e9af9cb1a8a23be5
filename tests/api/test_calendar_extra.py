"""ADMIN's extra non-working days (SPEC D1) and what they move: the
business-day arithmetic, every event's report_due (O3), the deadline board
and the report rows -- on every node at once.

These tests change the calendar, so they run against two `inop serve` of
their own on one fresh database (two nodes), not the suite's server: a
new PostgreSQL database when the suite runs on PostgreSQL, else a SQLite
file.
"""

import datetime as dt
import os
import subprocess
import tempfile

import inoptest as t
from inoptest import ApiTest, iso

PATH = "/api/v1/calendar/non-working-days"


class ExtraDays(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="extra-days-", dir=t.CTX.tmp)
        db = os.path.join(cls.dir, "extra.db")
        admin_url = os.environ.get("INOP_TEST_PG_ADMIN_URL")
        if admin_url and (t.CTX.db or "").startswith("postgres"):
            name = "inop_extra_" + t.CTX.run_id.lower()
            subprocess.run([os.path.join(os.environ["INOP_TEST_PG_BINDIR"],
                                         "psql"), "-q", admin_url, "-c",
                            "CREATE DATABASE " + name], check=True)
            db = t.CTX.db.rsplit("/", 1)[0] + "/" + name
        password = "Admin-extra-" + t.CTX.run_id
        pwfile = t.write_secret(os.path.join(cls.dir, "pw"), password)
        p = t.run_inop(["init", "--db", db, "--admin-password-file", pwfile])
        if p.returncode != 0:
            raise AssertionError("inop init: %r" % p)
        cls.nodes = [t.Server(t.CTX.inop, db, cls.dir, name="node%d" % i)
                     for i in (1, 2)]
        for n in cls.nodes:
            n.wait_healthy()
        cls.admin = cls.login(0, "admin", password)
        cls.ok(cls.admin, "POST", "/api/v1/points", {
            "code": "CAC-X1", "name": "CAC Extra", "type": "CAC",
            "region": "Lima"}, 201)
        cls.users = {}
        for role in ("JEFE", "CONTROL", "PROCESOS"):
            name = role.lower() + "x"
            cls.ok(cls.admin, "POST", "/api/v1/users", {
                "username": name, "password": "clave-segura-" + name,
                "name": "Usuario " + name, "email": name + "@x.pe",
                "roles": [role], "points": ["CAC-X1"] if role == "JEFE"
                else []}, 201)
            cls.users[role] = [cls.login(i, name, "clave-segura-" + name)
                               for i in (0, 1)]

    @classmethod
    def tearDownClass(cls):
        for n in cls.nodes:
            n.stop()

    @classmethod
    def login(cls, node, username, password):
        c = t.Client(port=cls.nodes[node].port)
        r = c.post("/api/v1/session", {"username": username,
                                       "password": password})
        if r.status != 200:
            raise AssertionError("login %s: %r" % (username, r))
        c.token = r.json["token"]
        return c

    @staticmethod
    def ok(client, method, path, body=None, status=200):
        r = client.request(method, path, body) if body is not None \
            else client.request(method, path)
        if r.status != status:
            raise AssertionError("%s %s: want %s, got %r"
                                 % (method, path, status, r))
        return r.json

    def add(self, date, name="Día no laborable (D.S. 001-2026-PCM)",
            client=None):
        return (client or self.admin).post(PATH, {"date": date,
                                                  "name": name})

    def test_d1_only_admin_sets_extra_days_and_bad_ones_are_refused(self):
        control = self.users["CONTROL"][0]
        self.assertError(self.add("2031-03-03", client=control), 403)
        r = self.add("2031-03-03")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["date"], "2031-03-03")
        self.assertEqual(r.json["created_by"], "admin")
        self.assertLimaTime(r.json["created_at"])
        self.assertError(self.add("2031-03-03"), 409, "DUPLICATE_DAY",
                         "date")
        for date, why in (("2031-12-25", "holiday"), ("2031-03-01", "Sat"),
                          ("2031-02-30", "no such day"), ("mañana", "text")):
            with self.subTest(why=why):
                self.assertError(self.add(date), 422, "VALIDATION", "date")
        self.assertError(self.admin.post(PATH, {"date": "2031-03-04"}), 422,
                         "VALIDATION", "name")
        # every user sees them, by year
        listed = self.ok(control, "GET", PATH + "?year=2031")
        self.assertEqual([i["date"] for i in listed["items"]],
                         ["2031-03-03"])
        self.assertEqual(self.ok(control, "GET", PATH + "?year=2030")
                         ["items"], [])
        # national holidays stay the national ones
        hol = self.ok(control, "GET", "/api/v1/calendar/holidays?year=2031")
        self.assertNotIn("2031-03-03", [i["date"] for i in hol["items"]])
        self.assertError(control.delete(PATH + "/2031-03-03"), 403)
        self.assertStatus(self.admin.delete(PATH + "/2031-03-03"), 204)
        self.assertError(self.admin.delete(PATH + "/2031-03-03"), 404)

    def test_d1_extra_day_moves_due_dates_on_every_node(self):
        today = t.lima_date(t.now())
        end = today - dt.timedelta(days=12)
        while not t.is_business_day(end):
            end -= dt.timedelta(days=1)
        extra = t.add_business_days(end, 1)
        due = t.add_business_days(end, 3)
        jefe, control = self.users["JEFE"], self.users["CONTROL"]
        start = dt.datetime(end.year, end.month, end.day, 10,
                            tzinfo=t.LIMA)
        ev = self.ok(jefe[0], "POST", "/api/v1/events", t.event_payload(
            "CAC-X1", started_at=iso(start)), 201)
        ev = self.ok(jefe[0], "POST", "/api/v1/events/%s/close" % ev["id"], {
            "ended_at": iso(start + dt.timedelta(hours=1)),
            "closure_reason": "SIN_FLUIDO_ELECTRICO"})
        self.assertEqual(ev["report_due"], due.isoformat())
        # O1: an in-person event enters a report with PROCEDE only
        self.ok(control[0], "POST", "/api/v1/events/%s/processes-request"
                % ev["id"], {}, 201)
        self.ok(self.users["PROCESOS"][0], "POST",
                "/api/v1/events/%s/processes-ruling" % ev["id"],
                {"ruling": "PROCEDE", "reason": "Procede"})
        rep = self.ok(control[0], "POST", "/api/v1/reports", {
            "from": end.isoformat(), "to": end.isoformat()}, 201)

        def seen(node):
            c = control[node]
            e = self.ok(c, "GET", "/api/v1/events/%s" % ev["id"])
            add = self.ok(c, "GET", "/api/v1/calendar/add-business-days?"
                          "date=%s&days=3" % end.isoformat())
            board = self.ok(c, "GET", "/api/v1/deadlines")
            row = self.ok(c, "GET", "/api/v1/reports/%s" % rep["id"])
            item = [i for i in board["items"] if i["id"] == ev["id"]][0]
            return {e["report_due"], add["date"], item["report_due"],
                    row["rows"][0]["report_due"]}

        # node 1 learns of the change made on node 2: SQLite reads the
        # version on every request; on PostgreSQL node 1 hears node 2's
        # commit announced (LISTEN/NOTIFY, store/versions.h), a moment
        # after the 201 -- so the check waits for it, with a deadline
        self.assertEqual(seen(0), {due.isoformat()})
        self.assertStatus(self.add(extra.isoformat(),
                                   client=self.login(1, "admin",
                                                     "Admin-extra-"
                                                     + t.CTX.run_id)), 201)
        later = t.add_business_days(due, 1)
        for node in (0, 1):
            with self.subTest(node=node):
                t.wait_for("node %d shows the moved due date" % node,
                           lambda: seen(node) == {later.isoformat()})
        self.assertStatus(self.admin.delete(PATH + "/" + extra.isoformat()),
                          204)
        # removed on node 1's peer: node 1 hears of it as above
        for node in (1, 0):
            with self.subTest(node=node, removed=True):
                t.wait_for("node %d shows the due date back" % node,
                           lambda: seen(node) == {due.isoformat()})
