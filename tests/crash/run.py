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
import argparse, concurrent.futures, json, os, random, shutil, signal
import socket, subprocess, sys, tempfile, threading, time, urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

PROCS = {"RECLAMOS": "RECLAMO", "ALTAS": "CONTRATACION",
         "BAJAS": "BAJA_SERVICIO", "CONSULTAS": "MIGRACION_PLAN"}
FAILURES = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def start(inop, db, log_path):
    port = free_port()
    log = open(log_path, "a")
    p = subprocess.Popen([inop, "serve", "--db", db, "--listen",
                          "127.0.0.1:%d" % port, "--threads", "8"],
                         stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if p.poll() is not None:
            raise SystemExit("server exited with %s" % p.returncode)
        try:
            if call(port, "GET", "/healthz", timeout=5)[0] == 200:
                return p, port
        except OSError:
            pass
        time.sleep(0.05)
    p.kill()
    raise SystemExit("server did not answer /healthz within 60 s")


def login(port, user, password):
    st, body = call(port, "POST", "/api/v1/session",
                    {"username": user, "password": password})
    if st != 200:
        raise SystemExit("login %s: %s %r" % (user, st, body))
    return body["token"]


def setup(port, admin, npoints, tag):
    codes = ["K%s%04d" % (tag, i) for i in range(npoints)]

    def point(code):
        st, b = call(port, "POST", "/api/v1/points",
                     {"code": code, "name": "Punto " + code, "type": "CAC",
                      "region": "Lima"}, admin)
        assert st == 201, (st, b)
    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(point, codes))
    user, password = "jefe" + tag.lower(), "jefe-password-" + tag
    st, b = call(port, "POST", "/api/v1/users",
                 {"username": user, "password": password, "name": "Jefe",
                  "email": "jefe@x.pe", "roles": ["JEFE"], "points": codes},
                 admin)
    assert st == 201, (st, b)
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


def register(port, token):
    items, offset = [], 0
    while True:
        st, b = call(port, "GET", "/api/v1/events?limit=500&offset=%d"
                     % offset, None, token)
        assert st == 200, (st, b)
        items += b["items"]
        offset += 500
        if offset >= b["total"]:
            return items


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
    pw = os.path.join(tmp, "pw")
    with open(pw, "w") as f:
        f.write("admin-password-crash\n")
    os.chmod(pw, 0o600)
    subprocess.run([inop, "init", "--db", db, "--admin-password-file", pw],
                   check=True, stdout=subprocess.DEVNULL)
    all_acked = {}
    proc, port = start(inop, db, log)
    try:
        for rnd in range(1, a.rounds + 1):
            admin = login(port, "admin", "admin-password-crash")
            codes, token = setup(port, admin, a.points, "%d%s" % (
                rnd, os.urandom(1).hex().upper()))
            kill_after = rng.randint(1, a.points * 4 - 1)
            t0 = time.monotonic()
            acked = burst(port, token, codes, a.clients, kill_after, proc)
            print("round %d: SIGKILL after %d acknowledgements (%d in all "
                  "acknowledged, %.1f s)" % (rnd, kill_after, len(acked),
                                             time.monotonic() - t0),
                  flush=True)
            all_acked.update(acked)
            proc, port = start(inop, db, log)
            admin = login(port, "admin", "admin-password-crash")
            items = register(port, admin)
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
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=30) == 0, "server exits 0 on SIGTERM")
    if not FAILURES:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d check(s) failed (seed %d)" % (len(FAILURES), seed)
          if FAILURES else "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
