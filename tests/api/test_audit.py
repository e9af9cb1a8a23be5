"""Records: SPEC A1 (audit of every change), A2 (nothing deleted), and
CONTROL's annotations on events (C3)."""

import json

import inoptest as t
from inoptest import ApiTest, JefeTest, admin, event_payload


def dumps(x):
    return json.dumps(x, ensure_ascii=False, sort_keys=True)


class AuditTrail(JefeTest):
    POOL = 8

    def audit(self, ref):
        """GET .../audit as ADMIN, or as CONTROL if ADMIN may not read it."""
        path = "/api/v1/events/%s/audit" % ref
        r = admin().get(path)
        if r.status == 403:
            r = t.role_client("CONTROL").get(path)
        self.assertStatus(r, 200)
        self.assertIsInstance(r.json["items"], list)
        self.assertEqual(r.json["total"], len(r.json["items"]))
        return r.json["items"]

    def test_a1_register_add_close_annotate_each_write_one_audit_record(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        n0 = len(self.audit(ev["id"]))
        self.assertGreaterEqual(n0, 1, "registration wrote no audit record")
        r = self.jefe.post("/api/v1/events/%s/requests" % ev["id"],
                           {"requests": ["INFORMATIVA"]})
        self.assertStatus(r, 200)
        self.assertEqual(len(self.audit(ev["id"])), n0 + 1)
        self.close_event(self.jefe, ev["id"])
        self.assertEqual(len(self.audit(ev["id"])), n0 + 2)
        control = t.role_client("CONTROL")
        r = control.post("/api/v1/events/%s/annotations" % ev["id"],
                         {"text": "Validado con el reporte de Tecnología"})
        self.assertStatus(r, 201)
        items = self.audit(ev["id"])
        self.assertEqual(len(items), n0 + 3)
        self.assertEqual(self.audit(ev["number"]), items)

    def test_a1_audit_records_say_who_when_what_before_after(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.assertStatus(self.jefe.post(
            "/api/v1/events/%s/requests" % ev["id"],
            {"requests": ["DERECHOS_ARCO"]}), 200)
        self.close_event(self.jefe, ev["id"], "SIN_FLUIDO_ELECTRICO")
        control = t.role_client("CONTROL")
        text = "Anotación de Control %s" % t.CTX.run_id
        self.assertStatus(control.post(
            "/api/v1/events/%s/annotations" % ev["id"], {"text": text}), 201)
        items = self.audit(ev["id"])
        for rec in items:
            for key in ("at", "actor", "action", "before", "after"):
                self.assertIn(key, rec)
            self.assertLimaTime(rec["at"])
            self.assertIsInstance(rec["action"], str)
            self.assertTrue(rec["action"])
        actors = [t.username_of(rec["actor"]) for rec in items]
        self.assertIn(self.jefe.username, actors)
        self.assertIn(control.username, actors)
        self.assertEqual(len({rec["action"] for rec in items}), len(items),
                         "register, close and annotate share an action "
                         "name: %r" % [rec["action"] for rec in items])
        closing = [rec for rec in items
                   if "CLOSED" in dumps(rec["after"])
                   and "CLOSED" not in dumps(rec["before"])]
        self.assertEqual(len(closing), 1, items)
        self.assertIn("OPEN", dumps(closing[0]["before"]))
        self.assertIn("SIN_FLUIDO_ELECTRICO", dumps(closing[0]["after"]))
        self.assertEqual(t.username_of(closing[0]["actor"]),
                         self.jefe.username)
        self.assertTrue(any(text in dumps(rec["after"]) for rec in items),
                        "annotation text not in its audit record")
        adding = [rec for rec in items
                  if "DERECHOS_ARCO" in dumps(rec["after"])
                  and "DERECHOS_ARCO" not in dumps(rec["before"])]
        self.assertEqual(len(adding), 1, "one record adds the request: %r"
                         % items)
        self.assertIn("MIGRACION_PLAN", dumps(adding[0]["before"]))
        registering = [rec for rec in items
                       if rec["before"] in (None, {}, "", "null")
                       and '"status": "OPEN"' in dumps(rec["after"])]
        self.assertEqual(len(registering), 1, "one record creates the OPEN "
                         "event, with no 'before': %r" % items)
        self.assertIn(ev["number"], dumps(registering[0]["after"]))

    def test_a1_refused_requests_write_no_audit_record(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        before = self.audit(ev["id"])
        self.jefe.post("/api/v1/events/%s/requests" % ev["id"],
                       {"requests": ["PAGO"]})
        self.jefe.post("/api/v1/events/%s/close" % ev["id"],
                       {"ended_at": t.iso(t.now()),
                        "closure_reason": "INTERMITENCIA"})
        # C1: SOPORTE may close it now; CONTROL may not
        t.role_client("CONTROL").post("/api/v1/events/%s/close" % ev["id"],
                                      {"ended_at": t.iso(t.now()),
                                       "closure_reason":
                                       "SIN_FLUIDO_ELECTRICO"})
        self.jefe.post("/api/v1/events/%s/annotations" % ev["id"],
                       {"text": "no soy Control"})
        self.jefe.post("/api/v1/events", event_payload(ev["point"]["code"]))
        self.assertEqual(self.audit(ev["id"]), before)

    def test_a1_audit_of_unknown_event_is_404(self):
        r = admin().get("/api/v1/events/987654321/audit")
        if r.status == 403:
            r = t.role_client("CONTROL").get("/api/v1/events/987654321/audit")
        self.assertError(r, 404, "NOT_FOUND")


class Annotations(JefeTest):
    POOL = 6

    def test_c3_control_annotates_a_closed_event_201(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        closed = self.close_event(self.jefe, ev["id"]).json
        r = t.role_client("CONTROL").post(
            "/api/v1/events/%s/annotations" % ev["number"],
            {"text": "Revisado: corte de luz confirmado por Enel"})
        self.assertStatus(r, 201)
        after = self.get_event(ev["id"])
        self.assertEqual(after["status"], "CLOSED")
        for key in ("ended_at", "closure_reason", "reportable", "report_due",
                    "requests", "number"):
            self.assertEqual(after[key], closed[key])

    def test_c3_control_annotates_an_open_event_201(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = t.role_client("CONTROL").post(
            "/api/v1/events/%s/annotations" % ev["id"],
            {"text": "Se consultó con el punto"})
        self.assertStatus(r, 201)
        self.assertEqual(self.get_event(ev["id"])["status"], "OPEN")

    def test_c3_only_control_annotates_403_otherwise(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for c in (self.jefe, t.role_client("SOPORTE"),
                  t.role_client("PROCESOS"), admin()):
            with self.subTest(user=c.username):
                r = c.post("/api/v1/events/%s/annotations" % ev["id"],
                           {"text": "No me corresponde anotar"})
                self.assertError(r, 403, "FORBIDDEN")

    def test_c3_annotation_without_text_is_422_field_text(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        control = t.role_client("CONTROL")
        for body in ({}, {"text": ""}, {"text": 42}):
            with self.subTest(body=body):
                r = control.post("/api/v1/events/%s/annotations" % ev["id"],
                                 body)
                self.assertError(r, 422, "VALIDATION", "text")

    def test_c3_annotation_of_1100_accented_characters_is_accepted(self):
        # a long note in Spanish: 1100 characters, 2200 UTF-8 bytes
        ev = self.register(self.jefe, event_payload(self.take_point()))
        text = ("Revisión: " + "áéíóúñ " * 200)[:1100]
        self.assertEqual(len(text), 1100)
        self.assertGreater(len(text.encode()), 2000)
        r = t.role_client("CONTROL").post(
            "/api/v1/events/%s/annotations" % ev["id"], {"text": text})
        self.assertStatus(r, 201)

    def test_c3_annotating_an_unknown_event_is_404(self):
        r = t.role_client("CONTROL").post(
            "/api/v1/events/987654321/annotations", {"text": "nada"})
        self.assertError(r, 404, "NOT_FOUND")


class NothingDeleted(JefeTest):
    POOL = 3

    def test_a2_delete_of_an_event_is_405_and_the_event_remains(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        for c in (admin(), self.jefe):
            r = c.delete("/api/v1/events/%s" % ev["id"])
            with self.subTest(user=c.username):
                self.assertError(r, 405, "METHOD_NOT_ALLOWED")
        self.assertEqual(self.get_event(ev["id"])["number"], ev["number"])

    def test_a2_mistaken_and_test_events_keep_their_numbers(self):
        p = self.take_point()
        mistaken = self.register(self.jefe, event_payload(p))
        self.close_event(self.jefe, mistaken["id"], "ERROR_USUARIO",
                         justification="Registro equivocado")
        test_ev = self.register(admin(), event_payload(
            p, scenario="PRUEBA", procedure="ALTAS"))
        self.close_event(admin(), test_ev["id"], "ERROR_USUARIO",
                         justification="Fin de la prueba")
        for ev in (mistaken, test_ev):
            got = self.get_event(ev["number"])
            self.assertEqual(got["id"], ev["id"])
            self.assertEqual(got["status"], "CLOSED")
        r = admin().get("/api/v1/events?point=%s&status=CLOSED" % p)
        self.assertEqual(sorted(e["number"] for e in r.json["items"]),
                         sorted([mistaken["number"], test_ev["number"]]))
