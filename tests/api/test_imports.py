"""Data brought in: SPEC I1-I3 (imports of interactions, social posts and
LDR entries, all-or-nothing, 409 for the same content, withdrawal) and the
criteria E3/E4 computed from them, checked against counts made here in
Python over the very CSV text that was uploaded."""

import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import signal
import socket
import subprocess

import inoptest as t
from inoptest import ApiTest, event_payload

LIMA = dt.timezone(dt.timedelta(hours=-5))
TYPES = ["RECLAMOS", "ALTAS", "BAJAS", "CONSULTAS"]


def upload(client, kind, data, headers=None):
    h = {"Content-Type": "text/csv"}
    h.update(headers or {})
    return client.request("POST", "/api/v1/imports/" + kind, raw=data,
                          headers=h, content_type=None, timeout=120)


def day(k):
    """The Lima date k days before today (events may be at most 30 days
    old).  Each test that evaluates an event owns its own days, so data
    of one test never fills a day another expects empty."""
    return (dt.datetime.now(LIMA).date() - dt.timedelta(days=k)).isoformat()


def lima(day, hh=0, mm=0, ss=0):
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hh, mm, ss, tzinfo=LIMA)


def interactions_csv(rows, sep=",", header=None, date_form="iso"):
    """rows: (datetime Lima, point, type) -> CSV text."""
    out = [sep.join(header or ["fecha_hora", "punto", "tipo_tramite",
                               "solicitud"])]
    for when, point, typ in rows:
        if date_form == "iso":
            w = when.strftime("%Y-%m-%d %H:%M:%S")
        else:
            w = when.strftime("%d/%m/%Y %H:%M")
        out.append(sep.join([w, point, typ, "X"]))
    return "\n".join(out) + "\n"


def random_rows(rnd, points, first_day, days, n):
    start = lima(first_day)
    rows = []
    for _ in range(n):
        rows.append((start + dt.timedelta(
            seconds=rnd.randrange(days * 86400)),
            rnd.choice(points), rnd.choice(TYPES)))
    return rows


def count_window(text, point, typ, start, end):
    """The independent count: rows of `text` (parsed by Python's csv)
    at point/typ whose minute starts in [minute of start, end)."""
    lo = start.replace(second=0)
    n = 0
    for row in csv.DictReader(io.StringIO(text)):
        w = dt.datetime.strptime(row["fecha_hora"], "%Y-%m-%d %H:%M:%S")
        w = w.replace(second=0, tzinfo=LIMA)
        if row["punto"] == point and row["tipo_tramite"] == typ and \
                lo <= w < end:
            n += 1
    return n


def mean_change(prev, count):
    have = [c for c in prev if c is not None]
    if not have:
        return None, None
    m = sum(have) / len(have)
    ch = None if count is None or m == 0 else round((count - m) / m * 100,
                                                     1)
    return round(m, 2), ch


class ImportTest(ApiTest):
    POOL = 6

    @classmethod
    def setUpClass(cls):
        cls.points = [t.create_point()["code"] for _ in range(cls.POOL)]
        cls.jefe = t.user_client(["JEFE"], cls.points)
        cls.control = t.user_client(["CONTROL"])
        cls.online = t.user_client(["ONLINE"])

    def imports(self, kind=""):
        r = self.control.get("/api/v1/imports" + ("?kind=" + kind
                                                  if kind else ""))
        self.assertStatus(r, 200)
        return r.json

    def event(self, point, start, end, procedure="CONSULTAS"):
        ev = self.register(self.jefe, event_payload(
            point, procedure=procedure, started_at=t.iso(start)))
        if end is not None:
            self.close_event(self.jefe, ev["id"], ended_at=t.iso(end))
        return ev

    def evaluation(self, ev):
        r = self.control.get("/api/v1/events/%s/evaluation" % ev["id"])
        self.assertStatus(r, 200)
        return r.json

    # ---------------- I1, I3: imports ----------------

    def test_i1_import_interactions_201_with_rows_span_sha256(self):
        rnd = random.Random(11)
        text = interactions_csv(random_rows(rnd, self.points[:2],
                                            "2025-01-03", 3, 500))
        r = upload(self.control, "interactions", text.encode())
        self.assertStatus(r, 201)
        j = r.json
        self.assertEqual(j["kind"], "interactions")
        self.assertEqual(j["rows"], 500)
        self.assertEqual(j["from"], "2025-01-03")
        self.assertEqual(j["to"], "2025-01-05")
        import hashlib
        self.assertEqual(j["sha256"], hashlib.sha256(text.encode())
                         .hexdigest())
        self.assertEqual(j["imported_by"], self.control.username)
        self.assertLimaTime(j["imported_at"])
        listed = self.imports("interactions")["items"]
        self.assertEqual(listed[0]["id"], j["id"])
        for k in ("id", "kind", "rows", "from", "to", "sha256",
                  "imported_at", "imported_by"):
            self.assertEqual(listed[0][k], j[k])

    def test_i3_same_content_again_is_409_with_the_earlier_import(self):
        rnd = random.Random(12)
        text = interactions_csv(random_rows(rnd, self.points[:2],
                                            "2025-01-10", 2, 50)).encode()
        first = upload(self.control, "interactions", text)
        self.assertStatus(first, 201)
        before = self.imports()["total"]
        again = upload(self.control, "interactions", text)
        err = self.assertError(again, 409, "ALREADY_IMPORTED")
        self.assertEqual(err["import_id"], first.json["id"])
        gz = upload(self.control, "interactions", gzip.compress(text),
                    {"Content-Encoding": "gzip"})
        self.assertEqual(self.assertError(gz, 409, "ALREADY_IMPORTED")
                         ["import_id"], first.json["id"])
        self.assertEqual(self.imports()["total"], before)

    def test_i1_gzip_body_is_read(self):
        rnd = random.Random(13)
        text = interactions_csv(random_rows(rnd, self.points[:1],
                                            "2025-01-20", 1, 300))
        r = upload(self.control, "interactions", gzip.compress(text.encode()),
                   {"Content-Encoding": "gzip"})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["rows"], 300)

    def test_i1_csv_forms_semicolon_bom_cp1252_ddmmyyyy_quotes_any_order(self):
        p = self.points[0]
        text = ("Comentario;TIPO_TRAMITE; Punto ;Fecha_Hora\n"
                "\"Atención; rápida\";ALTAS;%s;21/01/2025 10:15\n"
                "\"dijo \"\"hola\"\"\nen dos líneas\";altas;%s;"
                "21/01/2025 10:16:59\n"
                "ñandú;BAJAS;%s;2025-01-21 23:59\r\n" % (p, p, p))
        r = upload(self.control, "interactions", text.encode("cp1252"))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["rows"], 3)
        self.assertEqual((r.json["from"], r.json["to"]),
                         ("2025-01-21", "2025-01-21"))
        # UTF-8 with a BOM, `,`, CRLF
        text = ("\ufeffpunto,fecha_hora,tipo_tramite\r\n"
                "%s,2025-01-22 08:00,CONSULTAS\r\n"
                "%s,2025-01-22 08:01,CONSULTAS\r\n" % (p, p))
        r = upload(self.control, "interactions", text.encode())
        self.assertStatus(r, 201)
        self.assertEqual((r.json["rows"], r.json["from"]), (2, "2025-01-22"))

    def assert_rejected(self, data, line, reason_part, kind="interactions",
                        headers=None, bad_rows=None):
        before = self.imports()["total"]
        r = upload(self.control, kind, data, headers)
        err = self.assertError(r, 422, "IMPORT_INVALID")
        self.assertTrue(err["lines"], repr(r))
        self.assertEqual(err["lines"][0]["line"], line, repr(r))
        self.assertIn(reason_part.lower(),
                      err["lines"][0]["reason"].lower(), repr(r))
        if bad_rows is not None:
            self.assertEqual(err["bad_rows"], bad_rows)
        self.assertEqual(self.imports()["total"], before,
                         "a rejected file wrote an import")
        return err

    def good_lines(self, n=3, when="2025-02-01"):
        return ["%s %02d:%02d,%s,ALTAS,X" % (when, 8 + i // 60 % 12, i % 60,
                                            self.points[0])
                for i in range(n)]

    def test_i3_wrong_header_is_422_line_1(self):
        text = "\n".join(["fecha,punto,tipo_tramite"] + self.good_lines())
        self.assert_rejected(text.encode(), 1, "fecha_hora")

    def test_i3_unknown_point_is_422_with_its_line(self):
        lines = self.good_lines()
        lines.insert(2, "2025-02-01 11:00,NO-EXISTE,ALTAS,X")
        text = "\n".join(["fecha_hora,punto,tipo_tramite,solicitud"] + lines)
        self.assert_rejected(text.encode(), 4, "punto desconocido",
                             bad_rows=1)

    def test_i3_bad_date_is_422_with_its_line(self):
        lines = self.good_lines()
        lines[1] = "2025-02-30 10:00,%s,ALTAS,X" % self.points[0]
        text = "\n".join(["fecha_hora,punto,tipo_tramite,solicitud"] + lines)
        self.assert_rejected(text.encode(), 3, "fecha_hora")

    def test_i3_bad_type_is_422_with_its_line(self):
        lines = self.good_lines()
        lines[0] = "2025-02-01 10:00,%s,PAGO,X" % self.points[0]
        text = "\n".join(["fecha_hora,punto,tipo_tramite,solicitud"] + lines)
        self.assert_rejected(text.encode(), 2, "tipo_tramite")

    def test_i3_truncated_gzip_is_422(self):
        text = "\n".join(["fecha_hora,punto,tipo_tramite,solicitud"] +
                         self.good_lines(2000)).encode()
        gz = gzip.compress(text)
        before = self.imports()["total"]
        r = upload(self.control, "interactions", gz[: len(gz) // 2],
                   {"Content-Encoding": "gzip"})
        err = self.assertError(r, 422, "IMPORT_INVALID")
        self.assertIn("gzip", err["lines"][-1]["reason"])
        self.assertEqual(self.imports()["total"], before)

    def test_i3_invalid_utf8_not_cp1252_is_422(self):
        lines = [s.encode() for s in self.good_lines()]
        # 0x81 is undefined in Windows-1252 and invalid in UTF-8
        lines[1] = lines[1] + b",\x81\x81"
        text = b"\n".join([b"fecha_hora,punto,tipo_tramite,solicitud"] +
                          lines)
        self.assert_rejected(text, 3, "codificación")

    def test_i3_empty_file_is_422(self):
        self.assert_rejected(b"", 1, "vacío")
        self.assert_rejected(b"fecha_hora,punto,tipo_tramite\n", 2,
                             "no tiene filas")

    def test_i3_only_first_100_lines_listed_and_bad_rows_counted(self):
        lines = ["2025-02-01 10:00,NOPE,ALTAS,X"] * 150 + self.good_lines()
        text = "\n".join(["fecha_hora,punto,tipo_tramite,solicitud"] + lines)
        err = self.assert_rejected(text.encode(), 2, "punto", bad_rows=150)
        self.assertEqual(len(err["lines"]), 100)
        self.assertEqual([x["line"] for x in err["lines"]],
                         list(range(2, 102)))

    def test_i1_roles_interactions_and_ldr_control_social_online(self):
        text = ("fecha_hora,punto\n2025-02-02 10:00,%s\n"
                % self.points[0]).encode()
        self.assertError(upload(self.online, "ldr", text), 403)
        self.assertError(upload(self.jefe, "interactions", text), 403)
        # no session: 401, and the body is not even kept on disk
        self.assertError(upload(t.Client(), "interactions", text), 401)
        self.assertError(upload(self.control, "nada", text), 404)
        social = b"fecha_hora,red,tipo\n2025-02-02 10:00,FACEBOOK,PUBLICO\n"
        self.assertStatus(upload(self.online, "social", social), 201)
        self.assertStatus(upload(self.control, "ldr", text), 201)

    # ---------------- E3, E4 ----------------

    def test_e3_counts_match_an_independent_count_of_the_csv(self):
        rnd = random.Random(21)
        p, other = self.points[1], self.points[2]
        # 8 days: 7 previous + the event's day
        text = interactions_csv(random_rows(rnd, [p, other], day(21),
                                            8, 6000))
        self.assertStatus(upload(self.control, "interactions",
                                 text.encode()), 201)
        start, end = lima(day(14), 10, 7, 30), lima(day(14), 13, 42, 10)
        ev = self.event(p, start, end)
        e3 = self.evaluation(ev)["e3"]
        want = count_window(text, p, "CONSULTAS", start, end)
        prev = [count_window(text, p, "CONSULTAS",
                             start - dt.timedelta(days=k),
                             end - dt.timedelta(days=k))
                for k in range(7, 0, -1)]
        self.assertEqual(e3["count"], want)
        self.assertEqual([x["count"] for x in e3["previous"]], prev)
        self.assertEqual([x["date"] for x in e3["previous"]],
                         [day(k) for k in range(21, 14, -1)])
        m, ch = mean_change(prev, want)
        self.assertAlmostEqual(e3["mean"], m, places=2)
        self.assertAlmostEqual(e3["change_pct"], ch, places=1)
        self.assertEqual(e3["from"], day(14) + "T10:07:00-05:00")
        # the impact chart of the same event
        r = self.control.get("/api/v1/events/%s/impact.svg" % ev["id"])
        self.assertStatus(r, 200)
        self.assertTrue(r.header("Content-Type").startswith(
            "image/svg+xml"))
        self.assertIn(b"<svg", r.body)
        self.assertIn(b'width="720"', r.body)
        if os.environ.get("INOP_TEST_KEEP_CHART"):
            with open(os.environ["INOP_TEST_KEEP_CHART"], "wb") as f:
                f.write(r.body)
        other = t.user_client(["JEFE"], [t.create_point()["code"]])
        self.assertError(other.get("/api/v1/events/%s/impact.svg"
                                   % ev["id"]), 403)

    def test_e3_day_without_data_is_null_not_zero(self):
        p = self.points[3]
        rows = []
        for k in (29, 28, 25, 22):
            rows.append((lima(day(k), 9, 30), p, "ALTAS"))
        # day 27: data of another point only: counts 0 there, not null
        rows.append((lima(day(27), 9, 30), self.points[4], "ALTAS"))
        text = interactions_csv(rows)
        self.assertStatus(upload(self.control, "interactions",
                                 text.encode()), 201)
        ev = self.event(p, lima(day(22), 9, 0),
                        lima(day(22), 10, 0), procedure="ALTAS")
        j = self.evaluation(ev)
        self.assertEqual([x["count"] for x in j["e3"]["previous"]],
                         [1, 1, 0, None, 1, None, None])
        self.assertEqual(j["e3"]["count"], 1)
        self.assertEqual(j["e3"]["mean"], 0.75)
        self.assertEqual(j["e3"]["change_pct"], 33.3)
        # no social posts, no LDR those days: null, never 0
        self.assertIsNone(j["e3"]["social"]["count"])
        self.assertEqual(set(x["count"] for x in j["e3"]["social"]
                             ["previous"]), {None})
        self.assertIsNone(j["e3"]["social"]["mean"])
        self.assertIsNone(j["e4"]["ldr"]["count"])

    def test_e4_reclamos_of_all_points_and_ldr_per_day(self):
        rnd = random.Random(41)
        rows = random_rows(rnd, self.points, day(13), 8, 3000)
        text = interactions_csv(rows)
        self.assertStatus(upload(self.control, "interactions",
                                 text.encode()), 201)
        ldr_rows = random_rows(rnd, self.points, day(12), 7, 200)
        ldr = "fecha_hora;punto\n" + "".join(
            "%s;%s\n" % (w.strftime("%d/%m/%Y %H:%M:%S"), p)
            for w, p, _ in ldr_rows)
        self.assertStatus(upload(self.control, "ldr", ldr.encode()), 201)
        ev = self.event(self.points[0], lima(day(6), 15),
                        lima(day(6), 16))
        e4 = self.evaluation(ev)["e4"]
        days = [day(k) for k in range(13, 5, -1)]
        want = [sum(1 for w, _, typ in rows if typ == "RECLAMOS" and
                    w.date().isoformat() == d) for d in days]
        self.assertEqual(e4["date"], day(6))
        self.assertEqual(e4["complaints"]["count"], want[7])
        self.assertEqual([x["count"] for x in e4["complaints"]["previous"]],
                         want[:7])
        lw = [sum(1 for w, _, _ in ldr_rows if w.date().isoformat() == d)
              for d in days]
        self.assertEqual([x["count"] for x in e4["ldr"]["previous"]],
                         [None] + lw[1:7])
        self.assertEqual(e4["ldr"]["count"], lw[7])
        m, ch = mean_change(lw[1:7], lw[7])
        self.assertAlmostEqual(e4["ldr"]["mean"], m, places=2)

    def test_e3_social_posts_public_inbox_file_and_typed_in(self):
        d, d1 = day(2), day(3)
        text = ("fecha_hora,red,tipo\n"
                "%s 10:05,FACEBOOK,PUBLICO\n"
                "%s 10:06,x,INBOX\n"
                "%s 12:00,X,INBOX\n"     # outside the window
                "%s 10:30,INSTAGRAM,publico\n" % (d, d, d, d1)).encode()
        self.assertStatus(upload(self.online, "social", text), 201)
        r = self.online.post("/api/v1/social-posts", {
            "posted_at": day(2) + "T10:10:00-05:00", "network": "FACEBOOK",
            "kind": "INBOX", "count": 3})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["source"], "DIGITADO")
        self.assertError(self.jefe.post("/api/v1/social-posts", {
            "posted_at": day(2) + "T10:10:00-05:00", "network": "X",
            "kind": "INBOX"}), 403)
        self.assertError(self.online.post("/api/v1/social-posts", {
            "posted_at": day(2) + "T10:10:00-05:00", "network": "X",
            "kind": "OTRO"}), 422, field="kind")
        ev = self.event(self.points[1], lima(day(2), 10),
                        lima(day(2), 11))
        s = self.evaluation(ev)["e3"]["social"]
        self.assertEqual((s["public"], s["inbox"], s["count"]), (1, 4, 5))
        self.assertEqual([x["count"] for x in s["previous"]],
                         [None] * 6 + [1])

    def test_i3_withdrawn_import_stops_counting_and_is_audited(self):
        p = self.points[4]
        text = interactions_csv([(lima(day(4), 9, 5), p, "ALTAS"),
                                 (lima(day(5), 9, 5), p, "ALTAS")])
        imp = upload(self.control, "interactions", text.encode())
        self.assertStatus(imp, 201)
        ev = self.event(p, lima(day(4), 9), lima(day(4), 10),
                        procedure="ALTAS")
        self.assertEqual(self.evaluation(ev)["e3"]["count"], 1)
        self.assertError(self.online.request(
            "DELETE", "/api/v1/imports/%d" % imp.json["id"]), 403)
        r = self.control.request("DELETE",
                                 "/api/v1/imports/%d" % imp.json["id"])
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.json["withdrawn_at"])
        self.assertIsNone(self.evaluation(ev)["e3"]["count"])
        self.assertError(self.control.request(
            "DELETE", "/api/v1/imports/%d" % imp.json["id"]), 409)
        listed = [i for i in self.imports()["items"]
                  if i["id"] == imp.json["id"]]
        self.assertEqual(listed[0]["withdrawn_by"], self.control.username)
        a = self.control.get("/api/v1/imports/%d/audit" % imp.json["id"])
        self.assertStatus(a, 200)
        self.assertEqual([x["action"] for x in a.json["items"]][-2:]
                         if a.json["items"][0]["action"] == "import"
                         else sorted(x["action"] for x in a.json["items"]),
                         ["import", "withdraw"])
        # once withdrawn, the same content may be imported again
        self.assertStatus(upload(self.control, "interactions",
                                 text.encode()), 201)

    # ---------------- the command line ----------------

    def test_i1_cli_import_same_as_api_and_rejects_bad_file(self):
        p = self.points[5]
        good = os.path.join(t.CTX.tmp, "cli-good.csv.gz")
        with gzip.open(good, "wt") as f:
            f.write(interactions_csv([(lima("2025-08-08", 9, 5), p,
                                       "BAJAS")]))
        db = t.CTX.db
        r = t.run_inop(["import", "interactions", "--db", db, good])
        self.assertEqual(r.returncode, 0, r.stderr)
        import json
        j = json.loads(r.stdout)
        self.assertEqual((j["rows"], j["from"]), (1, "2025-08-08"))
        bad = os.path.join(t.CTX.tmp, "cli-bad.csv")
        with open(bad, "w") as f:
            f.write("fecha_hora,punto,tipo_tramite\n2025-08-08 9:00,%s,X\n"
                    % p)
        before = self.imports()["total"]
        r = t.run_inop(["import", "interactions", "--db", db, bad])
        self.assertEqual(r.returncode, 1)
        self.assertIn("línea 2", r.stderr.decode())
        self.assertEqual(self.imports()["total"], before)


class ImportCopyTest(ApiTest):
    """`inop copy` keeps the minute chunks byte for byte (a BLOB/bytea
    column, not text)."""

    def test_i1_copy_of_the_register_keeps_the_minute_chunks(self):
        if t.CTX.db.startswith("postgres"):
            self.skipTest("compares two SQLite files")
        control = t.user_client(["CONTROL"])
        p = t.create_point()["code"]
        text = interactions_csv([(lima("2025-03-03", 9, m % 60), p,
                                  "ALTAS") for m in range(300)])
        self.assertStatus(upload(control, "interactions", text.encode()),
                          201)
        dst = os.path.join(t.CTX.tmp, "copy-imports.db")
        r = t.run_inop(["copy", "--from", t.CTX.db, "--to", dst],
                       timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        q = ("SELECT hex(minutes) FROM series_days ORDER BY kind, "
             "point_id, code, day, network, import_id")

        def dump(db):
            return subprocess.run(["sqlite3", db, q], capture_output=True,
                                  timeout=120).stdout
        self.assertEqual(dump(dst), dump(t.CTX.db))
        self.assertTrue(dump(dst))


class ImportLimitTest(ApiTest):
    """import_max_bytes: a larger body is 413 (the cap is on what is
    received); the key is checked by check-config."""

    def test_i1_body_over_import_max_bytes_is_413(self):
        control = t.user_client(["CONTROL"])
        srv = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="cap-serve",
                       extra=["--import_max_bytes", "2K"])
        try:
            srv.wait_healthy()
            control.port = srv.port
            big = b"fecha_hora,punto,tipo_tramite\n" + \
                b"2025-01-01 10:00,NOPE,ALTAS\n" * 200
            r = upload(control, "interactions", big)
            self.assertError(r, 413, "BODY_TOO_LARGE")
            self.assertIn("import_max_bytes", r.error["message"])
            small = b"fecha_hora,punto,tipo_tramite\n" + \
                b"2025-01-01 10:00,NOPE,ALTAS\n" * 10
            self.assertError(upload(control, "interactions", small), 422,
                             "IMPORT_INVALID")
        finally:
            control.port = None
            srv.stop()

    def test_i1_check_config_validates_import_max_bytes(self):
        path = os.path.join(t.CTX.tmp, "bad-import.conf")
        with open(path, "w") as f:
            f.write("db = x.db\nimport_max_bytes = 12X\n")
        r = t.run_inop(["check-config", "--config", path])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("%s:2" % path, (r.stdout + r.stderr).decode())
        with open(path, "w") as f:
            f.write("db = x.db\nimport_max_bytes = 512M\n")
        r = t.run_inop(["check-config", "--config", path])
        self.assertEqual(r.returncode, 0, r.stderr)
        # the bounds are 1K and 1024G, whatever the unit; a number whose
        # product with its unit does not fit 64 bits is refused, not
        # wrapped (the fuzzer found one that UBSan flagged)
        for value, ok in (("1024G", True), ("1K", True), ("1025G", False),
                          ("1048577M", False), ("1023", False),
                          ("000001000076739116G", False),
                          ("9223372036854775807K", False),
                          ("17179869185G", False)):  # 2^34+1: wraps to 1G
            with open(path, "w") as f:
                f.write("db = x.db\nimport_max_bytes = %s\n" % value)
            r = t.run_inop(["check-config", "--config", path])
            self.assertEqual(r.returncode == 0, ok, value)


class ImportReportTest(ApiTest):
    """O4 with E3/E4: the report's columns carry the imported counts and
    keep them once frozen, even if the import is withdrawn later."""

    @classmethod
    def setUpClass(cls):
        cls.control = t.user_client(["CONTROL"])

    evaluation = ImportTest.evaluation

    def test_o4_report_columns_e3_e4_filled_and_frozen(self):
        cc = t.create_point("CALL_CENTER")["code"]
        jefe = t.user_client(["JEFE"], [cc])
        rows = [(lima(day(1), 10, m), cc, "CONSULTAS") for m in range(5)]
        rows += [(lima(day(1), 11, 0), cc, "RECLAMOS")]
        text = interactions_csv(rows)
        imp = upload(self.control, "interactions", text.encode())
        self.assertStatus(imp, 201)
        ev = self.register(jefe, event_payload(
            cc, started_at=t.iso(lima(day(1), 10))))
        self.close_event(jefe, ev["id"], ended_at=t.iso(lima(day(1), 10,
                                                             30)))
        r = self.control.post("/api/v1/reports", {"from": day(1),
                                                  "to": day(1)})
        self.assertStatus(r, 201)
        rep = r.json
        self.assertIn(ev["number"], rep["events"])

        def row():
            r = self.control.get("/api/v1/reports/%s/export?format=csv"
                                 % rep["id"])
            self.assertStatus(r, 200)
            for x in csv.DictReader(io.StringIO(r.body.decode("utf-8-sig"))):
                if ev["number"] in x.values():
                    return x
            self.fail("event not in the CSV export")
        x = row()
        self.assertTrue(x["E3 Impacto en el canal"].startswith("5; "),
                        x["E3 Impacto en el canal"])
        self.assertTrue(x["E4 Reclamos y LDR"].startswith("Reclamos: "),
                        x["E4 Reclamos y LDR"])
        r = self.control.post("/api/v1/reports/%s/transition" % rep["id"],
                              {"to": "EN_REVISION"})
        self.assertStatus(r, 200)
        frozen = row()

        def pdf():
            r = self.control.get("/api/v1/reports/%s/export?format=pdf"
                                 % rep["id"])
            self.assertStatus(r, 200)
            return subprocess.run(["pdftotext", "-", "-"], input=r.body,
                                  capture_output=True,
                                  timeout=60).stdout.decode()
        text = pdf()
        self.assertIn("Anexo: impacto en el canal por evento", text)
        self.assertIn("cada 15 minutos", text)
        self.assertIn(ev["number"], text.split("Anexo")[1])
        self.assertStatus(self.control.request(
            "DELETE", "/api/v1/imports/%d" % imp.json["id"]), 200)
        # frozen: the columns and the annex's charts stay as they were
        self.assertEqual(row(), frozen)
        self.assertEqual(pdf(), text)
        self.assertIsNone(self.evaluation(ev)["e3"]["count"])


class ImportCrashTest(ApiTest):
    """I3: a server killed (SIGKILL) in the middle of an import leaves
    nothing of it.  Its own database and server."""

    def test_i3_server_killed_during_import_leaves_nothing(self):
        if t.CTX.db.startswith("postgres"):
            self.skipTest("SQLite file of its own")
        d = os.path.join(t.CTX.tmp, "crash")
        os.makedirs(d, exist_ok=True)
        db = os.path.join(d, "crash.db")
        pw = t.write_secret(os.path.join(d, "pw"), "Admin-crash-123456")
        self.assertEqual(t.run_inop(["init", "--db", db,
                                     "--admin-password-file", pw])
                         .returncode, 0)
        srv = t.Server(t.CTX.inop, db, d, name="crash-serve")
        srv.wait_healthy()
        n = 200000
        try:
            r = t.http_request("POST", "/api/v1/session", json.dumps(
                {"username": "admin", "password": "Admin-crash-123456"})
                .encode(), {"Content-Type": "application/json"},
                port=srv.port)
            token = r.json["token"]
            r = t.http_request("POST", "/api/v1/points", json.dumps(
                {"code": "PK1", "name": "Punto", "type": "CAC",
                 "region": "Lima"}).encode(),
                {"Content-Type": "application/json",
                 "Authorization": "Bearer " + token}, port=srv.port)
            self.assertEqual(r.status, 201, repr(r))
            r = t.http_request("POST", "/api/v1/users", json.dumps(
                {"username": "ctl", "password": "clave-segura-ctl-1",
                 "name": "C", "email": "c@example.com",
                 "roles": ["CONTROL"], "points": []}).encode(),
                {"Content-Type": "application/json",
                 "Authorization": "Bearer " + token}, port=srv.port)
            self.assertEqual(r.status, 201, repr(r))
            r = t.http_request("POST", "/api/v1/session", json.dumps(
                {"username": "ctl", "password": "clave-segura-ctl-1"})
                .encode(), {"Content-Type": "application/json"},
                port=srv.port)
            token = r.json["token"]
            body = b"fecha_hora,punto,tipo_tramite\n" + b"".join(
                b"2025-09-%02d %02d:%02d,PK1,ALTAS\n"
                % (1 + i % 28, i % 24, i % 60) for i in range(n))
            s = socket.create_connection(("127.0.0.1", srv.port))
            s.sendall(("POST /api/v1/imports/interactions HTTP/1.1\r\n"
                       "Host: x\r\nAuthorization: Bearer %s\r\n"
                       "Content-Type: text/csv\r\n"
                       "Content-Length: %d\r\n\r\n"
                       % (token, len(body))).encode())
            s.sendall(body)
            # killed as soon as the whole file is sent: the import may be
            # anywhere (reading, counting, writing, committed)
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait(timeout=30)
            s.close()
        finally:
            if srv.proc.poll() is None:
                srv.stop()
        out = subprocess.run(["sqlite3", db,
                              "SELECT COUNT(*), COALESCE(SUM(row_count), 0) "
                              "FROM imports; SELECT COALESCE(SUM(total), 0) "
                              "FROM series_days;"],
                             capture_output=True, timeout=60)
        got = out.stdout.decode().split()
        self.assertIn(got, (["0|0", "0"], ["1|%d" % n, str(n)]),
                      "a partial import survived: %r" % got)
