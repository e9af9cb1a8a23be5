"""Shared helpers for Inop's black-box API tests.

run.py fills in CTX (the server under test) before any test module runs.
Everything here talks to the server over HTTP or runs the `inop` binary;
nothing reads the server's source or database directly.

Helpers
  Client            one HTTP identity (bearer token and/or cookie + CSRF)
  admin()           the seeded `admin` user, logged in once
  login()           log a user in, returning a Client
  create_point()    POST /api/v1/points as admin, 201 asserted
  create_user()     POST /api/v1/users as admin, 201 asserted
  user_client()     create_user + login
  event_payload()   a valid registration body for a point (tests change it)
  manual_form()     reserve a paper-form serial of a point (K1)
  ApiTest           unittest.TestCase with assertError/register/close...
"""

import datetime as dt
import http.client
import json
import os
import io
import re
import select
import socket
import subprocess
import threading
import time
import unittest

LIMA = dt.timezone(dt.timedelta(hours=-5), "America/Lima")
LIMA_TIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?-05:00$")
NUMBER_RE = re.compile(r"^INOP-(\d{4})-(\d{6})$")

PROCEDURES = {
    "RECLAMOS": ["RECLAMO", "APELACION", "QUEJA"],
    "ALTAS": ["CONTRATACION", "PORTABILIDAD"],
    "BAJAS": ["BAJA_SERVICIO", "RESOLUCION_CONTRATO"],
    "CONSULTAS": [
        "CONSULTA_SOLICITUD_REGULADA", "CAMBIO_TITULARIDAD", "CAMBIO_NOMBRE",
        "SUSPENSION_RECONEXION_TEMPORAL", "TRASLADO_SERVICIO",
        "FACTURACION_DETALLADA", "MIGRACION_PLAN",
        "DETALLE_LLAMADAS_ENTRANTES", "DETALLE_SALDOS_CONSUMOS",
        "REPOSICION_CHIP", "RENOVACION_EQUIPO", "DERECHOS_ARCO",
        "BLOQUEO_DESBLOQUEO_LINEA_EQUIPO", "USO_INDEBIDO_FRAUDE",
        "CAMBIO_NUMERO", "CANCELACION_LINEA", "INFORMATIVA"],
}
DEFAULT_REQUEST = {"RECLAMOS": "RECLAMO", "ALTAS": "CONTRATACION",
                   "BAJAS": "BAJA_SERVICIO", "CONSULTAS": "MIGRACION_PLAN"}
NOT_REGULATED = ["FALLA_EQUIPO_TERMINAL", "PAGO", "FINANCIAMIENTO_DEUDA"]
APPLICATIONS = {"SISACT_PREPAGO": "VENTA", "SISACT": "VENTA",
                "SICAR": "VENTA", "SIAC_UNICO": "POSTVENTA",
                "WEB_ASESOR_RECLAMOS": "POSTVENTA", "SGA": "POSTVENTA"}
SCENARIOS = {
    "FALLA_MASIVA": {
        "causes": ["INCONVENIENTE_CONECTIVIDAD", "MANTENIMIENTO_APLICATIVOS",
                   "FALLA_MASIVA_APLICATIVO"],
        "closure_reasons": ["INCONVENIENTE_CONECTIVIDAD", "INTERMITENCIA",
                            "MANTENIMIENTO_APLICATIVOS",
                            "FALLA_MASIVA_APLICATIVO", "ERROR_USUARIO"]},
    "EVENTO_NO_PREVISTO": {
        "causes": ["CORTE_LUZ", "INUNDACION", "INFRAESTRUCTURA"],
        "closure_reasons": ["INFRAESTRUCTURA_PUNTO", "SIN_FLUIDO_ELECTRICO",
                            "ERROR_USUARIO"]},
    "PRUEBA": {"causes": [], "closure_reasons": ["ERROR_USUARIO"]},
}
ROLES = ["JEFE", "FALLAS", "SOPORTE", "CONTROL", "PROCESOS", "ONLINE",
         "GERENTE", "DIRECTOR", "REGULATORIO", "RECLAMOS", "ADMIN"]
EVENT_FIELDS = [
    "id", "number", "point", "procedure", "requests", "applications",
    "scenario", "cause", "mass_failure_id", "started_at", "ended_at",
    "status", "closure_reason", "justification", "origin",
    "manual_form_ref", "registered_at", "registered_by", "closed_by",
    "reportable", "report_due"]

ANY = object()          # assertError: do not check the field
_NOBODY = object()


class Context:
    """The server under test; filled in by run.py."""

    def __init__(self, inop, tmp, db, host, port, admin_password, proc,
                 run_id, keep):
        self.inop = inop
        self.tmp = tmp
        self.db = db
        self.host = host
        self.port = port
        self.admin_password = admin_password
        self.proc = proc
        self.run_id = run_id
        self.keep = keep


CTX = None


# --------------------------------------------------------------------------
# HTTP

class Resp:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self._json = _NOBODY

    @property
    def json(self):
        if self._json is _NOBODY:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def header(self, name):
        return self.headers.get(name)

    def header_all(self, name):
        return self.headers.get_all(name) or []

    @property
    def error(self):
        j = self.json
        if isinstance(j, dict) and isinstance(j.get("error"), dict):
            return j["error"]
        return None

    def __repr__(self):
        text = self.body[:600].decode("utf-8", "replace")
        return "<HTTP %s %s: %s>" % (self.status, self.reason, text)


def http_request(method, path, body=None, headers=None, timeout=30,
                 host=None, port=None):
    """One request on a fresh connection; body is bytes or None."""
    host = host or CTX.host
    port = port or CTX.port
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return Resp(r.status, r.reason, r.headers, data)
    finally:
        conn.close()


class Client:
    """One identity.  token -> Authorization: Bearer; cookies -> Cookie;
    csrf is sent as X-CSRF-Token only when send_csrf is true."""

    def __init__(self, token=None, cookies=None, csrf=None, user=None,
                 username=None, password=None, port=None):
        self.port = port
        self.token = token
        self.cookies = dict(cookies or {})
        self.csrf = csrf
        self.user = user
        self.username = username
        self.password = password

    def request(self, method, path, body=_NOBODY, raw=None, headers=None,
                send_csrf=False, content_type="application/json",
                timeout=30):
        hdrs = {}
        data = None
        if raw is not None:
            data = raw
        elif body is not _NOBODY:
            data = json.dumps(body).encode("utf-8")
        if data is not None and content_type:
            hdrs["Content-Type"] = content_type
        if self.token:
            hdrs["Authorization"] = "Bearer " + self.token
        if self.cookies:
            hdrs["Cookie"] = "; ".join(
                "%s=%s" % kv for kv in self.cookies.items())
        if send_csrf and self.csrf:
            hdrs["X-CSRF-Token"] = self.csrf
        hdrs.update(headers or {})
        return http_request(method, path, data, hdrs, timeout=timeout,
                            port=self.port)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=_NOBODY, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=_NOBODY, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=_NOBODY, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


ANON = Client()


class _BytesSock:
    def __init__(self, data):
        self._data = data

    def makefile(self, *_a, **_k):
        return io.BytesIO(self._data)


def parse_raw_response(data, method="POST"):
    """bytes of one HTTP/1.1 response -> Resp (None if none at all)."""
    if not data:
        return None
    r = http.client.HTTPResponse(_BytesSock(data), method=method)
    r.begin()
    try:
        body = r.read()
    except http.client.IncompleteRead as e:
        body = e.partial
    return Resp(r.status, r.reason, r.headers, body)


def raw_exchange(head, chunks=(), timeout=30):
    """Send `head` then each chunk on one socket, stopping early when the
    server answers (or resets); -> Resp or None.  For bodies the server
    may refuse before reading them."""
    s = socket.create_connection((CTX.host, CTX.port), timeout=timeout)
    buf = b""
    try:
        try:
            s.sendall(head)
            for chunk in chunks:
                readable, _w, _x = select.select([s], [], [], 0)
                if readable:
                    break
                s.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        s.settimeout(10)
        while True:
            try:
                d = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not d:
                break
            buf += d
    finally:
        s.close()
    return parse_raw_response(buf)


def big_post(client, path, size, chunked=False, fill=b"x"):
    """POST a JSON string body of about `size` bytes with Content-Length
    (or chunked); -> Resp, or None when the server answered nothing."""
    hdrs = ["POST %s HTTP/1.1" % path, "Host: %s:%d" % (CTX.host, CTX.port),
            "Content-Type: application/json", "Connection: close"]
    if client is not None and client.token:
        hdrs.append("Authorization: Bearer " + client.token)
    prefix, suffix = b'{"text":"', b'"}'
    n = size - len(prefix) - len(suffix)
    piece = 64 * 1024
    parts = [prefix] + [fill * min(piece, n - i)
                        for i in range(0, n, piece)] + [suffix]
    if chunked:
        hdrs.append("Transfer-Encoding: chunked")
        chunks = [b"%x\r\n%s\r\n" % (len(c), c) for c in parts]
        chunks.append(b"0\r\n\r\n")
    else:
        hdrs.append("Content-Length: %d" % (len(prefix) + n + len(suffix)))
        chunks = parts
    head = ("\r\n".join(hdrs) + "\r\n\r\n").encode()
    return raw_exchange(head, chunks)


def parse_set_cookie(resp):
    """{name: (value, {attr_lower: value_or_True})} from Set-Cookie."""
    out = {}
    for line in resp.header_all("Set-Cookie"):
        parts = [p.strip() for p in line.split(";")]
        if not parts or "=" not in parts[0]:
            continue
        name, value = parts[0].split("=", 1)
        attrs = {}
        for p in parts[1:]:
            if "=" in p:
                k, v = p.split("=", 1)
                attrs[k.strip().lower()] = v.strip()
            elif p:
                attrs[p.lower()] = True
        out[name.strip()] = (value.strip(), attrs)
    return out


def login_resp(username, password):
    return ANON.post("/api/v1/session",
                     {"username": username, "password": password})


def login(username, password):
    r = login_resp(username, password)
    if r.status != 200 or not isinstance(r.json, dict) \
            or not r.json.get("token"):
        raise AssertionError("login of %r failed: %r" % (username, r))
    j = r.json
    return Client(token=j["token"], cookies=None, csrf=j.get("csrf_token"),
                  user=j.get("user"), username=username, password=password)


def cookie_login(username, password):
    """A browser-like client: cookie only, no bearer token."""
    r = login_resp(username, password)
    if r.status != 200:
        raise AssertionError("login of %r failed: %r" % (username, r))
    cookies = {k: v for k, (v, _a) in parse_set_cookie(r).items()}
    if "inop_session" not in cookies:
        raise AssertionError("login set no inop_session cookie: %r"
                             % r.header_all("Set-Cookie"))
    return Client(token=None, cookies={"inop_session":
                                       cookies["inop_session"]},
                  csrf=r.json.get("csrf_token"), user=r.json.get("user"),
                  username=username, password=password)


# --------------------------------------------------------------------------
# Fixtures created through the API

_lock = threading.Lock()
_counter = [0]
_admin = [None]
_role_clients = {}


def unique(prefix):
    with _lock:
        _counter[0] += 1
        n = _counter[0]
    return "%s%s%04d" % (prefix, CTX.run_id, n)


def admin():
    if _admin[0] is None:
        _admin[0] = login("admin", CTX.admin_password)
    return _admin[0]


def point_body(type_="CAC", lines=None, region="Lima", code=None, name=None):
    code = code or unique("P")
    body = {"code": code, "name": name or "Punto de prueba " + code,
            "type": type_, "region": region}
    if lines is not None:
        body["lines"] = lines
    return body


def create_point(type_="CAC", lines=None, region="Lima", code=None,
                 name=None):
    if type_ == "CALL_CENTER" and lines is None:
        lines = ["123"]
    body = point_body(type_, lines, region, code, name)
    r = admin().post("/api/v1/points", body)
    if r.status != 201:
        raise AssertionError("could not create point %r: %r" % (body, r))
    return r.json


def user_body(roles, points=(), username=None, password=None, name=None):
    username = username or unique("u").lower()
    return {"username": username,
            "password": password or "clave-segura-" + username,
            "name": name or "Usuario " + username,
            "email": username + "@example.com",
            "roles": list(roles), "points": list(points)}


def create_user(roles, points=(), username=None, password=None):
    """-> (username, password, reply json)"""
    body = user_body(roles, points, username, password)
    r = admin().post("/api/v1/users", body)
    if r.status != 201:
        raise AssertionError("could not create user %r: %r" % (body, r))
    return body["username"], body["password"], r.json


def user_client(roles, points=()):
    username, password, _ = create_user(roles, points)
    return login(username, password)


def role_client(role):
    """A cached logged-in user holding just `role` (no points)."""
    with _lock:
        c = _role_clients.get(role)
    if c is None:
        c = user_client([role])
        with _lock:
            _role_clients[role] = c
    return c


# --------------------------------------------------------------------------
# Time and the Peruvian calendar (SPEC D1, D2), computed independently

def now():
    return dt.datetime.now(dt.timezone.utc)


def iso(t, tz=LIMA):
    return t.astimezone(tz).isoformat(timespec="seconds")


def iso_z(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    return dt.datetime.fromisoformat(s)


def lima_date(t):
    return t.astimezone(LIMA).date()


def easter(year):
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def peru_holidays(year):
    fixed = [(1, 1), (5, 1), (6, 7), (6, 29), (7, 23), (7, 28), (7, 29),
             (8, 6), (8, 30), (10, 8), (11, 1), (12, 8), (12, 9), (12, 25)]
    days = {dt.date(year, m, d) for m, d in fixed}
    e = easter(year)
    days.add(e - dt.timedelta(days=3))
    days.add(e - dt.timedelta(days=2))
    return days


def is_business_day(d):
    return d.weekday() < 5 and d not in peru_holidays(d.year)


def add_business_days(d, n):
    while n > 0:
        d += dt.timedelta(days=1)
        if is_business_day(d):
            n -= 1
    return d


# --------------------------------------------------------------------------
# Events

def event_payload(point, procedure="CONSULTAS", requests=None,
                  applications=None, scenario="EVENTO_NO_PREVISTO",
                  cause="CORTE_LUZ", started_at=None, attest_total=True,
                  **extra):
    if started_at is None:
        started_at = iso(now() - dt.timedelta(minutes=30))
    body = {"point": point, "procedure": procedure,
            "requests": requests if requests is not None
            else [DEFAULT_REQUEST[procedure]],
            "applications": applications if applications is not None
            else ["SIAC_UNICO"],
            "scenario": scenario, "started_at": started_at,
            "attest_total": attest_total}
    if scenario == "PRUEBA" and cause == "CORTE_LUZ":
        cause = None
    if cause is not None:
        body["cause"] = cause
    body.update(extra)
    return body


def manual_form(point, client=None):
    """K1: reserve the next paper-form serial of `point` -> serial."""
    r = (client or admin()).post("/api/v1/manual-forms", {"point": point})
    if r.status != 201:
        raise AssertionError("could not issue a manual form for %r: %r"
                             % (point, r))
    return r.json["serial"]


def seq_of(number):
    m = NUMBER_RE.match(number or "")
    if not m:
        raise AssertionError("not an INOP number: %r" % (number,))
    return int(m.group(1)), int(m.group(2))


def username_of(who):
    """registered_by/closed_by/actor may be a username or an object."""
    if isinstance(who, dict):
        return who.get("username")
    return who


def events_total(client=None, query=""):
    r = (client or admin()).get("/api/v1/events" + query)
    if r.status != 200:
        raise AssertionError("GET /api/v1/events%s: %r" % (query, r))
    return r.json["total"]


def list_total(path):
    r = admin().get(path)
    if r.status != 200:
        raise AssertionError("GET %s: %r" % (path, r))
    return r.json["total"]


class ApiTest(unittest.TestCase):
    maxDiff = 4000

    def assertStatus(self, r, status, msg=None):
        if isinstance(status, (tuple, list, set)):
            self.assertIn(r.status, status, msg or repr(r))
        else:
            self.assertEqual(r.status, status, msg or repr(r))

    def assertError(self, r, status, code=None, field=ANY):
        """Status, and the contract's error body with a Spanish message."""
        self.assertStatus(r, status)
        err = r.error
        self.assertIsNotNone(err, "no {\"error\":{...}} body: %r" % r)
        self.assertIsInstance(err.get("code"), str, repr(r))
        self.assertRegex(err["code"], r"^[A-Z][A-Z0-9_]*$", repr(r))
        if code is not None:
            self.assertEqual(err["code"], code, repr(r))
        msg = err.get("message")
        self.assertIsInstance(msg, str, repr(r))
        self.assertTrue(msg.strip(), "empty error message: %r" % r)
        self.assertNotEqual(msg, err["code"], "message is just the code")
        self.assertIn("field", err, "error has no 'field' key: %r" % r)
        if field is not ANY:
            self.assertEqual(err["field"], field, repr(r))
        return err

    def assertLimaTime(self, s, msg=None):
        self.assertIsInstance(s, str, msg)
        self.assertRegex(s, LIMA_TIME_RE, msg)

    def assertSameInstant(self, got, sent):
        self.assertLimaTime(got)
        self.assertEqual(parse_time(got), parse_time(sent),
                         "got %s, sent %s" % (got, sent))

    def register(self, client, payload):
        r = client.post("/api/v1/events", payload)
        self.assertEqual(r.status, 201, "register %r -> %r" % (payload, r))
        return r.json

    def close_event(self, client, event_id, reason="SIN_FLUIDO_ELECTRICO",
                    ended_at=None, justification=None, expect=200):
        body = {"ended_at": ended_at or iso(now() - dt.timedelta(minutes=1)),
                "closure_reason": reason}
        if justification is not None:
            body["justification"] = justification
        r = client.post("/api/v1/events/%s/close" % event_id, body)
        if expect is not None:
            self.assertEqual(r.status, expect, "close %s %r -> %r"
                             % (event_id, body, r))
        return r

    def get_event(self, event_id, client=None):
        r = (client or admin()).get("/api/v1/events/%s" % event_id)
        self.assertEqual(r.status, 200, repr(r))
        return r.json


class JefeTest(ApiTest):
    """A class with one JEFE assigned to a pool of fresh CAC points; each
    test takes points from the pool so tests never share an open event."""
    POOL = 12

    @classmethod
    def setUpClass(cls):
        cls.points = [create_point()["code"] for _ in range(cls.POOL)]
        cls.jefe = user_client(["JEFE"], cls.points)
        cls._free = list(cls.points)

    def take_point(self):
        if not self._free:
            self.fail("point pool of %s exhausted; raise POOL"
                      % type(self).__name__)
        return self._free.pop(0)


# --------------------------------------------------------------------------
# Processes

def reserve_port(host="127.0.0.1"):
    """-> (socket, port): a port of `host` held by a socket bound to it
    with SO_REUSEADDR but not listening.  While the socket is open,
    connections to the port are refused, no other program can bind it
    and the kernel never hands it out as an outgoing connection's port;
    a server that also sets SO_REUSEADDR (libmicrohttpd, aiosmtpd and
    PostgreSQL do) can still listen on it.  So the port is taken by
    binding and passed on, never guessed: close the socket to free it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 0))
    return s, s.getsockname()[1]


def wait_for(what, probe, timeout=60, interval=0.05):
    """Poll probe() until it returns something true, and return that;
    AssertionError naming `what` (and probe's last value) after
    `timeout` seconds.  Deadlines are generous: CI is a loaded 2-core
    machine, and a condition that holds returns at once anyway."""
    deadline = time.monotonic() + timeout
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %ss (last: %r)"
                                 % (what, timeout, last))
        time.sleep(interval)


def run_inop(args, timeout=60, input_=None, cwd=None):
    """Run the binary under test; -> CompletedProcess (bytes output)."""
    return subprocess.run([CTX.inop] + [str(a) for a in args],
                          capture_output=True, timeout=timeout,
                          input=input_, cwd=cwd or CTX.tmp,
                          stdin=None if input_ is not None
                          else subprocess.DEVNULL)


def write_secret(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")
    os.chmod(path, 0o600)
    return path


class Server:
    """`inop serve` on a loopback port reserved for it (reserve_port()),
    log in LOGFILE."""

    def __init__(self, inop, db, workdir, name="serve", extra=(),
                 extra_args=()):
        self.inop = inop
        self.db = db
        self._hold, self.port = reserve_port()
        self.logpath = os.path.join(workdir, name + ".log")
        self.log = open(self.logpath, "ab")
        self.proc = subprocess.Popen(
            [inop, "serve", "--db", db, "--listen",
             "127.0.0.1:%d" % self.port] + [str(a) for a in
                                            list(extra) + list(extra_args)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=workdir,
            stdin=subprocess.DEVNULL)

    def wait_healthy(self, timeout=60):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("inop serve exited with %s before "
                                   "answering /healthz\n%s"
                                   % (self.proc.returncode, self.log_tail()))
            try:
                r = http_request("GET", "/healthz", host="127.0.0.1",
                                 port=self.port, timeout=10)
                if r.status == 200:
                    return
                last = r
            except OSError as e:
                last = e
            time.sleep(0.1)
        raise RuntimeError("no 200 from /healthz within %ss (last: %r)\n%s"
                           % (timeout, last, self.log_tail()))

    def stop(self, timeout=10):
        """SIGTERM; -> exit code, or None when it did not exit in time
        (then it is killed).  Frees the port."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                rc = None
        else:
            rc = self.proc.returncode
        self.log.close()
        self._hold.close()
        return rc

    def log_tail(self, n=4000):
        try:
            if not self.log.closed:
                self.log.flush()
            with open(self.logpath, "rb") as f:
                data = f.read()
            return data[-n:].decode("utf-8", "replace")
        except OSError:
            return ""
