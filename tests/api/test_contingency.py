"""Critical transactions (SPEC T1) and the paper contingency (K1-K2):
the "Formato Manual de Registro de Inoperatividad" with its serial,
read back with pdftotext, and the regularisation of a filled form."""

import datetime as dt
import json
import os
import re
import subprocess

import inoptest as t
from inoptest import ApiTest, admin, event_payload, iso, now

FORM_LABELS = [
    "Formato Manual de Registro de Inoperatividad", "N.º de formato",
    "Punto de atención", "Buzones de contingencia",
    "Tipo de trámite", "Solicitudes reguladas que pidió el cliente",
    "Aplicativos que no funcionan", "Escenario", "Motivo de ocurrencia",
    "N.º de falla masiva", "Fecha y hora de inicio (hora de Lima)",
    "Confirmo que el aplicativo no funciona en ninguna PC",
    "Descripción / detalle", "Fecha y hora de fin (hora de Lima)",
    "Motivo de cierre", "Sustento", "Transacciones críticas atendidas",
    "Tipo de transacción crítica", "Referencia del cliente",
    "Fecha y hora de atención", "Cómo se atendió",
    "Referencia del sistema", "Jefe / Supervisor / Coordinador",
    "Firma", "Regularización en Inop"]
CATALOG = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..",
                                      "data", "catalog.json")))


def flat(text):
    """One line; a label wrapped after a slash ("y/ o") joined again."""
    return re.sub(r"/ ", "/", re.sub(r"\s+", " ", text))


def pdf_text(data_or_path):
    if isinstance(data_or_path, bytes):
        p = subprocess.run(["pdftotext", "-raw", "-", "-"],
                           input=data_or_path,
                           capture_output=True, timeout=60)
    else:
        p = subprocess.run(["pdftotext", "-raw", data_or_path, "-"],
                           capture_output=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("pdftotext: %s" % p.stderr.decode())
    return flat(p.stdout.decode("utf-8"))


def catalog_names():
    names = []
    for proc in CATALOG["procedures"]:
        names.append(proc["name"])
        names += [r["name"] for r in proc["requests"]]
    names += [a["name"] for a in CATALOG["applications"]]
    for sc in CATALOG["scenarios"]:
        if sc["code"] != "PRUEBA":
            names.append(sc["name"])
            names += [c["name"] for c in sc["causes"]]
    names += [c["name"] for c in CATALOG["closure_reasons"]]
    names += [c["name"] for c in CATALOG["critical_transactions"]]
    return names


class Pool(ApiTest):
    POOL = 14

    @classmethod
    def setUpClass(cls):
        cls.points = [t.create_point()["code"] for _ in range(cls.POOL)]
        cls.jefe = t.user_client(["JEFE"], cls.points)
        cls._free = list(cls.points)

    def take_point(self):
        if not self._free:
            self.fail("point pool exhausted; raise POOL")
        return self._free.pop(0)


def critical_body(ev, **kw):
    body = {"type": "RECLAMO_APELACION_QUEJA",
            "customer_ref": "DNI 40123456 - línea 987654321",
            "attended_at": iso(now() - dt.timedelta(minutes=5)),
            "how": "Se tomó el reclamo en el formato físico de reclamos"}
    body.update(kw)
    return body


class T1CriticalTransactions(Pool):

    def record(self, ev, client=None, **kw):
        return (client or self.jefe).post(
            "/api/v1/events/%s/critical" % ev["id"], critical_body(ev, **kw))

    def checks(self, ev):
        r = admin().get("/api/v1/events/%s/evaluation" % ev["id"])
        return {c["code"]: c for c in r.json["checks"]}

    def test_t1_jefe_records_one_on_an_open_event(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        attended = iso(now() - dt.timedelta(minutes=3))
        r = self.record(ev, type="BLOQUEO_ROBO_PERDIDA",
                        attended_at=attended)
        self.assertStatus(r, 201)
        tx = r.json
        self.assertEqual(tx["type"], "BLOQUEO_ROBO_PERDIDA")
        self.assertEqual(tx["customer_ref"], "DNI 40123456 - línea 987654321")
        self.assertSameInstant(tx["attended_at"], attended)
        self.assertIsNone(tx["system_ref"])
        self.assertFalse(tx["regularised"])
        self.assertEqual(tx["recorded_by"], self.jefe.username)
        got = self.jefe.get("/api/v1/events/%s/critical" % ev["id"])
        self.assertEqual(got.json["items"], [tx])
        self.assertEqual(self.checks(ev)["CRITICAL_REGULARISED"]["status"],
                         "PENDIENTE")

    def test_t1_unregularised_after_closure_is_flagged_then_fixed(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        tx = self.record(ev).json
        self.close_event(self.jefe, ev["id"])
        c = self.checks(ev)["CRITICAL_REGULARISED"]
        self.assertEqual(c["status"], "FALLA")
        self.assertIn("1 de 1", c["detail"])
        control = t.role_client("CONTROL")
        q = "/api/v1/control/events?check=CRITICAL_REGULARISED&point=%s" \
            % ev["point"]["code"]
        self.assertEqual([e["number"] for e in control.get(q).json["items"]],
                         [ev["number"]])
        path = "/api/v1/events/%s/critical/%s/reference" % (ev["id"],
                                                            tx["id"])
        r = self.jefe.post(path, {"system_ref": "REC-2026-0001234"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["system_ref"], "REC-2026-0001234")
        self.assertTrue(r.json["regularised"])
        self.assertEqual(r.json["system_ref_by"], self.jefe.username)
        self.assertEqual(self.checks(ev)["CRITICAL_REGULARISED"]["status"],
                         "OK")
        self.assertEqual(control.get(q).json["total"], 0)
        self.assertError(self.jefe.post(path, {"system_ref": "otra"}), 409,
                         "ALREADY_REGULARISED")

    def test_t1_with_system_ref_at_once_is_regularised(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.record(ev, system_ref="BLQ-778899")
        self.assertTrue(r.json["regularised"])
        self.assertEqual(self.checks(ev)["CRITICAL_REGULARISED"]["status"],
                         "OK")

    def test_t1_only_while_the_event_is_open(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.close_event(self.jefe, ev["id"])
        self.assertError(self.record(ev), 409, "ALREADY_CLOSED")
        self.assertEqual(self.jefe.get("/api/v1/events/%s/critical"
                                       % ev["id"]).json["total"], 0)

    def test_t1_fields_are_checked(self):
        ev = self.register(self.jefe, event_payload(
            self.take_point(),
            started_at=iso(now() - dt.timedelta(minutes=30))))
        cases = [({"type": "PAGO"}, "type"),
                 ({"type": None}, "type"),
                 ({"customer_ref": ""}, "customer_ref"),
                 ({"customer_ref": "   "}, "customer_ref"),
                 ({"how": ""}, "how"),
                 ({"attended_at": "ayer"}, "attended_at"),
                 ({"attended_at": iso(now() - dt.timedelta(hours=2))},
                  "attended_at"),
                 ({"attended_at": iso(now() + dt.timedelta(hours=1))},
                  "attended_at")]
        for change, field in cases:
            with self.subTest(change=change):
                self.assertError(self.record(ev, **change), 422,
                                 "VALIDATION", field)
        self.assertEqual(self.jefe.get("/api/v1/events/%s/critical"
                                       % ev["id"]).json["total"], 0)

    def test_t1_who_records(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        self.assertError(self.record(ev, client=other), 403)
        self.assertError(self.record(ev, client=admin()), 403)
        for role in ("CONTROL", "SOPORTE", "PROCESOS"):
            with self.subTest(role=role):
                self.assertError(self.record(ev, client=t.role_client(role)),
                                 403)
        test_ev = self.register(admin(), event_payload(self.take_point(),
                                                       scenario="PRUEBA"))
        self.assertStatus(self.record(test_ev, client=admin()), 201)

    def test_t1_reference_of_an_unknown_or_other_events_tx_is_404(self):
        p = self.take_point()
        ev = self.register(self.jefe, event_payload(p))
        ev2 = self.register(self.jefe, event_payload(p, procedure="ALTAS"))
        tx2 = self.record(ev2).json
        for cid in (tx2["id"], 999999999, "abc"):
            with self.subTest(cid=cid):
                r = self.jefe.post("/api/v1/events/%s/critical/%s/reference"
                                   % (ev["id"], cid), {"system_ref": "X-1"})
                self.assertError(r, 404)
        r = self.jefe.post("/api/v1/events/%s/critical/%s/reference"
                           % (ev2["id"], tx2["id"]), {"system_ref": ""})
        self.assertError(r, 422, "VALIDATION", "system_ref")


class K1PaperForm(Pool):

    def issue(self, point, client=None):
        return (client or self.jefe).post("/api/v1/manual-forms",
                                          {"point": point})

    def test_k1_serials_are_gapless_per_point(self):
        p, q = self.take_point(), self.take_point()
        a = self.issue(p)
        self.assertStatus(a, 201)
        self.assertEqual(a.json["serial"], "FM-%s-000001" % p)
        self.assertEqual(a.json["status"], "LIBRE")
        self.assertEqual(a.json["point"]["code"], p)
        self.assertEqual(self.issue(q).json["serial"], "FM-%s-000001" % q)
        self.assertEqual(self.issue(p, t.role_client("CONTROL"))
                         .json["serial"], "FM-%s-000002" % p)
        self.assertEqual(self.issue(p, admin()).json["serial"],
                         "FM-%s-000003" % p)

    def test_k1_who_issues_forms(self):
        p = self.take_point()
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        self.assertError(self.issue(p, other), 403)
        for role in ("SOPORTE", "PROCESOS", "FALLAS"):
            with self.subTest(role=role):
                self.assertError(self.issue(p, t.role_client(role)), 403)
        self.assertError(self.issue("NO-EXISTE-" + t.CTX.run_id, admin()),
                         422, "VALIDATION", "point")
        r = admin().get("/api/v1/manual-forms?point=%s" % p)
        self.assertEqual(r.json["total"], 0, "a refused issue used a serial")

    def test_k1_pdf_has_point_serial_and_every_field_label(self):
        p = self.take_point()
        form = self.issue(p).json
        r = self.jefe.get(form["pdf"])
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertIn(form["serial"], r.header("Content-Disposition"))
        self.assertTrue(r.body.startswith(b"%PDF"))
        text = pdf_text(r.body)
        self.assertIn(form["serial"], text)
        self.assertIn("Punto de prueba %s (%s)" % (p, p), text)
        self.assertIn("Región: Lima", text)
        for label in FORM_LABELS + catalog_names():
            with self.subTest(label=label):
                self.assertIn(flat(label), text)
        self.assertNotIn("Prueba (solo áreas autorizadas)", text)
        # the suite's server has no mailboxes configured: said so
        self.assertIn("(no configurado)", text)

    def test_k1_pdf_only_for_the_points_people(self):
        p = self.take_point()
        form = self.issue(p).json
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        self.assertError(other.get(form["pdf"]), 403)
        self.assertStatus(t.role_client("CONTROL").get(form["pdf"]), 200)
        self.assertError(self.jefe.get(
            "/api/v1/manual-forms/FM-NADA-000001/pdf"), 404)
        self.assertError(t.ANON.get(form["pdf"]), 401)

    def test_k1_cli_form_prints_the_contingency_mailboxes(self):
        d = os.path.join(t.CTX.tmp, "form-cli")
        os.makedirs(d, exist_ok=True)
        db = os.path.join(d, "form.db")
        pw = t.write_secret(os.path.join(d, "pw"), "Clave-admin-form-2026")
        self.assertEqual(t.run_inop(["init", "--db", db,
                                     "--admin-password-file", pw])
                         .returncode, 0)
        p = t.run_inop(["point", "add", "--db", db, "--code", "CC-123-LIM",
                        "--name", "Call center Lima", "--type",
                        "CALL_CENTER", "--region", "Lima", "--lines",
                        "123,135"])
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(d, "formato.pdf")
        serials = []
        for i in range(2):
            p = t.run_inop(["form", "manual", "--db", db, "--point",
                            "CC-123-LIM", "-o", out, "--mailbox_fallas",
                            "fallasatc@example.pe",
                            "--mailbox_contingency_cc",
                            "analistas@example.pe,control@example.pe"])
            self.assertEqual(p.returncode, 0, p.stderr)
            serials.append(re.search(r"FM-CC-123-LIM-\d{6}",
                                     p.stdout.decode()).group(0))
        self.assertEqual(serials, ["FM-CC-123-LIM-000001",
                                   "FM-CC-123-LIM-000002"])
        text = pdf_text(out)
        self.assertIn("FM-CC-123-LIM-000002", text)
        self.assertIn("Call center Lima (CC-123-LIM)", text)
        self.assertIn("Líneas: 123, 135", text)
        self.assertIn("Canal: Telefónico", text)
        self.assertIn("fallasatc@example.pe", text)
        self.assertIn("analistas@example.pe, control@example.pe", text)
        for label in FORM_LABELS:
            with self.subTest(label=label):
                self.assertIn(flat(label), text)

    def test_k1_cli_form_unknown_point_or_missing_output_fails(self):
        d = os.path.join(t.CTX.tmp, "form-cli-bad")
        os.makedirs(d, exist_ok=True)
        db = os.path.join(d, "form.db")
        pw = t.write_secret(os.path.join(d, "pw"), "Clave-admin-form-2026")
        t.run_inop(["init", "--db", db, "--admin-password-file", pw])
        p = t.run_inop(["form", "manual", "--db", db, "--point", "NADA",
                        "-o", os.path.join(d, "x.pdf")])
        self.assertNotEqual(p.returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(d, "x.pdf")))
        p = t.run_inop(["form", "manual", "--db", db, "--point", "NADA"])
        self.assertNotEqual(p.returncode, 0)
        p = t.run_inop(["form", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"form manual", p.stdout)


class K2Regularisation(Pool):

    def manual(self, p, serial, days=3, **kw):
        started = now().replace(microsecond=0) - dt.timedelta(days=days)
        return self.jefe.post("/api/v1/events", event_payload(
            p, started_at=iso(started), origin="MANUAL",
            manual_form_ref=serial, **kw))

    def test_k2_regularised_event_shows_its_delay_and_uses_the_serial(self):
        p = self.take_point()
        serial = t.manual_form(p, self.jefe)
        r = self.manual(p, serial, days=2)
        self.assertStatus(r, 201)
        ev = r.json
        self.assertEqual(ev["origin"], "MANUAL")
        self.assertEqual(ev["manual_form_ref"], serial)
        delay = (t.parse_time(ev["registered_at"])
                 - t.parse_time(ev["started_at"])).total_seconds() // 60
        self.assertEqual(ev["regularisation_delay_minutes"], delay)
        self.assertGreaterEqual(delay, 2 * 1440)
        forms = self.jefe.get("/api/v1/manual-forms?point=%s" % p).json
        self.assertEqual(forms["total"], 1)
        f = forms["items"][0]
        self.assertEqual(f["status"], "USADO")
        self.assertEqual(f["event"], ev["number"])
        self.assertEqual(f["delay_minutes"], delay)
        live = self.register(self.jefe, event_payload(p, procedure="ALTAS"))
        self.assertIsNone(live["regularisation_delay_minutes"])

    def test_k2_serial_must_exist_belong_to_the_point_and_be_unused(self):
        p, q = self.take_point(), self.take_point()
        serial_q = t.manual_form(q, self.jefe)
        self.assertError(self.manual(p, "FM-%s-999999" % p), 422,
                         "MANUAL_FORM_UNKNOWN", "manual_form_ref")
        self.assertError(self.manual(p, serial_q), 422,
                         "MANUAL_FORM_OTHER_POINT", "manual_form_ref")
        serial = t.manual_form(p, self.jefe)
        self.assertStatus(self.manual(p, serial), 201)
        self.assertError(self.manual(p, serial, procedure="ALTAS"), 422,
                         "MANUAL_FORM_USED", "manual_form_ref")
        r = self.jefe.get("/api/v1/manual-forms?point=%s&status=LIBRE" % q)
        self.assertEqual([f["serial"] for f in r.json["items"]], [serial_q])

    def test_k2_refused_regularisation_keeps_the_serial_and_number(self):
        p = self.take_point()
        serial = t.manual_form(p, self.jefe)
        before = t.events_total()
        # 31 days back: the JEFE may not (CONTROL regularises it), the
        # form stays unused
        self.assertError(self.manual(p, serial, days=31), 422,
                         "MANUAL_TOO_OLD", "started_at")
        self.register(self.jefe, event_payload(p))
        # an open CONSULTAS event: R3 refuses the form for it too
        self.assertError(self.manual(p, serial), 409, "DUPLICATE_OPEN_EVENT")
        self.assertEqual(t.events_total(), before + 1)
        forms = self.jefe.get("/api/v1/manual-forms?point=%s" % p).json
        self.assertEqual(forms["items"][0]["status"], "LIBRE")
        self.assertStatus(self.manual(p, serial, procedure="BAJAS"), 201)

    def test_k2_list_unused_forms_is_scoped_for_a_jefe(self):
        p = self.take_point()
        mine = t.manual_form(p, self.jefe)
        other_point = t.create_point()["code"]
        t.manual_form(other_point)
        r = self.jefe.get("/api/v1/manual-forms?status=LIBRE&limit=500")
        self.assertStatus(r, 200)
        codes = {f["point"]["code"] for f in r.json["items"]}
        self.assertIn(mine, [f["serial"] for f in r.json["items"]])
        self.assertTrue(codes <= set(self.points), codes)
        r = t.role_client("CONTROL").get("/api/v1/manual-forms?point=%s"
                                         % other_point)
        self.assertEqual(r.json["total"], 1)
        self.assertError(self.jefe.get("/api/v1/manual-forms?status=OTRO"),
                         422)
