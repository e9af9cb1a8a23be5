"""Hardening (issue 14): CSV injection, who may read /metrics.

Each test reproduces the attack and fails without its fix.
"""

import csv
import datetime as dt
import hashlib
import http.client
import io
import os
import re
import socket
import sqlite3
import subprocess

import inoptest as t
from inoptest import ApiTest, event_payload, iso

FORMULAS = ["=HYPERLINK(\"http://x.example/\",\"ver\")", "+51 1 5551234",
            "-2+3", "@SUM(1,2)"]


def lima_at(d, hour, minute=0):
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=t.LIMA)


class CsvInjection(ApiTest):

    def test_csv_cells_that_would_start_a_formula_are_neutralised(self):
        # Points whose names a spreadsheet would run as formulas; one
        # event each on a Lima day no other module uses (29 days back).
        d = t.lima_date(t.now()) - dt.timedelta(days=29)
        points = [t.create_point(name=n)["code"] for n in FORMULAS]
        jefe = t.user_client(["JEFE"], points)
        control = t.role_client("CONTROL")
        procesos = t.role_client("PROCESOS")
        numbers = {}
        for i, p in enumerate(points):
            start = lima_at(d, 9 + i)
            ev = self.register(jefe, event_payload(p, started_at=iso(start)))
            self.close_event(jefe, ev["id"], ended_at=iso(
                start + dt.timedelta(minutes=20)))
            # O1 (issue 11): an in-person event is reported with PROCEDE
            self.assertStatus(control.post(
                "/api/v1/events/%s/processes-request" % ev["id"], {}), 201)
            self.assertStatus(procesos.post(
                "/api/v1/events/%s/processes-ruling" % ev["id"],
                {"ruling": "PROCEDE", "reason": "Procede"}), 200)
            numbers[ev["number"]] = FORMULAS[i]
        r = control.post("/api/v1/reports", {"from": d.isoformat(),
                                             "to": d.isoformat()})
        self.assertStatus(r, 201)
        r = control.get("/api/v1/reports/%s/export?format=csv" % r.json["id"])
        self.assertStatus(r, 200)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"),
                                           newline=""), strict=True))
        header = rows[0]
        name_col = header.index("Punto de atención")
        seen = {}
        for row in rows[1:]:
            if row[0] in numbers:
                seen[row[0]] = row[name_col]
            for cell in row:
                self.assertNotIn(cell[:1], ("=", "+", "-", "@", "\t", "\r"),
                                 "cell %r of %s starts a formula"
                                 % (cell, row[0]))
        self.assertEqual(seen, {n: "'" + f for n, f in numbers.items()})


def other_local_address():
    """A local address that is not loopback, or None."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("203.0.113.1", 1))   # no packet is sent
        ip = s.getsockname()[0]
    except OSError:
        return None
    finally:
        s.close()
    return None if ip.startswith("127.") else ip


class MetricsAccess(ApiTest):
    TOKEN = "metrics-token-0123456789abcdef"

    def test_metrics_from_loopback_without_a_proxy_is_served(self):
        r = t.http_request("GET", "/metrics")
        self.assertStatus(r, 200)
        self.assertIn(b"inop_http_requests_total", r.body)

    def test_metrics_through_a_proxy_on_the_host_is_403(self):
        # nginx on the same host connects from 127.0.0.1: without this
        # check the whole internet reads the metrics through it.
        for h in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
            r = t.http_request("GET", "/metrics", headers={h: "203.0.113.7"})
            self.assertError(r, 403, "FORBIDDEN")
            self.assertNotIn(b"inop_http", r.body)

    def test_metrics_token_lets_a_remote_scraper_in(self):
        s = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="metrics-token",
                     extra=["--metrics_token", self.TOKEN])
        self.addCleanup(s.stop)
        s.wait_healthy()
        fwd = {"X-Forwarded-For": "203.0.113.7"}
        r = t.http_request("GET", "/metrics", port=s.port, headers=dict(
            fwd, Authorization="Bearer " + self.TOKEN))
        self.assertStatus(r, 200)
        self.assertIn(b"inop_http_requests_total", r.body)
        for bad in ("Bearer " + self.TOKEN[:-1], "Bearer " + self.TOKEN + "x",
                    "Basic " + self.TOKEN, ""):
            r = t.http_request("GET", "/metrics", port=s.port,
                               headers=dict(fwd, Authorization=bad))
            self.assertError(r, 403, "FORBIDDEN")

    def test_metrics_from_another_address_needs_the_token(self):
        ip = other_local_address()
        if not ip:
            self.skipTest("no non-loopback local address")
        hold, port = t.reserve_port(ip)
        self.addCleanup(hold.close)
        s = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="metrics-remote",
                     extra=["--listen", "%s:%d" % (ip, port),
                            "--metrics_token", self.TOKEN])
        self.addCleanup(s.stop)
        s.port = port
        deadline = t.time.monotonic() + 30
        while True:
            try:
                r = t.http_request("GET", "/healthz", host=ip, port=port,
                                   timeout=2)
                break
            except OSError:
                if t.time.monotonic() > deadline or s.proc.poll() is not None:
                    raise
                t.time.sleep(0.1)
        r = t.http_request("GET", "/metrics", host=ip, port=port)
        self.assertError(r, 403, "FORBIDDEN")
        r = t.http_request("GET", "/metrics", host=ip, port=port, headers={
            "Authorization": "Bearer " + self.TOKEN})
        self.assertStatus(r, 200)


# --------------------------------------------------------------------------
# A1 beyond the database: signed checkpoints of the audit chain

def cli(*args, timeout=120):
    p = t.run_inop([str(a) for a in args], timeout=timeout)
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


def chain_hash(prev, row):
    """audit_hash() of src/store/audit.c: BLAKE2b-256 over length-prefixed
    fields — what an attacker with the source recomputes."""
    h = hashlib.blake2b(digest_size=32)

    def field(v):
        if v is None:
            h.update(b"-0:")
            return
        b = str(v).encode("utf-8")
        h.update(b"%d:" % len(b) + b)
    field(prev)
    for v in (row["id"], row["at"], row["actor"], row["action"],
              row["entity"], row["entity_id"] or 0, row["before_json"],
              row["after_json"]):
        field(v)
    return h.hexdigest()


def rewrite(db, edit_sql=None, cut_after=None):
    """What anyone able to write the file can do: drop the guards, edit or
    cut records, recompute every hash and move the head."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE "
                               "type = 'trigger' AND tbl_name = 'audit'"):
        con.execute('DROP TRIGGER "%s"' % name)
    if edit_sql:
        con.execute(edit_sql)
    if cut_after is not None:
        con.execute("DELETE FROM audit WHERE id > ?", (cut_after,))
    prev = "0" * 64
    for row in con.execute("SELECT * FROM audit ORDER BY id").fetchall():
        h = chain_hash(prev, row)
        con.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?",
                    (prev, h, row["id"]))
        prev, last = h, row["id"]
    con.execute("UPDATE audit_head SET last_id = ?, hash = ?", (last, prev))
    con.commit()
    con.close()


class AuditCheckpoints(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(t.CTX.tmp, "checkpoints")
        os.makedirs(cls.dir, exist_ok=True)
        cls.db = os.path.join(cls.dir, "register.db")
        pw = t.write_secret(os.path.join(cls.dir, "pw"), "Clave-ckpt-12345")
        out = [cli("init", "--db", cls.db, "--admin-password-file", pw)]
        for i in range(12):
            out.append(cli("point", "add", "--db", cls.db, "--code",
                           "CKP%02d" % i, "--name", "Punto %d" % i,
                           "--type", "CAC", "--region", "Lima"))
        cls.key = os.path.join(cls.dir, "audit-signing.key")
        rc, text = cli("audit", "keygen", "--key-file", cls.key)
        out.append((rc, text))
        m = re.search(r"audit_public_key = ([0-9a-f]{64})", text)
        cls.pub = m.group(1) if m else None
        cls.setup_out = out

    def setUp(self):
        for rc, out in self.setup_out:
            self.assertEqual(rc, 0, out)
        self.assertTrue(self.pub)

    def copy(self, name):
        dst = os.path.join(self.dir, name)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(dst + suffix):
                os.remove(dst + suffix)
        src = sqlite3.connect(self.db)
        dest = sqlite3.connect(dst)
        src.backup(dest)
        src.close()
        dest.close()
        return dst

    def keys(self):
        return ["--audit_signing_key_file", self.key,
                "--audit_public_key", self.pub]

    def checkpoint(self, db, name):
        path = os.path.join(self.dir, name)
        rc, out = cli("audit", "checkpoint", "--db", db, "--out", path,
                      *self.keys())
        self.assertEqual(rc, 0, out)
        with open(path) as f:
            return path, f.read()

    def verify(self, db, checkpoint=None):
        args = ["audit", "verify", "--db", db]
        if checkpoint:
            args += ["--checkpoint", checkpoint, "--audit_public_key",
                     self.pub]
        return cli(*args)

    def test_keygen_writes_a_0600_key_and_refuses_to_overwrite(self):
        self.assertEqual(os.stat(self.key).st_mode & 0o777, 0o600)
        rc, out = cli("audit", "keygen", "--key-file", self.key)
        self.assertNotEqual(rc, 0, out)

    def test_a_rehashed_rewrite_verifies_alone_but_not_against_a_checkpoint(
            self):
        db = self.copy("rewritten.db")
        cp, _ = self.checkpoint(db, "before-rewrite.txt")
        rewrite(db, "UPDATE audit SET after_json = '{\"code\":\"FALSO\"}' "
                    "WHERE id = 3")
        rc, out = self.verify(db)
        self.assertEqual(rc, 0, "the attack: without a checkpoint the "
                                "rehashed chain looks intact\n" + out)
        rc, out = self.verify(db, cp)
        self.assertEqual(rc, 1, out)
        self.assertIn("no longer has the hash the checkpoint signed", out)

    def test_cutting_the_newest_records_fails_against_a_checkpoint(self):
        db = self.copy("cut.db")
        cp, text = self.checkpoint(db, "before-cut.txt")
        head = int(re.search(r"head_id (\d+)", text).group(1))
        rewrite(db, cut_after=head - 3)
        rc, out = self.verify(db)
        self.assertEqual(rc, 0, "the attack: a cut chain looks intact\n"
                         + out)
        rc, out = self.verify(db, cp)
        self.assertEqual(rc, 1, out)
        self.assertIn("audit record %d of the checkpoint is missing" % head,
                      out)

    def test_a_chain_that_grew_after_the_checkpoint_still_holds_it(self):
        db = self.copy("grew.db")
        cp, _ = self.checkpoint(db, "before-growth.txt")
        rc, out = cli("point", "add", "--db", db, "--code", "CKPNEW",
                      "--name", "Nuevo", "--type", "CAC", "--region", "Lima")
        self.assertEqual(rc, 0, out)
        rc, out = self.verify(db, cp)
        self.assertEqual(rc, 0, out)
        self.assertIn("still in the chain", out)

    def test_an_altered_checkpoint_or_another_key_is_refused(self):
        db = self.copy("altered.db")
        _, text = self.checkpoint(db, "genuine.txt")
        forged = os.path.join(self.dir, "forged.txt")
        with open(forged, "w") as f:
            f.write(re.sub(r"head_id (\d+)",
                           lambda m: "head_id %d" % (int(m.group(1)) - 1),
                           text))
        rc, out = self.verify(db, forged)
        self.assertEqual(rc, 1, out)
        self.assertIn("signature does not verify", out)
        other = os.path.join(self.dir, "other.key")
        rc, kout = cli("audit", "keygen", "--key-file", other)
        self.assertEqual(rc, 0, kout)
        other_pub = re.search(r"audit_public_key = (\w+)", kout).group(1)
        rc, out = cli("audit", "verify", "--db", db, "--checkpoint",
                      os.path.join(self.dir, "genuine.txt"),
                      "--audit_public_key", other_pub)
        self.assertEqual(rc, 1, out)
        self.assertIn("signed by another key", out)

    def test_a_key_file_readable_by_others_is_refused(self):
        loose = os.path.join(self.dir, "loose.key")
        with open(self.key) as f, open(loose, "w") as g:
            g.write(f.read())
        os.chmod(loose, 0o644)
        rc, out = cli("audit", "checkpoint", "--db", self.db,
                      "--audit_signing_key_file", loose,
                      "--audit_public_key", self.pub)
        self.assertNotEqual(rc, 0, out)
        self.assertIn("chmod 600", out)

    def test_verify_names_a_removed_record_once(self):
        db = self.copy("removed.db")
        n = int(sqlite3.connect(db).execute(
            "SELECT count(*) FROM audit").fetchone()[0])
        self.assertGreaterEqual(n, 10)
        con = sqlite3.connect(db)
        con.execute("DROP TRIGGER audit_no_delete")
        con.execute("DELETE FROM audit WHERE id = 3")
        con.commit()
        con.close()
        rc, out = self.verify(db)
        self.assertEqual(rc, 1, out)
        problems = [l for l in out.splitlines() if l.startswith("audit record")]
        self.assertEqual(problems, ["audit record 3: missing (removed)"], out)

    def test_serve_job_writes_a_checkpoint_and_mails_one_a_day(self):
        db = self.copy("job.db")
        outdir = os.path.join(self.dir, "witness")
        os.makedirs(outdir, exist_ok=True)
        args = ["jobs", "run", "--db", db, "--audit_checkpoint_dir", outdir,
                "--mailbox_control", "control@example.pe"] + self.keys()
        for now in ("2026-11-03T09:00:00-05:00", "2026-11-03T10:00:00-05:00",
                    "2026-11-04T09:00:00-05:00"):
            rc, out = cli(*(args + ["--now", now]))
            self.assertEqual(rc, 0, out)
        files = sorted(os.listdir(outdir))
        self.assertEqual(len(files), 3, files)
        rc, out = self.verify(db, os.path.join(outdir, files[-1]))
        self.assertEqual(rc, 0, out)
        con = sqlite3.connect(db)
        mails = con.execute("SELECT recipients, body_text FROM outbox WHERE "
                            "trigger = 'audit.checkpoint'").fetchall()
        con.close()
        self.assertEqual(len(mails), 2, "one mail per Lima day")
        self.assertEqual(mails[0][0], "control@example.pe")
        self.assertIn("inop-audit-checkpoint 1", mails[0][1])
        self.assertIn("signature ", mails[0][1])


# --------------------------------------------------------------------------
# Slow clients and ambiguous framing

def slow_socket(port, source, partial=b"GET /healthz HTTP/1.1\r\nX-Slow: "):
    s = socket.socket()
    s.setblocking(True)
    s.settimeout(5)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(partial)
    return s


def closed_by_peer(s):
    """True when the server has closed `s` (EOF or reset), without waiting."""
    import select
    p = select.poll()
    p.register(s, select.POLLIN | select.POLLHUP | select.POLLERR)
    if not p.poll(0):
        return False
    try:
        return s.recv(4096) == b""
    except OSError:
        return True


class SlowClients(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.server = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="slow",
                              extra=["--request_timeout_seconds", "2",
                                     "--max_connections_per_address", "64",
                                     "--max_connections", "1000"])
        cls.server.wait_healthy()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def health_ms(self, n=20):
        """GET /healthz from 127.0.0.1 n times: (all 200?, max ms)."""
        import time
        worst, ok = 0.0, True
        for _ in range(n):
            t0 = time.monotonic()
            r = t.http_request("GET", "/healthz", port=self.server.port,
                               timeout=10)
            worst = max(worst, (time.monotonic() - t0) * 1000)
            ok = ok and r.status == 200
        return ok, worst

    def test_5000_slow_connections_from_one_address_leave_others_served(self):
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 5200 and hard >= 5200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192),
                                                        hard))
        elif soft < 5200:
            self.skipTest("needs 5,200 file descriptors (ulimit -n %d)"
                          % hard)
        socks, refused = [], 0
        try:
            for _ in range(5000):
                try:
                    socks.append(slow_socket(self.server.port,
                                             "127.0.0.3"))
                except OSError:
                    refused += 1
            ok, worst = self.health_ms()
            self.assertTrue(ok, "another address is still answered")
            self.assertLess(worst, 2000, "and promptly (worst %.0f ms)"
                            % worst)
            open_ = [s for s in socks if not closed_by_peer(s)]
            print("\n      5,000 slow connections from 127.0.0.3: %d still "
                  "open, /healthz from 127.0.0.1 worst %.0f ms"
                  % (len(open_), worst), end=" ")
            # exactly the limit: each admitted connection counts from
            # the moment it is admitted, on whichever server thread
            self.assertLessEqual(len(open_), 64)
        finally:
            for s in socks:
                s.close()

    def test_a_request_trickling_in_is_cut_at_the_total_deadline(self):
        # One byte every 0.3 s never trips an idle timeout; the 2 s
        # deadline for headers and body does.
        import time
        s = slow_socket(self.server.port, "127.0.0.4", b"G")
        t0 = time.monotonic()
        try:
            closed_after = None
            for b in b"ET /healthz HTTP/1.1\r\n" + b"X-Slow: a\r\n" * 100:
                if closed_by_peer(s):
                    closed_after = time.monotonic() - t0
                    break
                try:
                    s.send(bytes([b]))
                except OSError:
                    closed_after = time.monotonic() - t0
                    break
                time.sleep(0.3)   # the attacker's pace, not a wait
                if time.monotonic() - t0 > 15:
                    break
            self.assertIsNotNone(closed_after, "still open after 15 s")
            self.assertGreaterEqual(closed_after, 1.8)
            self.assertLess(closed_after, 6)
        finally:
            s.close()


class PerAddressLimit(ApiTest):
    """The per-address limit counts the connections a client holds, not
    the ones it closed and the server has yet to reap: a client that opens
    a fresh connection for each request, 20 at a time, is always served
    under a limit of 22.  (libmicrohttpd's own count, used before, reset
    1,488 of 4,000 such requests on a loaded 2-core machine.)"""

    @classmethod
    def setUpClass(cls):
        cls.server = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="peraddr",
                              extra=["--max_connections_per_address", "22",
                                     "--threads", "2"])
        cls.server.wait_healthy()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_a_client_closing_each_connection_is_not_counted_after(self):
        import threading
        results, lock = [], threading.Lock()

        def client():
            for _ in range(50):
                try:
                    s = t.http_request("GET", "/healthz",
                                       port=self.server.port).status
                except OSError as e:
                    s = repr(e)
                with lock:
                    results.append(s)
        threads = [threading.Thread(target=client) for _ in range(20)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        bad = [r for r in results if r != 200]
        self.assertEqual(bad, [], "%d of %d refused" % (len(bad),
                                                        len(results)))

    def test_the_limit_still_holds_for_connections_held_open(self):
        socks, refused = [], 0
        try:
            for _ in range(40):
                try:
                    socks.append(slow_socket(self.server.port,
                                             "127.0.0.6"))
                except OSError:
                    refused += 1
            # A refused connection is closed by the server at once.
            t.wait_for("the connections over the limit closed",
                       lambda: len([x for x in socks
                                    if not closed_by_peer(x)]) <= 22 + 2)
            open_ = [x for x in socks if not closed_by_peer(x)]
            self.assertGreaterEqual(len(open_), 20)
        finally:
            for x in socks:
                x.close()


class Framing(ApiTest):

    def exchange(self, head):
        return t.raw_exchange(head.replace(b"\n", b"\r\n"))

    def test_content_length_with_transfer_encoding_is_400(self):
        body = b'{"username":"x","password":"y"}'
        r = self.exchange(
            b"POST /api/v1/session HTTP/1.1\nHost: x\n"
            b"Content-Type: application/json\n"
            b"Content-Length: %d\nTransfer-Encoding: chunked\n\n"
            % len(body) + b"%x\n" % len(body) + body + b"\n0\n\n")
        self.assertIsNotNone(r)
        self.assertEqual(r.status, 400, r)

    def test_two_content_lengths_are_400(self):
        body = b'{"username":"x","password":"y"}'
        r = self.exchange(
            b"POST /api/v1/session HTTP/1.1\nHost: x\n"
            b"Content-Type: application/json\n"
            b"Content-Length: %d\nContent-Length: 5\n\n" % len(body) + body)
        self.assertIsNotNone(r)
        self.assertEqual(r.status, 400, r)

    def test_two_transfer_encodings_are_400(self):
        r = self.exchange(
            b"POST /api/v1/session HTTP/1.1\nHost: x\n"
            b"Content-Type: application/json\n"
            b"Transfer-Encoding: chunked\nTransfer-Encoding: chunked\n\n"
            b"2\n{}\n0\n\n")
        self.assertIsNotNone(r)
        self.assertEqual(r.status, 400, r)


# --------------------------------------------------------------------------
# Point scope: JEFE plus a role without wider sight

class JefeScopeWithOtherRoles(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.pa = t.create_point()["code"]
        cls.pb = t.create_point()["code"]
        jb = t.user_client(["JEFE"], [cls.pb])
        cls.eb = jb.post("/api/v1/events", event_payload(cls.pb)).json

    def assertScoped(self, client):
        r = client.get("/api/v1/events?limit=500")
        self.assertStatus(r, 200)
        self.assertNotIn(self.eb["number"],
                         [e["number"] for e in r.json["items"]])
        for e in r.json["items"]:
            self.assertEqual(e["point"]["code"], self.pa)
        for path in ("/api/v1/events/%s", "/api/v1/events/%s/critical",
                     "/api/v1/events/%s/evaluation"):
            r = client.get(path % self.eb["id"])
            self.assertIn(r.status, (403, 404), "%s: %r" % (path, r))
            self.assertNotIn(self.pb, r.body.decode())

    def test_jefe_with_online_or_reclamos_sees_only_own_points(self):
        for extra in (["ONLINE"], ["RECLAMOS"], ["ONLINE", "RECLAMOS"]):
            with self.subTest(roles=["JEFE"] + extra):
                self.assertScoped(t.user_client(["JEFE"] + extra, [self.pa]))

    def test_jefe_with_a_role_of_wide_sight_sees_every_point(self):
        for extra in ("CONTROL", "SOPORTE", "FALLAS"):
            c = t.user_client(["JEFE", extra], [self.pa])
            r = c.get("/api/v1/events/%s" % self.eb["id"])
            self.assertStatus(r, 200, extra)


# --------------------------------------------------------------------------
# Login abuse: spraying, lockout of the owner, a flood of Argon2id

def login_from(port, source, username, password):
    """POST /api/v1/session from a local source address -> (status, json)."""
    import json
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                      source_address=(source, 0))
    try:
        conn.request("POST", "/api/v1/session",
                     json.dumps({"username": username,
                                 "password": password}),
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        body = r.read()
        return r.status, json.loads(body or b"null")
    finally:
        conn.close()


class WriteLock:
    """Holds what a registration waits for, from another process: SQLite's
    write lock (BEGIN IMMEDIATE), or on PostgreSQL the audit head's row,
    which every change locks first."""

    def __init__(self, db):
        self.db = db
        if db.startswith("postgresql://"):
            psql = os.path.join(os.environ.get("INOP_TEST_PG_BINDIR",
                                               "/usr/bin"), "psql")
            self.proc = subprocess.Popen(
                [psql, "-q", "-At", db], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.proc.stdin.write(b"BEGIN; SELECT 1 FROM audit_head WHERE "
                                  b"id = 1 FOR UPDATE;\n\\echo locked\n")
            self.proc.stdin.flush()
            for line in self.proc.stdout:
                if line.strip() == b"locked":
                    break
            else:
                raise AssertionError("psql did not lock the audit head")
        else:
            self.con = sqlite3.connect(db, isolation_level=None)
            self.con.execute("BEGIN IMMEDIATE")

    def release(self):
        if self.db.startswith("postgresql://"):
            self.proc.communicate(b"ROLLBACK;\n", timeout=60)
        else:
            self.con.execute("ROLLBACK")
            self.con.close()


class WorkLane(ApiTest):
    """Changes run on the work lane (src/http/lane.c), not on the threads
    that serve the connections: with one such thread (--threads 1), a
    registration waiting for the database leaves every read answered.
    Before lanes that thread waited with it, and so did every connection
    it served."""

    def test_a_change_waiting_for_the_database_does_not_stall_reads(self):
        import threading
        import time
        code = t.create_point()["code"]
        # Logged in on the suite's server (its throttle allows the suite's
        # failed logins from 127.0.0.1); the session is in the database.
        token = t.user_client(["JEFE"], [code]).token
        server = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="onethread",
                          extra=["--threads", "1"])
        self.addCleanup(server.stop)
        server.wait_healthy()
        jefe = t.Client(token=token, port=server.port)
        answer = []
        lock = WriteLock(t.CTX.db)
        try:
            post = threading.Thread(target=lambda: answer.append(
                jefe.post("/api/v1/events", event_payload(code))))
            post.start()
            worst, reads, end = 0.0, 0, time.monotonic() + 2
            while time.monotonic() < end:
                t0 = time.monotonic()
                r = t.http_request("GET", "/healthz", port=server.port,
                                   timeout=8)
                worst = max(worst, time.monotonic() - t0)
                self.assertEqual(r.status, 200)
                reads += 1
            # The registration is still waiting: the reads ran beside it.
            self.assertEqual(answer, [])
            self.assertTrue(post.is_alive())
        finally:
            lock.release()
        post.join(60)
        self.assertStatus(answer[0], 201)
        print("\n      %d reads while a change waited, slowest %.0f ms"
              % (reads, worst * 1000), end=" ")
        self.assertLess(worst, 2.0)


class LazyLibraries(ApiTest):
    def test_libpq_is_mapped_only_by_a_node_on_postgresql(self):
        # libpq (and the libraries it pulls in) is loaded by the first
        # PostgreSQL connection (src/util/dlib.h), not at every start.
        server = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="lazy")
        try:
            server.wait_healthy()
            with open("/proc/%d/maps" % server.proc.pid) as f:
                maps = f.read()
        finally:
            server.stop()
        on_pg = t.CTX.db.startswith(("postgresql://", "postgres://"))
        self.assertEqual("libpq.so" in maps, on_pg)


class LoginAbuse(ApiTest):
    """On a server of its own with the default limits (the suite's server
    allows more failures per address: every test logs in from 127.0.0.1);
    each test uses source addresses of its own."""

    @classmethod
    def setUpClass(cls):
        cls.server = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="login")
        cls.server.wait_healthy()
        def user():
            name, password, _ = t.create_user(["CONTROL"])
            return {"username": name, "password": password}
        cls.user = user()
        cls.users = [user() for _ in range(3)]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def login(self, source, username, password):
        return login_from(self.server.port, source, username, password)

    def test_spraying_many_usernames_from_one_address_is_throttled(self):
        # 300 usernames x 4 passwords used to pass untouched: each name
        # stayed under its own 5 failures.
        src, statuses = "127.0.0.5", []
        for i in range(30):
            st, _ = self.login(src, "rociado%d%s" % (i, t.CTX.run_id),
                               "Primavera2026!")
            statuses.append(st)
        self.assertEqual(statuses[:20], [401] * 20)
        self.assertEqual(set(statuses[20:]), {429})
        # The address is refused whatever it tries now...
        u = self.users[0]
        st, body = self.login(src, u["username"], u["password"])
        self.assertEqual(st, 429, body)
        self.assertEqual(body["error"]["code"], "TOO_MANY_ATTEMPTS")
        # ...another address is not.
        st, _ = self.login("127.0.0.9", u["username"], u["password"])
        self.assertEqual(st, 200)

    def test_a_locked_username_still_logs_in_from_another_address(self):
        u = self.users[1]
        for _ in range(5):
            st, _ = self.login("127.0.0.6", u["username"], "adivinanza-1")
            self.assertEqual(st, 401)
        st, body = self.login("127.0.0.6", u["username"], u["password"])
        self.assertEqual(st, 429, "the guessing address stays locked")
        st, body = self.login("127.0.0.7", u["username"], u["password"])
        self.assertEqual(st, 200, "the owner elsewhere is not: %r" % body)

    def test_unknown_usernames_add_no_rows(self):
        if "://" in t.CTX.db:
            self.skipTest("reads the SQLite file")
        for i in range(15):
            self.login("127.0.0.8", "nadie%d-%s" % (i, os.urandom(4).hex()),
                       "x")
        con = sqlite3.connect(t.CTX.db)
        rows = con.execute("SELECT throttle_key FROM login_throttle WHERE "
                           "throttle_key LIKE '%127.0.0.8%'").fetchall()
        con.close()
        self.assertEqual([r[0] for r in rows], ["a|127.0.0.8"])

    def test_a_login_flood_neither_stalls_other_requests_nor_bloats(self):
        import threading
        import time
        u, port = self.user, self.server.port
        token = login_from(port, "127.0.0.10", u["username"],
                           u["password"])[1]["token"]
        stop, logins = threading.Event(), [0]

        def flood(i):
            while not stop.is_set():
                st, _ = login_from(port, "127.0.0.11", u["username"],
                                   u["password"])
                if st == 200:
                    logins[0] += 1

        def rss_kb():
            with open("/proc/%d/status" % self.server.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
            return 0
        threads = [threading.Thread(target=flood, args=(i,))
                   for i in range(8)]
        for th in threads:
            th.start()
        lat, rss = [], []
        try:
            end = time.monotonic() + 8
            while time.monotonic() < end:
                t0 = time.monotonic()
                r = t.http_request("GET", "/api/v1/events?limit=50",
                                   port=port, headers={
                                       "Authorization": "Bearer " + token})
                lat.append((time.monotonic() - t0) * 1000)
                self.assertEqual(r.status, 200)
                rss.append(rss_kb())
        finally:
            stop.set()
            for th in threads:
                th.join()
        lat.sort()
        p99 = lat[int(len(lat) * 0.99) - 1]
        # The server's own time for each of those requests (its logfmt
        # line): what it controls, without this client's 17 threads
        # fighting over Python's GIL and the machine's two cores.
        self.server.log.flush()
        with open(self.server.logpath, encoding="utf-8") as f:
            served = sorted(float(m.group(1)) for m in re.finditer(
                r"path=/api/v1/events\S* status=200 duration_ms=([0-9.]+)",
                f.read()))
        self.assertGreaterEqual(len(served), len(lat) * 0.9)
        s99 = served[int(len(served) * 0.99) - 1]
        print("\n      login flood (8 clients, %d logins in 8 s): events "
              "list p99 %.1f ms at the server, p50/p99 %.1f/%.1f ms at "
              "the client over %d requests; RSS max %.0f MB"
              % (logins[0], s99, lat[len(lat) // 2], p99, len(lat),
                 max(rss) / 1024), end=" ")
        self.assertGreater(logins[0], 0)
        self.assertLess(s99, 50)
        self.assertLess(p99, 250, "not stalled as when workers hashed (1 s)")
        # AddressSanitizer's shadow memory and quarantine are not the
        # server's: the bound holds for the real build.
        with open("/proc/%d/maps" % self.server.proc.pid) as f:
            sanitized = "libasan" in f.read()
        if not sanitized:
            self.assertLess(max(rss), 100 * 1024)
