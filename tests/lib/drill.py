"""What the script-style drills (tests/crash, tests/nodes, tests/ops) share:
a check list, ports taken by binding, the JSON call, `inop serve` started
and waited for, login and the points + JEFE a burst needs.

The API suite has its own richer harness (tests/api/inoptest.py); the port
and waiting rules are the same: a port is held by a bound socket until the
server that listens on it has stopped, and readiness is polled with a
generous deadline (CI is a loaded 2-core machine, ASan doubles the cost), so
a condition that holds returns at once and only a broken one waits it out.
"""
import concurrent.futures
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

PROCS = {"RECLAMOS": "RECLAMO", "ALTAS": "CONTRATACION",
         "BAJAS": "BAJA_SERVICIO", "CONSULTAS": "MIGRACION_PLAN"}
FAILURES = []
READY_SECONDS = 120


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def reserve_port(port=0, host="127.0.0.1"):
    """-> (socket, port): `port` (0: any free one) of `host`, held by a
    socket bound with SO_REUSEADDR and not listening.  While it is open
    nothing else can bind the port and the kernel never hands it out as an
    outgoing connection's port, yet `inop serve` (libmicrohttpd sets
    SO_REUSEADDR too) can listen on it.  Close it after the server stops.
    Raises OSError when `port` is taken."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((host, port))
    except OSError:
        s.close()
        raise
    return s, s.getsockname()[1]


def call(port, method, path, body=None, token=None, raw=None, timeout=120):
    """-> (status, decoded JSON body or None).  `raw`: bytes sent as
    text/csv instead of `body` as JSON (the imports)."""
    data = raw if raw is not None else (
        json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                 data=data, method=method)
    req.add_header("Content-Type",
                   "text/csv" if raw is not None else "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def healthy(port):
    try:
        return call(port, "GET", "/healthz", timeout=10)[0] == 200
    except (OSError, ValueError):   # not listening yet, or cut short
        return False


def wait_for(pred, seconds=READY_SECONDS, interval=0.05):
    """Polls pred() until true (-> True) or `seconds` pass (-> False)."""
    deadline = time.monotonic() + seconds
    while True:
        if pred():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


class Server:
    """`inop serve --db DB` on a held loopback port, its output appended to
    LOGPATH; `extra` are more command-line arguments."""

    def __init__(self, inop, db, logpath, extra=(), port=0, env=None):
        self.hold, self.port = reserve_port(port)
        self.logpath = logpath
        self.log = open(logpath, "a")
        args = [inop, "serve", "--listen", "127.0.0.1:%d" % self.port]
        if db:
            args += ["--db", db]
        self.proc = subprocess.Popen(args + [str(x) for x in extra],
                                     stdout=self.log,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env)

    def wait_ready(self, seconds=READY_SECONDS):
        """Polls /healthz; SystemExit with the log's tail if the server
        exits first or does not answer within `seconds`."""
        if wait_for(lambda: self.proc.poll() is not None or
                    healthy(self.port), seconds) and self.proc.poll() is None:
            return self
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.close()
        with open(self.logpath, errors="replace") as f:
            raise SystemExit("inop serve did not answer /healthz within "
                             "%d s (exit %s):\n%s" % (seconds,
                                                      self.proc.returncode,
                                                      f.read()[-2000:]))

    def stop(self, sig=None, timeout=60):
        """Sends SIGTERM (or `sig`), waits; -> exit code.  Frees the port."""
        if self.proc.poll() is None:
            if sig is None:
                self.proc.terminate()
            else:
                self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.close()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        self.hold.close()


def serve(inop, db, logpath, extra=()):
    """Server(...) started and answering /healthz."""
    return Server(inop, db, logpath, extra).wait_ready()


def init_db(inop, db, password, tmp):
    """`inop init` of DB (a file or a database URL) with an admin password."""
    pw = os.path.join(tmp, "admin-password")
    with open(os.open(pw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
              "w") as f:
        f.write(password + "\n")
    subprocess.run([inop, "init", "--db", db, "--admin-password-file", pw],
                   check=True, stdout=subprocess.DEVNULL)


def login(port, user, password):
    st, body = call(port, "POST", "/api/v1/session",
                    {"username": user, "password": password})
    if st != 200:
        raise SystemExit("login %s: %s %r" % (user, st, body))
    return body["token"]


def points_and_jefe(port, admin, codes, user, password):
    """Creates the points CODES (16 at a time) and a JEFE USER over them."""
    def point(code):
        st, b = call(port, "POST", "/api/v1/points",
                     {"code": code, "name": "Punto " + code, "type": "CAC",
                      "region": "Lima"}, admin)
        assert st == 201, (st, b)
    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(point, codes))
    st, b = call(port, "POST", "/api/v1/users",
                 {"username": user, "password": password, "name": "Jefe",
                  "email": "jefe@x.pe", "roles": ["JEFE"], "points": codes},
                 admin)
    assert st == 201, (st, b)


def every(port, token, path, page):
    """Every item of a paged list (`page` a request); the pages must add
    up to the total the last one gives."""
    items, offset = [], 0
    while True:
        st, b = call(port, "GET", "%s?limit=%d&offset=%d"
                     % (path, page, offset), None, token)
        assert st == 200, (st, b)
        items += b["items"]
        offset += page
        if offset >= b["total"]:
            assert len(items) == b["total"], (len(items), b["total"])
            return items


def register(port, token):
    """Every event of the register."""
    return every(port, token, "/api/v1/events", 500)
