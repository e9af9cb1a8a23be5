#!/usr/bin/env python3
"""Several inop nodes on one database: the race of a mass failure.

    tests/nodes/run.py --inop build/inop [--nodes 2] [--points 600]

Uses INOP_TEST_DB_URL (a PostgreSQL database, see tests/pg/with-postgres.sh)
or, without it, a SQLite file served by one node.  Checks:
- a session created on node A works on node B (nodes share nothing else);
- POINTS x 4 procedures registered concurrently by many clients, every
  (point, procedure) sent to EVERY node at the same moment: exactly one 201
  per pair and 409 DUPLICATE_OPEN_EVENT for the others; every 201 is in the
  register exactly once; numbers are unique and gapless;
- `inop audit verify` passes afterwards;
- `inop copy` to a new SQLite file and back into a new database of the
  source's kind keeps every row of every table and the audit chain.
Exit 0 only when everything holds.
"""
import argparse, concurrent.futures, json, os, shutil, signal, socket
import subprocess, sys, tempfile, threading, time, urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

PROCS = {"RECLAMOS": "RECLAMO", "ALTAS": "CONTRATACION",
         "BAJAS": "BAJA_SERVICIO", "CONSULTAS": "MIGRACION_PLAN"}
FAILURES = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def reserve_port():
    """-> (socket, port): a loopback port held by a socket bound with
    SO_REUSEADDR and not listening, so nothing else can take it while
    `inop serve` (libmicrohttpd sets SO_REUSEADDR too) listens on it;
    see tests/api/inoptest.py.  Closed after the node stops."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


def call(port, method, path, body=None, token=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                 data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def start_node(inop, db, tmp, i, holds):
    hold, port = reserve_port()
    holds.append(hold)
    logpath = os.path.join(tmp, "node%d.log" % i)
    log = open(logpath, "w")
    p = subprocess.Popen([inop, "serve", "--db", db, "--listen",
                          "127.0.0.1:%d" % port, "--threads", "8",
                          # 48 clients from one address stand for many
                          # clients behind one proxy (docs/operations.md)
                          "--max_connections_per_address", "1000"],
                         stdout=log, stderr=subprocess.STDOUT)
    # Ready when /healthz answers; a generous deadline for a loaded CI
    # machine (and ASan), failing at once if the node exits.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if p.poll() is not None:
            break
        try:
            if call(port, "GET", "/healthz", timeout=10)[0] == 200:
                return p, port
        except OSError:
            pass
        time.sleep(0.05)
    if p.poll() is None:
        p.kill()
        p.wait()
    with open(logpath) as f:
        raise SystemExit("node %d did not answer /healthz (exit %s):\n%s"
                         % (i, p.returncode, f.read()[-2000:]))


def login(port, user, password):
    st, body = call(port, "POST", "/api/v1/session",
                    {"username": user, "password": password})
    if st != 200:
        raise SystemExit("login %s: %s %r" % (user, st, body))
    return body["token"]


def setup(port, admin, npoints, run):
    codes = ["N%s%04d" % (run, i) for i in range(npoints)]

    def point(code):
        st, b = call(port, "POST", "/api/v1/points",
                     {"code": code, "name": "Punto " + code, "type": "CAC",
                      "region": "Lima"}, admin)
        assert st == 201, (st, b)
    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(point, codes))
    password = "jefe-password-" + run
    st, b = call(port, "POST", "/api/v1/users",
                 {"username": "jefe" + run.lower(), "password": password,
                  "name": "Jefe", "email": "jefe@x.pe", "roles": ["JEFE"],
                  "points": codes}, admin)
    assert st == 201, (st, b)
    return codes, "jefe" + run.lower(), password


def race(ports, token, codes):
    start = (datetime.now(timezone(timedelta(hours=-5))) -
             timedelta(minutes=10)).isoformat(timespec="seconds")
    # One node (SQLite): each pair twice to it, so requests still race.
    targets = ports if len(ports) > 1 else ports * 2
    jobs = [(c, p, port) for c in codes for p in PROCS for port in targets]
    results = []
    lock = threading.Lock()

    def one(job):
        code, proc, port = job
        body = {"point": code, "procedure": proc, "requests": [PROCS[proc]],
                "applications": ["SIAC_UNICO"],
                "scenario": "EVENTO_NO_PREVISTO", "cause": "CORTE_LUZ",
                "started_at": start, "attest_total": True}
        st, b = call(port, "POST", "/api/v1/events", body, token)
        with lock:
            results.append((code, proc, port, st, b))
    # Interleave so that the copies of one pair go out back to back.
    with concurrent.futures.ThreadPoolExecutor(48) as ex:
        list(ex.map(one, jobs))
    return results


def register(port, token):
    items, offset = [], 0
    while True:
        st, b = call(port, "GET", "/api/v1/events?limit=500&offset=%d"
                     % offset, None, token)
        assert st == 200, (st, b)
        items += b["items"]
        offset += 500
        if offset >= b["total"]:
            return items, b["total"]


def table_dump(db_file):
    import sqlite3
    con = sqlite3.connect(db_file)
    out = {}
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE "
                            "type='table' AND name NOT LIKE 'sqlite_%'"):
        if t == "schema_migrations":
            continue
        rows = con.execute("SELECT * FROM %s" % t).fetchall()
        out[t] = sorted(tuple("" if v is None else str(v) for v in r)
                        for r in rows)
    con.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--nodes", type=int, default=2)
    ap.add_argument("--points", type=int, default=600)
    a = ap.parse_args()
    inop = os.path.abspath(a.inop)
    tmp = tempfile.mkdtemp(prefix="inop-nodes-")
    url = os.environ.get("INOP_TEST_DB_URL")
    db = url or os.path.join(tmp, "inop.db")
    nodes = a.nodes if url else 1
    print("database: %s; nodes: %d; points: %d" %
          ("PostgreSQL" if url else "SQLite", nodes, a.points))
    pw = os.path.join(tmp, "pw")
    with open(pw, "w") as f:
        f.write("admin-password-nodes\n")
    os.chmod(pw, 0o600)
    subprocess.run([inop, "init", "--db", db, "--admin-password-file", pw],
                   check=True, stdout=subprocess.DEVNULL)
    procs, holds = [], []
    try:
        for i in range(nodes):
            procs.append(start_node(inop, db, tmp, i, holds))
        ports = [port for _, port in procs]
        admin = login(ports[0], "admin", "admin-password-nodes")
        for port in ports[1:]:
            st, b = call(port, "GET", "/api/v1/session", None, admin)
            check(st == 200 and b["user"]["username"] == "admin",
                  "a session created on node A works on node B")
        run = os.urandom(2).hex().upper()
        codes, user, password = setup(ports[0], admin, a.points, run)
        token = login(ports[-1], user, password)
        t0 = time.time()
        results = race(ports, token, codes)
        dt = time.time() - t0
        print("%d requests in %.1f s (%.0f/s)" % (len(results), dt,
                                                  len(results) / dt))
        by_pair = {}
        for code, proc, port, st, b in results:
            by_pair.setdefault((code, proc), []).append((st, b))
        copies = max(nodes, 2)
        pairs_ok = all(sorted(s for s, _ in v) == [201] + [409] * (copies - 1)
                       for v in by_pair.values())
        check(len(by_pair) == a.points * 4 and pairs_ok,
              "each of %d (point, procedure) pairs: exactly one 201, "
              "the rest 409" % (a.points * 4))
        dups = [b for v in by_pair.values() for s, b in v if s == 409]
        check(all(b["error"]["code"] == "DUPLICATE_OPEN_EVENT"
                  for b in dups), "every 409 is DUPLICATE_OPEN_EVENT")
        created = {b["number"]: (b["point"]["code"], b["procedure"])
                   for v in by_pair.values() for s, b in v if s == 201}
        items, total = register(ports[0], admin)
        mine = {e["number"]: (e["point"]["code"], e["procedure"])
                for e in items if e["point"]["code"] in set(codes)}
        check(len(items) == total and
              len({e["number"] for e in items}) == len(items),
              "numbers in the register are unique (%d events)" % total)
        check(mine == created,
              "every 201 is in the register exactly once, as answered")
        seqs = sorted(int(e["number"].rsplit("-", 1)[1]) for e in items
                      if e["number"].startswith("INOP-%s-" %
                                                e["number"][5:9]))
        check(seqs == list(range(1, len(seqs) + 1)),
              "numbers are gapless 1..%d" % len(seqs))
    finally:
        for p, _ in procs:
            p.send_signal(signal.SIGTERM)
        for p, _ in procs:
            check(p.wait(timeout=30) == 0, "node exits 0 on SIGTERM")
        for hold in holds:
            hold.close()
    r = subprocess.run([inop, "audit", "verify", "--db", db],
                       capture_output=True, text=True)
    check(r.returncode == 0, "audit verify: " + r.stdout.strip())
    # Copy round trip: source -> SQLite -> new database of the same kind.
    mid = os.path.join(tmp, "copy.db")
    r = subprocess.run([inop, "copy", "--from", db, "--to", mid],
                       capture_output=True, text=True)
    check(r.returncode == 0, "copy to SQLite: " + (r.stderr.strip()
                                                  or "ok"))
    if url:
        admin_url = os.environ["INOP_TEST_PG_ADMIN_URL"]
        subprocess.run([os.path.join(os.environ["INOP_TEST_PG_BINDIR"],
                                     "psql"), "-q", admin_url, "-c",
                        "CREATE DATABASE inop_back"], check=True)
        back_url = url.rsplit("/", 1)[0] + "/inop_back"
        r = subprocess.run([inop, "copy", "--from", mid, "--to", back_url],
                           capture_output=True, text=True)
        check(r.returncode == 0, "copy back to PostgreSQL: " +
              (r.stderr.strip() or "ok"))
        final = os.path.join(tmp, "final.db")
        r = subprocess.run([inop, "copy", "--from", back_url, "--to",
                            final], capture_output=True, text=True)
        check(r.returncode == 0, "copy out again for comparison")
        check(table_dump(mid) == table_dump(final),
              "SQLite -> PostgreSQL -> SQLite keeps every row of every "
              "table")
    else:
        back = os.path.join(tmp, "back.db")
        r = subprocess.run([inop, "copy", "--from", mid, "--to", back],
                           capture_output=True, text=True)
        check(r.returncode == 0, "copy back")
        check(table_dump(db) == table_dump(back),
              "the copy keeps every row of every table")
    shutil.rmtree(tmp, ignore_errors=True)
    print("%d check(s) failed" % len(FAILURES) if FAILURES else
          "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
