"""Closure of events: SPEC C1-C4 (and D1/D2 for the report due date)."""

import datetime as dt

import inoptest as t
from inoptest import ApiTest, JefeTest, admin, event_payload, iso, now


def recent_day(pred, start=2, stop=12):
    """The most recent Lima day `start`..`stop` days back satisfying pred."""
    today = t.lima_date(now())
    for back in range(start, stop):
        d = today - dt.timedelta(days=back)
        if pred(d):
            return d
    raise AssertionError("no suitable day found")


def lima_at(d, hour, minute=0):
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=t.LIMA)


class C1WhoCloses(JefeTest):
    POOL = 15

    def test_c1_jefe_closes_own_evento_no_previsto_200(self):
        p = self.take_point()
        ev = self.register(self.jefe, event_payload(p))
        ended = iso(now() - dt.timedelta(minutes=2))
        r = self.close_event(self.jefe, ev["id"], "SIN_FLUIDO_ELECTRICO",
                             ended_at=ended)
        c = r.json
        self.assertEqual(c["id"], ev["id"])
        self.assertEqual(c["number"], ev["number"])
        self.assertEqual(c["status"], "CLOSED")
        self.assertEqual(c["closure_reason"], "SIN_FLUIDO_ELECTRICO")
        self.assertSameInstant(c["ended_at"], ended)
        self.assertEqual(t.username_of(c["closed_by"]), self.jefe.username)
        self.assertEqual(self.get_event(ev["id"]), c)

    def test_c1_close_by_number_works_too(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.close_event(self.jefe, ev["number"])
        self.assertEqual(r.json["status"], "CLOSED")

    def test_c1_soporte_daily_review_closes_an_unforeseen_event(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        soporte = t.role_client("SOPORTE")
        r = self.close_event(soporte, ev["id"])
        self.assertEqual(r.json["status"], "CLOSED")
        self.assertEqual(r.json["closure_reason"], "SIN_FLUIDO_ELECTRICO")
        self.assertEqual(t.username_of(r.json["closed_by"]), soporte.username)

    def test_c1_soporte_closes_a_mistaken_event_as_error_usuario(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        soporte = t.role_client("SOPORTE")
        r = self.close_event(soporte, ev["id"], "ERROR_USUARIO",
                             justification="Corto", expect=None)
        self.assertError(r, 422, "VALIDATION", "justification")
        r = self.close_event(soporte, ev["id"], "ERROR_USUARIO",
                             justification="El punto registró una prueba")
        self.assertEqual(r.json["closure_reason"], "ERROR_USUARIO")
        self.assertFalse(r.json["reportable"])

    def test_c1_soporte_reason_must_fit_the_scenario_422(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.close_event(t.role_client("SOPORTE"), ev["id"],
                             "FALLA_MASIVA_APLICATIVO", expect=None)
        self.assertError(r, 422, "REASON_NOT_ALLOWED")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c1_jefe_of_another_point_cannot_close_403(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        r = self.close_event(other, ev["id"], expect=None)
        self.assertError(r, 403)
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c1_other_roles_cannot_close_evento_no_previsto_403(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for role in ("CONTROL", "FALLAS", "PROCESOS", "GERENTE", "ADMIN"):
            c = admin() if role == "ADMIN" else t.role_client(role)
            with self.subTest(role=role):
                self.assertError(self.close_event(c, ev["id"], expect=None),
                                 403, "FORBIDDEN")
                self.assertError(self.close_event(
                    c, ev["id"], "ERROR_USUARIO", justification="registro "
                    "equivocado", expect=None), 403, "FORBIDDEN")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c1_admin_closes_prueba_as_error_usuario(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        r = self.close_event(admin(), ev["id"], "ERROR_USUARIO",
                             justification="Prueba del sistema terminada")
        self.assertEqual(r.json["status"], "CLOSED")
        self.assertEqual(r.json["justification"],
                         "Prueba del sistema terminada")
        self.assertEqual(t.username_of(r.json["closed_by"]), "admin")

    def test_c1_soporte_closes_prueba_as_error_usuario(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        soporte = t.role_client("SOPORTE")
        r = self.close_event(soporte, ev["id"], "ERROR_USUARIO",
                             justification="Era una prueba de Tecnología")
        self.assertEqual(t.username_of(r.json["closed_by"]), soporte.username)

    def test_c1_points_jefe_closes_prueba_as_error_usuario(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification="Prueba registrada por Sistemas")
        self.assertEqual(r.json["status"], "CLOSED")

    def test_c1_prueba_cannot_be_closed_by_control_403(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        r = self.close_event(t.role_client("CONTROL"), ev["id"],
                             "ERROR_USUARIO",
                             justification="no me corresponde", expect=None)
        self.assertError(r, 403, "FORBIDDEN")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c1_jefe_closes_own_mistaken_event_as_error_usuario(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification="Se registró por error")
        self.assertEqual(r.json["closure_reason"], "ERROR_USUARIO")
        self.assertEqual(r.json["justification"], "Se registró por error")


class C2Reasons(JefeTest):
    POOL = 8

    def test_c2_reason_not_allowed_for_the_scenario_is_422(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for reason in ("INTERMITENCIA", "INCONVENIENTE_CONECTIVIDAD",
                       "MANTENIMIENTO_APLICATIVOS", "FALLA_MASIVA_APLICATIVO",
                       "LLUVIA", "sin_fluido_electrico"):
            with self.subTest(reason=reason):
                r = self.close_event(self.jefe, ev["id"], reason, expect=None)
                self.assertError(r, 422, "REASON_NOT_ALLOWED",
                                 "closure_reason")
        got = self.get_event(ev["id"])
        self.assertEqual(got["status"], "OPEN")
        self.assertIsNone(got["closure_reason"])
        self.assertIsNone(got["ended_at"])

    def test_c2_missing_closure_reason_is_422_field_closure_reason(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for body in ({"ended_at": iso(now())},
                     {"ended_at": iso(now()), "closure_reason": ""},
                     {"ended_at": iso(now()), "closure_reason": None}):
            with self.subTest(body=body):
                r = self.jefe.post("/api/v1/events/%s/close" % ev["id"], body)
                err = self.assertError(r, 422, field="closure_reason")
                self.assertIn(err["code"], ("VALIDATION",
                                            "REASON_NOT_ALLOWED"))
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c2_prueba_allows_only_error_usuario(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        for reason in ("SIN_FLUIDO_ELECTRICO", "INTERMITENCIA"):
            with self.subTest(reason=reason):
                r = self.close_event(admin(), ev["id"], reason,
                                     justification="prueba terminada",
                                     expect=None)
                self.assertError(r, 422, "REASON_NOT_ALLOWED",
                                 "closure_reason")

    def test_c2_every_allowed_reason_of_evento_no_previsto_closes(self):
        p = self.take_point()
        for proc, reason in zip(t.PROCEDURES, ("INFRAESTRUCTURA_PUNTO",
                                               "SIN_FLUIDO_ELECTRICO",
                                               "ERROR_USUARIO")):
            ev = self.register(self.jefe, event_payload(p, procedure=proc))
            r = self.close_event(self.jefe, ev["id"], reason,
                                 justification="Registro hecho por error")
            self.assertEqual(r.json["closure_reason"], reason)

    def test_c2_error_usuario_without_justification_is_422(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for just in (None, "", "corto", "123456789"):
            with self.subTest(justification=just):
                r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                                     justification=just, expect=None)
                self.assertError(r, 422, "VALIDATION", "justification")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c2_justification_of_10_characters_is_enough(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification="1234567890")
        self.assertEqual(r.json["justification"], "1234567890")

    def test_c2_justification_length_counts_characters_not_bytes(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        nine = "áéíóúñÁÉÍ"           # 9 characters, 18 bytes
        self.assertEqual(len(nine), 9)
        r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification=nine, expect=None)
        self.assertError(r, 422, "VALIDATION", "justification")
        r = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification=nine + "Ó")
        self.assertEqual(r.json["justification"], nine + "Ó")


class C3EndAndOnce(JefeTest):
    POOL = 12

    def test_c3_ended_at_before_started_at_is_422(self):
        started = now() - dt.timedelta(minutes=30)
        ev = self.register(self.jefe, event_payload(
            self.take_point(), started_at=iso(started)))
        r = self.close_event(self.jefe, ev["id"], ended_at=iso(
            started - dt.timedelta(minutes=1)), expect=None)
        self.assertError(r, 422, "VALIDATION", "ended_at")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c3_ended_at_equal_to_started_at_is_accepted(self):
        started = iso(now() - dt.timedelta(minutes=30))
        ev = self.register(self.jefe, event_payload(
            self.take_point(), started_at=started))
        r = self.close_event(self.jefe, ev["id"], ended_at=started)
        self.assertSameInstant(r.json["ended_at"], started)

    def test_c3_ended_at_more_than_5_minutes_ahead_is_422(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for minutes in (6, 120):
            with self.subTest(minutes=minutes):
                r = self.close_event(self.jefe, ev["id"], ended_at=iso(
                    now() + dt.timedelta(minutes=minutes)), expect=None)
                self.assertError(r, 422, "VALIDATION", "ended_at")
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c3_missing_or_malformed_ended_at_is_422(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for value in (None, "hoy", "2026-02-30T10:00:00-05:00"):
            body = {"closure_reason": "SIN_FLUIDO_ELECTRICO"}
            if value is not None:
                body["ended_at"] = value
            with self.subTest(ended_at=value):
                r = self.jefe.post("/api/v1/events/%s/close" % ev["id"], body)
                self.assertError(r, 422, "VALIDATION", "ended_at")

    def test_c3_ended_at_with_offset_is_output_in_lima(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        sent = t.iso_z(now() - dt.timedelta(minutes=3))
        r = self.close_event(self.jefe, ev["id"], ended_at=sent)
        self.assertSameInstant(r.json["ended_at"], sent)

    def test_c3_closing_again_is_409_already_closed(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        closed = self.close_event(self.jefe, ev["id"]).json
        for reason, just in (("SIN_FLUIDO_ELECTRICO", None),
                             ("INFRAESTRUCTURA_PUNTO", None),
                             ("ERROR_USUARIO", "cerrado de nuevo")):
            with self.subTest(reason=reason):
                r = self.close_event(self.jefe, ev["id"], reason,
                                     justification=just, expect=None)
                self.assertError(r, 409, "ALREADY_CLOSED")
        self.assertEqual(self.get_event(ev["id"]), closed)

    def test_c3_adding_requests_to_a_closed_event_is_409_already_closed(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        closed = self.close_event(self.jefe, ev["id"]).json
        r = self.jefe.post("/api/v1/events/%s/requests" % ev["id"],
                           {"requests": ["INFORMATIVA"]})
        self.assertError(r, 409, "ALREADY_CLOSED")
        self.assertEqual(self.get_event(ev["id"]), closed)

    def test_c3_closing_an_unknown_event_is_404(self):
        r = self.close_event(self.jefe, 987654321, expect=None)
        self.assertError(r, 404, "NOT_FOUND")

    def test_c3_closed_event_cannot_be_reopened_by_any_method(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        closed = self.close_event(self.jefe, ev["id"]).json
        for method in ("PUT", "PATCH"):
            admin().request(method, "/api/v1/events/%s" % ev["id"],
                            {"status": "OPEN"})
        self.assertEqual(self.get_event(ev["id"]), closed)


class C4Reportable(JefeTest):
    POOL = 12

    def test_c4_evento_no_previsto_closed_sin_fluido_is_reportable(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        ended = now() - dt.timedelta(minutes=1)
        c = self.close_event(self.jefe, ev["id"], "SIN_FLUIDO_ELECTRICO",
                             ended_at=iso(ended)).json
        self.assertIs(c["reportable"], True)
        due = t.add_business_days(t.lima_date(ended), 3)
        self.assertEqual(c["report_due"], due.isoformat())

    def test_c4_infraestructura_punto_is_reportable(self):
        ev = self.register(self.jefe, event_payload(
            self.take_point(), cause="INFRAESTRUCTURA"))
        c = self.close_event(self.jefe, ev["id"], "INFRAESTRUCTURA_PUNTO").json
        self.assertIs(c["reportable"], True)
        self.assertRegex(c["report_due"], r"^\d{4}-\d{2}-\d{2}$")

    def test_c4_error_usuario_is_not_reportable_and_has_no_due_date(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        c = self.close_event(self.jefe, ev["id"], "ERROR_USUARIO",
                             justification="Registro equivocado").json
        self.assertIs(c["reportable"], False)
        self.assertIsNone(c["report_due"])

    def test_c4_prueba_is_not_reportable_and_has_no_due_date(self):
        ev = self.register(admin(), event_payload(self.take_point(),
                                                  scenario="PRUEBA"))
        self.assertIs(ev["reportable"], False)
        c = self.close_event(admin(), ev["id"], "ERROR_USUARIO",
                             justification="Fin de la prueba").json
        self.assertIs(c["reportable"], False)
        self.assertIsNone(c["report_due"])

    def test_c4_open_event_has_no_due_date(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.assertIsNone(ev["report_due"])
        self.assertIsNone(self.get_event(ev["id"])["report_due"])

    def test_c4_report_due_skips_the_weekend(self):
        # a paper form typed in later (K2) lets the event end on a day
        # whose 3rd business day lies after a weekend
        d = recent_day(lambda d: d.weekday() in (2, 3, 4)
                       and t.is_business_day(d))
        p = self.take_point()
        serial = t.manual_form(p)
        ev = self.register(self.jefe, event_payload(
            p, started_at=iso(lima_at(d, 10)),
            origin="MANUAL", manual_form_ref=serial))
        self.assertEqual(ev["origin"], "MANUAL")
        self.assertEqual(ev["manual_form_ref"], serial)
        c = self.close_event(self.jefe, ev["id"], "SIN_FLUIDO_ELECTRICO",
                             ended_at=iso(lima_at(d, 11, 30))).json
        self.assertEqual(c["report_due"],
                         t.add_business_days(d, 3).isoformat())

    def test_c4_report_due_counts_from_the_lima_end_day(self):
        # ends 23:30 Lima = 04:30 UTC the next day: the Lima day counts
        d = recent_day(lambda d: t.is_business_day(d)
                       and t.is_business_day(d + dt.timedelta(days=1)))
        ended = lima_at(d, 23, 30)
        p = self.take_point()
        ev = self.register(self.jefe, event_payload(
            p, started_at=t.iso_z(lima_at(d, 22)),
            origin="MANUAL", manual_form_ref=t.manual_form(p)))
        c = self.close_event(self.jefe, ev["id"], "SIN_FLUIDO_ELECTRICO",
                             ended_at=t.iso_z(ended)).json
        self.assertSameInstant(c["ended_at"], t.iso_z(ended))
        self.assertTrue(c["ended_at"].startswith(d.isoformat() + "T23:30"))
        self.assertEqual(c["report_due"],
                         t.add_business_days(d, 3).isoformat())

    def test_c4_filter_reportable_true_lists_only_reportable_events(self):
        p = self.take_point()
        good = self.register(self.jefe, event_payload(p, procedure="ALTAS"))
        self.close_event(self.jefe, good["id"], "SIN_FLUIDO_ELECTRICO")
        bad = self.register(self.jefe, event_payload(p, procedure="BAJAS"))
        self.close_event(self.jefe, bad["id"], "ERROR_USUARIO",
                         justification="Registro equivocado")
        test_ev = self.register(admin(), event_payload(
            p, scenario="PRUEBA", procedure="RECLAMOS"))
        self.close_event(admin(), test_ev["id"], "ERROR_USUARIO",
                         justification="Fin de la prueba")
        r = admin().get("/api/v1/events?reportable=true&point=%s" % p)
        self.assertStatus(r, 200)
        self.assertEqual([e["number"] for e in r.json["items"]],
                         [good["number"]])
        self.assertEqual(r.json["total"], 1)
        r = admin().get("/api/v1/events?reportable=false&point=%s"
                        "&status=CLOSED" % p)
        self.assertStatus(r, 200)
        self.assertEqual(sorted(e["number"] for e in r.json["items"]),
                         sorted([bad["number"], test_ev["number"]]))
        r = admin().get("/api/v1/events?reportable=true&limit=200")
        for e in r.json["items"]:
            self.assertIs(e["reportable"], True, e["number"])


class CloseRefusalsChangeNothing(JefeTest):
    POOL = 2

    def test_refused_closures_leave_the_event_as_it_was(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        before = self.get_event(ev["id"])
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        attempts = [
            (other, {"ended_at": iso(now()),
                     "closure_reason": "SIN_FLUIDO_ELECTRICO"}),
            (t.role_client("CONTROL"), {"ended_at": iso(now()),
                                        "closure_reason":
                                        "SIN_FLUIDO_ELECTRICO"}),
            (self.jefe, {"ended_at": iso(now()),
                         "closure_reason": "INTERMITENCIA"}),
            (self.jefe, {"ended_at": iso(now()),
                         "closure_reason": "ERROR_USUARIO",
                         "justification": "corto"}),
            (self.jefe, {"ended_at": iso(now() + dt.timedelta(hours=2)),
                         "closure_reason": "SIN_FLUIDO_ELECTRICO"}),
            (self.jefe, {"ended_at": "2000-01-01T00:00:00-05:00",
                         "closure_reason": "SIN_FLUIDO_ELECTRICO"}),
        ]
        for client, body in attempts:
            r = client.post("/api/v1/events/%s/close" % ev["id"], body)
            self.assertIn(r.status, (403, 404, 422), repr(r))
        r = self.jefe.post("/api/v1/events/%s/close" % ev["id"], raw=b"{{")
        self.assertError(r, 400, "BAD_JSON")
        self.assertEqual(self.get_event(ev["id"]), before)
