#!/usr/bin/env python3
"""Crash durability: kill -9 in the middle of a registration burst.

    tests/crash/run.py --inop build/inop [--rounds 3] [--points 600]
                       [--clients 32] [--seed N]

One SQLite database, ROUNDS rounds.  Each round creates POINTS new points
(POINTS x 4 registrations, 2,400 by default) and a JEFE of them, then
CLIENTS clients register them all while the server is killed with SIGKILL
after a random number of acknowledged (201) registrations.  The server is
restarted on the same file and the round checks:
- every acknowledged registration is in the register, with its number,
  point and procedure as answered (an acknowledgement is a promise: the
  commit was fsynced before the 201 went out);
- the numbers of the whole register are gapless 1..N (a registration
  that was never committed used up no number);
- `inop audit verify` says the chain is intact.
Later rounds build on the crashed database, so recovery is tested again
after each crash.  Exit 0 only when every check holds.
"""
import argparse, concurrent.futures, os, random, shutil, signal
import subprocess, sys, tempfile, threading, time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from drill import (PROCS, FAILURES, call, check, init_db,  # noqa: E402
                   login, points_and_jefe, register, serve)


def setup(port, admin, npoints, tag):
    codes = ["K%s%04d" % (tag, i) for i in range(npoints)]
    user, password = "jefe" + tag.lower(), "jefe-password-" + tag
    points_and_jefe(port, admin, codes, user, password)
    return codes, login(port, user, password)


def burst(port, token, codes, clients, kill_after, proc):
    """Registers every (point, procedure); SIGKILLs `proc` after
    `kill_after` acknowledgements.  Returns {number: (code, procedure)}."""
    start_at = (datetime.now(timezone(timedelta(hours=-5))) -
                timedelta(minutes=10)).isoformat(timespec="seconds")
    jobs = [(c, p) for c in codes for p in PROCS]
    acked, lock, killed = {}, threading.Lock(), threading.Event()

    def one(job):
        if killed.is_set():
            return
        code, pr = job
        body = {"point": code, "procedure": pr, "requests": [PROCS[pr]],
                "applications": ["SIAC_UNICO"],
                "scenario": "EVENTO_NO_PREVISTO", "cause": "CORTE_LUZ",
                "started_at": start_at, "attest_total": True}
        try:
            st, b = call(port, "POST", "/api/v1/events", body, token,
                         timeout=30)
        except OSError:
            return          # the server died under this request
        if st != 201:
            return
        with lock:
            acked[b["number"]] = (b["point"]["code"], b["procedure"])
            if len(acked) >= kill_after and not killed.is_set():
                proc.send_signal(signal.SIGKILL)
                killed.set()
    with concurrent.futures.ThreadPoolExecutor(clients) as ex:
        list(ex.map(one, jobs))
    if not killed.is_set():
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return acked


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--points", type=int, default=600)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4),
                                                            "big")
    rng = random.Random(seed)
    inop = os.path.abspath(a.inop)
    tmp = tempfile.mkdtemp(prefix="inop-crash-")
    db, log = os.path.join(tmp, "inop.db"), os.path.join(tmp, "serve.log")
    print("seed %d; %d rounds of %d registrations from %d clients; %s"
          % (seed, a.rounds, a.points * 4, a.clients, tmp), flush=True)
    init_db(inop, db, "admin-password-crash", tmp)
    all_acked = {}
    srv = serve(inop, db, log, ["--threads", "8"])
    try:
        for rnd in range(1, a.rounds + 1):
            admin = login(srv.port, "admin", "admin-password-crash")
            codes, token = setup(srv.port, admin, a.points, "%d%s" % (
                rnd, os.urandom(1).hex().upper()))
            kill_after = rng.randint(1, a.points * 4 - 1)
            t0 = time.monotonic()
            acked = burst(srv.port, token, codes, a.clients, kill_after,
                          srv.proc)
            srv.close()
            print("round %d: SIGKILL after %d acknowledgements (%d in all "
                  "acknowledged, %.1f s)" % (rnd, kill_after, len(acked),
                                             time.monotonic() - t0),
                  flush=True)
            all_acked.update(acked)
            srv = serve(inop, db, log, ["--threads", "8"])
            admin = login(srv.port, "admin", "admin-password-crash")
            items = register(srv.port, admin)
            have = {e["number"]: (e["point"]["code"], e["procedure"])
                    for e in items}
            lost = [n for n, v in all_acked.items() if have.get(n) != v]
            check(not lost, "round %d: every acknowledged registration "
                  "(%d) is in the register as answered%s"
                  % (rnd, len(all_acked),
                     "" if not lost else ": missing %s" % lost[:5]))
            seqs = sorted(int(n.rsplit("-", 1)[1]) for n in have)
            check(seqs == list(range(1, len(seqs) + 1)),
                  "round %d: numbers gapless 1..%d" % (rnd, len(seqs)))
            r = subprocess.run([inop, "audit", "verify", "--db", db],
                               capture_output=True, text=True)
            check(r.returncode == 0, "round %d: audit verify: %s"
                  % (rnd, r.stdout.strip().splitlines()[-1:]))
    finally:
        check(srv.stop() == 0, "server exits 0 on SIGTERM")
    if not FAILURES:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d check(s) failed (seed %d)" % (len(FAILURES), seed)
          if FAILURES else "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
