"""Mass failures (SPEC M1-M4), the FALLA_MASIVA part of R6 and C1.

Every test leaves no mass failure open (tearDown closes them as SOPORTE),
so the registrations of other tests that rely on "no open failure covers
this application" keep holding.
"""

import datetime as dt

import inoptest as t
from inoptest import (JefeTest, admin, event_payload, iso, now, role_client,
                      user_client)

MF = "/api/v1/mass-failures"
ALERTS = "/api/v1/mass-failure-alerts"
MF_FIELDS = ["id", "status", "applications", "started_at", "cause",
             "description", "confirmed_at", "confirmed_by", "ended_at",
             "closure_reason", "closed_by", "open_events", "events"]
ALERT_FIELDS = ["id", "status", "source", "point", "applications",
                "observed_at", "description", "raised_at", "raised_by",
                "decided_at", "decided_by", "mass_failure_id",
                "discard_reason"]


def ago(minutes):
    return iso(now() - dt.timedelta(minutes=minutes))


def failure_body(apps=("SIAC_UNICO",), started=None,
                 cause="FALLA_MASIVA_APLICATIVO",
                 description="SIAC ÚNICO no responde en todo el país"):
    return {"applications": list(apps), "started_at": started or ago(60),
            "cause": cause, "description": description}


def close_open_failures():
    soporte = role_client("SOPORTE")
    r = soporte.get(MF + "?status=CONFIRMED&limit=500")
    assert r.status == 200, r
    for mf in r.json["items"]:
        soporte.post("%s/%s/close" % (MF, mf["id"]),
                     {"ended_at": iso(now()),
                      "closure_reason": "FALLA_MASIVA_APLICATIVO"})


def mass_event(point, mf_id=None, apps=("SIAC_UNICO",), procedure="CONSULTAS",
               minutes=30):
    extra = {} if mf_id is None else {"mass_failure_id": mf_id}
    return event_payload(point, procedure=procedure, applications=list(apps),
                         scenario="FALLA_MASIVA",
                         cause="FALLA_MASIVA_APLICATIVO",
                         started_at=ago(minutes), **extra)


class MassFailureTest(JefeTest):
    POOL = 14

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fallas = role_client("FALLAS")
        cls.soporte = role_client("SOPORTE")
        cls.control = role_client("CONTROL")
        close_open_failures()

    def tearDown(self):
        close_open_failures()

    def declare(self, **kw):
        r = self.fallas.post(MF, failure_body(**kw))
        self.assertEqual(r.status, 201, repr(r))
        return r.json

    def raise_alert(self, point, apps=("SIAC_UNICO",), minutes=10,
                    description="SIAC ÚNICO no carga en ninguna PC"):
        r = self.jefe.post(ALERTS, {"point": point,
                                    "applications": list(apps),
                                    "observed_at": ago(minutes),
                                    "description": description})
        self.assertEqual(r.status, 201, repr(r))
        return r.json

    def audit_actions(self, path, client=None):
        r = (client or admin()).get(path + "/audit")
        self.assertEqual(r.status, 200, repr(r))
        return [(i["action"], t.username_of(i["actor"]))
                for i in r.json["items"]]


class M1Alerts(MassFailureTest):

    def test_m1_jefe_raises_a_pending_alert(self):
        p = self.take_point()
        observed = ago(12)
        r = self.jefe.post(ALERTS, {"point": p,
                                    "applications": ["SIAC_UNICO", "SGA"],
                                    "observed_at": observed,
                                    "description": "No carga SIAC ni SGA"})
        self.assertEqual(r.status, 201, repr(r))
        a = r.json
        for f in ALERT_FIELDS:
            self.assertIn(f, a)
        self.assertEqual(a["status"], "PENDING")
        self.assertEqual(a["point"]["code"], p)
        self.assertEqual(a["applications"], ["SIAC_UNICO", "SGA"])
        self.assertSameInstant(a["observed_at"], observed)
        self.assertEqual(a["description"], "No carga SIAC ni SGA")
        self.assertEqual(a["raised_by"], self.jefe.username)
        self.assertIsNone(a["mass_failure_id"])
        got = self.fallas.get("%s/%s" % (ALERTS, a["id"]))
        self.assertEqual(got.json["status"], "PENDING")
        self.assertIn(("alert.raise", self.jefe.username),
                      self.audit_actions("%s/%s" % (ALERTS, a["id"])))

    def test_m1_only_the_points_jefe_may_alert_403(self):
        p = self.take_point()
        other_jefe = user_client(["JEFE"], [t.create_point()["code"]])
        body = {"point": p, "applications": ["SGA"],
                "observed_at": ago(5), "description": "caído"}
        self.assertError(other_jefe.post(ALERTS, body), 403, "FORBIDDEN")
        for role in ("FALLAS", "SOPORTE", "CONTROL", "ADMIN"):
            with self.subTest(role=role):
                self.assertError(role_client(role).post(ALERTS, body), 403,
                                 "FORBIDDEN")
        self.assertError(admin().post(ALERTS, body), 403, "FORBIDDEN")

    def test_m1_alert_fields_are_validated_422(self):
        p = self.take_point()
        cases = [
            ({"point": "NO-EXISTE"}, "point"),
            ({"applications": []}, "applications"),
            ({"applications": ["SAP"]}, "applications"),
            ({"applications": "SIAC_UNICO"}, "applications"),
            ({"observed_at": iso(now() + dt.timedelta(hours=2))},
             "observed_at"),
            ({"observed_at": "ayer"}, "observed_at"),
        ]
        for change, field in cases:
            body = {"point": p, "applications": ["SIAC_UNICO"],
                    "observed_at": ago(5), "description": "caído"}
            body.update(change)
            with self.subTest(change=change):
                self.assertError(self.jefe.post(ALERTS, body), 422,
                                 field=field)

    def test_m1_a_jefe_lists_only_alerts_of_own_points(self):
        mine = self.raise_alert(self.take_point())
        other_point = t.create_point()["code"]
        other = user_client(["JEFE"], [other_point])
        theirs = other.post(ALERTS, {"point": other_point,
                                     "applications": ["SGA"],
                                     "observed_at": ago(3)})
        self.assertEqual(theirs.status, 201, repr(theirs))
        ids = [a["id"] for a in self.jefe.get(
            ALERTS + "?limit=500").json["items"]]
        self.assertIn(mine["id"], ids)
        self.assertNotIn(theirs.json["id"], ids)
        self.assertError(self.jefe.get("%s/%s" % (ALERTS,
                                                  theirs.json["id"])),
                         403, "FORBIDDEN")
        pending = self.fallas.get(ALERTS + "?status=PENDING&limit=500")
        self.assertEqual(pending.status, 200)
        got = {a["id"] for a in pending.json["items"]}
        self.assertTrue({mine["id"], theirs.json["id"]} <= got)
        self.assertTrue(all(a["status"] == "PENDING"
                            for a in pending.json["items"]))


class M2ConfirmDiscardDeclare(MassFailureTest):

    def test_m2_confirm_into_a_new_mass_failure(self):
        a = self.raise_alert(self.take_point(), apps=("SGA",), minutes=20)
        r = self.fallas.post("%s/%s/confirm" % (ALERTS, a["id"]),
                             {"cause": "INCONVENIENTE_CONECTIVIDAD"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["status"], "CONFIRMED")
        mf_id = r.json["mass_failure_id"]
        self.assertIsInstance(mf_id, int)
        mf = self.jefe.get("%s/%s" % (MF, mf_id)).json
        for f in MF_FIELDS:
            self.assertIn(f, mf)
        self.assertEqual(mf["status"], "CONFIRMED")
        self.assertEqual(mf["applications"], ["SGA"])
        self.assertEqual(mf["started_at"], a["observed_at"])
        self.assertEqual(mf["cause"], "INCONVENIENTE_CONECTIVIDAD")
        self.assertEqual(mf["confirmed_by"], self.fallas.username)
        alert = self.fallas.get("%s/%s" % (ALERTS, a["id"])).json
        self.assertEqual(alert["status"], "CONFIRMED")
        self.assertEqual(alert["decided_by"], self.fallas.username)
        self.assertEqual(
            self.audit_actions("%s/%s" % (ALERTS, a["id"]))[-1],
            ("alert.confirm", self.fallas.username))
        self.assertEqual(self.audit_actions("%s/%s" % (MF, mf_id)),
                         [("mass_failure.declare", self.fallas.username)])

    def test_m2_confirm_with_the_fields_of_a_new_failure(self):
        a = self.raise_alert(self.take_point())
        started = ago(45)
        r = self.fallas.post("%s/%s/confirm" % (ALERTS, a["id"]),
                             failure_body(apps=("SIAC_UNICO", "SGA"),
                                          started=started,
                                          description="Caída general"))
        self.assertEqual(r.status, 200, repr(r))
        mf = self.fallas.get("%s/%s" % (MF, r.json["mass_failure_id"])).json
        self.assertEqual(mf["applications"], ["SIAC_UNICO", "SGA"])
        self.assertSameInstant(mf["started_at"], started)
        self.assertEqual(mf["description"], "Caída general")

    def test_m2_confirm_into_an_existing_failure_adds_its_apps(self):
        mf = self.declare(apps=("SISACT",))
        a = self.raise_alert(self.take_point(), apps=("SISACT", "SICAR"))
        r = self.fallas.post("%s/%s/confirm" % (ALERTS, a["id"]),
                             {"mass_failure_id": mf["id"]})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["status"], "CONFIRMED")
        self.assertEqual(r.json["mass_failure_id"], mf["id"])
        got = self.fallas.get("%s/%s" % (MF, mf["id"])).json
        self.assertEqual(got["applications"], ["SISACT", "SICAR"])
        # two alerts into one failure: no second failure appears
        b = self.raise_alert(self.take_point(), apps=("SISACT",))
        r = self.fallas.post("%s/%s/confirm" % (ALERTS, b["id"]),
                             {"mass_failure_id": mf["id"]})
        self.assertEqual(r.json["mass_failure_id"], mf["id"])
        open_ = self.fallas.get(MF + "?status=CONFIRMED").json["items"]
        self.assertEqual([m["id"] for m in open_], [mf["id"]])

    def test_m2_confirm_needs_a_cause_of_falla_masiva_422(self):
        a = self.raise_alert(self.take_point())
        for body in ({}, {"cause": "CORTE_LUZ"}):
            with self.subTest(body=body):
                self.assertError(self.fallas.post(
                    "%s/%s/confirm" % (ALERTS, a["id"]), body), 422,
                    "VALIDATION", "cause")
        self.assertEqual(self.fallas.get("%s/%s" % (ALERTS, a["id"]))
                         .json["status"], "PENDING")

    def test_m2_confirm_into_unknown_or_closed_failure(self):
        a = self.raise_alert(self.take_point())
        self.assertError(self.fallas.post(
            "%s/%s/confirm" % (ALERTS, a["id"]),
            {"mass_failure_id": 987654321}), 422, field="mass_failure_id")
        mf = self.declare()
        r = self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                              {"ended_at": ago(1),
                               "closure_reason": "INTERMITENCIA"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertError(self.fallas.post(
            "%s/%s/confirm" % (ALERTS, a["id"]),
            {"mass_failure_id": mf["id"]}), 409, "MASS_FAILURE_CLOSED")
        self.assertEqual(self.fallas.get("%s/%s" % (ALERTS, a["id"]))
                         .json["status"], "PENDING")

    def test_m2_discard_with_a_reason(self):
        a = self.raise_alert(self.take_point())
        self.assertError(self.fallas.post(
            "%s/%s/discard" % (ALERTS, a["id"]), {}), 422, "VALIDATION",
            "reason")
        r = self.fallas.post("%s/%s/discard" % (ALERTS, a["id"]),
                             {"reason": "Solo falla la red del punto"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["status"], "DISCARDED")
        got = self.jefe.get("%s/%s" % (ALERTS, a["id"])).json
        self.assertEqual(got["discard_reason"], "Solo falla la red del punto")
        self.assertIsNone(got["mass_failure_id"])
        self.assertEqual(
            self.audit_actions("%s/%s" % (ALERTS, a["id"]))[-1],
            ("alert.discard", self.fallas.username))

    def test_m2_a_decided_alert_is_409(self):
        a = self.raise_alert(self.take_point())
        r = self.fallas.post("%s/%s/confirm" % (ALERTS, a["id"]),
                             {"cause": "FALLA_MASIVA_APLICATIVO"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertError(self.fallas.post(
            "%s/%s/confirm" % (ALERTS, a["id"]),
            {"cause": "FALLA_MASIVA_APLICATIVO"}), 409, "ALERT_NOT_PENDING")
        self.assertError(self.fallas.post(
            "%s/%s/discard" % (ALERTS, a["id"]), {"reason": "tarde"}),
            409, "ALERT_NOT_PENDING")
        b = self.raise_alert(self.take_point())
        self.fallas.post("%s/%s/discard" % (ALERTS, b["id"]),
                         {"reason": "no es masiva"})
        self.assertError(self.fallas.post(
            "%s/%s/confirm" % (ALERTS, b["id"]),
            {"cause": "FALLA_MASIVA_APLICATIVO"}), 409, "ALERT_NOT_PENDING")
        # only one failure came out of all that
        self.assertEqual(len(self.fallas.get(MF + "?status=CONFIRMED")
                             .json["items"]), 1)

    def test_m2_only_fallas_confirms_discards_and_declares_403(self):
        a = self.raise_alert(self.take_point())
        for role in ("JEFE", "SOPORTE", "CONTROL", "PROCESOS", "ADMIN"):
            c = self.jefe if role == "JEFE" else role_client(role)
            with self.subTest(role=role):
                self.assertError(c.post("%s/%s/confirm" % (ALERTS, a["id"]),
                                        {"cause": "FALLA_MASIVA_APLICATIVO"}),
                                 403, "FORBIDDEN")
                self.assertError(c.post("%s/%s/discard" % (ALERTS, a["id"]),
                                        {"reason": "no"}), 403, "FORBIDDEN")
                self.assertError(c.post(MF, failure_body()), 403,
                                 "FORBIDDEN")
        self.assertEqual(self.fallas.get("%s/%s" % (ALERTS, a["id"]))
                         .json["status"], "PENDING")
        self.assertEqual(self.fallas.get(MF + "?status=CONFIRMED")
                         .json["total"], 0)

    def test_m2_fallas_declares_a_mass_failure_directly(self):
        started = ago(25)
        r = self.fallas.post(MF, failure_body(apps=("WEB_ASESOR_RECLAMOS",),
                                              started=started))
        self.assertEqual(r.status, 201, repr(r))
        mf = r.json
        for f in MF_FIELDS:
            self.assertIn(f, mf)
        self.assertEqual(mf["status"], "CONFIRMED")
        self.assertSameInstant(mf["started_at"], started)
        self.assertLimaTime(mf["confirmed_at"])
        self.assertIsNone(mf["ended_at"])
        self.assertEqual(mf["open_events"], 0)
        listed = self.jefe.get(MF).json
        self.assertIn(mf["id"], [m["id"] for m in listed["items"]])

    def test_m2_declaration_is_validated_422(self):
        cases = [
            (failure_body(apps=()), "applications"),
            (failure_body(apps=("NOPE",)), "applications"),
            (failure_body(cause="CORTE_LUZ"), "cause"),
            ({k: v for k, v in failure_body().items() if k != "cause"},
             "cause"),
            ({k: v for k, v in failure_body().items() if k != "started_at"},
             "started_at"),
            (failure_body(started=iso(now() + dt.timedelta(hours=1))),
             "started_at"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=body):
                self.assertError(self.fallas.post(MF, body), 422,
                                 field=field)
        self.assertEqual(self.fallas.get(MF + "?status=CONFIRMED")
                         .json["total"], 0)

    def test_m2_unknown_ids_are_404(self):
        for path in ("%s/987654321" % ALERTS, "%s/abc" % ALERTS,
                     "%s/987654321" % MF):
            with self.subTest(path=path):
                self.assertError(self.fallas.get(path), 404, "NOT_FOUND")
        self.assertError(self.fallas.post("%s/987654321/confirm" % ALERTS,
                                          {"cause": "INTERMITENCIA"}),
                         404, "NOT_FOUND")
        self.assertError(self.soporte.post(
            "%s/987654321/close" % MF,
            {"ended_at": ago(1), "closure_reason": "INTERMITENCIA"}),
            404, "NOT_FOUND")


class R6Registration(MassFailureTest):

    def test_r6_registers_under_a_covering_open_failure(self):
        mf = self.declare(apps=("SIAC_UNICO",))
        ev = self.register(self.jefe, mass_event(self.take_point(), mf["id"],
                                                 apps=("SIAC_UNICO", "SGA")))
        self.assertEqual(ev["scenario"], "FALLA_MASIVA")
        self.assertEqual(ev["mass_failure_id"], mf["id"])
        self.assertEqual(self.get_event(ev["id"])["mass_failure_id"],
                         mf["id"])
        got = self.fallas.get("%s/%s" % (MF, mf["id"])).json
        self.assertEqual((got["open_events"], got["events"]), (1, 1))

    def test_r6_without_mass_failure_id_links_the_one_covering(self):
        mf = self.declare(apps=("SGA",))
        self.declare(apps=("SISACT",))
        ev = self.register(self.jefe, mass_event(self.take_point(),
                                                 apps=("SGA",)))
        self.assertEqual(ev["mass_failure_id"], mf["id"])

    def test_r6_two_covering_failures_need_mass_failure_id_422(self):
        a = self.declare(apps=("SGA",))
        self.declare(apps=("SGA", "SIAC_UNICO"))
        p = self.take_point()
        self.assertError(self.jefe.post("/api/v1/events", mass_event(
            p, apps=("SGA",))), 422, "NO_MASS_FAILURE", "mass_failure_id")
        ev = self.register(self.jefe, mass_event(p, a["id"], apps=("SGA",)))
        self.assertEqual(ev["mass_failure_id"], a["id"])

    def test_r6_failure_not_covering_the_applications_is_422(self):
        mf = self.declare(apps=("SISACT",))
        r = self.jefe.post("/api/v1/events", mass_event(
            self.take_point(), mf["id"], apps=("SIAC_UNICO",)))
        self.assertError(r, 422, "NO_MASS_FAILURE", "mass_failure_id")

    def test_r6_closed_or_unknown_failure_is_422(self):
        mf = self.declare(apps=("SIAC_UNICO",))
        self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                          {"ended_at": ago(1),
                           "closure_reason": "FALLA_MASIVA_APLICATIVO"})
        p = self.take_point()
        for mf_id in (mf["id"], None, 987654321):
            with self.subTest(mass_failure_id=mf_id):
                self.assertError(self.jefe.post(
                    "/api/v1/events", mass_event(p, mf_id)), 422,
                    "NO_MASS_FAILURE", "mass_failure_id")
        self.assertEqual(t.events_total(self.jefe, "?point=%s" % p), 0)

    def test_r6_a_pending_alert_is_not_a_mass_failure(self):
        p = self.take_point()
        self.raise_alert(p, apps=("SIAC_UNICO",))
        self.assertError(self.jefe.post("/api/v1/events", mass_event(p)),
                         422, "NO_MASS_FAILURE", "mass_failure_id")


class M3Close(MassFailureTest):

    def test_m3_soporte_closes_the_failure_and_its_open_events(self):
        mf = self.declare(apps=("SIAC_UNICO", "SGA"), started=ago(90))
        p, q = self.take_point(), self.take_point()
        evs = [self.register(self.jefe, mass_event(p, mf["id"])),
               self.register(self.jefe, mass_event(
                   p, mf["id"], procedure="RECLAMOS", apps=("SGA",))),
               self.register(self.jefe, mass_event(q, mf["id"]))]
        # one already closed singly by SOPORTE keeps its own closure
        early = self.close_event(self.soporte, evs[2]["id"], "INTERMITENCIA",
                                 ended_at=ago(20)).json
        # an event of another failure is not touched
        other = self.declare(apps=("SISACT",))
        kept = self.register(self.jefe, mass_event(
            q, other["id"], procedure="ALTAS", apps=("SISACT",)))
        ended = ago(2)
        r = self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                              {"ended_at": ended,
                               "closure_reason": "INCONVENIENTE_CONECTIVIDAD"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["status"], "CLOSED")
        self.assertEqual(r.json["closed_events"], 2)
        self.assertSameInstant(r.json["ended_at"], ended)
        self.assertEqual(r.json["closure_reason"],
                         "INCONVENIENTE_CONECTIVIDAD")
        self.assertEqual(r.json["closed_by"], self.soporte.username)
        self.assertEqual(r.json["open_events"], 0)
        for ev in evs[:2]:
            got = self.get_event(ev["id"])
            self.assertEqual(got["status"], "CLOSED")
            self.assertSameInstant(got["ended_at"], ended)
            self.assertEqual(got["closure_reason"],
                             "INCONVENIENTE_CONECTIVIDAD")
            self.assertEqual(t.username_of(got["closed_by"]),
                             self.soporte.username)
            self.assertEqual(
                self.audit_actions("/api/v1/events/%s" % ev["id"])[-1],
                ("event.close", self.soporte.username))
        got = self.get_event(evs[2]["id"])
        self.assertEqual(got["closure_reason"], "INTERMITENCIA")
        self.assertEqual(got["ended_at"], early["ended_at"])
        self.assertEqual(self.get_event(kept["id"])["status"], "OPEN")
        self.assertEqual(self.audit_actions("%s/%s" % (MF, mf["id"]))[-1],
                         ("mass_failure.close", self.soporte.username))
        # no more registrations under it
        self.assertError(self.jefe.post("/api/v1/events", mass_event(
            self.take_point(), mf["id"])), 422, "NO_MASS_FAILURE")

    def test_m3_many_events_all_or_none(self):
        # More events than the store reads at once (64): the first try
        # meets the last one, started after the closing time, and refuses
        # the whole closure; the second closes every one.
        points = [t.create_point()["code"] for _ in range(18)]
        jefe = t.user_client(["JEFE"], points)
        mf = self.declare(started=ago(120))
        slots = [(p, pr) for pr in ("CONSULTAS", "RECLAMOS", "ALTAS",
                                    "BAJAS") for p in points]
        evs = [self.register(jefe, mass_event(
            p, mf["id"], procedure=pr, minutes=3 if i == 71 else 60))
            for i, (p, pr) in enumerate(slots)]
        body = {"ended_at": ago(10),
                "closure_reason": "INCONVENIENTE_CONECTIVIDAD"}
        r = self.soporte.post("%s/%s/close" % (MF, mf["id"]), body)
        self.assertError(r, 422)
        self.assertIn("Evento %s" % evs[-1]["number"],
                      r.json["error"]["message"])
        for ev in (evs[0], evs[64], evs[-1]):
            self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")
        self.assertEqual(self.fallas.get("%s/%s" % (MF, mf["id"]))
                         .json["status"], "CONFIRMED")
        body["ended_at"] = ago(1)
        r = self.soporte.post("%s/%s/close" % (MF, mf["id"]), body)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["closed_events"], 72)
        self.assertEqual(r.json["open_events"], 0)
        for ev in evs:
            got = self.get_event(ev["id"])
            self.assertEqual((got["status"], got["closure_reason"]),
                             ("CLOSED", "INCONVENIENTE_CONECTIVIDAD"))
        self.assertEqual(
            self.audit_actions("/api/v1/events/%s" % evs[64]["id"])[-1],
            ("event.close", self.soporte.username))

    def test_m3_only_soporte_closes_a_mass_failure_403(self):
        mf = self.declare()
        body = {"ended_at": ago(1), "closure_reason": "INTERMITENCIA"}
        for c in (self.jefe, self.fallas, self.control, admin()):
            with self.subTest(user=c.username):
                self.assertError(c.post("%s/%s/close" % (MF, mf["id"]),
                                        body), 403, "FORBIDDEN")
        self.assertEqual(self.fallas.get("%s/%s" % (MF, mf["id"]))
                         .json["status"], "CONFIRMED")

    def test_m3_closing_twice_is_409(self):
        mf = self.declare()
        body = {"ended_at": ago(1), "closure_reason": "INTERMITENCIA"}
        self.assertEqual(self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                                           body).status, 200)
        self.assertError(self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                                           body), 409, "ALREADY_CLOSED")

    def test_m3_closure_reason_and_times_are_checked(self):
        mf = self.declare(started=ago(60))
        ev = self.register(self.jefe, mass_event(self.take_point(), mf["id"],
                                                 minutes=30))
        path = "%s/%s/close" % (MF, mf["id"])
        cases = [
            ({"ended_at": ago(1), "closure_reason": "SIN_FLUIDO_ELECTRICO"},
             "REASON_NOT_ALLOWED", "closure_reason"),
            ({"ended_at": ago(1), "closure_reason": "ERROR_USUARIO",
              "justification": "corto"}, "VALIDATION", "justification"),
            ({"ended_at": ago(90), "closure_reason": "INTERMITENCIA"},
             "VALIDATION", "ended_at"),
            ({"ended_at": iso(now() + dt.timedelta(hours=1)),
              "closure_reason": "INTERMITENCIA"}, "VALIDATION", "ended_at"),
            # after the failure's start but before the event's: the event
            # cannot end before it began (C3), so nothing closes
            ({"ended_at": ago(45), "closure_reason": "INTERMITENCIA"},
             "VALIDATION", "ended_at"),
            ({"closure_reason": "INTERMITENCIA"}, "VALIDATION", "ended_at"),
        ]
        for body, code, field in cases:
            with self.subTest(body=body):
                self.assertError(self.soporte.post(path, body), 422, code,
                                 field)
        self.assertEqual(self.fallas.get("%s/%s" % (MF, mf["id"]))
                         .json["status"], "CONFIRMED")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")
        r = self.soporte.post(path, {"ended_at": ago(1),
                                     "closure_reason": "ERROR_USUARIO",
                                     "justification":
                                         "Fallas la confirmó por error"})
        self.assertEqual(r.status, 200, repr(r))
        got = self.get_event(ev["id"])
        self.assertEqual(got["closure_reason"], "ERROR_USUARIO")
        self.assertFalse(got["reportable"])

    def test_c1_only_soporte_closes_a_falla_masiva_event(self):
        mf = self.declare()
        ev = self.register(self.jefe, mass_event(self.take_point(), mf["id"]))
        for c in (self.jefe, self.control, self.fallas):
            with self.subTest(user=c.username):
                r = self.close_event(c, ev["id"], "FALLA_MASIVA_APLICATIVO",
                                     expect=None)
                self.assertError(r, 403, "FORBIDDEN")
        r = self.close_event(self.soporte, ev["id"], "FALLA_MASIVA_APLICATIVO")
        self.assertEqual(r.json["status"], "CLOSED")
        self.assertEqual(t.username_of(r.json["closed_by"]),
                         self.soporte.username)

    def test_c1_jefe_closes_own_mistaken_mass_failure_event(self):
        mf = self.declare()
        ev = self.register(self.jefe, mass_event(self.take_point(), mf["id"]))
        r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification="Registrado en el punto "
                                           "equivocado")
        self.assertEqual(r.json["closure_reason"], "ERROR_USUARIO")
        # the failure closes later without touching it again
        r = self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                              {"ended_at": ago(1),
                               "closure_reason": "INTERMITENCIA"})
        self.assertEqual(r.json["closed_events"], 0)
        self.assertEqual(self.get_event(ev["id"])["closure_reason"],
                         "ERROR_USUARIO")


class M4Monitoring(MassFailureTest):

    def test_m4_soporte_sees_open_failures_and_events_with_time_open(self):
        mf = self.declare(started=ago(125))
        ev = self.register(self.jefe, mass_event(self.take_point(), mf["id"],
                                                 minutes=61))
        self.raise_alert(self.take_point())
        r = self.soporte.get("/api/v1/monitoring?limit=500")
        self.assertEqual(r.status, 200, repr(r))
        m = r.json
        self.assertLimaTime(m["now"])
        failures = {f["id"]: f for f in m["mass_failures"]}
        self.assertIn(mf["id"], failures)
        self.assertIn(failures[mf["id"]]["open_minutes"], (124, 125, 126))
        self.assertEqual(failures[mf["id"]]["open_events"], 1)
        self.assertTrue(all(f["status"] == "CONFIRMED"
                            for f in m["mass_failures"]))
        events = {e["id"]: e for e in m["events"]}
        self.assertIn(ev["id"], events)
        self.assertIn(events[ev["id"]]["open_minutes"], (60, 61, 62))
        self.assertTrue(all(e["status"] == "OPEN" for e in m["events"]))
        self.assertGreaterEqual(m["open_events_total"], len(m["events"]))
        self.assertGreaterEqual(m["pending_alerts"], 1)
        # closed: gone from the view
        self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                          {"ended_at": ago(1),
                           "closure_reason": "INTERMITENCIA"})
        m = self.soporte.get("/api/v1/monitoring?limit=500").json
        self.assertNotIn(mf["id"], [f["id"] for f in m["mass_failures"]])
        self.assertNotIn(ev["id"], [e["id"] for e in m["events"]])

    def test_m4_monitoring_is_not_for_a_jefe_403(self):
        self.assertError(self.jefe.get("/api/v1/monitoring"), 403,
                         "FORBIDDEN")

    def test_m4_events_of_a_failure_can_be_listed(self):
        mf = self.declare()
        ev = self.register(self.jefe, mass_event(self.take_point(), mf["id"]))
        r = self.soporte.get("/api/v1/events?mass_failure=%s" % mf["id"])
        self.assertEqual([e["id"] for e in r.json["items"]], [ev["id"]])


class E1WithRealMassFailures(MassFailureTest):
    """E1 (issue 7's evaluation) on failures from issue 5's tables."""

    POOL = 7

    def evaluation(self, event_id):
        r = self.control.get("/api/v1/events/%s/evaluation" % event_id)
        self.assertEqual(r.status, 200, repr(r))
        return r.json

    def test_e1_event_inside_the_failure_span_is_dentro(self):
        mf = self.declare(started=ago(90))
        ev = self.register(self.jefe, mass_event(self.take_point(),
                                                 mf["id"], minutes=30))
        self.assertEqual(self.evaluation(ev["id"])["e1"]["result"],
                         "DENTRO")
        r = self.soporte.post("%s/%s/close" % (MF, mf["id"]),
                              {"ended_at": iso(now()),
                               "closure_reason": "FALLA_MASIVA_APLICATIVO"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.evaluation(ev["id"])["e1"]["result"],
                         "DENTRO")

    def test_e1_event_started_before_the_failure_is_fuera(self):
        mf = self.declare(started=ago(20))
        ev = self.register(self.jefe, mass_event(self.take_point(),
                                                 mf["id"], minutes=45))
        self.assertEqual(self.evaluation(ev["id"])["e1"]["result"],
                         "FUERA")

    def test_e1_unforeseen_event_inside_a_failure_is_dentro(self):
        mf = self.declare(started=ago(90))
        ev = self.register(self.jefe, event_payload(self.take_point()))
        e1 = self.evaluation(ev["id"])["e1"]
        self.assertEqual(e1["result"], "DENTRO")
        self.assertIsNone(e1["mass_failure_id"])
        self.assertIn(mf["id"], [f["id"] for f in e1["mass_failures"]])
        listed = [f for f in e1["mass_failures"] if f["id"] == mf["id"]][0]
        self.assertEqual(sorted(listed), ["ended_at", "id", "started_at"])
        self.assertIsNone(listed["ended_at"])

    def test_e1_unforeseen_event_before_the_failure_is_fuera_and_lists_it(
            self):
        mf = self.declare(started=ago(20))
        ev = self.register(self.jefe, event_payload(
            self.take_point(), started_at=ago(180)))
        e1 = self.evaluation(ev["id"])["e1"]
        self.assertEqual(e1["result"], "FUERA")
        self.assertIn(mf["id"], [f["id"] for f in e1["mass_failures"]])

    def test_e1_failure_of_another_application_is_not_weighed(self):
        mf = self.declare(apps=("SGA",), started=ago(90))
        ev = self.register(self.jefe, event_payload(self.take_point()))
        e1 = self.evaluation(ev["id"])["e1"]
        self.assertNotIn(mf["id"], [f["id"] for f in e1["mass_failures"]])

    def test_e1_shown_in_the_procesos_tray(self):
        mf = self.declare(started=ago(90))
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.control.post(
            "/api/v1/events/%s/processes-request" % ev["id"], {})
        self.assertEqual(r.status, 201, repr(r))
        r = self.control.get("/api/v1/processes/requests?status=PENDIENTE"
                             "&limit=200")
        self.assertEqual(r.status, 200, repr(r))
        item = [i for i in r.json["items"] if i["event"] == ev["number"]][0]
        self.assertEqual(item["e1"]["result"], "DENTRO")
        self.assertIn(mf["id"],
                      [f["id"] for f in item["e1"]["mass_failures"]])
