"""The official report: SPEC O1-O4 (API.md "Reports") and the deadline
board (O3).

Each test works on its own Lima day, 14 to 28 days back (other modules use
the last 12 days), so the reports it builds hold exactly its own events.
"""

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import zipfile

import inoptest as t
from inoptest import ApiTest, event_payload, iso

TITLE = "Reporte de Eventos de Inoperatividad de los Sistemas de Atención"
STATES = ["BORRADOR", "EN_REVISION", "APROBADO_GERENTE", "APROBADO_DIRECTOR",
          "ENVIADO"]
# Who moves a report INTO each state (O2); BORRADOR is the send-back.
MOVER = {"BORRADOR": {"GERENTE", "DIRECTOR"}, "EN_REVISION": {"CONTROL"},
         "APROBADO_GERENTE": {"GERENTE"}, "APROBADO_DIRECTOR": {"DIRECTOR"},
         "ENVIADO": {"REGULATORIO"}}
FROM = {"BORRADOR": {"EN_REVISION", "APROBADO_GERENTE", "APROBADO_DIRECTOR"},
        "EN_REVISION": {"BORRADOR"}, "APROBADO_GERENTE": {"EN_REVISION"},
        "APROBADO_DIRECTOR": {"APROBADO_GERENTE"},
        "ENVIADO": {"APROBADO_DIRECTOR"}}
CSV_HEADER = [
    "N.º de evento", "Canal", "Código del punto", "Punto de atención",
    "Región", "Tipo de trámite", "Solicitudes", "Aplicativos", "Escenario",
    "Motivo de ocurrencia", "Inicio (hora de Lima)", "Fin (hora de Lima)",
    "Minutos", "Motivo de cierre", "Origen", "Transacciones críticas",
    "E1 Ventana de falla masiva", "E2 Más de 1 hora",
    "E3 Impacto en el canal", "E4 Reclamos y LDR"]


def day(back):
    return t.lima_date(t.now()) - dt.timedelta(days=back)


def lima_at(d, hour, minute=0):
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=t.LIMA)


def excel_serial(when):
    """A Lima wall-clock time as Excel counts days (from 1899-12-30)."""
    naive = when.astimezone(t.LIMA).replace(tzinfo=None)
    return (naive - dt.datetime(1899, 12, 30)).total_seconds() / 86400


def business_days_between(a, b):
    """Business days in (a, b]; negative when b is before a."""
    if b < a:
        return -business_days_between(b, a)
    n, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        n += t.is_business_day(d)
    return n


class ReportTest(ApiTest):
    """A JEFE with fresh points (one event per point: no R3 clash) and one
    user per role."""

    @classmethod
    def setUpClass(cls):
        cls.points = [t.create_point(name="CAC «%s», Centro" % i)["code"]
                      for i in range(12)]
        cls.jefe = t.user_client(["JEFE"], cls.points)
        cls.free = list(cls.points)
        cls.role = {r: t.role_client(r) for r in t.ROLES}

    def event(self, d, hour=10, minute=0, close=True,
              reason="SIN_FLUIDO_ELECTRICO", minutes=75, procedure=None,
              ruling="PROCEDE"):
        """Registers (and closes) an event started on Lima day d; a closed
        reportable one gets Procesos' `ruling` (O1: an in-person event
        enters a report only with PROCEDE; None: no ruling asked)."""
        if not self.free:
            self.free.extend(self.points)
        p = self.free.pop(0)
        start = lima_at(d, hour, minute)
        ev = self.register(self.jefe, event_payload(
            p, procedure=procedure or "CONSULTAS",
            requests=["MIGRACION_PLAN", "CAMBIO_NOMBRE"]
            if procedure in (None, "CONSULTAS") else None,
            started_at=iso(start)))
        if close:
            body = {"ended_at": iso(start + dt.timedelta(minutes=minutes)),
                    "closure_reason": reason}
            if reason == "ERROR_USUARIO":
                body["justification"] = "Registrado por error en la prueba"
            r = self.jefe.post("/api/v1/events/%s/close" % ev["id"], body)
            self.assertStatus(r, 200)
            ev = r.json
            if ruling and ev["reportable"]:
                self.rule(ev, ruling)
        return ev

    def rule(self, ev, ruling, reason="Revisado con la hora de Fallas"):
        """V3: CONTROL asks Procesos, PROCESOS answers `ruling`."""
        r = self.role["CONTROL"].post(
            "/api/v1/events/%s/processes-request" % ev["id"], {})
        self.assertStatus(r, 201)
        return self.role["PROCESOS"].post(
            "/api/v1/events/%s/processes-ruling" % ev["id"],
            {"ruling": ruling, "reason": reason})

    def build(self, d1, d2=None, status=201):
        r = self.role["CONTROL"].post("/api/v1/reports", {
            "from": d1.isoformat(), "to": (d2 or d1).isoformat()})
        self.assertStatus(r, status)
        return r.json

    def move(self, report, to, role, status=200, **extra):
        body = {"to": to}
        body.update(extra)
        r = self.role[role].post("/api/v1/reports/%s/transition"
                                 % report["id"], body)
        self.assertStatus(r, status, "%s -> %s by %s: %r"
                          % (report.get("status"), to, role, r))
        return r

    def get(self, report, role="CONTROL"):
        r = self.role[role].get("/api/v1/reports/%s" % report["id"])
        self.assertStatus(r, 200)
        return r.json

    def chain(self, report, upto):
        """Moves a BORRADOR report forward to state `upto`."""
        steps = [("EN_REVISION", "CONTROL", {}),
                 ("APROBADO_GERENTE", "GERENTE", {}),
                 ("APROBADO_DIRECTOR", "DIRECTOR", {}),
                 ("ENVIADO", "REGULATORIO", {"reference": "Carta C-1"})]
        for to, role, extra in steps[:STATES.index(upto)]:
            self.move(report, to, role, **extra)
        return self.get(report)

    def export(self, report, fmt, role="GERENTE"):
        r = self.role[role].get("/api/v1/reports/%s/export?format=%s"
                                % (report["id"], fmt))
        self.assertStatus(r, 200)
        return r


class O1Build(ReportTest):

    def test_o1_report_holds_closed_reportable_events_of_its_lima_days(self):
        d = day(14)
        inside = [self.event(d, 0, 5), self.event(d, 12),
                  self.event(d, 23, 50)]
        self.event(d, 13, reason="ERROR_USUARIO")        # not reportable
        self.event(d, 14, procedure="ALTAS", close=False)  # still open
        self.event(d - dt.timedelta(days=1), 23, 55)    # the day before
        self.event(d + dt.timedelta(days=1), 0, 1)      # the day after
        rep = self.build(d)
        self.assertEqual(rep["status"], "BORRADOR")
        self.assertIsInstance(rep["id"], int)
        self.assertEqual(rep["from"], d.isoformat())
        self.assertEqual(rep["to"], d.isoformat())
        self.assertEqual(rep["events"], [e["number"] for e in inside])
        self.assertEqual(rep["total_events"], 3)
        self.assertIsNone(rep["snapshot_hash"])
        self.assertEqual(rep["next"], ["EN_REVISION"])
        self.assertEqual(self.get(rep)["events"], rep["events"])
        row = self.get(rep)["rows"][1]
        self.assertEqual(row["number"], inside[1]["number"])
        self.assertEqual(row["procedure"], "Consultas")
        self.assertEqual(row["minutes"], 75)
        self.assertIs(row["e2_over_1h"], True)
        # no failure 14 days ago; by its Spanish name (O4)
        self.assertEqual(row["e1"], "Fuera de horario de falla masiva")
        self.assertEqual(row["e3"], "sin datos")
        self.assertEqual(row["e4"], "sin datos")
        self.assertSameInstant(row["started_at"], inside[1]["started_at"])
        self.assertEqual(row["report_due"], inside[1]["report_due"])
        listed = self.role["DIRECTOR"].get("/api/v1/reports?status=BORRADOR")
        self.assertStatus(listed, 200)
        self.assertIn(rep["id"], [x["id"] for x in listed.json["items"]])

    def test_o4_rows_count_the_critical_transactions_of_t1(self):
        d = day(29)
        a = self.event(d, 10, close=False)
        txs = []
        for kind, minute in (("RECLAMO_APELACION_QUEJA", 10),
                             ("BLOQUEO_ROBO_PERDIDA", 20)):
            r = self.jefe.post("/api/v1/events/%s/critical" % a["id"], {
                "type": kind, "customer_ref": "DNI 40123456",
                "attended_at": iso(lima_at(d, 10, minute)),
                "how": "Atendido en el formato físico"})
            self.assertStatus(r, 201)
            txs.append(r.json)
        r = self.jefe.post("/api/v1/events/%s/critical/%s/reference"
                           % (a["id"], txs[0]["id"]),
                           {"system_ref": "REC-2026-0000042"})
        self.assertStatus(r, 200)
        self.close_event(self.jefe, a["id"], ended_at=iso(lima_at(d, 11)))
        self.rule(a, "PROCEDE")
        b = self.event(d, 12)
        rep = self.build(d)
        rows = {x["number"]: x for x in self.get(rep)["rows"]}
        self.assertEqual(rows[a["number"]]["critical_transactions"],
                         "2, 1 sin referencia")
        self.assertEqual(rows[b["number"]]["critical_transactions"],
                         "Ninguna")

    def test_o4_rows_evaluate_e1_against_the_mass_failure(self):
        d = day(21)
        fallas, soporte = self.role["FALLAS"], self.role["SOPORTE"]
        r = fallas.post("/api/v1/mass-failures", {
            "applications": ["SIAC_UNICO"],
            "started_at": iso(lima_at(d, 8)),
            "cause": "FALLA_MASIVA_APLICATIVO",
            "description": "SIAC ÚNICO no responde en todo el país"})
        self.assertStatus(r, 201)
        mf = r.json
        evs = []
        for hour in (9, 7):   # inside the failure's span, then before it
            if not self.free:
                self.free.extend(self.points)
            body = event_payload(self.free.pop(0), scenario="FALLA_MASIVA",
                                 cause="FALLA_MASIVA_APLICATIVO",
                                 started_at=iso(lima_at(d, hour)),
                                 mass_failure_id=mf["id"])
            evs.append(self.register(self.jefe, body))
        r = soporte.post("/api/v1/mass-failures/%s/close" % mf["id"], {
            "ended_at": iso(lima_at(d, 12)),
            "closure_reason": "FALLA_MASIVA_APLICATIVO"})
        self.assertStatus(r, 200)
        for ev in evs:
            self.rule(ev, "PROCEDE")
        rows = {x["number"]: x for x in self.get(self.build(d))["rows"]}
        self.assertEqual(rows[evs[0]["number"]]["e1"],
                         "Dentro de horario de falla masiva")
        self.assertEqual(rows[evs[1]["number"]]["e1"],
                         "Fuera de horario de falla masiva")
        self.assertEqual(rows[evs[0]["number"]]["scenario"], "Falla masiva")

    def test_o4_report_reads_as_spanish_and_takes_the_failures_cause(self):
        d = day(23)
        fallas, soporte = self.role["FALLAS"], self.role["SOPORTE"]
        r = fallas.post("/api/v1/mass-failures", {
            "applications": ["SGA"], "started_at": iso(lima_at(d, 8)),
            "cause": "INCONVENIENTE_CONECTIVIDAD",
            "description": "SGA sin enlace"})
        self.assertStatus(r, 201)
        mf = r.json
        if not self.free:
            self.free.extend(self.points)
        body = event_payload(self.free.pop(0), scenario="FALLA_MASIVA",
                             cause=None, applications=["SGA"],
                             started_at=iso(lima_at(d, 9)),
                             mass_failure_id=mf["id"])
        ev = self.register(self.jefe, body)
        r = soporte.post("/api/v1/mass-failures/%s/close" % mf["id"], {
            "ended_at": iso(lima_at(d, 11)),
            "closure_reason": "INCONVENIENTE_CONECTIVIDAD"})
        self.assertStatus(r, 200)
        self.rule(ev, "PROCEDE")
        rep = self.build(d)
        row = {x["number"]: x for x in self.get(rep)["rows"]}[ev["number"]]
        self.assertEqual(row["cause"], "Inconveniente de conectividad")
        self.assertEqual(row["closure_reason"],
                         "Inconveniente de conectividad")
        self.assertEqual(row["scenario"], "Falla masiva")
        self.assertEqual(row["origin"], "En línea")
        self.assertEqual(row["e1"], "Dentro de horario de falla masiva")
        rep = self.chain(rep, "APROBADO_GERENTE")
        text = " ".join(pdf_text(self.export(rep, "pdf").body).split())
        for want in ("Firma y sello — Gerencia", "Firma y sello — Dirección",
                     "Control e", "Información", "E1: Dentro de horario",
                     "Inconveniente de", "En línea"):
            with self.subTest(want=want):
                self.assertIn(want, text)
        for code in ("FALLA_MASIVA", "INCONVENIENTE_CONECTIVIDAD",
                     "DENTRO", "SISTEMA", "CONTROL", "GERENTE"):
            with self.subTest(code=code):
                self.assertNotIn(code, text)

    def test_o1_bad_periods_are_422(self):
        c = self.role["CONTROL"]
        for body, field in (({"from": "2026-11-02", "to": "2026-11-01"},
                             "to"),
                            ({"from": "2026-02-30", "to": "2026-03-01"},
                             "from"),
                            ({"to": "2026-03-01"}, "from"),
                            ({"from": "2025-01-01", "to": "2026-03-01"},
                             "to")):
            with self.subTest(body=body):
                self.assertError(c.post("/api/v1/reports", body), 422,
                                 "VALIDATION", field)

    def test_o1_only_control_builds_and_report_roles_read(self):
        body = {"from": day(14).isoformat(), "to": day(14).isoformat()}
        for role in t.ROLES:
            if role == "CONTROL":
                continue
            with self.subTest(role=role):
                self.assertError(self.role[role].post("/api/v1/reports",
                                                      body), 403)
        for role in ("JEFE", "SOPORTE", "FALLAS", "RECLAMOS", "ONLINE"):
            with self.subTest(role=role):
                self.assertError(self.role[role].get("/api/v1/reports"),
                                 403)
        self.assertError(self.role["CONTROL"].get("/api/v1/reports/999999"),
                         404, "NOT_FOUND")


class O2Workflow(ReportTest):

    def test_o2_each_wrong_role_is_403(self):
        d = day(16)
        self.event(d)
        rep = self.build(d)
        for state in ("BORRADOR", "APROBADO_DIRECTOR"):
            if state != "BORRADOR":
                rep = self.chain(rep, state)
            for to in STATES:
                for role in t.ROLES:
                    if role in MOVER[to]:
                        continue
                    with self.subTest(state=state, to=to, role=role):
                        r = self.move(rep, to, role, status=403,
                                      comment="No corresponde",
                                      reference="X-1")
                        self.assertError(r, 403)
            self.assertEqual(self.get(rep)["status"], state)

    def test_o2_each_out_of_order_transition_is_409(self):
        d = day(18)
        self.event(d)
        rep = self.build(d)
        extra = {"comment": "Revisar", "reference": "Carta C-9"}
        for state in STATES:
            rep = self.get(rep)
            self.assertEqual(rep["status"], state)
            for to in STATES:
                if state in FROM[to]:
                    continue
                for role in sorted(MOVER[to]):
                    with self.subTest(state=state, to=to, role=role):
                        r = self.move(rep, to, role, status=409, **extra)
                        self.assertError(r, 409, "INVALID_TRANSITION")
            if state != "ENVIADO":
                nxt = STATES[STATES.index(state) + 1]
                self.move(rep, nxt, sorted(MOVER[nxt])[0], **extra)
        # every change went to the audit log, in order, with the trail
        audit = self.role["CONTROL"].get("/api/v1/reports/%s/audit"
                                         % rep["id"])
        self.assertStatus(audit, 200)
        items = audit.json["items"]
        self.assertEqual([i["action"] for i in items],
                         ["report.create"] + ["report.transition"] * 4)
        self.assertEqual([i["after"]["status"] for i in items], STATES)
        self.assertEqual([i["before"] and i["before"]["status"]
                          for i in items], [None] + STATES[:-1])
        self.assertEqual([i["actor"] for i in items][1:], [
            self.role[r].username for r in
            ("CONTROL", "GERENTE", "DIRECTOR", "REGULATORIO")])
        trail = self.get(rep)["transitions"]
        self.assertEqual([(s["from"], s["to"], s["role"]) for s in trail], [
            (None, "BORRADOR", "CONTROL"),
            ("BORRADOR", "EN_REVISION", "CONTROL"),
            ("EN_REVISION", "APROBADO_GERENTE", "GERENTE"),
            ("APROBADO_GERENTE", "APROBADO_DIRECTOR", "DIRECTOR"),
            ("APROBADO_DIRECTOR", "ENVIADO", "REGULATORIO")])
        for s in trail:
            self.assertLimaTime(s["at"])

    def test_o2_event_numbers_follow_the_rows_frozen_or_not(self):
        # Each registered later but started earlier than the one before:
        # the report's order (start time) is not the order of the numbers.
        # 19 events: the freeze records them 16 to a statement, then one.
        d = day(25)
        evs = [self.event(d, hour=h, minutes=30) for h in range(18, -1, -1)]
        rep = self.build(d)
        order = [e["number"] for e in reversed(evs)]
        self.assertEqual(rep["events"], order)
        r = self.move(rep, "EN_REVISION", "CONTROL")
        self.assertEqual(r.json["events"], order)
        self.assertEqual(r.json["total_events"], 19)
        full = self.get(rep)
        self.assertEqual([row["number"] for row in full["rows"]], order)
        self.assertEqual(full["events"], order)
        r = self.role["CONTROL"].get("/api/v1/reports/%s?rows=false"
                                     % rep["id"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["events"], order)
        self.assertNotIn("rows", r.json)
        r = self.move(rep, "BORRADOR", "GERENTE", comment="Revisar")
        self.assertEqual(r.json["events"], order)

    def test_o2_any_approver_sends_back_with_a_comment(self):
        d = day(20)
        self.event(d)
        rep = self.build(d)
        for state, role in (("EN_REVISION", "GERENTE"),
                            ("APROBADO_GERENTE", "DIRECTOR"),
                            ("APROBADO_DIRECTOR", "GERENTE"),
                            ("EN_REVISION", "DIRECTOR")):
            with self.subTest(state=state, role=role):
                rep = self.chain(rep, state)
                self.assertIsNotNone(rep["snapshot_hash"])
                r = self.move(rep, "BORRADOR", role, status=422)
                self.assertError(r, 422, "VALIDATION", "comment")
                self.assertEqual(self.get(rep)["status"], state)
                comment = "Devuelto por %s desde %s" % (role, state)
                back = self.move(rep, "BORRADOR", role,
                                 comment=comment).json
                self.assertEqual(back["status"], "BORRADOR")
                self.assertIsNone(back["snapshot_hash"])
                self.assertIs(back["frozen"], False)
                last = back["transitions"][-1]
                self.assertEqual((last["from"], last["to"], last["role"],
                                  last["comment"], last["by"]),
                                 (state, "BORRADOR", role, comment,
                                  self.role[role].username))

    def test_o2_regulatorio_marks_it_sent_with_date_and_reference(self):
        d = day(22)
        ev = self.event(d)
        rep = self.chain(self.build(d), "APROBADO_DIRECTOR")
        self.assertError(self.move(rep, "ENVIADO", "REGULATORIO",
                                   status=422), 422, "VALIDATION",
                         "reference")
        tomorrow = (t.lima_date(t.now()) + dt.timedelta(days=1)).isoformat()
        self.assertError(self.move(rep, "ENVIADO", "REGULATORIO", status=422,
                                   reference="Carta 1", date=tomorrow),
                         422, "VALIDATION", "date")
        sent_on = day(1).isoformat()
        r = self.move(rep, "ENVIADO", "REGULATORIO",
                      reference="Carta C-2026-0451", date=sent_on).json
        self.assertEqual(r["status"], "ENVIADO")
        self.assertEqual(r["sent_on"], sent_on)
        self.assertEqual(r["sent_reference"], "Carta C-2026-0451")
        self.assertLimaTime(r["sent_at"])
        self.assertEqual(r["next"], [])
        self.assertEqual(r["transitions"][-1]["reference"],
                         "Carta C-2026-0451")
        # a sent event is never taken into another report
        again = self.build(d)
        self.assertNotIn(ev["number"], again["events"])
        self.assertEqual(again["events"], [])

    def test_o2_frozen_content_does_not_follow_later_changes(self):
        d = day(24)
        a = self.event(d, 9)
        self.event(d, 10)
        late = self.event(d, 11, close=False)
        rep = self.build(d)
        self.assertEqual(len(rep["events"]), 2)
        frozen = self.move(rep, "EN_REVISION", "CONTROL").json
        self.assertRegex(frozen["snapshot_hash"], r"^[0-9a-f]{64}$")
        self.assertIs(frozen["frozen"], True)
        self.assertLimaTime(frozen["frozen_at"])
        before = self.get(rep)
        files = {f: self.export(rep, f).body for f in ("csv", "xlsx", "pdf")}
        # after the freeze: an annotation, and another event of the period
        # closes (it is reportable, of the same days)
        r = self.role["CONTROL"].post("/api/v1/events/%s/annotations"
                                      % a["id"], {"text": "Revisado tarde"})
        self.assertStatus(r, 201)
        self.close_event(self.jefe, late["id"], ended_at=iso(
            lima_at(d, 12)))
        self.rule(late, "PROCEDE")
        after = self.get(rep)
        self.assertEqual(after["rows"], before["rows"])
        self.assertEqual(after["events"], before["events"])
        self.assertEqual(after["snapshot_hash"], before["snapshot_hash"])
        self.assertEqual(self.export(rep, "csv").body, files["csv"])
        self.assertEqual(xlsx_parts(self.export(rep, "xlsx").body),
                         xlsx_parts(files["xlsx"]))
        self.assertEqual(pdf_text(self.export(rep, "pdf").body),
                         pdf_text(files["pdf"]))
        # ...while a report built now sees the newly closed event only
        other = self.build(d)
        self.assertEqual(other["events"], [late["number"]])

    def test_o2_transition_body_is_checked(self):
        d = day(24)
        rep = self.build(d)
        for body in ({}, {"to": "APROBADO"}, {"to": 3}):
            with self.subTest(body=body):
                r = self.role["CONTROL"].post(
                    "/api/v1/reports/%s/transition" % rep["id"], body)
                self.assertError(r, 422, "VALIDATION", "to")
        r = self.role["CONTROL"].post("/api/v1/reports/999999/transition",
                                      {"to": "EN_REVISION"})
        self.assertError(r, 404, "NOT_FOUND")


def xlsx_parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()
                if n.startswith("xl/")}


def pdf_text(data, layout=True):
    if not shutil.which("pdftotext"):
        raise AssertionError("pdftotext (Debian poppler-utils) is needed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        args = ["pdftotext"] + (["-layout"] if layout else []) + [f.name, "-"]
        return subprocess.run(args, check=True,
                              capture_output=True).stdout.decode("utf-8")


class O4Exports(ReportTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.d = day(26)

    def approved(self):
        if getattr(type(self), "_rep", None) is None:
            evs = [self.event(self.d, h, h, minutes=m)
                   for h, m in ((8, 45), (9, 61), (13, 130), (16, 5))]
            rep = self.chain(self.build(self.d), "APROBADO_DIRECTOR")
            type(self)._rep, type(self)._evs = rep, evs
        return type(self)._rep, type(self)._evs

    def test_o4_xlsx_has_each_event_number_and_lima_dates(self):
        rep, evs = self.approved()
        r = self.export(rep, "xlsx")
        self.assertEqual(r.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument."
                         "spreadsheetml.sheet")
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertIn(".xlsx", r.header("Content-Disposition"))
        parts = xlsx_parts(r.body)
        strings = parts["xl/sharedStrings.xml"].decode("utf-8")
        sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
        self.assertIn(TITLE, strings)
        self.assertIn(rep["snapshot_hash"], strings)
        for h in CSV_HEADER:
            self.assertIn("<t>%s</t>" % h, strings)
        # real dates: numbers in columns K (start) and L (end), Lima time
        cells = {m.group(1) + m.group(2): float(m.group(3)) for m in
                 re.finditer(r'<c r="([KL])(\d+)"[^>]*><v>([0-9.]+)</v>',
                             sheet)}
        for ev in evs:
            with self.subTest(number=ev["number"]):
                self.assertIn("<t>%s</t>" % ev["number"], strings)
                for col, key in (("K", "started_at"), ("L", "ended_at")):
                    want = excel_serial(t.parse_time(ev[key]))
                    self.assertTrue(
                        any(abs(v - want) < 1e-6 for k, v in cells.items()
                            if k.startswith(col)),
                        "%s %s (%s = %.6f) not in the sheet: %r"
                        % (ev["number"], key, ev[key], want, cells))
        self.assertRegex(sheet, r'<pane [^>]*ySplit="5"[^>]*state="frozen"')
        self.assertIn('<autoFilter ref="A5:T%d"/>' % (5 + len(evs)), sheet)
        self.assertIn('customWidth="1"', sheet)
        styles = parts["xl/styles.xml"].decode("utf-8")
        self.assertIn('formatCode="dd/mm/yyyy hh:mm"', styles)
        trail = parts["xl/worksheets/sheet2.xml"].decode("utf-8")
        self.assertIn("<row", trail)
        for role in ("CONTROL", "GERENTE", "DIRECTOR"):
            self.assertIn("<t>%s</t>" % self.role[role].username, strings)

    def test_o4_pdf_has_title_numbers_approvers_and_hash(self):
        rep, evs = self.approved()
        r = self.export(rep, "pdf")
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF-"))
        text = pdf_text(r.body)
        self.assertIn(TITLE, text)
        for ev in evs:
            self.assertIn(ev["number"], text)
        # O4: roles by their Spanish names, never a code
        for role, name in (("CONTROL", "Información"),
                           ("GERENTE", "Gerencia"),
                           ("DIRECTOR", "Dirección")):
            c = self.role[role]
            self.assertIn("%s (%s)" % (c.user["name"], c.username), text)
            self.assertIn(name, text)
        self.assertIn("Aprobado por Gerencia", text)
        self.assertIn(rep["snapshot_hash"], text)
        self.assertRegex(text, r"Página 1 de 1")
        # A4 landscape
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(r.body)
            f.flush()
            info = subprocess.run(["pdfinfo", f.name], check=True,
                                  capture_output=True).stdout.decode()
        self.assertRegex(info, r"Page size:\s+841.89 x 595.28 pts \(A4\)")

    def test_o4_csv_is_rfc4180_utf8_and_parses_back(self):
        rep, evs = self.approved()
        r = self.export(rep, "csv")
        self.assertEqual(r.header("Content-Type"), "text/csv; charset=utf-8")
        text = r.body.decode("utf-8")
        self.assertFalse(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text, newline=""),
                               strict=True))
        self.assertEqual(rows[0], CSV_HEADER)
        self.assertEqual(text.count("\r\n"), len(rows))
        self.assertNotIn("\n", text.replace("\r\n", ""))
        by_number = {row[0]: row for row in rows[1:]}
        self.assertEqual(sorted(by_number), sorted(e["number"] for e in evs))
        for ev in evs:
            row = dict(zip(CSV_HEADER, by_number[ev["number"]]))
            self.assertSameInstant(row["Inicio (hora de Lima)"],
                                   ev["started_at"])
            self.assertSameInstant(row["Fin (hora de Lima)"], ev["ended_at"])
            minutes = (t.parse_time(ev["ended_at"])
                       - t.parse_time(ev["started_at"])).seconds // 60
            self.assertEqual(row["Minutos"], str(minutes))
            self.assertEqual(row["E2 Más de 1 hora"],
                             "Sí" if minutes > 60 else "No")
            self.assertEqual(row["Código del punto"], ev["point"]["code"])
            self.assertEqual(row["Punto de atención"], ev["point"]["name"])
            self.assertIn(",", row["Punto de atención"])   # was quoted
            self.assertEqual(row["Canal"], "Presencial")
            self.assertEqual(row["E3 Impacto en el canal"], "sin datos")

    def test_o4_export_needs_a_known_format_and_a_report_role(self):
        rep, _ = self.approved()
        r = self.role["GERENTE"].get("/api/v1/reports/%s/export?format=doc"
                                     % rep["id"])
        self.assertError(r, 422, "VALIDATION", "format")
        r = self.role["JEFE"].get("/api/v1/reports/%s/export?format=csv"
                                  % rep["id"])
        self.assertError(r, 403)

    def test_o4_a_draft_exports_live_and_says_so(self):
        d = day(27)
        ev = self.event(d)
        rep = self.build(d)
        text = pdf_text(self.export(rep, "pdf").body)
        self.assertIn("BORRADOR", text)
        self.assertIn(ev["number"], text)


class V3RulingDecidesReporting(ReportTest):
    """O1/V3: an in-person event enters a report only with PROCEDE."""

    def test_o1_in_person_event_without_procede_is_pending_ruling(self):
        d = day(15)
        waiting = self.event(d, 9, ruling=None)
        ruled = self.event(d, 11)
        asked = self.event(d, 13, ruling=None)
        r = self.role["CONTROL"].post(
            "/api/v1/events/%s/processes-request" % asked["id"], {})
        self.assertStatus(r, 201)
        rep = self.build(d)
        mine = {waiting["number"], ruled["number"], asked["number"]}
        self.assertEqual([n for n in rep["events"] if n in mine],
                         [ruled["number"]])
        self.assertEqual([n for n in rep["pending_ruling"] if n in mine],
                         [waiting["number"], asked["number"]])
        self.assertEqual(self.get(rep)["pending_ruling"],
                         rep["pending_ruling"])
        self.assertStatus(self.rule(waiting, "PROCEDE"), 200)
        got = self.get(rep)
        self.assertEqual([n for n in got["events"] if n in mine],
                         [waiting["number"], ruled["number"]])
        self.assertEqual([n for n in got["pending_ruling"] if n in mine],
                         [asked["number"]])

    def test_o1_telephone_event_needs_no_ruling(self):
        d = day(15)
        point = t.create_point("CALL_CENTER")["code"]
        jefe = t.user_client(["JEFE"], [point])
        start = lima_at(d, 16)
        ev = self.register(jefe, event_payload(point, started_at=iso(start)))
        r = jefe.post("/api/v1/events/%s/close" % ev["id"], {
            "ended_at": iso(start + dt.timedelta(minutes=30)),
            "closure_reason": "SIN_FLUIDO_ELECTRICO"})
        self.assertStatus(r, 200)
        rep = self.build(d)
        self.assertIn(ev["number"], rep["events"])
        self.assertNotIn(ev["number"], rep["pending_ruling"])

    def test_o1_no_procede_event_is_neither_reported_nor_pending(self):
        d = day(17)
        ev = self.event(d, 10, ruling="NO_PROCEDE")
        rep = self.build(d)
        self.assertNotIn(ev["number"], rep["events"])
        self.assertNotIn(ev["number"], rep["pending_ruling"])

    def test_o1_ruling_out_an_event_in_a_report_under_review_is_409(self):
        d = day(19)
        ev = self.event(d, 10)
        kept = self.event(d, 12)
        rep = self.chain(self.build(d), "EN_REVISION")
        path = "/api/v1/events/%s/rule-out"
        r = self.role["CONTROL"].post(path % ev["id"],
                                      {"reason": "No correspondía"})
        self.assertError(r, 409, "IN_REPORT")
        self.assertEqual(self.get(rep)["events"],
                         [ev["number"], kept["number"]])
        got = self.role["CONTROL"].get("/api/v1/events/%s" % ev["id"]).json
        self.assertIs(got["reportable"], True)
        # back in BORRADOR the content is open again: ruling out works
        self.move(rep, "BORRADOR", "GERENTE", comment="Revisar")
        r = self.role["CONTROL"].post(path % ev["id"],
                                      {"reason": "No correspondía"})
        self.assertStatus(r, 200)
        self.assertEqual(self.get(rep)["events"], [kept["number"]])

    def test_o3_board_shows_events_awaiting_the_ruling_at_risk(self):
        d = day(17)
        waiting = self.event(d, 14, ruling=None)
        ruled = self.event(d, 15)
        items = {i["number"]: i for i in self.role["CONTROL"].get(
            "/api/v1/deadlines?limit=500").json["items"]}
        self.assertIs(items[waiting["number"]]["awaiting_ruling"], True)
        self.assertIs(items[ruled["number"]]["awaiting_ruling"], False)


class O3Deadlines(ReportTest):

    def test_o3_board_lists_unsent_events_by_due_date_until_sent(self):
        d = day(28)
        evs = [self.event(d, 9), self.event(d, 15)]
        today = t.lima_date(t.now())
        r = self.role["CONTROL"].get("/api/v1/deadlines?limit=500")
        self.assertStatus(r, 200)
        board = r.json
        self.assertEqual(board["today"], today.isoformat())
        self.assertGreaterEqual(board["overdue"], 2)
        items = {i["number"]: i for i in board["items"]}
        for ev in evs:
            item = items[ev["number"]]
            due = t.add_business_days(d, 3)
            self.assertEqual(item["report_due"], due.isoformat())
            self.assertIs(item["overdue"], True)
            self.assertEqual(item["business_days_left"],
                             business_days_between(today, due))
            self.assertIsNone(item["report"])
        dues = [i["report_due"] for i in board["items"]]
        self.assertEqual(dues, sorted(dues))
        only = self.role["CONTROL"].get("/api/v1/deadlines?overdue=true"
                                        "&limit=500").json
        self.assertTrue(all(i["overdue"] for i in only["items"]))
        self.assertEqual(only["total"], board["overdue"])
        rep = self.build(d)
        rep = self.chain(rep, "EN_REVISION")
        items = {i["number"]: i for i in self.role["CONTROL"].get(
            "/api/v1/deadlines?limit=500").json["items"]}
        self.assertEqual(items[evs[0]["number"]]["report"],
                         {"id": rep["id"], "status": "EN_REVISION"})
        self.move(rep, "APROBADO_GERENTE", "GERENTE")
        self.move(rep, "APROBADO_DIRECTOR", "DIRECTOR")
        self.move(rep, "ENVIADO", "REGULATORIO", reference="Carta 7")
        numbers = {i["number"] for i in self.role["GERENTE"].get(
            "/api/v1/deadlines?limit=500").json["items"]}
        for ev in evs:
            self.assertNotIn(ev["number"], numbers)
        self.assertError(self.role["JEFE"].get("/api/v1/deadlines"), 403)

    def test_o3_deadline_is_met_when_the_director_hands_over_to_regulatorio(
            self):
        d = day(26)
        ev = self.event(d, 17, minute=30)
        rep = self.chain(self.build(d), "APROBADO_GERENTE")
        board = lambda: {i["number"] for i in self.role["CONTROL"].get(
            "/api/v1/deadlines?limit=500").json["items"]}
        self.assertIn(ev["number"], board())
        self.assertIsNone(self.get(rep)["handed_over_at"])
        self.move(rep, "APROBADO_DIRECTOR", "DIRECTOR")
        got = self.get(rep)
        self.assertIsNotNone(got["handed_over_at"])
        self.assertIsNone(got["sent_on"])
        # handed over: off the board before Regulatorio sends it
        self.assertNotIn(ev["number"], board())
        self.move(rep, "ENVIADO", "REGULATORIO", reference="Carta 9",
                  date=t.lima_date(t.now()).isoformat())
        sent = self.get(rep)
        self.assertEqual(sent["handed_over_at"], got["handed_over_at"])
        self.assertIsNotNone(sent["sent_on"])
        self.assertIn("Regulatorio (aprobación de Dirección)",
                      " ".join(pdf_text(self.export(sent, "pdf").body)
                               .split()))
