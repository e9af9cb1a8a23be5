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
import argparse, concurrent.futures, os, shutil, signal
import subprocess, sys, tempfile, threading, time, urllib.request
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from drill import (PROCS, FAILURES, Server, call, check,  # noqa: E402
                   init_db, login, points_and_jefe, register, wait_for)


def start_node(inop, db, tmp, i, extra=()):
    """Node I on a held port, answering /healthz."""
    # 48 clients from one address stand for many clients behind one proxy
    # (docs/operations.md)
    return Server(inop, db, os.path.join(tmp, "node%d.log" % i),
                  ["--threads", "8", "--max_connections_per_address",
                   "1000"] + list(extra)).wait_ready()


def setup(port, admin, npoints, run):
    codes = ["N%s%04d" % (run, i) for i in range(npoints)]
    user, password = "jefe" + run.lower(), "jefe-password-" + run
    points_and_jefe(port, admin, codes, user, password)
    return codes, user, password


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


def metric(port, name):
    """The value of `name` in the node's /metrics (loopback: allowed)."""
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port,
                                timeout=60) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    return None


def heard(ports, admin, run):
    """PostgreSQL: node B's cached list follows a change made on node A
    because A's commit is announced (NOTIFY) and B's listener hears it."""
    a, b = ports[0], ports[1]
    check(all(metric(p, "inop_versions_listening") == 1 for p in ports),
          "every node listens for the other nodes' changes")
    code, user = "X" + run, "jefex" + run.lower()
    created_before = metric(b, "inop_versions_notifications_total")
    points_and_jefe(a, admin, [code], user, "jefe-password-x" + run)
    # The user's creation is announced too (the users' version): heard
    # before the registration's is awaited, so that one cannot stand in
    # for it.
    check(wait_for(lambda: metric(b, "inop_versions_notifications_total")
                   > created_before),
          "node B hears node A's new user")
    jefe = login(a, user, "jefe-password-x" + run)
    heard_before = metric(b, "inop_versions_notifications_total")
    st, listed = call(b, "GET", "/api/v1/events?limit=1", None, admin)
    assert st == 200, (st, listed)
    st, ev = call(a, "POST", "/api/v1/events", {
        "point": code, "procedure": "ALTAS", "requests": ["CONTRATACION"],
        "applications": ["SIAC_UNICO"], "scenario": "EVENTO_NO_PREVISTO",
        "cause": "CORTE_LUZ", "attest_total": True,
        "started_at": (datetime.now(timezone(timedelta(hours=-5))) -
                       timedelta(minutes=5)).isoformat(timespec="seconds")},
        jefe)
    check(st == 201, "a registration on node A: %s" % st)
    check(wait_for(lambda: metric(b, "inop_versions_notifications_total")
                   > heard_before),
          "node B hears node A's commit (notifications %s -> %s)"
          % (heard_before, metric(b, "inop_versions_notifications_total")))
    st, now = call(b, "GET", "/api/v1/events?limit=1", None, admin)
    check(st == 200 and now["total"] == listed["total"] + 1 and
          now["items"][0]["number"] == ev.get("number"),
          "node B's list shows it at once: total %s -> %s, first %s"
          % (listed["total"], now.get("total"),
             (now.get("items") or [{}])[0].get("number")))


def sessions(ports, admin, run):
    """PostgreSQL: a node answers a known session from memory, and a
    logout on node A ends the session on node B too (A's commit is
    announced; B's cache lets go)."""
    a, b = ports[0], ports[1]
    code, user = "S" + run, "jefes" + run.lower()
    points_and_jefe(a, admin, [code], user, "jefe-password-s" + run)
    tok = login(a, user, "jefe-password-s" + run)
    hits = metric(b, "inop_session_cache_hits_total")
    for _ in range(5):
        st, _ = call(b, "GET", "/api/v1/session", None, tok)
        assert st == 200, st
    check(metric(b, "inop_session_cache_hits_total") >= hits + 4,
          "node B answers a known session from memory (hits %s -> %s)"
          % (hits, metric(b, "inop_session_cache_hits_total")))
    st, _ = call(a, "DELETE", "/api/v1/session", None, tok)
    check(st == 204, "logout on node A: %s" % st)
    check(call(a, "GET", "/api/v1/session", None, tok)[0] == 401,
          "node A refuses the token at once")
    check(wait_for(lambda: call(b, "GET", "/api/v1/session", None,
                                tok)[0] == 401),
          "node B refuses it once it hears the logout")


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
    init_db(inop, db, "admin-password-nodes", tmp)
    procs = []
    try:
        for i in range(nodes):
            procs.append(start_node(inop, db, tmp, i))
        ports = [n.port for n in procs]
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
        odd = [(k, v) for k, v in by_pair.items()
               if sorted(s for s, _ in v) != [201] + [409] * (copies - 1)]
        check(len(by_pair) == a.points * 4 and pairs_ok,
              "each of %d (point, procedure) pairs: exactly one 201, "
              "the rest 409%s" % (a.points * 4, "" if not odd else
                                  " (%d not, e.g. %r)" % (len(odd),
                                                          odd[:2])))
        dups = [b for v in by_pair.values() for s, b in v if s == 409]
        check(all(b["error"]["code"] == "DUPLICATE_OPEN_EVENT"
                  for b in dups), "every 409 is DUPLICATE_OPEN_EVENT")
        created = {b["number"]: (b["point"]["code"], b["procedure"])
                   for v in by_pair.values() for s, b in v if s == 201}
        items = register(ports[0], admin)
        mine = {e["number"]: (e["point"]["code"], e["procedure"])
                for e in items if e["point"]["code"] in set(codes)}
        check(len({e["number"] for e in items}) == len(items),
              "numbers in the register are unique (%d events)" % len(items))
        check(mine == created,
              "every 201 is in the register exactly once, as answered")
        seqs = sorted(int(e["number"].rsplit("-", 1)[1]) for e in items
                      if e["number"].startswith("INOP-%s-" %
                                                e["number"][5:9]))
        check(seqs == list(range(1, len(seqs) + 1)),
              "numbers are gapless 1..%d" % len(seqs))
        if url and nodes > 1:
            heard(ports, admin, run)
            sessions(ports, admin, run)
    finally:
        for n in procs:
            n.proc.send_signal(signal.SIGTERM)
        for n in procs:
            check(n.stop() == 0, "node exits 0 on SIGTERM")
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
    if FAILURES:
        print("logs kept in", tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d check(s) failed" % len(FAILURES) if FAILURES else
          "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
