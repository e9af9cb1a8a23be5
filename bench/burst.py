#!/usr/bin/env python3
"""The mass-failure burst of issue 16 item 5, against a running inop
(python3 stdlib only; bench/burst.sh starts the servers and calls this).

  burst  POINTS x 4 registrations (RECLAMOS/RECLAMO, ALTAS/CONTRATACION,
         BAJAS/BAJA_SERVICIO, CONSULTAS/MIGRACION_PLAN), an unforeseen
         power cut as in tests/nodes/run.py race(), sent by CLIENTS
         concurrent clients; measured: wall time from the first send to
         the last 201.  Every answer must be 201 and the register must
         then hold exactly that many events, else the run is INVALID.
  m3     FALLAS declares a mass failure; the same POINTS x 4 registrations
         as FALLA_MASIVA events attached to it (timed too, for
         information); then SOPORTE closes the failure (SPEC M3) with one
         request, timed from sending it to the end of its answer.  Checked
         afterwards: the answer says POINTS x 4 events closed, the register
         holds no open event and that many closed ones with the failure's
         reason and SOPORTE as closer, /metrics counts that many more mails
         waiting (one "event.closed" mail to the CONTROL mailbox each: the
         server must run with --mailbox_control) and a sample of the
         events has its "event.close" audit record.

The points P0001.. and JEFE users owning them (--per-user points each, in
order, user 0 first) are made beforehand by bench/setup.py; their tokens
are in --tokens, the admin's in --admin-token.

The clients are threads, each with its own keep-alive TCP connection,
connected before the clock starts; they take the next request of a list
built beforehand (the bytes of every request ready) and read the answer
with a minimal HTTP/1.1 parser, so the client's own cost per request is a
send and a receive (its CPU time is printed: CLIENT_CPU).  wrk is not
used: it runs for a fixed duration, not for a fixed number of requests,
so it cannot time "first send to last answer" of exactly 2,400 of them.

Prints one line "RESULT k=v ..." (and human lines before it) and exits 0
when the run is valid, 2 when it is INVALID (RESULT says why), 1 when it
could not run at all.
"""
import argparse
import datetime as dt
import itertools
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse

PROCS = [("RECLAMOS", "RECLAMO"), ("ALTAS", "CONTRATACION"),
         ("BAJAS", "BAJA_SERVICIO"), ("CONSULTAS", "MIGRACION_PLAN")]
LIMA = dt.timezone(dt.timedelta(hours=-5))
ROLE_PASSWORD = "bench-role-password-2026"
CLOSURE_REASON = "FALLA_MASIVA_APLICATIVO"
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*([0-9]+)", re.I)


class Invalid(Exception):
    """The run went wrong in a way that makes its time meaningless."""


def lima(minutes_ago=0):
    t = dt.datetime.now(LIMA) - dt.timedelta(minutes=minutes_ago)
    return t.isoformat(timespec="seconds")


class Conn:
    """One keep-alive HTTP/1.1 connection with just enough parsing for
    inop's answers (always Content-Length, never chunked)."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.sock = socket.create_connection((host, port), timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def request_bytes(self, method, path, body=None, token=None):
        head = ["%s %s HTTP/1.1" % (method, path),
                "Host: %s:%d" % (self.host, self.port)]
        if token:
            head.append("Authorization: Bearer " + token)
        data = b""
        if body is not None:
            data = json.dumps(body).encode()
            head.append("Content-Type: application/json")
        if body is not None or method in ("POST", "PUT", "PATCH"):
            head.append("Content-Length: %d" % len(data))
        return ("\r\n".join(head) + "\r\n\r\n").encode() + data

    def roundtrip(self, raw):
        """-> (status, body bytes) of one request sent as raw bytes."""
        self.sock.sendall(raw)
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Invalid("the server closed a connection")
            self.buf += chunk
        head = self.buf[:end]
        m = CONTENT_LENGTH.search(head)
        if not m:
            raise Invalid("an answer without Content-Length: %r" % head[:200])
        n = int(m.group(1))
        rest = self.buf[end + 4:]
        while len(rest) < n:
            chunk = self.sock.recv(max(65536, n - len(rest)))
            if not chunk:
                raise Invalid("the server closed a connection mid-answer")
            rest += chunk
        self.buf = rest[n:]
        return int(head[9:12]), rest[:n]

    def call(self, method, path, body=None, token=None, expect=(200, 201)):
        """-> decoded JSON answer; SystemExit on an unexpected status."""
        st, raw = self.roundtrip(self.request_bytes(method, path, body, token))
        if st not in expect:
            raise SystemExit("burst: %s %s answered %d: %s" % (
                method, path, st, raw[:400].decode("utf-8", "replace")))
        return json.loads(raw) if raw else None

    def close(self):
        self.sock.close()


def proc_cpu(pid):
    """CPU seconds (user + system) of process pid so far, or None."""
    if not pid:
        return None
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def metric(conn, name):
    """The value of `name` in /metrics (loopback may read it)."""
    st, raw = conn.roundtrip(conn.request_bytes("GET", "/metrics"))
    if st != 200:
        raise SystemExit("burst: GET /metrics answered %d" % st)
    for line in raw.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise SystemExit("burst: /metrics has no %s" % name)


def send_all(host, port, requests, clients, server_pid):
    """Sends every request (bytes) from `clients` threads with their own
    connection; -> dict of the measurements.  Raises Invalid."""
    conns = [Conn(host, port) for _ in range(clients)]
    counter = itertools.count()
    results = [None] * len(requests)   # (status, t_sent, t_answered)
    errors = []
    start = threading.Barrier(clients + 1)

    def client(conn):
        try:
            start.wait()
            while True:
                i = next(counter)
                if i >= len(requests):
                    return
                t0 = time.perf_counter()
                st, body = conn.roundtrip(requests[i])
                t1 = time.perf_counter()
                results[i] = (st, t0, t1, body if st != 201 else None)
        except (Invalid, OSError) as e:
            errors.append(str(e))
            try:            # release the others if still at the barrier
                start.abort()
            except threading.BrokenBarrierError:
                pass

    threads = [threading.Thread(target=client, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    cpu0, srv0 = time.process_time(), proc_cpu(server_pid)
    try:
        start.wait()
    except threading.BrokenBarrierError:
        pass
    for t in threads:
        t.join()
    cpu1, srv1 = time.process_time(), proc_cpu(server_pid)
    for c in conns:
        c.close()
    if errors:
        raise Invalid(errors[0])
    done = [r for r in results if r is not None]
    if len(done) != len(requests):
        raise Invalid("%d of %d requests were not answered"
                      % (len(requests) - len(done), len(requests)))
    statuses = {}
    sample = None
    for st, _, _, body in done:
        statuses[st] = statuses.get(st, 0) + 1
        if st != 201 and sample is None:
            sample = "%d %s" % (st, body[:200].decode("utf-8", "replace"))
    first = min(r[1] for r in done)
    last = max(r[2] for r in done)
    lat = sorted(r[2] - r[1] for r in done)
    out = {"seconds": last - first, "n201": statuses.get(201, 0),
           "other": len(done) - statuses.get(201, 0),
           "p50_ms": 1000 * lat[len(lat) // 2],
           "p99_ms": 1000 * lat[min(len(lat) - 1, len(lat) * 99 // 100)],
           "client_cpu": cpu1 - cpu0,
           "server_cpu": (srv1 - srv0) if srv0 is not None and srv1 is not None
           else None}
    if out["other"]:
        raise Invalid("%d of %d answers were not 201 (statuses %s; first: %s)"
                      % (out["other"], len(done), statuses, sample))
    return out


def registrations(conn, points, per_user, tokens, extra):
    """The bytes of POINTS x 4 registrations: combination c is point
    c % POINTS with procedure c // POINTS, by the JEFE owning the point."""
    started = lima(10)
    out = []
    for c in range(points * len(PROCS)):
        p = c % points
        proc, request = PROCS[c // points]
        body = {"point": "P%04d" % (p + 1), "procedure": proc,
                "requests": [request], "applications": ["SIAC_UNICO"],
                "started_at": started, "attest_total": True}
        body.update(extra)
        out.append(conn.request_bytes("POST", "/api/v1/events", body,
                                      tokens[p // per_user]))
    return out


def count_events(conn, token, status):
    return conn.call("GET", "/api/v1/events?limit=1&status=" + status,
                     token=token, expect=(200,))["total"]


def role_user(conn, admin, role):
    """A user holding just `role`; -> (username, token)."""
    username = "bench-" + role.lower()
    conn.call("POST", "/api/v1/users",
              {"username": username, "password": ROLE_PASSWORD,
               "name": "Bench " + role, "email": username + "@bench.invalid",
               "roles": [role], "points": []}, token=admin, expect=(201,))
    ans = conn.call("POST", "/api/v1/session",
                    {"username": username, "password": ROLE_PASSWORD},
                    expect=(200,))
    return username, ans["token"]


def fmt(d):
    return " ".join("%s=%s" % (k, ("%.4f" % v) if isinstance(v, float)
                                else v) for k, v in d.items())


def run_burst(a, conn, host, port, tokens, admin):
    reqs = registrations(conn, a.points, a.per_user, tokens,
                         {"scenario": "EVENTO_NO_PREVISTO",
                          "cause": "CORTE_LUZ"})
    before = count_events(conn, admin, "OPEN")
    m = send_all(host, port, reqs, a.clients, a.server_pid)
    after = count_events(conn, admin, "OPEN")
    if after - before != len(reqs):
        raise Invalid("%d answers 201 but the register gained %d open events"
                      % (len(reqs), after - before))
    print("burst: %d registrations from %d clients, all 201, in %.3f s "
          "(p50 %.1f ms, p99 %.1f ms; CPU: client %.2f s, server %s s)"
          % (len(reqs), a.clients, m["seconds"], m["p50_ms"], m["p99_ms"],
             m["client_cpu"], "?" if m["server_cpu"] is None
             else "%.2f" % m["server_cpu"]))
    return {"requests": len(reqs), "seconds": m["seconds"],
            "p50_ms": m["p50_ms"], "p99_ms": m["p99_ms"],
            "client_cpu_s": m["client_cpu"],
            "server_cpu_s": m["server_cpu"]
            if m["server_cpu"] is not None else "?"}


def run_m3(a, conn, host, port, tokens, admin):
    fallas_name, fallas = role_user(conn, admin, "FALLAS")
    soporte_name, soporte = role_user(conn, admin, "SOPORTE")
    mf = conn.call("POST", "/api/v1/mass-failures",
                   {"applications": ["SIAC_UNICO"], "started_at": lima(30),
                    "cause": "FALLA_MASIVA_APLICATIVO",
                    "description": "SIAC ÚNICO no responde en todo el país "
                                   "(bench)"},
                   token=fallas, expect=(201,))
    reqs = registrations(conn, a.points, a.per_user, tokens,
                         {"scenario": "FALLA_MASIVA",
                          "cause": "FALLA_MASIVA_APLICATIVO",
                          "mass_failure_id": mf["id"]})
    reg = send_all(host, port, reqs, a.clients, a.server_pid)
    n = len(reqs)
    print("m3: %d FALLA_MASIVA registrations attached to mass failure %s "
          "in %.3f s (not a target)" % (n, mf["id"], reg["seconds"]))
    got = conn.call("GET", "/api/v1/mass-failures/%s" % mf["id"],
                    token=soporte, expect=(200,))
    if got.get("open_events") not in (None, n):
        raise Invalid("the failure has %s open events, not %d"
                      % (got.get("open_events"), n))
    open_before = count_events(conn, admin, "OPEN")
    if open_before != n:
        raise Invalid("%d open events before the closure, not %d"
                      % (open_before, n))
    mails_before = metric(conn, "inop_outbox_pending_mails")

    # The timed request, on a connection that is already open.
    raw = conn.request_bytes("POST", "/api/v1/mass-failures/%s/close"
                             % mf["id"],
                             {"ended_at": lima(0),
                              "closure_reason": CLOSURE_REASON}, soporte)
    srv0 = proc_cpu(a.server_pid)
    t0 = time.perf_counter()
    st, body = conn.roundtrip(raw)
    secs = time.perf_counter() - t0
    srv1 = proc_cpu(a.server_pid)
    if st != 200:
        raise Invalid("the closure answered %d: %s"
                      % (st, body[:300].decode("utf-8", "replace")))
    ans = json.loads(body)
    if ans.get("status") != "CLOSED" or ans.get("closed_events") != n:
        raise Invalid("the closure answered status %s, closed_events %s"
                      % (ans.get("status"), ans.get("closed_events")))

    # Afterwards: every event closed, with the failure's reason, by SOPORTE.
    if count_events(conn, admin, "OPEN"):
        raise Invalid("open events remain after the closure")
    closed, offset = [], 0
    while True:
        page = conn.call("GET", "/api/v1/events?status=CLOSED&limit=500"
                         "&offset=%d" % offset, token=admin, expect=(200,))
        closed += page["items"]
        offset += 500
        if offset >= page["total"]:
            break
    wrong = [e for e in closed
             if e.get("closure_reason") != CLOSURE_REASON or
             e.get("mass_failure_id") != mf["id"] or
             e.get("closed_by") != soporte_name or
             e.get("status") != "CLOSED"]
    if len(closed) != n or wrong:
        raise Invalid("%d closed events (%d not as closed by M3), not %d"
                      % (len(closed), len(wrong), n))
    mails = metric(conn, "inop_outbox_pending_mails") - mails_before
    if mails != n:
        raise Invalid("%d more mails waiting after the closure, not %d "
                      "(is --mailbox_control set?)" % (mails, n))
    step = max(1, len(closed) // a.audit_sample)
    sample = closed[::step][:a.audit_sample]
    for e in sample:
        trail = conn.call("GET", "/api/v1/events/%s/audit" % e["id"],
                          token=admin, expect=(200,))["items"]
        if not any(i.get("action") == "event.close" for i in trail):
            raise Invalid("event %s has no event.close audit record"
                          % e["number"])
    print("m3: SOPORTE closed mass failure %s with %d open events in one "
          "request: %.3f s (server CPU %s s); all %d closed, %d mails "
          "queued, audit checked on %d events"
          % (mf["id"], n, secs, "?" if srv0 is None or srv1 is None
             else "%.2f" % (srv1 - srv0), len(closed), mails,
             len(sample)))
    return {"events": n, "seconds": secs,
            "server_cpu_s": (srv1 - srv0) if srv0 is not None and
            srv1 is not None else "?",
            "register_seconds": reg["seconds"],
            "client_cpu_s": reg["client_cpu"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["burst", "m3"])
    ap.add_argument("--base", required=True)
    ap.add_argument("--tokens", required=True,
                    help="JEFE tokens, one a line (bench/setup.py)")
    ap.add_argument("--admin-token", required=True)
    ap.add_argument("--points", type=int, default=600)
    ap.add_argument("--per-user", type=int, required=True)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--server-pid", type=int, default=0,
                    help="to report the server's CPU time")
    ap.add_argument("--audit-sample", type=int, default=48,
                    help="m3: events whose audit trail is checked")
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.base)
    host, port = u.hostname, u.port
    with open(a.tokens) as f:
        tokens = [t for t in f.read().split() if t]
    with open(a.admin_token) as f:
        admin = f.read().strip()
    if len(tokens) * a.per_user < a.points:
        raise SystemExit("burst: %d tokens x %d points do not cover %d points"
                         % (len(tokens), a.per_user, a.points))
    conn = Conn(host, port)
    try:
        if a.mode == "burst":
            r = run_burst(a, conn, host, port, tokens, admin)
        else:
            r = run_m3(a, conn, host, port, tokens, admin)
    except Invalid as e:
        print("RESULT mode=%s invalid=%s" % (a.mode,
                                             str(e).replace("\n", " ")))
        sys.stdout.flush()
        sys.exit(2)
    finally:
        conn.close()
    print("RESULT mode=%s clients=%d %s" % (a.mode, a.clients, fmt(r)))


if __name__ == "__main__":
    main()
