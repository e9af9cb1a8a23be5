"""N1, N2 and the monitoring webhook, against a real SMTP server.

This module runs its own `inop serve` (and, for one test, a second node on
the same database) with --smtp_url pointing at an aiosmtpd server on
loopback (smtp_sink.py) and configured mailboxes, and reads what that
server received: envelope recipients, MIME structure, subject, link.
"""

import datetime as dt
import email
import email.policy
import json
import os
import select
import subprocess
import sys
import time
import unittest

import inoptest as t
from inoptest import iso, now

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_URL = "https://inop.example.pe"
FROM = "inop@inop-test.pe"
FALLAS_BOX = "fallas@inop-test.pe"
CONTROL_BOX = ["control@inop-test.pe", "analistas@inop-test.pe"]
TOKEN = "am-" + os.urandom(12).hex()
PASSWORD = "clave-segura-de-prueba"
MAIL_WAIT_S = 60

ENV = {}  # the module's servers, sink and clients


def sink_python():
    """A Python that has aiosmtpd (Debian's python3-aiosmtpd)."""
    for py in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(py) and subprocess.run(
                [py, "-c", "import aiosmtpd"],
                capture_output=True).returncode == 0:
            return py
    raise RuntimeError("no Python with aiosmtpd: apt-get install "
                       "python3-aiosmtpd")


class SmtpSink:
    """smtp_sink.py on 127.0.0.1:port writing to folder.  The port is
    held (t.reserve_port()) from construction to close(), also while the
    sink is stopped, so "SMTP down" is a refused connection and the sink
    can start again on the same port, which the servers were given."""

    def __init__(self, folder, log):
        self._hold, self.port = t.reserve_port()
        self.folder, self.log = folder, log
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [sink_python(), os.path.join(HERE, "smtp_sink.py"), "--port",
             str(self.port), "--dir", self.folder],
            stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL)
        ready, _w, _x = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.stop()
            raise RuntimeError("the SMTP server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        if self.proc:
            self.proc.stdout.close()
        self.proc = None

    def close(self):
        self.stop()
        self._hold.close()


class Mail:
    def __init__(self, record):
        self.rcpt = sorted(record["rcpt_tos"])
        self.mail_from = record["mail_from"]
        self.raw = record["data"]
        self.msg = email.message_from_string(record["data"],
                                             policy=email.policy.default)
        self.subject = str(self.msg["Subject"])
        self.text = self.msg.get_body(("plain",)).get_content()
        self.html = self.msg.get_body(("html",)).get_content()


def mails():
    folder = ENV["mails"]
    out = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out.append(Mail(json.load(f)))
    return out


def wait_mails(pred, count=1, timeout=MAIL_WAIT_S):
    """The mails matching pred once there are `count` of them (fewer
    after `timeout` seconds: the caller's assertion names them)."""
    deadline = time.monotonic() + timeout
    while True:
        got = [m for m in mails() if pred(m)]
        if len(got) >= count or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def outbox(sql):
    """Rows of `sql` on the module's database (its outbox tables), as
    lists of strings: sqlite3 or psql, like test_escalation."""
    db = ENV["db"]
    if db.startswith("postgres"):
        args = [os.path.join(os.environ["INOP_TEST_PG_BINDIR"], "psql"),
                "-At", "-F", "|", db, "-c", sql]
    else:
        args = ["sqlite3", "-separator", "|", db, sql]
    p = subprocess.run(args, capture_output=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("%s: %s" % (sql, p.stderr.decode()))
    return [line.split("|") for line in p.stdout.decode().splitlines()]


def outbox_count(where):
    return int(outbox("SELECT count(*) FROM outbox WHERE " + where)[0][0])


def sent_attempts(where):
    """Successful deliveries recorded for the outbox rows `where`: one per
    mail the SMTP server accepted, duplicates included."""
    return int(outbox("SELECT count(*) FROM outbox_attempts WHERE ok = 1 "
                      "AND outbox_id IN (SELECT id FROM outbox WHERE "
                      + where + ")")[0][0])


def login_at(port, username, password):
    r = t.Client(port=port).post("/api/v1/session",
                                 {"username": username, "password": password})
    if r.status != 200:
        raise AssertionError("login %s: %r" % (username, r))
    return t.Client(token=r.json["token"], username=username, port=port)


def server_args(smtp_port):
    return ["--smtp_url", "smtp://127.0.0.1:%d" % smtp_port,
            "--smtp_from", FROM, "--mailbox_fallas", FALLAS_BOX,
            "--mailbox_control", ",".join(CONTROL_BOX), "--base_url",
            BASE_URL, "--smtp_retry_seconds", "1", "--alertmanager_token",
            TOKEN]


def mail_db(work):
    """A fresh database of the suite's engine: on PostgreSQL (api_pg) a
    new database next to the suite's, so the two nodes below claim mail
    with FOR UPDATE SKIP LOCKED."""
    url = os.environ.get("INOP_TEST_DB_URL", "")
    if not url.startswith("postgres"):
        return os.path.join(work, "mail.db")
    name = "inop_mail_" + os.urandom(3).hex()
    subprocess.run([os.path.join(os.environ["INOP_TEST_PG_BINDIR"], "psql"),
                    "-q", os.environ["INOP_TEST_PG_ADMIN_URL"], "-c",
                    "CREATE DATABASE " + name], check=True,
                   capture_output=True)
    return url.rsplit("/", 1)[0] + "/" + name


def setUpModule():
    work = os.path.join(t.CTX.tmp, "mail")
    os.makedirs(work, exist_ok=True)
    ENV["work"] = work
    ENV["mails"] = os.path.join(work, "mails")
    os.makedirs(ENV["mails"], exist_ok=True)
    ENV["db"] = mail_db(work)
    pw = t.write_secret(os.path.join(work, "admin-pw"), PASSWORD)
    p = t.run_inop(["init", "--db", ENV["db"], "--admin-password-file", pw])
    if p.returncode != 0:
        raise RuntimeError("inop init: %r" % p.stderr)
    ENV["sink_log"] = open(os.path.join(work, "smtp.log"), "ab")
    ENV["sink"] = SmtpSink(ENV["mails"], ENV["sink_log"])
    ENV["sink"].start()
    server = t.Server(t.CTX.inop, ENV["db"], work, name="mail-serve",
                      extra=server_args(ENV["sink"].port))
    ENV["server"] = server
    server.wait_healthy()
    port = server.port
    admin = login_at(port, "admin", PASSWORD)
    for code in ("MAIL-P1", "MAIL-P2"):
        r = admin.post("/api/v1/points", {"code": code, "name": "CAC " + code,
                                          "type": "CAC", "region": "Lima"})
        assert r.status == 201, r
    users = [("jefe1", ["JEFE"], ["MAIL-P1"]), ("jefe2", ["JEFE"],
                                                 ["MAIL-P2"]),
             ("jefe3", ["JEFE"], []), ("fallas1", ["FALLAS"], []),
             ("soporte1", ["SOPORTE"], []), ("soporte2", ["SOPORTE"], []),
             ("control1", ["CONTROL"], []),
             ("procesos1", ["PROCESOS"], [])]
    for name, roles, points in users:
        r = admin.post("/api/v1/users", {
            "username": name, "password": PASSWORD, "name": name,
            "email": name + "@inop-test.pe", "roles": roles,
            "points": points})
        assert r.status == 201, r
        ENV[name] = login_at(port, name, PASSWORD)
    ENV["admin"] = admin


def tearDownModule():
    for key in ("server2", "server"):
        if ENV.get(key):
            ENV[key].stop()
    if ENV.get("sink"):
        ENV["sink"].close()
    if ENV.get("sink_log"):
        ENV["sink_log"].close()


def ago(minutes):
    return iso(now() - dt.timedelta(minutes=minutes))


class MailTest(t.ApiTest):

    def alert(self, jefe="jefe1", point="MAIL-P1", apps=("SIAC_UNICO",),
              description="SIAC ÚNICO no carga en ninguna PC"):
        r = ENV[jefe].post("/api/v1/mass-failure-alerts", {
            "point": point, "applications": list(apps),
            "observed_at": ago(5), "description": description})
        self.assertEqual(r.status, 201, repr(r))
        return r.json

    def one_mail(self, pred, what):
        got = wait_mails(pred)
        self.assertEqual(len(got), 1, "%s: %d mails (%s)" % (
            what, len(got), [m.subject for m in mails()][-5:]))
        return got[0]

    def assertLink(self, mail, path):
        url = BASE_URL + path
        self.assertIn(url, mail.text)
        self.assertIn('href="%s"' % url, mail.html)


class N2Triggers(MailTest):
    """Each trigger of N2 that exists now: recipients, subject, link."""

    def test_n2_alert_mail_goes_to_the_fallas_mailbox(self):
        a = self.alert()
        m = self.one_mail(lambda m: "alerta N.º %d " % a["id"] in m.subject,
                          "alert mail")
        self.assertEqual(m.rcpt, [FALLAS_BOX])
        self.assertTrue(m.subject.startswith(
            "[Inop] Alerta de posible falla masiva: alerta N.º %d" % a["id"]),
            m.subject)
        self.assertIn("SIAC ÚNICO no carga en ninguna PC", m.text)
        self.assertIn("CAC MAIL-P1", m.text)
        self.assertLink(m, "/#/fallas")

    def test_n2_confirmation_mail_goes_to_the_jefes_of_active_points(self):
        a = self.alert(apps=("SGA",))
        r = ENV["fallas1"].post("/api/v1/mass-failure-alerts/%d/confirm"
                                % a["id"],
                                {"cause": "INCONVENIENTE_CONECTIVIDAD"})
        self.assertEqual(r.status, 200, repr(r))
        mf = r.json["mass_failure_id"]
        m = self.one_mail(lambda m: "confirmada: N.º %d " % mf in m.subject,
                          "confirmation mail")
        # jefe3 has no point: not a JEFE of an active point
        self.assertEqual(m.rcpt, ["jefe1@inop-test.pe",
                                  "jefe2@inop-test.pe"])
        self.assertIn("(SGA)", m.subject)
        self.assertIn("Inconveniente de conectividad", m.text)
        self.assertLink(m, "/#/fallas/%d" % mf)
        self.close_failure(mf)

    def test_v3_ruling_either_way_is_mailed_to_control(self):
        numbers = {}
        for ruling, procedure in (("PROCEDE", "BAJAS"),
                                  ("NO_PROCEDE", "CONSULTAS")):
            start = now() - dt.timedelta(minutes=50)
            r = ENV["jefe1"].post("/api/v1/events", t.event_payload(
                "MAIL-P1", procedure=procedure, started_at=iso(start)))
            self.assertEqual(r.status, 201, repr(r))
            ev = r.json
            r = ENV["jefe1"].post("/api/v1/events/%s/close" % ev["id"], {
                "ended_at": iso(start + dt.timedelta(minutes=20)),
                "closure_reason": "SIN_FLUIDO_ELECTRICO"})
            self.assertEqual(r.status, 200, repr(r))
            r = ENV["control1"].post(
                "/api/v1/events/%s/processes-request" % ev["id"], {})
            self.assertEqual(r.status, 201, repr(r))
            r = ENV["procesos1"].post(
                "/api/v1/events/%s/processes-ruling" % ev["id"],
                {"ruling": ruling, "reason": "Revisado con Fallas"})
            self.assertEqual(r.status, 200, repr(r))
            numbers[ruling] = ev["number"]
        for ruling, text in (("PROCEDE", "Procede reportar"),
                             ("NO_PROCEDE", "No procede reportar")):
            m = self.one_mail(
                lambda m, n=numbers[ruling]: m.subject ==
                "[Inop] Dictamen de Procesos: " + n, "ruling " + ruling)
            self.assertEqual(m.rcpt, sorted(CONTROL_BOX))
            self.assertIn(text, m.text)
            self.assertIn("Revisado con Fallas", m.text)
            self.assertLink(m, "/#/eventos/" + numbers[ruling])

    def close_failure(self, mf):
        r = ENV["soporte1"].post("/api/v1/mass-failures/%d/close" % mf, {
            "ended_at": ago(0), "closure_reason": "INTERMITENCIA"})
        self.assertEqual(r.status, 200, repr(r))
        return r.json

    def test_n2_registration_and_closure_mails_go_to_control(self):
        r = ENV["fallas1"].post("/api/v1/mass-failures", {
            "applications": ["WEB_ASESOR_RECLAMOS"], "started_at": ago(40),
            "cause": "FALLA_MASIVA_APLICATIVO"})
        self.assertEqual(r.status, 201, repr(r))
        mf = r.json["id"]
        evs = []
        for jefe, point in (("jefe1", "MAIL-P1"), ("jefe2", "MAIL-P2")):
            r = ENV[jefe].post("/api/v1/events", t.event_payload(
                point, procedure="RECLAMOS",
                applications=["WEB_ASESOR_RECLAMOS"],
                scenario="FALLA_MASIVA", cause="FALLA_MASIVA_APLICATIVO",
                started_at=ago(20), mass_failure_id=mf))
            self.assertEqual(r.status, 201, repr(r))
            evs.append(r.json["number"])
        for number in evs:
            m = self.one_mail(lambda m, n=number: m.subject ==
                              "[Inop] Inoperatividad registrada: " + n,
                              "registration mail")
            self.assertEqual(m.rcpt, sorted(CONTROL_BOX + [
                "soporte1@inop-test.pe", "soporte2@inop-test.pe"]))
            self.assertIn("falla masiva N.º %d" % mf, m.text)
            self.assertLink(m, "/#/eventos/" + number)
        closed = self.close_failure(mf)
        self.assertEqual(closed["closed_events"], 2)
        for number in evs:
            m = self.one_mail(lambda m, n=number: m.subject ==
                              "[Inop] Inoperatividad cerrada: " + n,
                              "closure mail")
            self.assertEqual(m.rcpt, sorted(CONTROL_BOX))
            self.assertIn("INTERMITENCIA", m.text)
            self.assertLink(m, "/#/eventos/" + number)

    def test_n2_mail_is_spanish_utf8_with_text_and_html_parts(self):
        a = self.alert(description="Caída total: «SIAC» — señal perdida")
        m = self.one_mail(lambda m: "alerta N.º %d " % a["id"] in m.subject,
                          "alert mail")
        self.assertEqual(m.mail_from, FROM)
        self.assertEqual(m.msg.get_content_type(), "multipart/alternative")
        parts = [p.get_content_type() for p in m.msg.iter_parts()]
        self.assertEqual(parts, ["text/plain", "text/html"])
        for p in m.msg.iter_parts():
            self.assertEqual(p.get_content_charset(), "utf-8")
        self.assertIn("Caída total: «SIAC» — señal perdida", m.text)
        self.assertIn("Caída total: «SIAC» — señal perdida", m.html)
        raw_subject = next(line for line in m.raw.split("\r\n")
                           if line.startswith("Subject:"))
        self.assertIn("=?UTF-8?B?", raw_subject)   # RFC 2047
        self.assertIn("N.º", m.subject)
        self.assertEqual(m.msg["From"].addresses[0].addr_spec, FROM)
        self.assertIsNotNone(m.msg["Date"])
        self.assertIsNotNone(m.msg["Message-ID"])


class N2ReportMails(MailTest):
    """The official report's mails (O2, O3): to whoever acts next, and the
    deadline reminder to mailbox_control once per event."""

    @classmethod
    def setUpClass(cls):
        for name, role in (("gerente1", "GERENTE"), ("director1", "DIRECTOR"),
                           ("regulatorio1", "REGULATORIO")):
            if name in ENV:
                continue
            r = ENV["admin"].post("/api/v1/users", {
                "username": name, "password": PASSWORD, "name": name,
                "email": name + "@inop-test.pe", "roles": [role],
                "points": []})
            assert r.status == 201, r
            ENV[name] = login_at(ENV["server"].port, name, PASSWORD)

    def closed_event(self, start, minutes=60, procedure="ALTAS"):
        r = ENV["jefe2"].post("/api/v1/events", t.event_payload(
            "MAIL-P2", procedure=procedure, started_at=iso(start)))
        self.assertEqual(r.status, 201, repr(r))
        ev = r.json
        r = ENV["jefe2"].post("/api/v1/events/%s/close" % ev["id"], {
            "ended_at": iso(start + dt.timedelta(minutes=minutes)),
            "closure_reason": "SIN_FLUIDO_ELECTRICO"})
        self.assertEqual(r.status, 200, repr(r))
        return r.json

    def move(self, rep, to, who, **extra):
        body = dict(extra, to=to)
        r = ENV[who].post("/api/v1/reports/%s/transition" % rep["id"], body)
        self.assertEqual(r.status, 200, repr(r))

    def test_n2_report_mails_whoever_acts_next(self):
        d = t.lima_date(now()) - dt.timedelta(days=20)
        self.closed_event(dt.datetime(d.year, d.month, d.day, 10,
                                      tzinfo=t.LIMA))
        r = ENV["control1"].post("/api/v1/reports", {
            "from": d.isoformat(), "to": d.isoformat()})
        self.assertEqual(r.status, 201, repr(r))
        rep = r.json
        subject = "Reporte N.º %d" % rep["id"]
        self.move(rep, "EN_REVISION", "control1")
        m = self.one_mail(lambda m: m.subject == "[Inop] Reporte de "
                          "inoperatividad por aprobar: " + subject,
                          "awaiting Gerencia")
        self.assertEqual(m.rcpt, ["gerente1@inop-test.pe"])
        self.assertLink(m, "/#/reportes/%d" % rep["id"])
        self.move(rep, "BORRADOR", "gerente1", comment="Falta el evento 7")
        m = self.one_mail(lambda m: m.subject == "[Inop] Reporte devuelto "
                          "a borrador: " + subject, "sent back")
        self.assertEqual(m.rcpt, ["control1@inop-test.pe"])
        self.assertIn("Falta el evento 7", m.text)
        self.move(rep, "EN_REVISION", "control1")
        self.move(rep, "APROBADO_GERENTE", "gerente1")
        m = self.one_mail(lambda m: "por aprobar: " + subject in m.subject
                          and m.rcpt == ["director1@inop-test.pe"],
                          "awaiting Dirección")
        self.move(rep, "APROBADO_DIRECTOR", "director1")
        m = self.one_mail(lambda m: m.subject == "[Inop] Reporte aprobado, "
                          "por enviar a OSIPTEL: " + subject, "approved")
        self.assertEqual(m.rcpt, ["regulatorio1@inop-test.pe"])

    def test_n2_report_due_in_one_business_day_mails_control_once(self):
        today = t.lima_date(now())
        # the latest end day whose deadline is today or the next business
        # day: reminded; the one after it is not due yet
        end = today
        while t.add_business_days(end, 3) > t.add_business_days(today, 1):
            end -= dt.timedelta(days=1)
        due = self.closed_event(dt.datetime(end.year, end.month, end.day, 9,
                                            tzinfo=t.LIMA),
                                procedure="BAJAS")
        for _ in range(2):   # two runs (as two nodes would): one mail
            p = t.run_inop(["jobs", "run", "--db", ENV["db"]]
                           + server_args(ENV["sink"].port))
            self.assertEqual(p.returncode, 0, p.stderr)
        # O3: the deadline is the hand-over to Regulatorio
        m = self.one_mail(lambda m: m.subject == "[Inop] Plazo de entrega "
                          "a Regulatorio vence en 1 día hábil: "
                          + due["number"], "deadline reminder")
        self.assertIn("entregarse a Regulatorio", m.text)
        self.assertEqual(m.rcpt, sorted(CONTROL_BOX))
        self.assertIn(t.add_business_days(end, 3).strftime("%d/%m/%Y"),
                      m.text)
        self.assertLink(m, "/#/eventos/" + due["number"])
        # Once: one outbox row for the two runs, delivered once.  Checked
        # on the outbox when it has settled, not after a pause.
        where = ("trigger = 'report.due' AND subject LIKE '%%: %s'"
                 % due["number"])
        self.assertEqual(outbox_count(where), 1)
        t.wait_for("the reminder's outbox row is SENT",
                   lambda: outbox_count(where + " AND status = 'SENT'"))
        self.assertEqual(sent_attempts(where), 1)
        self.assertEqual(len([m for m in mails() if m.subject.endswith(
            ": " + due["number"]) and "Plazo" in m.subject]), 1)


class N1NeverLost(MailTest):

    def test_n1_fifty_mails_while_smtp_is_down_arrive_each_once(self):
        """Stop the SMTP server, cause 50 mails (on two nodes sharing the
        database), start it again: all 50 arrive, each exactly once."""
        sink = ENV["sink"]
        sink.stop()
        second = t.Server(t.CTX.inop, ENV["db"], ENV["work"],
                          name="mail-serve-2", extra=server_args(sink.port))
        ENV["server2"] = second
        second.wait_healthy()
        jefe1_b = login_at(second.port, "jefe1", PASSWORD)
        tag = "lote-" + os.urandom(3).hex()
        before = len(mails())
        for i in range(50):
            client = ENV["jefe1"] if i % 2 else jefe1_b
            r = client.post("/api/v1/mass-failure-alerts", {
                "point": "MAIL-P1", "applications": ["SGA"],
                "observed_at": ago(1), "description": "%s %02d" % (tag, i)})
            self.assertEqual(r.status, 201, repr(r))
        where = "body_text LIKE '%%%s%%'" % tag
        self.assertEqual(outbox_count(where), 50)
        # the sender (one node at a time holds the job's lease) tries,
        # fails and backs off: a recorded failed attempt, not a pause
        t.wait_for("a failed delivery attempt", lambda: int(outbox(
            "SELECT count(*) FROM outbox_attempts WHERE ok = 0 "
            "AND outbox_id IN (SELECT id FROM outbox WHERE %s)"
            % where)[0][0]) >= 1)
        self.assertEqual(len(mails()), before, "mail arrived while down")
        sink.start()
        got = wait_mails(lambda m: tag in m.text, count=50, timeout=120)
        # Anything sent twice was sent by the time every row is SENT, and
        # each delivery is recorded as an attempt.
        t.wait_for("all 50 outbox rows SENT", lambda: outbox_count(
            where + " AND status = 'SENT'") == 50, timeout=120)
        self.assertEqual(sent_attempts(where), 50)
        got = [m for m in mails() if tag in m.text]
        texts = sorted(m.text.split(tag)[1][:3] for m in got)
        self.assertEqual(len(got), 50, texts)
        self.assertEqual(texts, sorted(" %02d" % i for i in range(50)))
        ids = [m.msg["Message-ID"] for m in got]
        self.assertEqual(len(set(ids)), 50)
        for m in got:
            self.assertEqual(m.rcpt, [FALLAS_BOX])
        self.assertEqual(second.stop(), 0)
        ENV["server2"] = None


class AlertmanagerWebhook(MailTest):
    PATH = "/api/v1/integrations/alertmanager"

    def payload(self, alerts, status="firing"):
        return {"version": "4", "groupKey": "{}:{alertname=\"x\"}",
                "status": status, "receiver": "inop", "groupLabels": {},
                "commonLabels": {}, "commonAnnotations": {},
                "externalURL": "http://alertmanager:9093",
                "truncatedAlerts": 0, "alerts": alerts}

    def alert(self, app="SIAC_UNICO", status="firing", fp=None, starts=None,
              label="application"):
        labels = {"alertname": "AplicativoCaido", "severity": "critical"}
        if app is not None:
            labels[label] = app
        return {"status": status, "labels": labels,
                "annotations": {"summary": "%s no responde" % app},
                "startsAt": starts or iso(now() - dt.timedelta(minutes=3)),
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus:9090/graph",
                "fingerprint": fp or os.urandom(8).hex()}

    def post(self, body, token=TOKEN, port=None):
        hdrs = {"Authorization": "Bearer " + token} if token else {}
        return t.Client(port=port or ENV["server"].port).post(
            self.PATH, body, headers=hdrs)

    def test_webhook_needs_the_token_401(self):
        body = self.payload([self.alert()])
        self.assertError(self.post(body, token=None), 401)
        self.assertError(self.post(body, token="otro-token-cualquiera"), 401)
        # the suite's server has no token configured: disabled
        self.assertError(self.post(body, port=t.CTX.port), 401)

    def test_firing_alert_becomes_a_pending_alert_for_fallas(self):
        failures = ENV["fallas1"].get("/api/v1/mass-failures").json["total"]
        r = self.post(self.payload([self.alert(app="siac-unico")]))
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual((r.json["created"], r.json["duplicates"],
                          r.json["ignored"]), (1, 0, 0))
        aid = r.json["alerts"][0]
        a = ENV["fallas1"].get("/api/v1/mass-failure-alerts/%d" % aid).json
        self.assertEqual(a["status"], "PENDING")
        self.assertEqual(a["source"], "ALERTMANAGER")
        self.assertEqual(a["applications"], ["SIAC_UNICO"])
        self.assertIsNone(a["point"])
        self.assertIn("AplicativoCaido", a["description"])
        # never confirms by itself
        self.assertEqual(ENV["fallas1"].get("/api/v1/mass-failures")
                         .json["total"], failures)
        m = self.one_mail(lambda m: "alerta N.º %d " % aid in m.subject,
                          "webhook alert mail")
        self.assertEqual(m.rcpt, [FALLAS_BOX])
        self.assertIn("monitoreo", m.text)

    def test_the_same_alert_repeated_is_stored_once(self):
        al = self.alert(app="SGA")
        first = self.post(self.payload([al]))
        again = self.post(self.payload([al]))
        self.assertEqual(first.json["created"], 1)
        self.assertEqual((again.json["created"], again.json["duplicates"]),
                         (0, 1))
        self.assertEqual(first.json["alerts"], again.json["alerts"])
        # firing again later (new startsAt) is a new alert
        al2 = dict(al, startsAt=iso(now()))
        self.assertEqual(self.post(self.payload([al2])).json["created"], 1)

    def test_resolved_and_unknown_applications_are_ignored(self):
        r = self.post(self.payload([
            self.alert(status="resolved"), self.alert(app=None),
            self.alert(app="SAP_ERP"), self.alert(app="SICAR",
                                                  label="service")]))
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual((r.json["created"], r.json["ignored"]), (0, 4))

    def test_payload_without_alerts_is_422(self):
        self.assertError(self.post({"version": "4"}), 422, "VALIDATION",
                         "alerts")


class ConfigKeys(unittest.TestCase):

    def test_check_config_knows_the_mail_and_webhook_keys(self):
        path = os.path.join(ENV["work"], "ok.conf")
        with open(path, "w") as f:
            f.write("smtp_url = smtp://127.0.0.1:2525\nsmtp_from = a@b.pe\n"
                    "smtp_tls = starttls\nsmtp_retry_seconds = 10\n"
                    "alertmanager_token_file = /etc/inop/am-token\n")
        p = t.run_inop(["check-config", "--config", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        bad = os.path.join(ENV["work"], "bad.conf")
        with open(bad, "w") as f:
            f.write("smtp_url = smtp://127.0.0.1:2525\nsmtp_tls = maybe\n")
        p = t.run_inop(["check-config", "--config", bad])
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("bad.conf:2", p.stderr.decode())
