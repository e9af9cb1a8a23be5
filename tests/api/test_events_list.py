"""GET /api/v1/events: order, filters, paging, JEFE scope (API.md, D2)."""

import datetime as dt

import inoptest as t
from inoptest import ApiTest, JefeTest, admin, event_payload, iso, now


def numbers(r):
    return [e["number"] for e in r.json["items"]]


class EventList(JefeTest):
    POOL = 8

    def test_list_is_newest_first(self):
        p = self.take_point()
        base = now() - dt.timedelta(minutes=40)
        evs = [self.register(self.jefe, event_payload(
            p, procedure=proc, started_at=iso(base + dt.timedelta(minutes=i))))
            for i, proc in enumerate(t.PROCEDURES)]
        r = admin().get("/api/v1/events?point=%s" % p)
        self.assertStatus(r, 200)
        self.assertEqual(numbers(r), [e["number"] for e in reversed(evs)])
        r = self.jefe.get("/api/v1/events?point=%s" % p)
        self.assertEqual(numbers(r), [e["number"] for e in reversed(evs)])

    def test_list_filters_status_point_procedure(self):
        p, q = self.take_point(), self.take_point()
        a = self.register(self.jefe, event_payload(p, procedure="ALTAS"))
        b = self.register(self.jefe, event_payload(p, procedure="BAJAS"))
        c = self.register(self.jefe, event_payload(q, procedure="ALTAS"))
        self.close_event(self.jefe, b["id"])

        def get(query):
            r = admin().get("/api/v1/events?" + query)
            self.assertStatus(r, 200)
            return sorted(numbers(r)), r.json["total"]

        self.assertEqual(get("point=%s" % p),
                         (sorted([a["number"], b["number"]]), 2))
        self.assertEqual(get("point=%s&status=OPEN" % p), ([a["number"]], 1))
        self.assertEqual(get("point=%s&status=CLOSED" % p),
                         ([b["number"]], 1))
        self.assertEqual(get("point=%s&procedure=ALTAS" % p),
                         ([a["number"]], 1))
        self.assertEqual(get("point=%s&procedure=ALTAS" % q),
                         ([c["number"]], 1))
        for e in admin().get("/api/v1/events?status=OPEN&procedure=BAJAS"
                             "&limit=100").json["items"]:
            self.assertEqual((e["status"], e["procedure"]), ("OPEN", "BAJAS"))

    def test_list_total_counts_all_matches_with_limit_and_offset(self):
        p = self.take_point()
        evs = [self.register(self.jefe, event_payload(p, procedure=proc))
               for proc in t.PROCEDURES]
        newest_first = [e["number"] for e in reversed(evs)]
        r = admin().get("/api/v1/events?point=%s&limit=1" % p)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 4)
        self.assertEqual(numbers(r), newest_first[:1])
        r = admin().get("/api/v1/events?point=%s&limit=2&offset=1" % p)
        self.assertEqual(r.json["total"], 4)
        self.assertEqual(numbers(r), newest_first[1:3])
        r = admin().get("/api/v1/events?point=%s&limit=10&offset=4" % p)
        self.assertEqual(r.json["total"], 4)
        self.assertEqual(numbers(r), [])

    def test_list_from_to_are_lima_dates_inclusive_on_started_at(self):
        # 20:30 Lima yesterday is 01:30 UTC today: it belongs to yesterday
        p = self.take_point()
        today = t.lima_date(now())
        yday = today - dt.timedelta(days=1)
        late = dt.datetime(yday.year, yday.month, yday.day, 20, 30,
                           tzinfo=t.LIMA)
        ev = self.register(self.jefe, event_payload(
            p, started_at=t.iso_z(late), origin="MANUAL",
            manual_form_ref=t.manual_form(p)))
        ev2 = self.register(self.jefe, event_payload(p, procedure="ALTAS"))

        def get(frm, to):
            r = admin().get("/api/v1/events?point=%s&from=%s&to=%s"
                            % (p, frm, to))
            self.assertStatus(r, 200)
            return sorted(numbers(r))

        # ev2 started 30 minutes ago: yesterday too in the first half
        # hour after Lima's midnight (05:00-05:30 UTC).
        started2 = t.lima_date(t.parse_time(ev2["started_at"]))
        both = sorted([ev["number"], ev2["number"]])
        self.assertEqual(get(yday, yday),
                         both if started2 == yday else [ev["number"]])
        self.assertEqual(get(started2, started2), [ev2["number"]]
                         if started2 != yday else both)
        self.assertEqual(get(yday - dt.timedelta(days=1), today),
                         sorted([ev["number"], ev2["number"]]))
        self.assertEqual(get(yday - dt.timedelta(days=3),
                             yday - dt.timedelta(days=1)), [])
        r = admin().get("/api/v1/events?point=%s&from=%s" % (p, yday))
        self.assertEqual(r.json["total"], 2)
        r = admin().get("/api/v1/events?point=%s&to=%s" % (p, yday))
        self.assertEqual(sorted(numbers(r)), [ev["number"]]
                         if started2 != yday else
                         sorted([ev["number"], ev2["number"]]))


class JefeScope(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.pa = t.create_point()["code"]
        cls.pb = t.create_point()["code"]
        cls.ja = t.user_client(["JEFE"], [cls.pa])
        cls.jb = t.user_client(["JEFE"], [cls.pb])
        cls.ea = cls.ja.post("/api/v1/events", event_payload(cls.pa)).json
        cls.eb = cls.jb.post("/api/v1/events", event_payload(cls.pb)).json

    def test_jefe_lists_only_own_points_events(self):
        r = self.ja.get("/api/v1/events?limit=500")
        self.assertStatus(r, 200)
        self.assertIn(self.ea["number"], numbers(r))
        for e in r.json["items"]:
            self.assertEqual(e["point"]["code"], self.pa)
        self.assertEqual(r.json["total"], len(r.json["items"]))

    def test_jefe_point_filter_on_another_point_reveals_nothing(self):
        r = self.ja.get("/api/v1/events?point=%s" % self.pb)
        if r.status == 200:
            self.assertEqual(r.json["items"], [])
            self.assertEqual(r.json["total"], 0)
        else:
            self.assertIn(r.status, (403, 404), repr(r))

    def test_jefe_cannot_get_another_points_event_403_or_404(self):
        for ref in (self.eb["id"], self.eb["number"]):
            r = self.ja.get("/api/v1/events/%s" % ref)
            with self.subTest(ref=ref):
                self.assertIn(r.status, (403, 404), repr(r))
                self.assertIsNotNone(r.error)
                self.assertNotIn(self.pb, r.body.decode())

    def test_other_roles_see_every_point(self):
        for c in (admin(), t.role_client("CONTROL"),
                  t.role_client("SOPORTE")):
            r = c.get("/api/v1/events?point=%s" % self.pb)
            with self.subTest(user=c.username):
                self.assertStatus(r, 200)
                self.assertEqual(numbers(r), [self.eb["number"]])
                self.assertStatus(c.get("/api/v1/events/%s"
                                        % self.eb["number"]), 200)


class BadFilters(ApiTest):

    def test_bad_filter_values_are_422_naming_the_parameter(self):
        cases = [("status", "ABIERTO"), ("from", "2026-13-01"),
                 ("from", "ayer"), ("to", "2026-02-30"),
                 ("reportable", "quizas"), ("limit", "-1"),
                 ("limit", "diez"), ("offset", "-5"), ("offset", "x")]
        for name, value in cases:
            r = admin().get("/api/v1/events?%s=%s" % (name, value))
            with self.subTest(param=name, value=value):
                self.assertError(r, 422, "VALIDATION", name)

    def test_from_after_to_is_empty_or_422(self):
        r = admin().get("/api/v1/events?from=2026-05-10&to=2026-05-01")
        if r.status == 200:
            self.assertEqual(r.json["total"], 0)
        else:
            self.assertError(r, 422, "VALIDATION")
