#!/usr/bin/env python3
"""Imports on two inop nodes sharing one PostgreSQL database (I3).

    tests/pg/with-postgres.sh python3 tests/pg/imports_nodes.py --inop build/inop

Starts two `inop serve` nodes on INOP_TEST_DB_URL and checks, with every
request released at the same moment (a barrier, no sleeping):
- 8 different files, 4 sent to each node at once, are all imported
  (201), and the stored day totals add up to exactly their rows;
- the same file sent to both nodes at once is imported once: one 201 and
  one 409 ALREADY_IMPORTED naming the import of the other node;
- a file with a bad row sent to both nodes at once writes nothing (422);
- `inop audit verify` passes afterwards.
Exit 0 only when everything holds.
"""
import argparse, concurrent.futures, os, random, shutil
import subprocess, sys, tempfile, threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from drill import call, init_db, serve  # noqa: E402

FAILURES = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def start_node(inop, db, tmp, i):
    return serve(inop, db, os.path.join(tmp, "node%d.log" % i))


def csv_file(rnd, points, day, rows):
    out = ["fecha_hora,punto,tipo_tramite"]
    for _ in range(rows):
        out.append("%s %02d:%02d:%02d,%s,%s" % (
            day, rnd.randrange(24), rnd.randrange(60), rnd.randrange(60),
            rnd.choice(points), rnd.choice(["RECLAMOS", "ALTAS", "BAJAS",
                                            "CONSULTAS"])))
    return ("\n".join(out) + "\n").encode()


def at_once(jobs):
    """Runs every (fn, args) at the same moment; -> their results."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        return job[0](*job[1])
    with concurrent.futures.ThreadPoolExecutor(len(jobs)) as ex:
        return list(ex.map(run, jobs))


def psql(sql):
    bindir = os.environ.get("INOP_TEST_PG_BINDIR", "/usr/bin")
    p = subprocess.run([os.path.join(bindir, "psql"), "-At",
                        os.environ["INOP_TEST_DB_URL"], "-c", sql],
                       capture_output=True, text=True, timeout=60)
    return p.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    a = ap.parse_args()
    db = os.environ.get("INOP_TEST_DB_URL")
    if not db:
        raise SystemExit("imports_nodes: INOP_TEST_DB_URL is not set "
                         "(run under tests/pg/with-postgres.sh)")
    inop = os.path.abspath(a.inop)
    tmp = tempfile.mkdtemp(prefix="inop-imports-nodes-")
    nodes = []
    try:
        init_db(inop, db, "Admin-nodes-2026", tmp)
        for i in range(2):
            nodes.append(start_node(inop, db, tmp, i))
        ports = [n.port for n in nodes]
        admin = call(ports[0], "POST", "/api/v1/session",
                     {"username": "admin",
                      "password": "Admin-nodes-2026"})[1]["token"]
        points = ["NP%03d" % i for i in range(20)]
        for c in points:
            st, _ = call(ports[0], "POST", "/api/v1/points",
                         {"code": c, "name": "Punto " + c, "type": "CAC",
                          "region": "Lima"}, admin)
            assert st == 201
        st, b = call(ports[0], "POST", "/api/v1/users", {
            "username": "ctl", "password": "clave-control-2026",
            "name": "Control", "email": "ctl@example.pe",
            "roles": ["CONTROL"], "points": []}, admin)
        assert st == 201, b
        tokens = [call(port, "POST", "/api/v1/session",
                       {"username": "ctl",
                        "password": "clave-control-2026"})[1]["token"]
                  for port in ports]

        rnd = random.Random(5)
        files = [csv_file(rnd, points, "2026-10-%02d" % (i + 1), 20000)
                 for i in range(8)]
        res = at_once([(call, (ports[i % 2], "POST",
                               "/api/v1/imports/interactions", None,
                               tokens[i % 2], f))
                       for i, f in enumerate(files)])
        check([r[0] for r in res] == [201] * 8,
              "8 different files on 2 nodes at once: all 201 (%s)"
              % [r[0] for r in res])
        total = psql("SELECT COALESCE(SUM(t.total), 0) FROM day_totals t "
                     "JOIN imports i ON i.id = t.import_id")
        check(total == str(8 * 20000),
              "day totals add up to the 160000 rows sent (%s)" % total)

        same = csv_file(rnd, points, "2026-10-20", 20000)
        res = at_once([(call, (port, "POST", "/api/v1/imports/interactions",
                               None, tok, same))
                       for port, tok in zip(ports, tokens)])
        codes = sorted(r[0] for r in res)
        check(codes == [201, 409],
              "the same file on both nodes at once: one 201, one 409 (%s)"
              % codes)
        if codes == [201, 409]:
            ok = [r[1] for r in res if r[0] == 201][0]
            dup = [r[1] for r in res if r[0] == 409][0]["error"]
            check(dup.get("code") == "ALREADY_IMPORTED" and
                  dup.get("import_id") == ok["id"],
                  "the 409 names the import made by the other node")

        bad = same.replace(b"NP001", b"NOPE!", 1) + b"x\n"
        before = psql("SELECT COUNT(*) FROM imports")
        res = at_once([(call, (port, "POST", "/api/v1/imports/interactions",
                               None, tok, bad))
                       for port, tok in zip(ports, tokens)])
        check([r[0] for r in res] == [422, 422] and
              psql("SELECT COUNT(*) FROM imports") == before,
              "a bad file on both nodes at once: 422 twice, nothing written")
        p = subprocess.run([inop, "audit", "verify", "--db", db],
                           capture_output=True, timeout=120)
        check(p.returncode == 0, "inop audit verify passes")
    finally:
        for n in nodes:
            n.proc.terminate()
        for n in nodes:
            n.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("imports_nodes: %s" % ("FAILED: " + "; ".join(FAILURES)
                                 if FAILURES else "all passed"))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
