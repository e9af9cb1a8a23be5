"""Control of events: SPEC V1 (checks), V2 (operational-error alerts),
V3 (the Procesos request and ruling), E1-E2 (evaluation) and the
ruling-out of C4.  The 24-hour escalation is in test_escalation.py."""

import datetime as dt

import inoptest as t
from inoptest import ApiTest, admin, event_payload, iso, now

CHECK_CODES = ["REGISTERED_BY_JEFE", "CLOSURE_REASON_FITS",
               "NOT_ERROR_OR_TEST", "CRITICAL_REGULARISED",
               "PROCESOS_RULING", "IMPACT_DATA"]
CHECK_STATUSES = {"OK", "FALLA", "PENDIENTE", "NO_APLICA"}


class ControlTest(ApiTest):
    """A JEFE with fresh CAC points and a call centre; CONTROL, PROCESOS."""
    POOL = 16

    @classmethod
    def setUpClass(cls):
        cls.points = [t.create_point()["code"] for _ in range(cls.POOL)]
        cls.cc = [t.create_point("CALL_CENTER")["code"] for _ in range(3)]
        cls.jefe = t.user_client(["JEFE"], cls.points + cls.cc)
        cls.control = t.user_client(["CONTROL"])
        cls.procesos = t.user_client(["PROCESOS"])
        cls._free = list(cls.points)

    def take_point(self):
        if not self._free:
            self.fail("point pool exhausted; raise POOL")
        return self._free.pop(0)

    def evaluation(self, ev, client=None):
        r = (client or self.control).get("/api/v1/events/%s/evaluation"
                                         % ev["id"])
        self.assertStatus(r, 200)
        return r.json

    def checks(self, ev):
        return {c["code"]: c for c in self.evaluation(ev)["checks"]}

    def closed_event(self, point=None, minutes=90, ended_ago=15,
                     reason="SIN_FLUIDO_ELECTRICO", **kw):
        p = point or self.take_point()
        start = now() - dt.timedelta(minutes=minutes)
        ev = self.register(self.jefe, event_payload(
            p, started_at=iso(start), **kw))
        body = {"ended_at": iso(now() - dt.timedelta(minutes=ended_ago)),
                "closure_reason": reason}
        if reason == "ERROR_USUARIO":
            body["justification"] = "Registrado por error en el punto"
        r = self.jefe.post("/api/v1/events/%s/close" % ev["id"], body)
        self.assertStatus(r, 200)
        return r.json

    def request(self, ev, body=t._NOBODY, client=None):
        return (client or self.control).post(
            "/api/v1/events/%s/processes-request" % ev["id"], body)

    def rule(self, ev, ruling, reason="Revisado con Fallas", client=None):
        return (client or self.procesos).post(
            "/api/v1/events/%s/processes-ruling" % ev["id"],
            {"ruling": ruling, "reason": reason})


class V1Checks(ControlTest):

    def test_v1_every_event_has_the_five_checks_with_passed_and_detail(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        checks = self.evaluation(ev)["checks"]
        self.assertEqual([c["code"] for c in checks], CHECK_CODES)
        for c in checks:
            self.assertIsInstance(c["passed"], bool)
            self.assertIn(c["status"], CHECK_STATUSES)
            self.assertTrue(c["detail"].strip())
            self.assertEqual(c["passed"], c["status"] in ("OK", "NO_APLICA"))

    def test_v1_fresh_open_event_at_a_store(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        c = self.checks(ev)
        self.assertEqual(c["REGISTERED_BY_JEFE"]["status"], "OK")
        self.assertIn(self.jefe.username, c["REGISTERED_BY_JEFE"]["detail"])
        self.assertEqual(c["CLOSURE_REASON_FITS"]["status"], "PENDIENTE")
        self.assertEqual(c["NOT_ERROR_OR_TEST"]["status"], "OK")
        self.assertEqual(c["CRITICAL_REGULARISED"]["status"], "NO_APLICA")
        self.assertEqual(c["PROCESOS_RULING"]["status"], "PENDIENTE")

    def test_v1_closed_store_event_without_ruling_fails_procesos_check(self):
        ev = self.closed_event()
        c = self.checks(ev)
        self.assertEqual(c["CLOSURE_REASON_FITS"]["status"], "OK")
        self.assertEqual(c["PROCESOS_RULING"]["status"], "FALLA")
        self.assertFalse(c["PROCESOS_RULING"]["passed"])

    def test_v1_call_centre_event_needs_no_procesos_ruling(self):
        ev = self.closed_event(point=self.cc[0])
        c = self.checks(ev)
        self.assertEqual(c["PROCESOS_RULING"]["status"], "NO_APLICA")
        self.assertTrue(c["PROCESOS_RULING"]["passed"])

    def test_v1_error_usuario_fails_not_error_and_needs_no_ruling(self):
        ev = self.closed_event(reason="ERROR_USUARIO")
        c = self.checks(ev)
        self.assertEqual(c["NOT_ERROR_OR_TEST"]["status"], "FALLA")
        self.assertIn("error de usuario", c["NOT_ERROR_OR_TEST"]["detail"])
        self.assertEqual(c["PROCESOS_RULING"]["status"], "NO_APLICA")

    def test_v1_test_event_fails_not_error_and_is_not_a_jefe_matter(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        c = self.checks(ev)
        self.assertEqual(c["NOT_ERROR_OR_TEST"]["status"], "FALLA")
        self.assertEqual(c["REGISTERED_BY_JEFE"]["status"], "NO_APLICA")
        self.assertEqual(c["PROCESOS_RULING"]["status"], "NO_APLICA")

    def test_v1_control_list_shows_only_events_with_a_failing_check(self):
        p = self.take_point()
        failing = self.closed_event(point=p)
        good = self.closed_event(point=self.cc[1], procedure="ALTAS")
        r = self.control.get("/api/v1/control/events?point=%s&limit=500"
                             % p)
        self.assertStatus(r, 200)
        numbers = [e["number"] for e in r.json["items"]]
        self.assertEqual(numbers, [failing["number"]])
        item = r.json["items"][0]
        self.assertEqual(item["failing"], ["PROCESOS_RULING"])
        self.assertEqual([c["code"] for c in item["checks"]], CHECK_CODES)
        r = self.control.get("/api/v1/control/events?point=%s" % self.cc[1])
        self.assertNotIn(good["number"],
                         [e["number"] for e in r.json["items"]])

    def test_v1_control_list_every_item_fails_the_check_asked_for(self):
        self.closed_event(reason="ERROR_USUARIO")
        self.closed_event()
        for code in CHECK_CODES:
            r = self.control.get("/api/v1/control/events?check=%s&limit=500"
                                 % code)
            self.assertStatus(r, 200)
            with self.subTest(check=code):
                self.assertLessEqual(len(r.json["items"]), r.json["total"])
                for item in r.json["items"]:
                    self.assertIn(code, item["failing"], item["number"])
        r = self.control.get("/api/v1/control/events?limit=500")
        self.assertGreater(r.json["total"], 0)
        for item in r.json["items"]:
            self.assertTrue(item["failing"], item["number"])

    def test_v1_procesos_request_and_ruling_clear_the_failing_check(self):
        ev = self.closed_event()
        q = "/api/v1/control/events?check=PROCESOS_RULING&point=%s" \
            % ev["point"]["code"]
        self.assertEqual(self.control.get(q).json["total"], 1)
        self.assertStatus(self.request(ev), 201)
        self.assertEqual(self.checks(ev)["PROCESOS_RULING"]["status"],
                         "PENDIENTE")
        self.assertEqual(self.control.get(q).json["total"], 0)
        self.assertStatus(self.rule(ev, "PROCEDE"), 200)
        c = self.checks(ev)["PROCESOS_RULING"]
        self.assertEqual(c["status"], "OK")
        self.assertIn("Procede", c["detail"])

    def test_v1_control_list_is_for_control_only(self):
        for client in (self.jefe, self.procesos, t.role_client("SOPORTE"),
                       admin()):
            with self.subTest(user=client.username):
                self.assertError(client.get("/api/v1/control/events"), 403)

    def test_v1_unknown_check_is_422(self):
        r = self.control.get("/api/v1/control/events?check=NO_EXISTE")
        self.assertError(r, 422, "VALIDATION", "check")


class E1E2Evaluation(ControlTest):

    def test_e1_applies_to_an_unforeseen_event_too(self):
        ev = self.closed_event()
        e1 = self.evaluation(ev)["e1"]
        self.assertIn(e1["result"], ("DENTRO", "FUERA"))
        self.assertIsInstance(e1["mass_failures"], list)
        self.assertIsNone(e1["mass_failure_id"])

    def test_e2_duration_in_minutes_over_one_hour_and_reason(self):
        ev = self.closed_event(minutes=90, ended_ago=15)
        e2 = self.evaluation(ev)["e2"]
        start = t.parse_time(ev["started_at"])
        end = t.parse_time(ev["ended_at"])
        self.assertEqual(e2["minutes"], int((end - start).total_seconds()
                                            // 60))
        self.assertEqual(e2["minutes"], 75)
        self.assertTrue(e2["over_1h"])
        self.assertEqual(e2["closure_reason"], "SIN_FLUIDO_ELECTRICO")
        self.assertFalse(e2["ongoing"])

    def test_e2_exactly_one_hour_is_not_over_and_short_is_not(self):
        p = self.take_point()
        start = now().replace(microsecond=0) - dt.timedelta(minutes=70)
        for proc, mins, over in (("ALTAS", 60, False), ("BAJAS", 61, True),
                                 ("RECLAMOS", 20, False)):
            ev = self.register(self.jefe, event_payload(
                p, procedure=proc, started_at=iso(start)))
            self.close_event(self.jefe, ev["id"], ended_at=iso(
                start + dt.timedelta(minutes=mins)))
            with self.subTest(minutes=mins):
                e2 = self.evaluation(ev)["e2"]
                self.assertEqual(e2["minutes"], mins)
                self.assertEqual(e2["over_1h"], over)

    def test_e2_open_event_counts_to_now_and_has_no_reason(self):
        ev = self.register(self.jefe, event_payload(
            self.take_point(),
            started_at=iso(now() - dt.timedelta(minutes=125))))
        e2 = self.evaluation(ev)["e2"]
        self.assertIn(e2["minutes"], (124, 125, 126))
        self.assertTrue(e2["over_1h"])
        self.assertTrue(e2["ongoing"])
        self.assertIsNone(e2["closure_reason"])

    def test_e3_e4_without_imported_data_are_null_never_invented(self):
        """I3: no data for a day is null, never 0 (imports are tested in
        test_imports.py; none covers these days)."""
        ev = self.closed_event()
        j = self.evaluation(ev)
        self.assertIsNone(j["e3"]["count"])
        self.assertEqual([p["count"] for p in j["e3"]["previous"]],
                         [None] * 7)
        self.assertIsNone(j["e3"]["mean"])
        self.assertIsNone(j["e3"]["change_pct"])
        self.assertIsNone(j["e3"]["social"]["count"])
        self.assertIsNone(j["e4"]["complaints"]["count"])
        self.assertIsNone(j["e4"]["ldr"]["count"])

    def test_evaluation_scoped_like_the_event(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.evaluation(ev, client=self.jefe)
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        self.assertError(other.get("/api/v1/events/%s/evaluation"
                                   % ev["id"]), 403)
        self.assertError(self.control.get(
            "/api/v1/events/INOP-1999-999999/evaluation"), 404)
        self.assertEqual(self.control.get("/api/v1/events/%s/evaluation"
                                          % ev["number"]).status, 200)


class V2OperationalAlerts(ControlTest):

    def test_v2_control_alert_goes_to_the_points_jefes_and_stays(self):
        p = self.take_point()
        second = t.create_user(["JEFE"], [p])[2]
        ev = self.register(self.jefe, event_payload(p))
        r = self.control.post("/api/v1/events/%s/operational-alerts"
                              % ev["id"],
                              {"text": "Registró el evento sin cliente: "
                                       "revise el procedimiento"})
        self.assertStatus(r, 201)
        a = r.json
        self.assertEqual(sorted(a["recipients"]),
                         sorted([self.jefe.username + "@example.com",
                                 second["username"] + "@example.com"]))
        self.assertEqual(a["created_by"], self.control.username)
        self.assertLimaTime(a["created_at"])
        got = self.jefe.get("/api/v1/events/%s/operational-alerts"
                            % ev["id"])
        self.assertStatus(got, 200)
        self.assertEqual(got.json["items"], [a])
        actions = [i["action"] for i in admin().get(
            "/api/v1/events/%s/audit" % ev["id"]).json["items"]]
        self.assertIn("event.operational_alert", actions)

    def test_v2_only_control_sends_alerts(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for client in (self.jefe, self.procesos, admin()):
            with self.subTest(user=client.username):
                self.assertError(client.post(
                    "/api/v1/events/%s/operational-alerts" % ev["id"],
                    {"text": "alerta"}), 403)
        self.assertEqual(self.control.get(
            "/api/v1/events/%s/operational-alerts" % ev["id"]).json["total"],
            0)

    def test_v2_blank_or_missing_text_is_422(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for body in ({}, {"text": "   "}, {"text": 5}):
            with self.subTest(body=body):
                self.assertError(self.control.post(
                    "/api/v1/events/%s/operational-alerts" % ev["id"], body),
                    422, "VALIDATION", "text")


class V3ProcesosRuling(ControlTest):

    def test_v3_control_requests_a_ruling_with_a_24_hour_clock(self):
        ev = self.closed_event()
        before = now().replace(microsecond=0)
        r = self.request(ev)
        after = now()
        self.assertStatus(r, 201)
        q = r.json
        self.assertEqual(q["event"], ev["number"])
        self.assertEqual(q["requested_by"], self.control.username)
        asked = t.parse_time(q["requested_at"])
        # within the request's own time span, however slow the machine
        self.assertTrue(before <= asked <= after, (before, asked, after))
        due = t.parse_time(q["due_at"])
        self.assertEqual(due - asked, dt.timedelta(hours=24))
        self.assertEqual(q["status"], "PENDIENTE")
        self.assertFalse(q["overdue"])
        self.assertGreaterEqual(q["seconds_left"],
                                int((due - after).total_seconds()))
        self.assertIsNone(q["ruling"])
        self.assertIsNone(q["escalated_at"])
        got = self.procesos.get("/api/v1/events/%s/processes-request"
                                % ev["id"])
        self.assertEqual(got.json["id"], q["id"])

    def test_v3_request_takes_an_optional_note(self):
        ev = self.closed_event()
        r = self.request(ev, {"note": "Verificar el horario de la falla"})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["note"], "Verificar el horario de la falla")

    def test_v3_only_control_requests_and_only_once(self):
        ev = self.closed_event()
        for client in (self.jefe, self.procesos, admin()):
            with self.subTest(user=client.username):
                self.assertError(self.request(ev, client=client), 403)
        self.assertError(self.control.get(
            "/api/v1/events/%s/processes-request" % ev["id"]), 404)
        self.assertStatus(self.request(ev), 201)
        self.assertError(self.request(ev), 409, "ALREADY_REQUESTED")

    def test_v3_only_for_in_person_points(self):
        ev = self.closed_event(point=self.cc[2])
        self.assertError(self.request(ev), 422, "NOT_IN_PERSON")
        test_ev = self.register(admin(), event_payload(self.take_point(),
                                                       scenario="PRUEBA"))
        self.assertError(self.request(test_ev), 422)

    def test_v3_ruling_needs_a_request_first(self):
        ev = self.closed_event()
        self.assertError(self.rule(ev, "PROCEDE"), 409,
                         "NO_PROCESSES_REQUEST")

    def test_v3_only_procesos_rules(self):
        ev = self.closed_event()
        self.request(ev)
        for client in (self.control, self.jefe, admin()):
            with self.subTest(user=client.username):
                self.assertError(self.rule(ev, "PROCEDE", client=client),
                                 403)

    def test_v3_ruling_must_be_procede_or_no_procede_with_a_reason(self):
        ev = self.closed_event()
        self.request(ev)
        self.assertError(self.rule(ev, "QUIZAS"), 422, "VALIDATION",
                         "ruling")
        self.assertError(self.rule(ev, "PROCEDE", reason="  "), 422,
                         "VALIDATION", "reason")
        r = self.procesos.post("/api/v1/events/%s/processes-ruling"
                               % ev["id"], {"ruling": "PROCEDE"})
        self.assertError(r, 422, "VALIDATION", "reason")

    def test_v3_procede_keeps_the_event_reportable(self):
        ev = self.closed_event()
        self.request(ev)
        r = self.rule(ev, "PROCEDE", "Dentro del horario de la falla")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["ruling"], "PROCEDE")
        self.assertEqual(r.json["ruled_by"], self.procesos.username)
        self.assertEqual(r.json["status"], "RESUELTA")
        self.assertFalse(r.json["overdue"])
        self.assertTrue(self.get_event(ev["id"])["reportable"])
        self.assertError(self.rule(ev, "NO_PROCEDE"), 409, "ALREADY_RULED")
        self.assertTrue(self.get_event(ev["id"])["reportable"])

    def test_c4_no_procede_makes_the_event_not_reportable(self):
        ev = self.closed_event()
        self.assertTrue(ev["reportable"])
        self.request(ev)
        r = self.rule(ev, "NO_PROCEDE", "Fuera del horario de falla masiva")
        self.assertStatus(r, 200)
        got = self.get_event(ev["id"])
        self.assertFalse(got["reportable"])
        self.assertTrue(got["ruled_out"])
        self.assertIsNone(got["report_due"])
        r = admin().get("/api/v1/events?point=%s&reportable=false"
                        % ev["point"]["code"])
        self.assertIn(ev["number"], [e["number"] for e in r.json["items"]])
        ctl = self.control.get("/api/v1/events/%s/control" % ev["id"]).json
        self.assertEqual(ctl["exclusion"]["source"], "PROCESOS")
        self.assertEqual(ctl["exclusion"]["reason"],
                         "Fuera del horario de falla masiva")

    def test_c4_control_rules_an_event_out_once(self):
        ev = self.closed_event(point=self.cc[0], procedure="BAJAS")
        path = "/api/v1/events/%s/rule-out" % ev["id"]
        self.assertError(self.jefe.post(path, {"reason": "x"}), 403)
        self.assertError(self.control.post(path, {"reason": " "}), 422,
                         "VALIDATION", "reason")
        r = self.control.post(path, {"reason": "Duplicado del evento "
                                               "anterior"})
        self.assertStatus(r, 200)
        self.assertFalse(r.json["reportable"])
        self.assertTrue(r.json["ruled_out"])
        self.assertError(self.control.post(path, {"reason": "otra vez"}),
                         409, "ALREADY_RULED_OUT")
        ctl = self.control.get("/api/v1/events/%s/control" % ev["id"]).json
        self.assertEqual(ctl["exclusion"]["source"], "CONTROL")
        actions = [i["action"] for i in admin().get(
            "/api/v1/events/%s/audit" % ev["id"]).json["items"]]
        self.assertEqual(actions.count("event.rule_out"), 1)

    def test_v3_tray_lists_waiting_requests_with_their_clock(self):
        ev = self.closed_event()
        self.request(ev)
        r = self.procesos.get("/api/v1/processes/requests?status=PENDIENTE"
                              "&limit=500")
        self.assertStatus(r, 200)
        mine = [i for i in r.json["items"] if i["event"] == ev["number"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["event_summary"]["point"]["code"],
                         ev["point"]["code"])
        self.assertGreater(mine[0]["seconds_left"], 0)
        for item in r.json["items"]:
            self.assertEqual(item["status"], "PENDIENTE")
        self.rule(ev, "PROCEDE")
        r = self.control.get("/api/v1/processes/requests?status=RESUELTA"
                             "&limit=500")
        self.assertIn(ev["number"], [i["event"] for i in r.json["items"]])
        self.assertError(self.jefe.get("/api/v1/processes/requests"), 403)
        self.assertError(self.procesos.get(
            "/api/v1/processes/requests?status=NADA"), 422)

    def test_v3_request_and_ruling_are_audited_on_the_event(self):
        ev = self.closed_event()
        self.request(ev)
        self.rule(ev, "NO_PROCEDE", "No corresponde reportar")
        actions = [i["action"] for i in admin().get(
            "/api/v1/events/%s/audit" % ev["id"]).json["items"]]
        for a in ("event.processes_request", "event.processes_ruling",
                  "event.rule_out"):
            self.assertIn(a, actions)
