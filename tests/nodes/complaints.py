#!/usr/bin/env python3
"""Several inop nodes on one database: complaints at once (SPEC Q1, Q2).

    tests/nodes/complaints.py --inop build/inop [--nodes 2] [--count 200]
                              [--clients 8]

Uses INOP_TEST_DB_URL (PostgreSQL, see tests/pg/with-postgres.sh) or,
without it, a SQLite file served by one node.  Checks:
- COUNT public complaints sent by CLIENTS clients at once, spread over the
  nodes, each answered 201 with a code; the codes are unique and gapless
  (REC-YYYY-0000001 ... in the Lima year), and the RECLAMOS tray holds
  exactly them;
- the platform delivering the same external_ref to every node at the same
  moment (several rounds) gets one code: one 201, the others 200 with the
  same code, and no number is used up by the losers;
- `inop audit verify` passes afterwards.
Exit 0 only when everything holds.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import (FAILURES, call, check, init_db, login,  # noqa: E402
                 start_node)
from drill import every  # noqa: E402  (run.py put tests/lib on the path)

TOKEN = "plataforma-nodos-" + os.urandom(8).hex()
CODE_RE = re.compile(r"^REC-(\d{4})-(\d{7})$")


def body(k, **over):
    b = {"customer_name": "Cliente %d" % k, "document_type": "DNI",
         "document": "%08d" % (10000000 + k), "email": "c%d@cliente.pe" % k,
         "service": "Línea %d" % k, "matter": "CALIDAD",
         "description": "Reclamo concurrente número %d" % k}
    b.update(over)
    return b


def public_race(ports, count, clients):
    results = []
    lock = threading.Lock()

    def one(k):
        st, b = call(ports[k % len(ports)], "POST", "/api/v1/complaints",
                     body(k))
        with lock:
            results.append((st, b))
    with concurrent.futures.ThreadPoolExecutor(clients) as ex:
        list(ex.map(one, range(count)))
    return results


def platform_race(ports, rounds, copies):
    """Each round: `copies` deliveries of one external_ref per node, all
    released together."""
    out = []
    for r in range(rounds):
        ref = "OSIPTEL-%d-%s" % (r, os.urandom(4).hex())
        targets = ports * copies
        barrier = threading.Barrier(len(targets))
        got = []
        lock = threading.Lock()

        def one(port):
            barrier.wait()
            st, b = call(port, "POST", "/api/v1/complaints",
                         body(r, external_ref=ref), TOKEN)
            with lock:
                got.append((st, b))
        threads = [threading.Thread(target=one, args=(p,)) for p in targets]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out.append(got)
    return out


def tray(port, token):
    return every(port, token, "/api/v1/complaints", 200)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--nodes", type=int, default=2)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=10)
    a = ap.parse_args()
    inop = os.path.abspath(a.inop)
    tmp = tempfile.mkdtemp(prefix="inop-nodes-complaints-")
    url = os.environ.get("INOP_TEST_DB_URL")
    db = url or os.path.join(tmp, "inop.db")
    nodes = a.nodes if url else 1
    print("database: %s; nodes: %d; complaints: %d from %d clients" %
          ("PostgreSQL" if url else "SQLite", nodes, a.count, a.clients))
    init_db(inop, db, "admin-password-nodes", tmp)
    tok = os.path.join(tmp, "token")
    with open(os.open(tok, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write(TOKEN + "\n")
    procs = []
    try:
        for i in range(nodes):
            procs.append(start_node(inop, db, tmp, i, [
                "--complaints_token_file", tok,
                "--complaints_per_minute", "100000",
                "--complaints_burst", "100000"]))
        ports = [n.port for n in procs]
        admin = login(ports[0], "admin", "admin-password-nodes")
        st, b = call(ports[0], "POST", "/api/v1/users",
                     {"username": "reclamos", "password": "reclamos-pass-1",
                      "name": "Reclamos", "email": "r@x.pe",
                      "roles": ["RECLAMOS"], "points": []}, admin)
        assert st == 201, (st, b)
        desk = login(ports[-1], "reclamos", "reclamos-pass-1")

        t0 = time.monotonic()
        res = public_race(ports, a.count, a.clients)
        took = time.monotonic() - t0
        statuses = sorted({st for st, _ in res})
        check(statuses == [201] and len(res) == a.count,
              "Q1: %d public complaints at once -> every answer 201 "
              "(%s) in %.1f s" % (a.count, statuses, took))
        codes = [b["code"] for st, b in res if st == 201]
        check(len(set(codes)) == len(codes), "Q2: codes are unique")
        seqs = sorted(int(CODE_RE.match(c).group(2)) for c in codes)
        check(seqs == list(range(1, a.count + 1)),
              "Q2: codes are gapless REC-YYYY-0000001..%07d" % a.count)

        rounds = platform_race(ports, a.rounds, 2)
        ok = True
        for got in rounds:
            sts = sorted(st for st, _ in got)
            one_code = len({b["code"] for _, b in got}) == 1
            ok = ok and sts == [200] * (len(got) - 1) + [201] and one_code
        check(ok, "Q1: the same external_ref to every node at once, %d "
              "rounds -> one 201 and one code each" % a.rounds)
        won = sorted(int(CODE_RE.match(got[0][1]["code"]).group(2))
                     for got in rounds)
        check(won == list(range(a.count + 1, a.count + a.rounds + 1)),
              "Q2: the losing deliveries used up no number")

        items = tray(ports[0], desk)
        check(sorted(i["code"] for i in items) ==
              sorted(codes + [got[0][1]["code"] for got in rounds]),
              "Q5: the tray holds exactly the %d complaints" % len(items))
        dues = [i["due_date"] for i in items]
        check(dues == sorted(dues), "Q5: the tray is by due date")
    finally:
        for n in procs:
            n.proc.terminate()
        for n in procs:
            check(n.stop() == 0, "node exits 0 on SIGTERM")
    v = subprocess.run([inop, "audit", "verify", "--db", db],
                       capture_output=True, text=True)
    check(v.returncode == 0, "A1: audit verify after the race")
    if FAILURES:
        print("FAILED: %d checks (logs in %s)" % (len(FAILURES), tmp))
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
