"""The command line (API.md "The command line"; SPEC A1 audit verify).

Runs on its own SQLite databases in the suite's temporary directory, never
on the database of the suite's server."""

import json
import os
import re
import socket
import subprocess
import time

import inoptest as t
from inoptest import ApiTest

COMMANDS = ["init", "serve", "demo", "user", "point", "audit", "form",
            "check-config"]


def cli(*args, timeout=120):
    p = t.run_inop(list(args), timeout=timeout)
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


def sqlite(db, sql):
    p = subprocess.run(["sqlite3", db, sql], capture_output=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("sqlite3 %s %r: %s" % (db, sql,
                                                    p.stderr.decode()))
    return p.stdout.decode().strip()


def tamper(db, sql):
    """Run `sql` on db as someone with write access to the file would:
    first dropping any trigger that guards the audit table."""
    triggers = sqlite(db, "SELECT name FROM sqlite_master WHERE "
                          "type = 'trigger' AND tbl_name = 'audit'").split()
    drops = "".join('DROP TRIGGER "%s"; ' % name for name in triggers)
    return sqlite(db, drops + sql)


def workdir(name):
    d = os.path.join(t.CTX.tmp, name)
    os.makedirs(d, exist_ok=True)
    return d


class CliBasics(ApiTest):

    def test_cli_version_prints_a_version_and_exits_0(self):
        rc, out = cli("version")
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"\d+\.\d+")

    def test_cli_help_exits_0_and_names_every_command(self):
        rc, out = cli("help")
        self.assertEqual(rc, 0, out)
        for cmd in COMMANDS:
            self.assertRegex(out, r"(?m)\b%s\b" % cmd, cmd)

    def test_cli_every_command_explains_itself_with_help(self):
        for cmd in COMMANDS:
            rc, out = cli(cmd, "--help")
            with self.subTest(command=cmd):
                self.assertEqual(rc, 0, out)
                self.assertIn(cmd, out)
                self.assertGreater(len(out.strip()), 20)

    def test_cli_unknown_command_exits_non_zero(self):
        rc, out = cli("frobnicate")
        self.assertNotEqual(rc, 0, out)
        self.assertTrue(out.strip())


class CliCheckConfig(ApiTest):

    def write(self, name, text):
        path = os.path.join(workdir("config"), name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_cli_check_config_unknown_key_names_file_and_line(self):
        path = self.write("unknown-key.conf",
                          "# configuración de prueba\n"
                          "db = inop-check.db\n"
                          "colour = azul\n"
                          "listen = 127.0.0.1:8080\n")
        rc, out = cli("check-config", "--config", path)
        self.assertNotEqual(rc, 0, out)
        self.assertIn("%s:3" % path, out)

    def test_cli_check_config_line_without_equals_names_its_line(self):
        path = self.write("no-equals.conf", "db = /tmp/x.db\nlisten\n")
        rc, out = cli("check-config", "--config", path)
        self.assertNotEqual(rc, 0, out)
        self.assertIn("%s:2" % path, out)

    def test_cli_check_config_accepts_every_documented_key(self):
        path = self.write("good.conf",
                          "# every key of API.md\n"
                          "db = %s\n"
                          "listen = 127.0.0.1:8080\n"
                          "\n"
                          "base_url = http://localhost:8080\n"
                          "smtp_url = smtp://127.0.0.1:2525\n"
                          "smtp_from = inop@example.com\n"
                          "mailbox_fallas = fallas@example.com\n"
                          "mailbox_control = control@example.com\n"
                          "mailbox_contingency_cc = contingencia@example.com\n"
                          "procesos_backups = a@example.com, b@example.com\n"
                          % os.path.join(workdir("config"), "x.db"))
        rc, out = cli("check-config", "--config", path)
        self.assertEqual(rc, 0, out)

    def test_cli_check_config_missing_file_exits_non_zero(self):
        rc, out = cli("check-config", "--config",
                      os.path.join(workdir("config"), "no-such.conf"))
        self.assertNotEqual(rc, 0, out)


class CliDatabase(ApiTest):
    """init, point add, user add, init again; then serve that database."""

    @classmethod
    def setUpClass(cls):
        d = workdir("clidb")
        cls.dir = d
        cls.db = os.path.join(d, "cli.db")
        cls.pw1 = "Primera-clave-" + t.CTX.run_id
        cls.pw2 = "Segunda-clave-" + t.CTX.run_id
        f1 = t.write_secret(os.path.join(d, "pw1"), cls.pw1)
        f2 = t.write_secret(os.path.join(d, "pw2"), cls.pw2)
        cls.init1 = cli("init", "--db", cls.db, "--admin-password-file", f1)
        cls.code = "CLI" + t.CTX.run_id
        cls.point_add = cli("point", "add", "--db", cls.db, "--code",
                            cls.code, "--name", "Tienda CLI Miraflores",
                            "--type", "CAC", "--region", "Lima")
        cls.jefe_pw = "Clave-del-jefe-" + t.CTX.run_id
        fj = t.write_secret(os.path.join(d, "pwj"), cls.jefe_pw)
        cls.user_add = cli("user", "add", "--db", cls.db, "--username",
                           "jefecli", "--name", "Jefe CLI", "--email",
                           "jefecli@example.com", "--roles", "JEFE",
                           "--points", cls.code, "--password-file", fj)
        cls.init2 = cli("init", "--db", cls.db, "--admin-password-file", f2)
        cls.weak = t.write_secret(os.path.join(d, "pwweak"), "corta")
        cls.fj = fj

    def served(self):
        server = t.Server(t.CTX.inop, self.db, self.dir, name="cli-serve")
        self.addCleanup(server.stop)
        server.wait_healthy()
        return server

    def http(self, server, method, path, body=t._NOBODY, token=None):
        return t.Client(token=token, port=server.port).request(method, path,
                                                               body)

    def foreign_changes(self, server):
        """Changes of unknown origin the server counted (each moved
        every cache)."""
        body = self.http(server, "GET", "/metrics").body.decode()
        m = re.search(r"\ninop_versions_notifications_total (\d+)\n", body)
        self.assertIsNotNone(m, body)
        return int(m.group(1))

    def test_cli_init_creates_the_database_exit_0(self):
        self.assertEqual(self.init1[0], 0, self.init1[1])
        self.assertTrue(os.path.exists(self.db))

    def test_cli_point_add_and_user_add_exit_0(self):
        self.assertEqual(self.point_add[0], 0, self.point_add[1])
        self.assertEqual(self.user_add[0], 0, self.user_add[1])

    def test_cli_names_not_in_utf8_are_refused_and_nothing_is_added(self):
        # "Jesús María" as a Latin-1 terminal sends it: 0xFA and 0xED
        # (os.fsencode turns the lone surrogates back into those bytes).
        latin1 = "Jes\udcfas Mar\udceda"
        code = "LAT" + t.CTX.run_id
        for flag, field in (("--name", "name"), ("--region", "region")):
            args = {"--name": "Tienda", "--region": "Lima"}
            args[flag] = latin1
            rc, out = cli("point", "add", "--db", self.db, "--code", code,
                          "--name", args["--name"], "--type", "CAC",
                          "--region", args["--region"])
            self.assertEqual(rc, 1, out)
            self.assertIn("no es texto UTF-8: " + field, out)
        self.assertEqual(sqlite(self.db, "SELECT COUNT(*) FROM points "
                                "WHERE code = '%s'" % code), "0")
        rc, out = cli("user", "add", "--db", self.db, "--username",
                      "latin1", "--name", latin1, "--email",
                      "latin1@example.com", "--roles", "JEFE",
                      "--password-file", self.fj)
        self.assertEqual(rc, 2, out)
        self.assertIn("--name is not UTF-8 text", out)
        self.assertEqual(sqlite(self.db, "SELECT COUNT(*) FROM users "
                                "WHERE username = 'latin1'"), "0")

    def test_cli_init_twice_exits_0_and_keeps_data_and_admin_password(self):
        self.assertEqual(self.init2[0], 0, self.init2[1])
        s = self.served()
        r = self.http(s, "POST", "/api/v1/session",
                      {"username": "admin", "password": self.pw2})
        self.assertError(r, 401, "BAD_CREDENTIALS")
        r = self.http(s, "POST", "/api/v1/session",
                      {"username": "admin", "password": self.pw1})
        self.assertStatus(r, 200)
        token = r.json["token"]
        r = self.http(s, "GET", "/api/v1/points", token=token)
        codes = [p["code"] for p in r.json["items"]]
        self.assertEqual(codes.count(self.code), 1)
        r = self.http(s, "GET", "/api/v1/catalog", token=token)
        self.assertEqual(len(r.json["procedures"]), 4)
        self.assertEqual(len(r.json["applications"]), 6)

    def test_job_sessions_expire_removes_idle_sessions_by_the_wall_clock(self):
        # Two sessions of one user; one last used long ago.  The job
        # removes that one, and only that one, even run with a clock two
        # days ahead (--now moves timers, not the users' sessions).
        s = self.served()
        tokens = []
        for _ in range(2):
            r = self.http(s, "POST", "/api/v1/session",
                          {"username": "jefecli", "password": self.jefe_pw})
            self.assertStatus(r, 200)
            tokens.append(r.json["token"])
        uid = "(SELECT id FROM users WHERE username = 'jefecli')"
        sqlite(self.db, "UPDATE sessions SET last_seen_at = 1 WHERE rowid ="
               " (SELECT MIN(rowid) FROM sessions WHERE user_id = %s)" % uid)
        before = int(sqlite(self.db, "SELECT COUNT(*) FROM sessions WHERE "
                            "user_id = %s" % uid))
        ahead = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                              time.gmtime(time.time() + 2 * 86400))
        rc, out = cli("jobs", "run", "--db", self.db, "--now", ahead)
        self.assertEqual(rc, 0, out)
        self.assertEqual(sqlite(self.db, "SELECT COUNT(*) FROM sessions "
                                "WHERE last_seen_at = 1"), "0")
        self.assertEqual(int(sqlite(self.db, "SELECT COUNT(*) FROM sessions "
                                    "WHERE user_id = %s" % uid)), before - 1)
        r = self.http(s, "GET", "/api/v1/session", token=tokens[1])
        self.assertStatus(r, 200)

    def test_cli_added_point_and_user_work_through_the_api(self):
        s = self.served()
        r = self.http(s, "POST", "/api/v1/session",
                      {"username": "jefecli", "password": self.jefe_pw})
        self.assertStatus(r, 200)
        user = r.json["user"]
        self.assertEqual(user["roles"], ["JEFE"])
        self.assertEqual(user["points"], [self.code])
        self.assertEqual(user["name"], "Jefe CLI")
        token = r.json["token"]
        r = self.http(s, "GET", "/api/v1/points", token=token)
        p = [x for x in r.json["items"] if x["code"] == self.code][0]
        self.assertEqual((p["name"], p["type"], p["channel"], p["region"]),
                         ("Tienda CLI Miraflores", "CAC", "PRESENCIAL",
                          "Lima"))
        r = self.http(s, "POST", "/api/v1/events",
                      t.event_payload(self.code), token=token)
        self.assertStatus(r, 201)

    def test_two_servers_on_one_file_see_each_others_changes_at_once(self):
        # Each answers the register's version and sessions from memory
        # while no commit shows in the WAL index; a commit by the other
        # process must be seen by the next request.
        # a opens the file through a symlink: SQLite names the -shm after
        # the file it leads to, and so must the watch.
        link = os.path.join(self.dir, "enlace.db")
        if not os.path.lexists(link):
            os.symlink(self.db, link)
        a = t.Server(t.CTX.inop, link, self.dir, name="cli-serve-link")
        self.addCleanup(a.stop)
        a.wait_healthy()
        b = self.served()
        r = self.http(a, "GET", "/metrics")
        self.assertIn("\ninop_versions_listening 1\n",
                      r.body.decode())
        login = {"username": "jefecli", "password": self.jefe_pw}
        ta = self.http(a, "POST", "/api/v1/session", login).json["token"]
        tb = self.http(b, "POST", "/api/v1/session", login).json["token"]
        for _ in range(2):    # the second from a's memory
            r = self.http(a, "GET", "/api/v1/events?limit=50", token=ta)
            self.assertStatus(r, 200)
        before = r.json["total"]
        r = self.http(b, "POST", "/api/v1/events", t.event_payload(
            self.code, procedure="BAJAS"), token=tb)
        self.assertStatus(r, 201)
        r = self.http(a, "GET", "/api/v1/events?limit=50", token=ta)
        self.assertEqual(r.json["total"], before + 1)
        for _ in range(2):    # b's token, known to a now
            self.assertStatus(self.http(a, "GET", "/api/v1/points",
                                        token=tb), 200)
        self.assertStatus(self.http(b, "DELETE", "/api/v1/session",
                                    token=tb), 204)
        self.assertError(self.http(a, "GET", "/api/v1/points", token=tb),
                         401)
        self.assertStatus(self.http(a, "GET", "/api/v1/points", token=ta),
                          200)

    def test_upload_with_a_session_revoked_elsewhere_is_not_spooled(self):
        # An upload's session is checked before its body is read (only a
        # session may spool to disk).  That check must take its own look
        # at the WAL index, not the look of the thread's last request:
        # one thread, a session deleted by another process, then at once
        # an upload larger than the cap is 401, not 413 (spooled).
        ctl_pw = "Clave-de-control-" + t.CTX.run_id
        f = t.write_secret(os.path.join(self.dir, "pwc"), ctl_pw)
        rc, out = cli("user", "add", "--db", self.db, "--username",
                      "controlcli", "--name", "Control CLI", "--email",
                      "controlcli@example.com", "--roles", "CONTROL",
                      "--password-file", f)
        self.assertEqual(rc, 0, out)
        a = t.Server(t.CTX.inop, self.db, self.dir, name="cli-serve-one",
                     extra=["--threads", "1", "--import_max_bytes", "1K"])
        self.addCleanup(a.stop)
        a.wait_healthy()
        for _ in range(3):
            r = self.http(a, "POST", "/api/v1/session",
                          {"username": "controlcli", "password": ctl_pw})
            self.assertStatus(r, 200)
            token = r.json["token"]
            self.assertStatus(self.http(a, "GET", "/api/v1/points",
                                        token=token), 200)
            subprocess.run(["sqlite3", self.db,
                            "DELETE FROM sessions WHERE user_id = (SELECT "
                            "id FROM users WHERE username = 'controlcli')"],
                           check=True, timeout=60)
            r = t.Client(token=token, port=a.port).request(
                "POST", "/api/v1/imports/interactions", raw=b"x" * 4096,
                headers={"Content-Type": "text/csv"}, content_type=None)
            self.assertError(r, 401, "UNAUTHENTICATED")

    def test_a_jobs_lease_and_a_login_are_own_commits_too(self):
        # Writes outside a transaction (the jobs' leases, every 2 s for
        # the mail sender; a login's session) are this server's own
        # commits: none moves every cache as another process's would.
        a = self.served()
        login = {"username": "jefecli", "password": self.jefe_pw}

        def sender_runs():
            out = subprocess.run(
                ["sqlite3", self.db, "SELECT last_run_at FROM jobs WHERE "
                 "name = 'mail-sender'"], capture_output=True, check=True,
                timeout=60).stdout.decode().strip()
            return int(out or 0)

        token = self.http(a, "POST", "/api/v1/session", login).json["token"]
        self.assertStatus(self.http(a, "GET", "/api/v1/events?limit=5",
                                    token=token), 200)
        before = self.foreign_changes(a)
        for _ in range(3):
            last = sender_runs()
            t.wait_for("the mail sender's next run",
                       lambda: sender_runs() > last)
            token = self.http(a, "POST", "/api/v1/session",
                              login).json["token"]
            # The list looks at the log: each look after a foreign
            # commit counts one.
            self.assertStatus(self.http(a, "GET", "/api/v1/events?limit=5",
                                        token=token), 200)
        # 1 of slack for a checkpoint of the log.
        self.assertLessEqual(self.foreign_changes(a) - before, 1)

    def test_own_commits_show_at_once_without_moving_every_cache(self):
        # A server's own commits move only the versions they change
        # (db_commits_own): each registration shows in its next list, and
        # none makes it count a change of unknown origin (which moves
        # every cache), as a commit by another process does.
        code = "PROPIO" + t.CTX.run_id    # a point of this test alone
        rc, out = cli("point", "add", "--db", self.db, "--code", code,
                      "--name", "Tienda propia", "--type", "CAC",
                      "--region", "Lima")
        self.assertEqual(rc, 0, out)
        rc, out = cli("user", "add", "--db", self.db, "--username",
                      "jefepropio", "--name", "Jefe Propio", "--email",
                      "jefepropio@example.com", "--roles", "JEFE",
                      "--points", code, "--password-file", self.fj)
        self.assertEqual(rc, 0, out)
        a = self.served()
        login = {"username": "jefepropio", "password": self.jefe_pw}
        ta = self.http(a, "POST", "/api/v1/session", login).json["token"]

        total = self.http(a, "GET", "/api/v1/events?limit=50",
                          token=ta).json["total"]
        before = self.foreign_changes(a)
        for procedure in ("RECLAMOS", "ALTAS", "CONSULTAS"):
            r = self.http(a, "POST", "/api/v1/events", t.event_payload(
                code, procedure=procedure), token=ta)
            self.assertStatus(r, 201)
            total += 1
            r = self.http(a, "GET", "/api/v1/events?limit=50", token=ta)
            self.assertEqual(r.json["total"], total)
        # 1 of slack for a checkpoint of the log; one per commit before.
        self.assertLessEqual(self.foreign_changes(a) - before, 1)
        rc, out = cli("point", "add", "--db", self.db, "--code",
                      "OTRO" + t.CTX.run_id, "--name", "Otra tienda",
                      "--type", "CAC", "--region", "Lima")
        self.assertEqual(rc, 0, out)
        self.assertStatus(self.http(a, "GET", "/api/v1/points", token=ta),
                          200)
        self.assertGreater(self.foreign_changes(a), before)

    def test_cli_user_add_with_weak_password_fails(self):
        rc, out = cli("user", "add", "--db", self.db, "--username",
                      "debil", "--name", "Débil", "--email",
                      "debil@example.com", "--roles", "CONTROL",
                      "--password-file", self.weak)
        self.assertNotEqual(rc, 0, out)
        self.assertTrue(out.strip())

    def test_cli_user_add_duplicate_or_unknown_point_fails(self):
        rc, out = cli("user", "add", "--db", self.db, "--username",
                      "jefecli", "--name", "Otro", "--email",
                      "otro@example.com", "--roles", "JEFE", "--points",
                      self.code, "--password-file", self.fj)
        self.assertNotEqual(rc, 0, out)
        rc, out = cli("user", "add", "--db", self.db, "--username",
                      "jefe2", "--name", "Otro", "--email",
                      "otro@example.com", "--roles", "JEFE", "--points",
                      "NOEXISTE", "--password-file", self.fj)
        self.assertNotEqual(rc, 0, out)

    def test_cli_point_add_bad_type_or_duplicate_fails(self):
        rc, out = cli("point", "add", "--db", self.db, "--code",
                      "X" + self.code, "--name", "Mala", "--type", "TIENDA",
                      "--region", "Lima")
        self.assertNotEqual(rc, 0, out)
        rc, out = cli("point", "add", "--db", self.db, "--code", self.code,
                      "--name", "Duplicada", "--type", "CAC",
                      "--region", "Lima")
        self.assertNotEqual(rc, 0, out)

    def test_cli_serve_finishes_the_request_in_flight_on_sigterm(self):
        server = t.Server(t.CTX.inop, self.db, self.dir, name="cli-inflight")
        self.addCleanup(server.stop)
        server.wait_healthy()
        body = json.dumps({"username": "admin",
                           "password": self.pw1}).encode()
        # "Expect: 100-continue": the server answers "100 Continue" once
        # it has the request (headers read, handler called), so SIGTERM
        # is sent while the request is surely in flight.
        head = ("POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json\r\nConnection: close\r\n"
                "Expect: 100-continue\r\n"
                "Content-Length: %d\r\n\r\n" % len(body)).encode()
        s = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        data = b""
        try:
            s.sendall(head + body[:10])
            while b"\r\n\r\n" not in data:
                d = s.recv(65536)
                if not d:
                    break
                data += d
            self.assertTrue(data.startswith(b"HTTP/1.1 100"),
                            "no 100 Continue: %r" % data[:200])
            data = b""
            server.proc.terminate()
            t.wait_for("serve logs that it is stopping",
                       lambda: "stopping:" in server.log_tail())
            s.sendall(body[10:])
            while True:
                d = s.recv(65536)
                if not d:
                    break
                data += d
        except OSError as e:
            data = repr(e).encode()
        finally:
            s.close()
        resp = t.parse_raw_response(data) if data.startswith(b"HTTP/") \
            else None
        self.assertIsNotNone(resp, "request in flight got no answer: %r"
                             % data[:200])
        self.assertEqual(resp.status, 200, repr(resp))
        try:
            rc = server.proc.wait(10)
        except subprocess.TimeoutExpired:
            rc = "still running 10 s after SIGTERM"
        self.assertEqual(rc, 0)

    def test_cli_serve_reads_config_file_and_command_line_wins(self):
        hold_file, port_file = t.reserve_port()
        hold_cli, port_cli = t.reserve_port()
        self.addCleanup(hold_file.close)
        self.addCleanup(hold_cli.close)
        conf = os.path.join(self.dir, "serve.conf")
        with open(conf, "w") as f:
            f.write("db = %s\nlisten = 127.0.0.1:%d\n" % (self.db, port_file))
        log = open(os.path.join(self.dir, "serve-config.log"), "wb")
        proc = subprocess.Popen(
            [t.CTX.inop, "serve", "--config", conf, "--listen",
             "127.0.0.1:%d" % port_cli], stdout=log, stderr=log,
            stdin=subprocess.DEVNULL, cwd=self.dir)

        def healthy():
            if proc.poll() is not None:
                return "exited %s" % proc.returncode
            try:
                return t.http_request("GET", "/healthz", port=port_cli,
                                      timeout=10).status == 200
            except OSError:
                return False
        try:
            self.assertIs(t.wait_for("/healthz on the --listen port",
                                     healthy), True,
                          "no /healthz on the --listen port")
            # port_file is held (bound, not listening) by this test: if
            # serve listened there too, this would connect
            with self.assertRaises(OSError):
                t.http_request("GET", "/healthz", port=port_file, timeout=10)
        finally:
            proc.terminate()
            try:
                rc = proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
            log.close()
        self.assertEqual(rc, 0)


class CliAuditVerify(ApiTest):
    """A1: `inop audit verify` detects an edited and a deleted audit row."""

    @classmethod
    def setUpClass(cls):
        d = workdir("audit")
        cls.dir = d
        cls.db = os.path.join(d, "audit.db")
        pw = t.write_secret(os.path.join(d, "pw"), "Clave-auditoria-123")
        cls.setup_out = [cli("init", "--db", cls.db, "--admin-password-file",
                             pw)]
        for i in range(4):
            cls.setup_out.append(cli(
                "point", "add", "--db", cls.db, "--code", "AUD%d%s"
                % (i, t.CTX.run_id), "--name", "Punto auditado %d" % i,
                "--type", "ACD" if i % 2 else "CAC", "--region", "Piura"))
        cls.setup_out.append(cli(
            "user", "add", "--db", cls.db, "--username", "auditado",
            "--name", "Auditado", "--email", "a@example.com", "--roles",
            "CONTROL", "--password-file", pw))

    def setUp(self):
        for rc, out in self.setup_out:
            self.assertEqual(rc, 0, out)

    def copy(self, name):
        dst = os.path.join(self.dir, name)
        if os.path.exists(dst):
            os.remove(dst)
        sqlite(self.db, ".backup '%s'" % dst)
        return dst

    def test_a1_audit_verify_good_database_exits_0(self):
        rc, out = cli("audit", "verify", "--db", self.db)
        self.assertEqual(rc, 0, out)
        self.assertGreaterEqual(int(sqlite(self.db,
                                           "SELECT count(*) FROM audit")), 3)

    def test_a1_audit_verify_detects_an_edited_row(self):
        db = self.copy("edited.db")
        rc, out = cli("audit", "verify", "--db", db)
        self.assertEqual(rc, 0, "copy should verify before the edit: " + out)
        changed = tamper(db, "UPDATE audit SET after_json = "
                             "'{\"tampered\":true}' WHERE id = 2; "
                             "SELECT changes();")
        self.assertEqual(changed, "1")
        rc, out = cli("audit", "verify", "--db", db)
        self.assertNotEqual(rc, 0, out)

    def test_a1_audit_verify_detects_a_deleted_middle_row(self):
        db = self.copy("deleted.db")
        n = int(sqlite(db, "SELECT count(*) FROM audit"))
        self.assertGreaterEqual(n, 3)
        changed = tamper(db, "DELETE FROM audit WHERE id = (SELECT id FROM "
                             "audit ORDER BY id LIMIT 1 OFFSET %d); "
                             "SELECT changes();" % (n // 2))
        self.assertEqual(changed, "1")
        rc, out = cli("audit", "verify", "--db", db)
        self.assertNotEqual(rc, 0, out)

    def test_a1_audit_verify_detects_an_edited_actor(self):
        db = self.copy("actor.db")
        cols = sqlite(db, "SELECT name FROM pragma_table_info('audit')")
        col = next((c for c in ("actor", "actor_username", "actor_id")
                    if c in cols.split()), None)
        if col is None:
            self.skipTest("no actor column found in %r" % cols)
        changed = tamper(db, "UPDATE audit SET %s = %s WHERE id = (SELECT "
                             "max(id) FROM audit); SELECT changes();"
                         % (col, "'intruso'" if col != "actor_id" else "9999"))
        self.assertEqual(changed, "1")
        rc, out = cli("audit", "verify", "--db", db)
        self.assertNotEqual(rc, 0, out)
