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
    POOL = 8

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
    POOL = 4

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


if __name__ == "__main__":
    unittest.main()
