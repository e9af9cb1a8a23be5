"""Complaints (SPEC Q1-Q5, API.md "Complaints") on their own `inop serve`.

The module starts its own server, with the regulator's platform token
(complaints_token_file), a small per-address limit, and mail going to a
real SMTP server on loopback (smtp_sink.py, aiosmtpd).  Mails are parsed
as MIME; the attached complaint form is read back with `pdftotext`.

Public requests come from distinct loopback source addresses
(127.0.0.x): the server limits per client address, so each test that
needs the public form has its own bucket.
"""

import datetime as dt
import email
import email.policy
import http.client
import json
import os
import re
import sqlite3
import subprocess
import threading
import time
import unittest
import uuid

import inoptest as t
import test_mail as tm

TOKEN = "plataforma-" + os.urandom(12).hex()
PASSWORD = "clave-segura-de-prueba"
FROM = "reclamos@inop-test.pe"
CODE_RE = re.compile(r"^REC-(\d{4})-(\d{7})$")
PUBLIC_KEYS = {"id", "code", "status", "received_at", "matter", "due_date",
               "source"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + os.urandom(3000) + b"\xff\xd9"
BURST = 5

ENV = {}
_addr = [20]


def next_addr():
    """A loopback source address no other test used (own rate bucket)."""
    _addr[0] += 1
    return "127.0.0.%d" % _addr[0]


def setUpModule():
    work = os.path.join(t.CTX.tmp, "complaints")
    os.makedirs(work, exist_ok=True)
    ENV["work"] = work
    ENV["mails"] = os.path.join(work, "mails")
    os.makedirs(ENV["mails"], exist_ok=True)
    tm.ENV["mails"] = ENV["mails"]          # test_mail's readers
    ENV["db"] = tm.mail_db(work)
    pw = t.write_secret(os.path.join(work, "admin-pw"), PASSWORD)
    tok = t.write_secret(os.path.join(work, "platform-token"), TOKEN)
    p = t.run_inop(["init", "--db", ENV["db"], "--admin-password-file", pw])
    if p.returncode != 0:
        raise RuntimeError("inop init: %r" % p.stderr)
    ENV["sink_log"] = open(os.path.join(work, "smtp.log"), "ab")
    ENV["sink"] = tm.SmtpSink(ENV["mails"], ENV["sink_log"])
    ENV["sink"].start()
    server = t.Server(t.CTX.inop, ENV["db"], work, name="complaints-serve",
                      extra=["--smtp_url",
                             "smtp://127.0.0.1:%d" % ENV["sink"].port,
                             "--smtp_from", FROM, "--smtp_retry_seconds", "1",
                             "--complaints_token_file", tok,
                             "--complaints_per_minute", "2",
                             "--complaints_burst", str(BURST)])
    ENV["server"] = server
    server.wait_healthy()
    ENV["port"] = server.port
    admin = tm.login_at(server.port, "admin", PASSWORD)
    ENV["admin"] = admin
    for name, roles in (("reclamos1", ["RECLAMOS"]), ("jefe1", ["JEFE"]),
                        ("control1", ["CONTROL"])):
        r = admin.post("/api/v1/users", {
            "username": name, "password": PASSWORD, "name": name,
            "email": name + "@inop-test.pe", "roles": roles, "points": []})
        assert r.status == 201, r
        ENV[name] = tm.login_at(server.port, name, PASSWORD)


def tearDownModule():
    if ENV.get("server"):
        ENV["server"].stop()
    if ENV.get("sink"):
        ENV["sink"].close()
    if ENV.get("sink_log"):
        ENV["sink_log"].close()


def request(method, path, body=None, headers=None, source=None,
            timeout=60):
    conn = http.client.HTTPConnection(
        "127.0.0.1", ENV["port"], timeout=timeout,
        source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return t.Resp(r.status, r.reason, r.headers, r.read())
    finally:
        conn.close()


def complaint(**over):
    body = {"customer_name": "Ana María Pérez Ñique",
            "document_type": "DNI", "document": "45678912",
            "email": "ana.perez@cliente.pe", "phone": "+51 987 654 321",
            "service": "Línea móvil 987654321", "matter": "CALIDAD",
            "description": "Sin señal en mi domicilio desde el lunes."}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def post_json(body, platform=False, source=None, token=None):
    headers = {"Content-Type": "application/json"}
    if platform or token:
        headers["Authorization"] = "Bearer " + (token or TOKEN)
    return request("POST", "/api/v1/complaints",
                   json.dumps(body).encode("utf-8"), headers,
                   source=None if platform else (source or next_addr()))


def multipart(fields, files):
    boundary = "----inop" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n" % (boundary, k)).encode() +
                   str(v).encode("utf-8") + b"\r\n")
    for name, data, ctype in files:
        out.append(("--%s\r\nContent-Disposition: form-data; "
                    "name=\"documents\"; filename=\"%s\"\r\nContent-Type: "
                    "%s\r\n\r\n" % (boundary, name, ctype)).encode() +
                   data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def post_multipart(fields, files, platform=False, source=None):
    body, ctype = multipart(fields, files)
    headers = {"Content-Type": ctype}
    if platform:
        headers["Authorization"] = "Bearer " + TOKEN
    return request("POST", "/api/v1/complaints", body, headers,
                   source=None if platform else (source or next_addr()))


def db_exec(sql):
    """A change the API cannot make (moving a due date into the past)."""
    url = ENV["db"]
    if url.startswith("postgres"):
        subprocess.run([os.path.join(os.environ["INOP_TEST_PG_BINDIR"],
                                     "psql"), "-q", url, "-c", sql],
                       check=True, capture_output=True)
        return
    with sqlite3.connect(url, timeout=30) as c:
        c.execute(sql)


def seq(code):
    m = CODE_RE.match(code)
    assert m, code
    return int(m.group(2))


def lima_today():
    return t.lima_date(t.now())


class ComplaintTest(t.ApiTest):

    def receive(self, **over):
        r = post_json(complaint(**over), platform=True)
        self.assertEqual(r.status, 201, repr(r))
        return r.json

    def one_mail(self, code, subject_prefix="Reclamo registrado"):
        got = tm.wait_mails(lambda m: code in m.subject and
                            m.subject.startswith(subject_prefix))
        self.assertEqual(len(got), 1, "mails for %s: %d" % (code, len(got)))
        return got[0]


class Q1Intake(ComplaintTest):

    def test_q1_public_json_complaint_answers_only_code_status_due_date(self):
        r = post_json(complaint())
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(set(r.json), PUBLIC_KEYS)
        self.assertRegex(r.json["code"], CODE_RE)
        self.assertEqual(r.json["status"], "RECIBIDO")
        self.assertEqual(r.json["source"], "WEB")
        self.assertLimaTime(r.json["received_at"])
        self.assertNotIn("ana.perez", r.body.decode())

    def test_q1_email_is_required_and_well_formed(self):
        for bad in (None, "", "ana", "ana@", "ana@cliente", "a b@x.pe",
                    "ana@@x.pe", "ana@x..pe"):
            r = post_json(complaint(email=bad), platform=True)
            self.assertError(r, 422, "VALIDATION", "email")

    def test_q1_dni_has_8_digits(self):
        for bad in ("1234567", "123456789", "1234567A"):
            r = post_json(complaint(document=bad), platform=True)
            self.assertError(r, 422, "VALIDATION", "document")

    def test_q1_ruc_has_11_digits_and_its_check_digit(self):
        r = post_json(complaint(document_type="RUC", document="20131312955"),
                      platform=True)
        self.assertEqual(r.status, 201, repr(r))
        for bad in ("20131312956", "2013131295", "30131312955"):
            r = post_json(complaint(document_type="RUC", document=bad),
                          platform=True)
            self.assertError(r, 422, "VALIDATION", "document")

    def test_q1_ce_and_passport_shapes(self):
        for typ, good, bad in (("CE", "001234567", "12-34"),
                               ("PASAPORTE", "AB12345", "A1")):
            r = post_json(complaint(document_type=typ, document=good),
                          platform=True)
            self.assertEqual(r.status, 201, repr(r))
            r = post_json(complaint(document_type=typ, document=bad),
                          platform=True)
            self.assertError(r, 422, "VALIDATION", "document")
        r = post_json(complaint(document_type="LIBRETA"), platform=True)
        self.assertError(r, 422, "VALIDATION", "document_type")

    def test_q1_matter_must_be_in_the_catalogue(self):
        r = post_json(complaint(matter="HOROSCOPO"), platform=True)
        self.assertError(r, 422, "VALIDATION", "matter")

    def test_q1_lengths_are_capped(self):
        r = post_json(complaint(description="x" * 4001), platform=True)
        self.assertError(r, 422, "VALIDATION", "description")
        r = post_json(complaint(customer_name="ñ" * 121), platform=True)
        self.assertError(r, 422, "VALIDATION", "customer_name")
        r = post_json(complaint(description="ñ" * 4000), platform=True)
        self.assertEqual(r.status, 201, repr(r))

    def test_q1_multipart_documents_are_stored_byte_for_byte(self):
        r = post_multipart(complaint(), [("boleta.pdf", PDF, "application/pdf"),
                                         ("foto.png", PNG, "image/png"),
                                         ("captura.jpg", JPEG, "image/jpeg")])
        self.assertEqual(r.status, 201, repr(r))
        c = ENV["reclamos1"].get("/api/v1/complaints/%s" % r.json["code"])
        self.assertEqual(c.status, 200, repr(c))
        docs = c.json["documents"]
        self.assertEqual([d["filename"] for d in docs],
                         ["boleta.pdf", "foto.png", "captura.jpg"])
        for d, want, typ in zip(docs, (PDF, PNG, JPEG),
                                ("application/pdf", "image/png",
                                 "image/jpeg")):
            got = ENV["reclamos1"].get("/api/v1/complaints/%d/documents/%d"
                                       % (c.json["id"], d["id"]))
            self.assertEqual(got.status, 200)
            self.assertEqual(got.body, want)
            self.assertEqual(got.header("Content-Type"), typ)
            self.assertIn("attachment", got.header("Content-Disposition"))

    def test_q1_attachment_type_comes_from_its_bytes_not_its_name(self):
        r = post_multipart(complaint(), [("factura.pdf", b"MZ\x90\x00evil",
                                          "application/pdf")])
        self.assertError(r, 422, "VALIDATION", "documents")
        r = post_multipart(complaint(), [("foto.pdf", PNG, "application/pdf")])
        self.assertEqual(r.status, 201, repr(r))
        c = ENV["reclamos1"].get("/api/v1/complaints/%s" % r.json["code"])
        self.assertEqual(c.json["documents"][0]["content_type"], "image/png")

    def test_q1_at_most_3_documents(self):
        r = post_multipart(complaint(), [("a%d.pdf" % i, PDF,
                                          "application/pdf")
                                         for i in range(4)])
        self.assertError(r, 422, "VALIDATION", "documents")

    def test_q1_a_document_over_5_mib_is_refused(self):
        big = PDF + b"0" * (5 * 1024 * 1024)
        r = post_multipart(complaint(), [("grande.pdf", big,
                                          "application/pdf")])
        self.assertError(r, 413, None, "documents")

    def test_q1_body_over_the_route_cap_is_413(self):
        big = PDF + b"0" * (6 * 1024 * 1024)
        r = post_multipart(complaint(), [("a.pdf", big, "application/pdf"),
                                         ("b.pdf", big, "application/pdf"),
                                         ("c.pdf", big, "application/pdf")])
        self.assertEqual(r.status, 413, repr(r))

    def test_q1_json_body_over_64_kib_is_413(self):
        r = post_json(complaint(description="x" * 70000), platform=True)
        self.assertEqual(r.status, 413, repr(r))

    def test_q1_platform_token_marks_source_and_a_wrong_one_is_401(self):
        r = post_json(complaint(), platform=True)
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json["source"], "PLATAFORMA")
        r = post_json(complaint(), token="x" * 30)
        self.assertError(r, 401, "UNAUTHENTICATED")

    def test_q1_same_external_ref_again_answers_200_with_the_first(self):
        ref = "OSIPTEL-" + uuid.uuid4().hex[:10]
        a = post_json(complaint(external_ref=ref), platform=True)
        self.assertEqual(a.status, 201, repr(a))
        b = post_json(complaint(external_ref=ref, description="otra vez"),
                      platform=True)
        self.assertEqual(b.status, 200, repr(b))
        self.assertEqual(b.json, a.json)

    def test_q1_same_external_ref_twice_at_once_gives_one_code(self):
        for _round in range(3):
            ref = "RACE-" + uuid.uuid4().hex[:10]
            out = []
            barrier = threading.Barrier(6)

            def send():
                barrier.wait()
                out.append(post_json(complaint(external_ref=ref),
                                     platform=True))
            threads = [threading.Thread(target=send) for _ in range(6)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            self.assertEqual(sorted(r.status for r in out),
                             [200] * 5 + [201], [repr(r) for r in out])
            self.assertEqual(len({r.json["code"] for r in out}), 1)

    def test_q1_a_web_complaint_cannot_use_external_ref(self):
        ref = "WEB-" + uuid.uuid4().hex[:10]
        a = post_json(complaint(external_ref=ref), platform=True)
        b = post_json(complaint(external_ref=ref))
        self.assertEqual(b.status, 201, repr(b))
        self.assertNotEqual(a.json["code"], b.json["code"])

    def test_q1_public_page_needs_no_login_and_says_payment_is_not_suspended(
            self):
        r = request("GET", "/reclamos")
        self.assertEqual(r.status, 200)
        self.assertIn("text/html", r.header("Content-Type"))
        page = r.body.decode()
        self.assertIn("no suspende la obligación de pagar", page)
        self.assertIn('lang="es"', page)
        self.assertIn("width=device-width", page)

    def test_q1_public_intake_is_throttled_per_address_not_the_platform(self):
        src = next_addr()
        got = [post_json(complaint(), source=src).status
               for _ in range(BURST)]
        self.assertEqual(got, [201] * BURST)
        r = post_json(complaint(), source=src)
        self.assertError(r, 429)
        self.assertGreaterEqual(int(r.header("Retry-After")), 1)
        self.assertEqual(post_json(complaint(), source=next_addr()).status,
                         201)
        for _ in range(BURST + 2):
            self.assertEqual(post_json(complaint(), platform=True).status,
                             201)


    def test_q1_check_config_checks_the_platform_token_file(self):
        short = t.write_secret(os.path.join(ENV["work"], "short-token"), "corto")
        good = t.write_secret(os.path.join(ENV["work"], "good-token"), TOKEN)
        for token_file, rc in ((short, 1), (good, 0),
                               (os.path.join(ENV["work"], "none"), 1)):
            conf = os.path.join(ENV["work"], "c.conf")
            with open(conf, "w") as f:
                f.write("db = x.db\ncomplaints_token_file = %s\n"
                        "complaints_per_minute = 6\ncomplaints_burst = 10\n"
                        % token_file)
            p = t.run_inop(["check-config", "--config", conf])
            self.assertEqual(p.returncode, rc, p.stderr)
            if rc:
                self.assertIn(b"complaints_token_file", p.stderr)


class Q2Codes(ComplaintTest):

    def test_q2_codes_are_gapless_in_the_lima_year_under_concurrency(self):
        out = []
        lock = threading.Lock()

        def send(k):
            r = post_json(complaint(description="concurrente %d" % k),
                          platform=True)
            with lock:
                out.append(r)
        threads = [threading.Thread(target=send, args=(k,))
                   for k in range(24)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertTrue(all(r.status == 201 for r in out),
                        [repr(r) for r in out if r.status != 201])
        year = str(lima_today().year)
        self.assertTrue(all(r.json["code"][4:8] == year for r in out))
        seqs = sorted(seq(r.json["code"]) for r in out)
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + 24)))

    def test_q2_a_refused_complaint_uses_no_code(self):
        a = self.receive()
        r = post_json(complaint(matter="NO_EXISTE"), platform=True)
        self.assertEqual(r.status, 422)
        b = self.receive()
        self.assertEqual(seq(b["code"]), seq(a["code"]) + 1)


class Q3DueDate(ComplaintTest):

    def test_q3_due_date_is_the_matters_business_days_on_the_d1_calendar(
            self):
        r = request("GET", "/api/v1/complaint-matters")
        matters = {m["code"]: m["business_days"] for m in r.json["items"]}
        for code, days in matters.items():
            c = self.receive(matter=code)
            received = t.lima_date(t.parse_time(c["received_at"]))
            self.assertEqual(c["due_date"],
                             t.add_business_days(received, days).isoformat(),
                             code)

    def test_q3_matters_are_public_with_the_company_defaults(self):
        r = request("GET", "/api/v1/complaint-matters")
        self.assertEqual(r.status, 200)
        got = {m["code"]: m for m in r.json["items"]}
        self.assertEqual(got["CALIDAD"]["business_days"], 3)
        self.assertEqual(got["OTROS"]["business_days"], 15)
        self.assertTrue(all(m["company_setting"] for m in got.values()))
        self.assertEqual(r.json["total"], len(got))

    def test_q3_admin_edits_a_matter_audited_and_used_at_once(self):
        path = "/api/v1/complaint-matters/BAJA_NO_PROCESADA"
        body = {"name": "Baja no procesada (editada)", "business_days": 7}
        self.assertError(ENV["reclamos1"].put(path, body), 403)
        self.assertError(request("PUT", path, json.dumps(body).encode(),
                                 {"Content-Type": "application/json"}), 401)
        self.assertError(ENV["admin"].put(path, {"name": "x",
                                                 "business_days": 0}),
                         422, "VALIDATION", "business_days")
        self.assertError(ENV["admin"].put("/api/v1/complaint-matters/NADA",
                                          body), 404)
        try:
            r = ENV["admin"].put(path, body)
            self.assertEqual(r.status, 200, repr(r))
            c = self.receive(matter="BAJA_NO_PROCESADA")
            received = t.lima_date(t.parse_time(c["received_at"]))
            self.assertEqual(c["due_date"],
                             t.add_business_days(received, 7).isoformat())
        finally:
            ENV["admin"].put(path, {"name": "Baja o cancelación no procesada",
                                    "business_days": 20})
        p = t.run_inop(["audit", "verify", "--db", ENV["db"]])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


def pdf_text(data):
    p = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                       capture_output=True, check=True)
    return p.stdout.decode("utf-8")


def attachments(mail):
    return [(part.get_filename(), part.get_content_type(),
             part.get_payload(decode=True))
            for part in mail.msg.iter_attachments()]


class Q4Mail(ComplaintTest):

    def test_q4_mail_has_code_due_date_the_pdf_form_and_the_documents(self):
        r = post_multipart(complaint(description="Cobro indebido en el "
                                     "recibo de noviembre.",
                                     matter="FACTURACION_HASTA_05_UIT"),
                           [("recibo.pdf", PDF, "application/pdf"),
                            ("foto.png", PNG, "image/png")])
        self.assertEqual(r.status, 201, repr(r))
        c = r.json
        m = self.one_mail(c["code"])
        self.assertEqual(m.rcpt, ["ana.perez@cliente.pe"])
        due = dt.date.fromisoformat(c["due_date"]).strftime("%d/%m/%Y")
        for text in (m.text, m.html):
            self.assertIn(c["code"], text)
            self.assertIn(due, text)
            self.assertIn("trasladado a la empresa operadora", text)
            self.assertIn("no suspende la obligación de pagar", text)
        self.assertNotIn("http", m.text)
        self.assertEqual(m.msg.get_content_type(), "multipart/mixed")
        files = attachments(m)
        self.assertEqual([(f[0], f[1]) for f in files],
                         [("reclamo-%s.pdf" % c["code"], "application/pdf"),
                          ("recibo.pdf", "application/pdf"),
                          ("foto.png", "image/png")])
        self.assertEqual(files[1][2], PDF)
        self.assertEqual(files[2][2], PNG)
        form = pdf_text(files[0][2])
        received = t.parse_time(c["received_at"]).astimezone(t.LIMA)
        for want in (c["code"], "Ana María Pérez Ñique", "45678912",
                     "ana.perez@cliente.pe", "Línea móvil 987654321",
                     "Facturación (monto reclamado hasta 0,5 UIT)",
                     "Cobro indebido en el recibo de noviembre.", due,
                     received.strftime("%d/%m/%Y %H:%M"), "recibo.pdf",
                     "foto.png", "no suspende"):
            self.assertIn(want, form)

    def test_q4_mail_over_10_mib_names_the_documents_instead(self):
        big = PDF + os.urandom(4 * 1024 * 1024)
        r = post_multipart(complaint(), [("a.pdf", big, "application/pdf"),
                                         ("b.pdf", big, "application/pdf"),
                                         ("c.pdf", big, "application/pdf")],
                           platform=True)
        self.assertEqual(r.status, 201, repr(r))
        m = self.one_mail(r.json["code"])
        self.assertEqual([f[0] for f in attachments(m)],
                         ["reclamo-%s.pdf" % r.json["code"]])
        for name in ("a.pdf", "b.pdf", "c.pdf"):
            self.assertIn(name, m.text)
        self.assertIn("no se adjuntan", m.text)
        self.assertNotIn("http", m.text)
        self.assertLess(len(m.raw), 10 * 1024 * 1024)


class Q5Tray(ComplaintTest):

    def test_q5_no_complaint_data_without_reclamos(self):
        c = self.receive()
        for path in ("/api/v1/complaints", "/api/v1/complaints/%d" % c["id"],
                     "/api/v1/complaints/%s/audit" % c["code"]):
            self.assertError(request("GET", path), 401)
            for who in ("jefe1", "control1", "admin"):
                self.assertError(ENV[who].get(path), 403)
        r = ENV["jefe1"].post("/api/v1/complaints/%d/transition" % c["id"],
                              {"to": "EN_PROCESO"})
        self.assertError(r, 403)

    def test_q5_get_by_id_and_by_code(self):
        c = self.receive()
        a = ENV["reclamos1"].get("/api/v1/complaints/%d" % c["id"])
        b = ENV["reclamos1"].get("/api/v1/complaints/%s" % c["code"])
        self.assertEqual(a.status, 200)
        self.assertEqual(a.json, b.json)
        self.assertEqual(a.json["email"], "ana.perez@cliente.pe")
        self.assertEqual(a.json["next"], ["EN_PROCESO"])
        self.assertError(ENV["reclamos1"].get(
            "/api/v1/complaints/REC-1999-0000001"), 404)

    def test_q5_tray_earliest_due_date_first_filters_and_overdue(self):
        matter = "OTROS"
        late = self.receive(matter=matter)
        soon = self.receive(matter="CALIDAD")
        db_exec("UPDATE complaints SET due_date = '2020-01-02' WHERE id = %d"
                % late["id"])
        r = ENV["reclamos1"].get("/api/v1/complaints?limit=200")
        self.assertEqual(r.status, 200)
        dues = [c["due_date"] for c in r.json["items"]]
        self.assertEqual(dues, sorted(dues))
        self.assertEqual(r.json["items"][0]["due_date"], "2020-01-02")
        first = r.json["items"][0]
        self.assertTrue(first["overdue"])
        r = ENV["reclamos1"].get("/api/v1/complaints?overdue=true")
        codes = [c["code"] for c in r.json["items"]]
        self.assertIn(late["code"], codes)
        self.assertNotIn(soon["code"], codes)
        self.assertTrue(all(c["overdue"] for c in r.json["items"]))
        r = ENV["reclamos1"].get("/api/v1/complaints?matter=CALIDAD&limit=200")
        self.assertTrue(r.json["items"])
        self.assertTrue(all(c["matter"] == "CALIDAD"
                            for c in r.json["items"]))
        r = ENV["reclamos1"].get("/api/v1/complaints?status=EN_PROCESO")
        self.assertTrue(all(c["status"] == "EN_PROCESO"
                            for c in r.json["items"]))
        self.assertError(ENV["reclamos1"].get(
            "/api/v1/complaints?status=ABIERTO"), 422, "VALIDATION", "status")
        r = ENV["reclamos1"].get("/api/v1/complaints?limit=1&offset=1")
        self.assertEqual(len(r.json["items"]), 1)
        self.assertGreater(r.json["total"], 1)

    def test_q5_transitions_in_order_409_otherwise_each_audited(self):
        c = self.receive()
        path = "/api/v1/complaints/%d/transition" % c["id"]
        rc = ENV["reclamos1"]
        self.assertError(rc.post(path, {"to": "RESUELTO"}), 409,
                         "INVALID_TRANSITION")
        self.assertError(rc.post(path, {"to": "CERRADO"}), 422,
                         "VALIDATION", "to")
        r = rc.post(path, {"to": "EN_PROCESO", "note": "Revisando"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["status"], "EN_PROCESO")
        self.assertLimaTime(r.json["in_process_at"])
        self.assertError(rc.post(path, {"to": "EN_PROCESO"}), 409)
        r = rc.post(path, {"to": "RESUELTO", "note": "Se restituyó la señal"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json["next"], [])
        self.assertFalse(r.json["overdue"])
        self.assertEqual([(x["from"], x["to"], x["by"])
                          for x in r.json["transitions"]],
                         [("RECIBIDO", "EN_PROCESO", "reclamos1"),
                          ("EN_PROCESO", "RESUELTO", "reclamos1")])
        self.assertError(rc.post(path, {"to": "RESUELTO"}), 409)
        audit = rc.get("/api/v1/complaints/%s/audit" % c["code"]).json
        self.assertEqual(sorted(a["action"] for a in audit["items"]),
                         ["complaint.receive", "complaint.transition",
                          "complaint.transition"])

    def test_q5_resolving_mails_the_customer(self):
        c = self.receive(email="cliente.resuelto@cliente.pe")
        path = "/api/v1/complaints/%d/transition" % c["id"]
        ENV["reclamos1"].post(path, {"to": "EN_PROCESO"})
        r = ENV["reclamos1"].post(path, {"to": "RESUELTO",
                                         "note": "Se anuló el cobro."})
        self.assertEqual(r.status, 200, repr(r))
        m = self.one_mail(c["code"], "Reclamo resuelto")
        self.assertEqual(m.rcpt, ["cliente.resuelto@cliente.pe"])
        self.assertIn("Se anuló el cobro.", m.text)
        self.assertIn(c["code"], m.html)


if __name__ == "__main__":
    unittest.main()


class E4Complaints(ComplaintTest):
    """E4 counts the complaints Inop received on the event's Lima day."""

    def test_e4_counts_complaints_received_on_the_events_day(self):
        admin = ENV["admin"]
        r = admin.post("/api/v1/points", t.point_body())
        self.assertEqual(r.status, 201, repr(r))
        point = r.json["code"]
        r = admin.post("/api/v1/users", {
            "username": t.unique("jefe").lower(), "password": PASSWORD,
            "name": "Jefe E4", "email": "jefe.e4@inop-test.pe",
            "roles": ["JEFE"], "points": [point]})
        self.assertEqual(r.status, 201, repr(r))
        jefe = tm.login_at(ENV["port"], r.json["username"], PASSWORD)
        first = self.receive()
        # The event starts when the first complaint arrived, so both
        # fall on the same Lima day whatever the clock.
        r = jefe.post("/api/v1/events", t.event_payload(
            point, started_at=first["received_at"]))
        self.assertEqual(r.status, 201, repr(r))
        ev = r.json

        def e4():
            r = ENV["control1"].get("/api/v1/events/%s/evaluation" %
                                    ev["id"])
            self.assertEqual(r.status, 200, repr(r))
            return r.json["e4"]

        before = e4()
        self.assertEqual(before["date"], first["received_at"][:10])
        self.assertGreaterEqual(before["complaints"]["count"], 1)
        second = self.receive()
        after = e4()
        same_day = second["received_at"][:10] == first["received_at"][:10]
        self.assertEqual(after["complaints"]["count"],
                         before["complaints"]["count"] + int(same_day))
