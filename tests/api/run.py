#!/usr/bin/env python3
"""Black-box HTTP API tests for Inop (API.md, SPEC.md).

    python3 tests/api/run.py --inop build/inop [--keep] [-k PATTERN] [-q]
                             [--shard K/N]

Creates a temporary directory, writes an admin password file (0600), runs
`inop init`, starts `inop serve` on a free loopback port, waits for
/healthz, runs every test module, then sends SIGTERM and checks the server
exits 0 within 10 s.  Exit code 0 only when every test passed.

INOP_TEST_DB_URL  use this --db (e.g. postgresql://...) instead of a
                  SQLite file in the temporary directory.
--keep            keep the temporary directory (database, server log).
--shard K/N       only the K-th of N parts: the test classes are dealt to
                  the parts by weight (CLASS_SECONDS), each part with its
                  own server and database (ctest runs them side by side).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True          # keep the source tree clean

import inoptest  # noqa: E402

MODULES = [
    "test_conventions",
    "test_session",
    "test_admin",
    "test_events_register",
    "test_events_close",
    "test_events_list",
    "test_audit",
    "test_control",
    "test_contingency",
    "test_escalation",
    "test_refusals",
    "test_mass_failures",
    "test_calendar",
    "test_reports",
    "test_imports",
    "test_calendar_extra",
    "test_seed",
    "test_security",
    "test_hardening",
    "test_concurrency",
    "test_mail",
    "test_complaints",
    "test_cli",
    "test_operations",
]


# Seconds the heaviest classes took on a quiet 2-core machine (2026-12-01;
# mostly waiting for mail retries, lockout windows and slow clients), so
# that --shard deals them to different parts; every other class counts
# as half a second.  Stale numbers only unbalance the parts.
CLASS_SECONDS = {
    "test_hardening.LoginAbuse": 12.8,
    "test_mail.N2Triggers": 12.6,
    "test_mail.N1NeverLost": 10.6,
    "test_mail.N2ReportMails": 7.6,
    "test_security.Robustness": 4.7,
    "test_complaints.Q4Mail": 3.7,
    "test_hardening.SlowClients": 3.5,
    "test_admin.Users": 3.4,
    "test_complaints.Q5Tray": 2.4,
    "test_events_register.R1WhoMayRegister": 2.1,
}


def deal(classes, parts):
    """The classes (suites, in suite order) dealt to `parts` parts, the
    heaviest first, each to the lightest part so far; each part keeps
    suite order (so a module's set-up runs once per part)."""
    def name(c):
        first = next(iter(c))
        return "%s.%s" % (type(first).__module__, type(first).__name__)
    load = [0.0] * parts
    part_of = {}
    for i in sorted(range(len(classes)),
                    key=lambda i: -CLASS_SECONDS.get(name(classes[i]), 0.5)):
        k = load.index(min(load))
        part_of[i] = k
        load[k] += CLASS_SECONDS.get(name(classes[i]), 0.5)
    return [[c for i, c in enumerate(classes) if part_of[i] == k]
            for k in range(parts)]


class TimedResult(unittest.TextTestResult):
    """Remembers how long each test took, to print the slowest."""

    def startTest(self, test):
        self._t0 = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.durations_s = getattr(self, "durations_s", [])
        self.durations_s.append((time.monotonic() - self._t0, test.id()))


class HarnessStartup(unittest.TestCase):
    """Stands in for the whole suite when the server cannot be started."""
    reason = ""

    def test_init_and_serve_start(self):
        self.fail(self.reason)


class ServerShutdown(unittest.TestCase):
    """Runs after every other test, against the suite's server."""

    def test_serve_sigterm_exits_0_within_10s(self):
        server = inoptest.CTX.proc
        self.assertIsNone(server.proc.poll(),
                          "server died during the suite (exit %s)\n%s"
                          % (server.proc.returncode, server.log_tail()))
        rc = server.stop(timeout=10)
        self.assertIsNotNone(rc, "server still running 10 s after SIGTERM "
                             "(killed)\n" + server.log_tail())
        self.assertEqual(rc, 0, "exit code after SIGTERM\n"
                         + server.log_tail())

    def test_zz_a1_audit_chain_of_suite_database_verifies(self):
        """A1: after the whole suite (incl. concurrent writers) the hash
        chain verifies."""
        if inoptest.CTX.proc.proc.poll() is None:
            self.skipTest("server still running")
        p = inoptest.run_inop(["audit", "verify", "--db", inoptest.CTX.db],
                              timeout=120)
        self.assertEqual(p.returncode, 0, "inop audit verify: %s%s"
                         % (p.stdout.decode(errors="replace"),
                            p.stderr.decode(errors="replace")))


def start(inop, tmp, keep):
    db = os.environ.get("INOP_TEST_DB_URL") or os.path.join(tmp, "inop.db")
    password = "Admin-" + os.urandom(9).hex()
    pwfile = inoptest.write_secret(os.path.join(tmp, "admin-password"),
                                   password)
    run_id = os.urandom(2).hex().upper()
    inoptest.CTX = inoptest.Context(inop, tmp, db, "127.0.0.1", None,
                                    password, None, run_id, keep)
    if not os.access(inop, os.X_OK):
        raise RuntimeError("no executable at %s (build it first)" % inop)
    p = inoptest.run_inop(["init", "--db", db, "--admin-password-file",
                           pwfile], timeout=120)
    if p.returncode != 0:
        raise RuntimeError("inop init exited %s\nstdout: %s\nstderr: %s"
                           % (p.returncode, p.stdout.decode(errors="replace"),
                              p.stderr.decode(errors="replace")))
    # Every test logs in from 127.0.0.1: the per-address spray limit (20
    # failures in 15 minutes by default) would lock the whole suite out.
    # test_hardening checks the default on addresses of its own.
    server = inoptest.Server(inop, db, tmp,
                             extra=["--login_failures_per_address", "1000"])
    inoptest.CTX.port = server.port
    inoptest.CTX.proc = server
    server.wait_healthy()
    return server


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inop", required=True, help="path to the inop binary")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory")
    ap.add_argument("-k", dest="patterns", action="append", default=None,
                    help="only tests whose name contains this "
                         "(unittest -k; repeatable)")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("-f", "--failfast", action="store_true")
    ap.add_argument("--shard", default="1/1", help="K/N: the K-th of N "
                    "parts (test classes dealt by weight)")
    args = ap.parse_args()
    try:
        part, parts = (int(x) for x in args.shard.split("/"))
        if not 1 <= part <= parts:
            raise ValueError
    except ValueError:
        ap.error("--shard: K/N with 1 <= K <= N, not %r" % args.shard)

    inop = os.path.abspath(args.inop)
    tmp = tempfile.mkdtemp(prefix="inop-apitest-")
    verbosity = 1 if args.quiet else 2
    runner = unittest.TextTestRunner(verbosity=verbosity,
                                     failfast=args.failfast,
                                     resultclass=TimedResult)
    server = None
    ok = False
    try:
        try:
            server = start(inop, tmp, args.keep)
        except Exception as e:  # noqa: BLE001 - reported as a failed test
            HarnessStartup.reason = str(e)
            suite = unittest.TestSuite([HarnessStartup(
                "test_init_and_serve_start")])
            runner.run(suite)
            return 1
        print("inop serve on 127.0.0.1:%d, db %s, tmp %s"
              % (server.port, inoptest.CTX.db, tmp), file=sys.stderr)
        loader = unittest.TestLoader()
        if args.patterns:
            loader.testNamePatterns = ["*%s*" % p for p in args.patterns]
        classes = [cls for name in MODULES
                   for cls in loader.loadTestsFromName(name)
                   if cls.countTestCases()]
        suite = unittest.TestSuite(deal(classes, parts)[part - 1])
        suite.addTest(ServerShutdown("test_serve_sigterm_exits_0_within_10s"))
        suite.addTest(ServerShutdown(
            "test_zz_a1_audit_chain_of_suite_database_verifies"))
        result = runner.run(suite)
        ok = result.wasSuccessful()
        slow = sorted(getattr(result, "durations_s", []), reverse=True)[:8]
        print("slowest: " + ", ".join("%s %.1fs" % (name.split(".")[-1], d)
                                      for d, name in slow), file=sys.stderr)
    finally:
        if server is not None and server.proc.poll() is None:
            server.stop(timeout=10)
        if args.keep:
            print("kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
