"""Closer to the procedure (issue 11): the seed's rules that SPEC.md
restates in section 4 (catalogue upkeep) and K2 (paper forms)."""

import datetime as dt
import json
import shutil
import subprocess
import unittest

import inoptest as t
from inoptest import JefeTest, event_payload, iso, now

CAT = "/api/v1/catalog"


def unique_code(prefix):
    return (prefix + "_" + t.unique("c")).upper().replace("-", "_")[:47]


def audit_of(code):
    """The audit records of catalogue code `code` (SQLite suite only)."""
    if t.CTX.db.startswith("postgresql:") or not shutil.which("sqlite3"):
        return None
    out = subprocess.run(
        ["sqlite3", "-json", t.CTX.db,
         "SELECT actor, action, before_json, after_json FROM audit WHERE "
         "entity = 'catalog' AND after_json LIKE '%\"" + code + "\"%' "
         "ORDER BY id"], capture_output=True, text=True, check=True).stdout
    return json.loads(out or "[]")


class CatalogueUpkeep(JefeTest):
    """Section 4: SOPORTE and ADMIN add, rename and retire causes and
    closure reasons; codes never change and nothing is deleted."""
    POOL = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.soporte = t.role_client("SOPORTE")

    def add(self, what, code, name="Caída del enlace del punto",
            scenario="EVENTO_NO_PREVISTO", client=None, status=201):
        r = (client or self.soporte).post("%s/%s" % (CAT, what), {
            "code": code, "name": name, "scenario": scenario})
        self.assertEqual(r.status, status, repr(r))
        return r

    def patch(self, what, code, body, client=None, status=200):
        r = (client or self.soporte).request(
            "PATCH", "%s/%s/%s" % (CAT, what, code), body)
        self.assertEqual(r.status, status, repr(r))
        return r

    def scenario(self, code="EVENTO_NO_PREVISTO"):
        r = self.jefe.get(CAT)
        self.assertEqual(r.status, 200, repr(r))
        sc = [s for s in r.json["scenarios"] if s["code"] == code][0]
        return sc, r.json

    def test_catalog_soporte_adds_a_cause_usable_on_new_events(self):
        code = unique_code("ENLACE")
        r = self.add("causes", code)
        self.assertEqual(r.json["code"], code)
        self.assertIs(r.json["active"], True)
        sc, _ = self.scenario()
        self.assertIn({"code": code, "name": "Caída del enlace del punto",
                       "active": True}, sc["causes"])
        ev = self.register(self.jefe, event_payload(self.take_point(),
                                                    cause=code))
        self.assertEqual(ev["cause"], code)

    def test_catalog_retired_cause_is_refused_on_new_events_kept_on_old(
            self):
        code = unique_code("TECHO")
        self.add("causes", code, "Filtración del techo")
        old = self.register(self.jefe, event_payload(self.take_point(),
                                                     cause=code))
        r = self.patch("causes", code, {"active": False})
        self.assertIs(r.json["active"], False)
        r = self.jefe.post("/api/v1/events",
                           event_payload(self.take_point(), cause=code))
        self.assertError(r, 422, "VALIDATION", "cause")
        got = self.jefe.get("/api/v1/events/%s" % old["id"]).json
        self.assertEqual(got["cause"], code)
        sc, _ = self.scenario()
        self.assertIn({"code": code, "name": "Filtración del techo",
                       "active": False}, sc["causes"])
        # brought back, it is usable again
        self.patch("causes", code, {"active": True})
        self.register(self.jefe, event_payload(self.take_point(),
                                               cause=code))

    def test_catalog_rename_keeps_the_code_and_is_audited(self):
        code = unique_code("LLUVIA")
        self.add("causes", code, "Lluvia intensa")
        r = self.patch("causes", code, {"name": "Lluvias intensas"},
                       client=t.admin())
        self.assertEqual((r.json["code"], r.json["name"]),
                         (code, "Lluvias intensas"))
        sc, _ = self.scenario()
        self.assertIn(code, [c["code"] for c in sc["causes"]])
        self.assertIn("Lluvias intensas",
                      [c["name"] for c in sc["causes"]])
        rows = audit_of(code)
        if rows is None:
            self.skipTest("audit read with sqlite3 only")
        self.assertEqual([x["action"] for x in rows],
                         ["catalog.cause.add", "catalog.update"])
        self.assertEqual(json.loads(rows[1]["before_json"])["name"],
                         "Lluvia intensa")
        self.assertEqual(rows[0]["actor"], self.soporte.username)

    def test_catalog_closure_reason_added_then_retired(self):
        code = unique_code("GRUPO")
        self.add("closure-reasons", code, "Falla del grupo electrógeno")
        sc, cat = self.scenario()
        self.assertIn(code, sc["closure_reasons"])
        self.assertIn({"code": code, "name": "Falla del grupo electrógeno",
                       "active": True}, cat["closure_reasons"])
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.close_event(self.jefe, ev["id"], code)
        self.patch("closure-reasons", code, {"active": False})
        ev2 = self.register(self.jefe, event_payload(self.take_point()))
        r = self.close_event(self.jefe, ev2["id"], code, expect=None)
        self.assertError(r, 422, "REASON_NOT_ALLOWED", "closure_reason")
        got = self.jefe.get("/api/v1/events/%s" % ev["id"]).json
        self.assertEqual(got["closure_reason"], code)

    def test_catalog_closure_reason_belongs_to_several_scenarios(self):
        """The seed's catalogue allows one closure reason in several
        scenarios (ERROR_USUARIO in all three): so may a new one."""
        _, cat = self.scenario()
        self.assertEqual([s["code"] for s in cat["scenarios"]
                          if "ERROR_USUARIO" in s["closure_reasons"]],
                         ["FALLA_MASIVA", "EVENTO_NO_PREVISTO", "PRUEBA"])
        code = unique_code("CORTE_FIBRA")
        r = self.soporte.post(CAT + "/closure-reasons", {
            "code": code, "name": "Corte de fibra del proveedor",
            "scenarios": ["FALLA_MASIVA", "EVENTO_NO_PREVISTO"]})
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["scenarios"],
                         ["FALLA_MASIVA", "EVENTO_NO_PREVISTO"])
        _, cat = self.scenario()
        self.assertEqual([s["code"] for s in cat["scenarios"]
                          if code in s["closure_reasons"]],
                         ["FALLA_MASIVA", "EVENTO_NO_PREVISTO"])
        self.assertIn({"code": code, "name": "Corte de fibra del proveedor",
                       "active": True}, cat["closure_reasons"])
        old = self.register(self.jefe, event_payload(self.take_point()))
        self.close_event(self.jefe, old["id"], code)
        # taken out of EVENTO_NO_PREVISTO: refused there on new closures,
        # kept (and still fitting) on the old event
        r = self.patch("closure-reasons", code,
                       {"scenarios": ["FALLA_MASIVA"]})
        self.assertEqual(r.json["scenarios"], ["FALLA_MASIVA"])
        self.assertNotIn(code, self.scenario()[0]["closure_reasons"])
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.close_event(self.jefe, ev["id"], code, expect=None)
        err = self.assertError(r, 422, "REASON_NOT_ALLOWED", "closure_reason")
        self.assertIn("escenario", err["message"])
        got = self.jefe.get("/api/v1/events/%s" % old["id"]).json
        self.assertEqual(got["closure_reason"], code)
        checks = t.role_client("CONTROL").get(
            "/api/v1/events/%s/evaluation" % old["id"]).json["checks"]
        fits = [c for c in checks if c["code"] == "CLOSURE_REASON_FITS"]
        self.assertTrue(fits[0]["passed"], fits)
        # brought back into the scenario, it is offered again
        r = self.patch("closure-reasons", code, {
            "scenarios": ["FALLA_MASIVA", "EVENTO_NO_PREVISTO"]},
            client=t.admin())
        self.assertEqual(r.json["scenarios"],
                         ["FALLA_MASIVA", "EVENTO_NO_PREVISTO"])
        self.close_event(self.jefe, ev["id"], code)
        rows = audit_of(code)
        if rows is not None:
            self.assertEqual([x["action"] for x in rows],
                             ["catalog.closure_reason.add", "catalog.update",
                              "catalog.update"])
            self.assertEqual(
                (json.loads(rows[1]["before_json"])["scenarios"],
                 json.loads(rows[1]["after_json"])["scenarios"]),
                (["FALLA_MASIVA", "EVENTO_NO_PREVISTO"], ["FALLA_MASIVA"]))

    def test_catalog_scenarios_of_a_reason_are_checked_422(self):
        code = unique_code("SIN_ESC")
        for body in ({"scenarios": []}, {"scenarios": ["NO_EXISTE"]},
                     {"scenarios": "FALLA_MASIVA"}):
            with self.subTest(body=body):
                r = self.soporte.post(CAT + "/closure-reasons", dict(
                    body, code=code, name="Sin escenario"))
                self.assertError(r, 422, "VALIDATION")
        self.add("closure-reasons", code, "Con escenario",
                 scenario="PRUEBA")
        self.assertError(self.soporte.request(
            "PATCH", "%s/closure-reasons/%s" % (CAT, code),
            {"scenarios": []}), 422, "VALIDATION", "scenarios")
        # a cause belongs to one scenario
        r = self.soporte.post(CAT + "/causes", {
            "code": unique_code("DOS"), "name": "Dos escenarios",
            "scenario": "EVENTO_NO_PREVISTO",
            "scenarios": ["FALLA_MASIVA"]})
        self.assertError(r, 422, "VALIDATION", "scenarios")
        self.assertError(self.soporte.request(
            "PATCH", CAT + "/causes/CORTE_LUZ",
            {"scenarios": ["FALLA_MASIVA"]}), 422, "VALIDATION",
            "scenarios")

    def test_catalog_codes_never_change_duplicate_is_409_bad_is_422(self):
        self.add("causes", "CORTE_LUZ", status=409)
        self.add("closure-reasons", "ERROR_USUARIO", status=409)
        for body, field in (
                ({"code": "con espacios", "name": "x" * 5,
                  "scenario": "EVENTO_NO_PREVISTO"}, "code"),
                ({"code": unique_code("N"), "name": "",
                  "scenario": "EVENTO_NO_PREVISTO"}, "name"),
                ({"code": unique_code("S"), "name": "Nombre",
                  "scenario": "NO_EXISTE"}, "scenario")):
            with self.subTest(field=field):
                r = self.soporte.post(CAT + "/causes", body)
                self.assertError(r, 422, "VALIDATION", field)
        self.patch("causes", "NO_EXISTE_NUNCA", {"name": "Otro"},
                   status=404)

    def test_catalog_only_admin_and_soporte_edit_403(self):
        for role in ("JEFE", "CONTROL", "FALLAS"):
            with self.subTest(role=role):
                c = t.role_client(role)
                r = c.post(CAT + "/causes", {
                    "code": unique_code("X"), "name": "Nombre",
                    "scenario": "EVENTO_NO_PREVISTO"})
                self.assertError(r, 403)
                r = c.request("PATCH", CAT + "/causes/CORTE_LUZ",
                              {"name": "Otro"})
                self.assertError(r, 403)


class K2LateForms(JefeTest):
    """K2: how far back a form is regularised is configurable (default 30
    days); an older form is regularised by CONTROL with a justification
    instead of being refused."""
    POOL = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.control = t.role_client("CONTROL")

    def manual(self, client, p, serial, days, **kw):
        started = now().replace(microsecond=0) - dt.timedelta(days=days)
        return client.post("/api/v1/events", event_payload(
            p, started_at=iso(started), origin="MANUAL",
            manual_form_ref=serial, **kw))

    def test_k2_older_form_is_regularised_by_control_with_justification(
            self):
        p = self.take_point()
        serial = t.manual_form(p, self.jefe)
        self.assertError(self.manual(self.jefe, p, serial, 35), 422,
                         "MANUAL_TOO_OLD", "started_at")
        self.assertError(self.manual(self.control, p, serial, 35), 422,
                         "VALIDATION", "late_justification")
        why = "El punto estuvo sin sistema y el formato llegó por valija"
        r = self.manual(self.control, p, serial, 35, late_justification=why)
        self.assertEqual(r.status, 201, repr(r))
        ev = r.json
        self.assertEqual(ev["origin"], "MANUAL")
        self.assertEqual(ev["late_justification"], why)
        self.assertEqual(t.username_of(ev["registered_by"]),
                         self.control.username)
        self.assertGreaterEqual(ev["regularisation_delay_minutes"],
                                35 * 1440)
        forms = self.jefe.get("/api/v1/manual-forms?point=%s" % p).json
        self.assertEqual(forms["items"][0]["status"], "USADO")

    def test_k2_window_is_the_configured_one_and_the_catalog_says_it(self):
        """The screens take the window from GET /catalog (settings), so a
        JEFE's date picker follows manual_max_age_days."""
        r = self.jefe.get(CAT)
        self.assertEqual(r.json["settings"], {"manual_max_age_days": 30})
        node = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="k2-window",
                        extra=["--manual_max_age_days", "45"])
        self.addCleanup(node.stop)
        node.wait_healthy()
        jefe = t.Client(token=self.jefe.token, user=self.jefe.user,
                        username=self.jefe.username, port=node.port)
        r = jefe.get(CAT)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["settings"]["manual_max_age_days"], 45)
        p = self.take_point()
        serial = t.manual_form(p, self.jefe)
        self.assertError(self.manual(jefe, p, serial, 50), 422,
                         "MANUAL_TOO_OLD", "started_at")
        self.assertIn("45 días", self.manual(jefe, p, serial, 50)
                      .error["message"])
        # 40 days: past the default 30, within this server's 45
        r = self.manual(jefe, p, serial, 40)
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["registered_by"], self.jefe.username)

    def test_k2_control_does_not_register_forms_within_the_window_403(self):
        p = self.take_point()
        serial = t.manual_form(p, self.jefe)
        self.assertError(self.manual(self.control, p, serial, 3,
                                     late_justification="x" * 20), 403)
        self.assertError(self.control.post(
            "/api/v1/events", event_payload(p)), 403)

    def test_k2_window_key_is_checked_by_check_config(self):
        path = "%s/k2-window.conf" % t.CTX.tmp
        for value, ok in (("45", True), ("0", False), ("treinta", False)):
            with self.subTest(value=value):
                with open(path, "w", encoding="utf-8") as f:
                    f.write("db = x.db\nmanual_max_age_days = %s\n" % value)
                p = t.run_inop(["check-config", "--config", path])
                self.assertEqual(p.returncode == 0, ok, p.stderr)
                if not ok:
                    self.assertIn(b"%s:2" % path.encode(),
                                  p.stdout + p.stderr)

    def test_k2_paper_form_prints_no_resolution_number(self):
        p = self.take_point()
        r = t.admin().post("/api/v1/manual-forms", {"point": p})
        self.assertEqual(r.status, 201, repr(r))
        pdf = self.jefe.get(r.json["pdf"])
        self.assertEqual(pdf.status, 200)
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext missing")
        text = subprocess.run(["pdftotext", "-raw", "-", "-"],
                              input=pdf.body, capture_output=True,
                              check=True).stdout.decode()
        text = " ".join(text.split())
        self.assertIn("Formato Manual de Registro de Inoperatividad", text)
        self.assertIn("dentro de los 30 días; pasado ese plazo lo "
                      "regulariza Control con un sustento", text)
        self.assertNotIn("127-2013", text)
        self.assertNotIn("Res.", text)


class SmallThings(JefeTest):
    """Item 8 of issue 11: people's names in histories, alerts and
    trails; the critical-transactions document link."""
    POOL = 3

    def test_names_event_history_shows_the_persons_name(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.close_event(self.jefe, ev["id"])
        r = t.role_client("CONTROL").get("/api/v1/events/%s/audit"
                                         % ev["id"])
        self.assertEqual(r.status, 200, repr(r))
        names = {i["actor_name"] for i in r.json["items"]}
        self.assertEqual(names, {self.jefe.user["name"]})
        self.assertNotIn(self.jefe.username, names)

    def test_names_alerts_and_ruling_out_carry_the_persons_name(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        ev = self.close_event(self.jefe, ev["id"]).json
        control = t.role_client("CONTROL")
        r = control.post("/api/v1/events/%s/operational-alerts" % ev["id"],
                         {"text": "Registre el mismo día, por favor."})
        self.assertEqual(r.status, 201, repr(r))
        r = control.post("/api/v1/events/%s/rule-out" % ev["id"],
                         {"reason": "Duplicado del evento anterior"})
        self.assertEqual(r.status, 200, repr(r))
        got = control.get("/api/v1/events/%s/control" % ev["id"]).json
        self.assertEqual(got["alerts"][0]["created_by_name"],
                         control.user["name"])
        self.assertEqual(got["exclusion"]["created_by_name"],
                         control.user["name"])

    def test_t1_document_link_is_null_unless_configured(self):
        r = self.jefe.get(CAT)
        self.assertEqual(r.status, 200, repr(r))
        self.assertIn("critical_transactions", r.json["documents"])
        self.assertIsNone(r.json["documents"]["critical_transactions"])

    def test_t1_document_url_is_checked_by_check_config(self):
        path = "%s/doc-url.conf" % t.CTX.tmp
        for value, ok in (("https://intranet.example.pe/atc.pdf", True),
                          ("ftp://intranet/atc.pdf", False)):
            with self.subTest(value=value):
                with open(path, "w", encoding="utf-8") as f:
                    f.write("critical_transactions_doc_url = %s\n" % value)
                p = t.run_inop(["check-config", "--config", path])
                self.assertEqual(p.returncode == 0, ok, p.stderr)


class PeoplesNames(JefeTest):
    """Item 8 of issue 11: wherever a record says who did something it
    names the person (the `*_name` fields beside the usernames, which stay
    as they are): the event's registrant and closer, the Procesos request
    and ruling, the mass-failure alert's author and decider, the failure's
    confirmer and closer, the critical transaction's authors, the report's
    creator, the paper form's issuer, the typed-in import's author."""
    POOL = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.soporte = t.role_client("SOPORTE")
        cls.control = t.role_client("CONTROL")
        cls.procesos = t.role_client("PROCESOS")
        cls.fallas = t.role_client("FALLAS")

    def name_of(self, client):
        return client.user["name"]

    def test_names_event_registered_and_closed_by_name(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.assertEqual(ev["registered_by"], self.jefe.username)
        self.assertEqual(ev["registered_by_name"], self.name_of(self.jefe))
        self.assertIsNone(ev["closed_by_name"])
        # SOPORTE's daily review closes it (C1)
        closed = self.close_event(self.soporte, ev["id"]).json
        self.assertEqual(closed["closed_by"], self.soporte.username)
        self.assertEqual(closed["closed_by_name"], self.name_of(self.soporte))
        got = self.jefe.get("/api/v1/events/%s" % ev["id"]).json
        self.assertEqual((got["registered_by_name"], got["closed_by_name"]),
                         (self.name_of(self.jefe),
                          self.name_of(self.soporte)))
        listed = self.jefe.get("/api/v1/events?point=%s"
                               % ev["point"]["code"]).json["items"]
        self.assertEqual(listed[0]["closed_by_name"],
                         self.name_of(self.soporte))
        # V1 names the registrant by name too
        checks = self.control.get("/api/v1/events/%s/evaluation"
                                  % ev["id"]).json["checks"]
        detail = [c["detail"] for c in checks
                  if c["code"] == "REGISTERED_BY_JEFE"][0]
        self.assertIn(self.name_of(self.jefe), detail)

    def test_names_processes_request_and_ruling_by_name(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        self.close_event(self.jefe, ev["id"])
        r = self.control.post("/api/v1/events/%s/processes-request"
                              % ev["id"], {})
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["requested_by_name"],
                         self.name_of(self.control))
        self.assertIsNone(r.json["ruled_by_name"])
        r = self.procesos.post("/api/v1/events/%s/processes-ruling"
                               % ev["id"], {"ruling": "PROCEDE",
                                            "reason": "Corte de luz real"})
        self.assertEqual(r.status, 200, repr(r))
        got = self.control.get("/api/v1/events/%s/processes-request"
                               % ev["id"]).json
        self.assertEqual((got["requested_by"], got["ruled_by"]),
                         (self.control.username, self.procesos.username))
        self.assertEqual((got["requested_by_name"], got["ruled_by_name"]),
                         (self.name_of(self.control),
                          self.name_of(self.procesos)))
        tray = self.procesos.get("/api/v1/processes/requests?status="
                                 "RESUELTA&limit=200").json["items"]
        mine = [q for q in tray if q["event"] == ev["number"]]
        self.assertEqual(mine[0]["ruled_by_name"],
                         self.name_of(self.procesos))

    def test_names_mass_failure_alerts_raised_and_decided_by_name(self):
        p = self.take_point()
        alerts = "/api/v1/mass-failure-alerts"
        body = {"point": p, "applications": ["SGA"],
                "observed_at": iso(now() - dt.timedelta(minutes=5)),
                "description": "SGA no carga en ninguna PC"}
        a = self.jefe.post(alerts, body)
        self.assertEqual(a.status, 201, repr(a))
        self.assertEqual(a.json["raised_by_name"], self.name_of(self.jefe))
        self.assertIsNone(a.json["decided_by_name"])
        r = self.fallas.post("%s/%s/discard" % (alerts, a.json["id"]),
                             {"reason": "Era la red del punto"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["decided_by_name"], self.name_of(self.fallas))
        b = self.jefe.post(alerts, body).json
        r = self.fallas.post("%s/%s/confirm" % (alerts, b["id"]), {
            "cause": "FALLA_MASIVA_APLICATIVO",
            "description": "SGA caído en todo el país"})
        self.assertEqual(r.status, 200, repr(r))
        mf = r.json["mass_failure"]
        try:
            self.assertEqual(r.json["decided_by_name"],
                             self.name_of(self.fallas))
            self.assertEqual(mf["confirmed_by_name"],
                             self.name_of(self.fallas))
            got = self.jefe.get("%s?limit=100" % alerts).json["items"]
            by_id = {x["id"]: x for x in got}
            for x in (a.json, b):
                self.assertEqual(by_id[x["id"]]["raised_by_name"],
                                 self.name_of(self.jefe))
                self.assertEqual(by_id[x["id"]]["decided_by_name"],
                                 self.name_of(self.fallas))
        finally:
            r = self.soporte.post("/api/v1/mass-failures/%s/close"
                                  % mf["id"], {
                                      "ended_at": iso(now()),
                                      "closure_reason":
                                          "FALLA_MASIVA_APLICATIVO"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual((r.json["closed_by"], r.json["closed_by_name"]),
                         (self.soporte.username, self.name_of(self.soporte)))

    def test_names_critical_transaction_and_its_reference_by_name(self):
        ev = self.register(self.jefe, event_payload(self.take_point()))
        r = self.jefe.post("/api/v1/events/%s/critical" % ev["id"], {
            "type": "BLOQUEO_ROBO_PERDIDA", "customer_ref": "DNI 40123456",
            "attended_at": iso(now() - dt.timedelta(minutes=2)),
            "how": "Bloqueo anotado en el formato físico"})
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["recorded_by_name"], self.name_of(self.jefe))
        self.assertIsNone(r.json["system_ref_by_name"])
        r = self.jefe.post("/api/v1/events/%s/critical/%s/reference"
                           % (ev["id"], r.json["id"]),
                           {"system_ref": "BLQ-2026-000077"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["system_ref_by"], self.jefe.username)
        self.assertEqual(r.json["system_ref_by_name"],
                         self.name_of(self.jefe))
        got = self.control.get("/api/v1/events/%s/control"
                               % ev["id"]).json
        self.assertEqual(got["critical"][0]["system_ref_by_name"],
                         self.name_of(self.jefe))

    def test_names_report_form_and_typed_import_by_name(self):
        r = self.control.post("/api/v1/reports", {"from": "2021-03-01",
                                                  "to": "2021-03-01"})
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual((r.json["created_by"], r.json["created_by_name"]),
                         (self.control.username, self.name_of(self.control)))
        p = self.take_point()
        r = self.jefe.post("/api/v1/manual-forms", {"point": p})
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["issued_by_name"], self.name_of(self.jefe))
        listed = self.jefe.get("/api/v1/manual-forms?point=%s" % p).json
        self.assertEqual(listed["items"][0]["issued_by_name"],
                         self.name_of(self.jefe))
        online = t.role_client("ONLINE")
        r = online.post("/api/v1/social-posts", {
            "posted_at": "2021-03-03T10:00:00-05:00", "network": "FACEBOOK",
            "kind": "PUBLICO"})
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["imported_by_name"], self.name_of(online))
        got = self.control.get("/api/v1/imports?kind=social").json["items"]
        self.assertEqual([i["imported_by_name"] for i in got
                          if i["id"] == r.json["id"]],
                         [self.name_of(online)])


if __name__ == "__main__":
    unittest.main()
