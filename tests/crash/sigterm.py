#!/usr/bin/env python3
"""SIGTERM finishes what it started and starts nothing new.

    tests/crash/sigterm.py --inop build/inop [--rounds 25] [--clients 32]
                           [--seed N]

One SQLite database.  Each round starts `inop serve`, lets CLIENTS clients
register events over keep-alive connections, sends SIGTERM after a random
number of acknowledged registrations, and waits for the server to exit.
Checks:
- the server stops accepting at once: a new connection is refused within
  1 s of the signal (the listening socket is closed), and it exits 0;
- every registration committed to the register got its 201 (none was
  committed with its connection closed unanswered);
- no request sent after the server stopped accepting was committed (on a
  kept-alive connection it gets 503 or the connection closes).
Exit 0 only when every check holds.
"""
import argparse, http.client, json, os, random, shutil, signal, socket
import subprocess, sys, tempfile, threading, time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import (PROCS, FAILURES, check, init_db, login,  # noqa
                 register, serve, setup)


def refused_at(port, deadline_s=5.0):
    """Polls new connections until one is refused: that instant, or None."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return time.monotonic()
        except OSError:
            pass
        time.sleep(0.002)
    return None


def burst(port, token, pairs, clients, kill_after, proc, rng):
    start_at = (datetime.now(timezone(timedelta(hours=-5))) -
                timedelta(minutes=10)).isoformat(timespec="seconds")
    lock = threading.Lock()
    acked = threading.Condition(lock)
    results = []   # (pair, t_send, status, number)
    state = {"acks": 0}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                pair = pairs.pop() if pairs else None
            if pair is None:
                # Registrations used up: keep the server busy with reads
                # until it refuses, as clients of a real node would.
                if not poll_session(conn):
                    return
                continue
            code, pr = pair
            body = json.dumps({
                "point": code, "procedure": pr, "requests": [PROCS[pr]],
                "applications": ["SIAC_UNICO"],
                "scenario": "EVENTO_NO_PREVISTO", "cause": "CORTE_LUZ",
                "started_at": start_at, "attest_total": True})
            t_send = time.monotonic()
            try:
                conn.request("POST", "/api/v1/events", body, {
                    "Content-Type": "application/json",
                    "Authorization": "Bearer " + token})
                r = conn.getresponse()
                data = r.read()
                st = r.status
                number = json.loads(data).get("number") if st == 201 \
                    else None
            except ConnectionRefusedError:
                with lock:
                    results.append((pair, t_send, "refused", None))
                return
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                with lock:
                    results.append((pair, t_send, "closed", None,
                                    type(e).__name__,
                                    time.monotonic() - t_send))
                continue
            with lock:
                results.append((pair, t_send, st, number))
                if st == 201:
                    state["acks"] += 1
                    acked.notify_all()
    def poll_session(conn):
        t_send = time.monotonic()
        try:
            conn.request("GET", "/api/v1/session", headers={
                "Authorization": "Bearer " + token})
            r = conn.getresponse()
            r.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            try:
                conn.connect()
            except OSError:
                return False
            return True
        with lock:
            reads.append((t_send, r.status))
        return True
    reads = []
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    with lock:
        acked.wait_for(lambda: state["acks"] >= kill_after or not pairs,
                       timeout=120)
    proc.send_signal(signal.SIGTERM)
    t_sig = time.monotonic()
    with lock:
        acks_at_signal = state["acks"]
    t_ref = refused_at(port)
    try:
        rc = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    for th in threads:
        th.join()
    served_late = [r for r in results if r[2] == 201 and r[1] > t_sig + 0.5]
    served_late += [r for r in reads if r[1] == 200 and r[0] > t_sig + 0.5]
    return results, t_sig, t_ref, rc, acks_at_signal, len(served_late)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4),
                                                            "big")
    rng = random.Random(seed)
    inop = os.path.abspath(a.inop)
    tmp = tempfile.mkdtemp(prefix="inop-sigterm-")
    db, log = os.path.join(tmp, "inop.db"), os.path.join(tmp, "serve.log")
    print("seed %d; %d SIGTERMs during bursts of %d clients; %s"
          % (seed, a.rounds, a.clients, tmp), flush=True)
    init_db(inop, db, "admin-password-sigterm", tmp)
    per_round = a.clients * 8
    srv = serve(inop, db, log, ["--threads", "8"])
    admin = login(srv.port, "admin", "admin-password-sigterm")
    codes, token = setup(srv.port, admin, (a.rounds * per_round) // 4 + 1,
                         os.urandom(2).hex().upper())
    srv.stop()
    pairs = [(c, p) for c in codes for p in PROCS]
    rng.shuffle(pairs)
    all_results, late, stats = [], [], {"503": 0, "closed": 0}
    for rnd in range(1, a.rounds + 1):
        srv = serve(inop, db, log, ["--threads", "8"])
        mine = [pairs.pop() for _ in range(per_round)]
        kill_after = rng.randint(1, a.clients * 4)
        try:
            results, t_sig, t_ref, rc, acks, late_ok = burst(
                srv.port, token, mine, a.clients, kill_after, srv.proc, rng)
        finally:
            srv.close()
        # "At once": the listening socket closes as soon as the signal is
        # handled and nothing sent later is served; 0.5-1 s leave room for
        # a loaded machine, serving on for seconds does not.
        check(t_ref is not None and t_ref - t_sig < 1.0 and rc == 0 and
              not late_ok,
              "round %d: SIGTERM after %d acks; refused new connections "
              "%s ms after the signal; %d requests sent > 0.5 s after it "
              "served; exit %s"
              % (rnd, acks, "%.0f" % ((t_ref - t_sig) * 1000)
                 if t_ref else "never", late_ok, rc))
        all_results += [r + (rnd, r[1] - t_sig) for r in results]
        late += [r for r in results if t_ref and r[1] > t_ref]
        stats["503"] += sum(1 for r in results if r[2] == 503)
        stats["closed"] += sum(1 for r in results if r[2] == "closed")
    srv = serve(inop, db, log, ["--threads", "8"])
    items = register(srv.port, login(srv.port, "admin",
                                     "admin-password-sigterm"))
    srv.stop()
    committed = {(e["point"]["code"], e["procedure"]): e["number"]
                 for e in items}
    answered = {r[0]: r[3] for r in all_results if r[2] == 201}
    unanswered = [(p, n) for p, n in committed.items()
                  if answered.get(p) != n]
    check(not unanswered, "every committed registration (%d) got its 201%s"
          % (len(committed), "" if not unanswered
             else ": not answered %s" % unanswered[:5]))
    for p, n in unanswered[:5]:
        print("  %s %s: %r" % (p, n, [r for r in all_results if r[0] == p]))
    late_committed = [r for r in late if r[0] in committed]
    check(not late_committed, "none of the %d requests sent after the "
          "server stopped accepting was committed%s"
          % (len(late), "" if not late_committed
             else ": %s" % late_committed[:5]))
    print("requests: %d, 201: %d, 503: %d, closed unanswered (not "
          "committed): %d" % (len(all_results), len(answered), stats["503"],
                              stats["closed"]))
    if not FAILURES:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d check(s) failed (seed %d)" % (len(FAILURES), seed)
          if FAILURES else "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
