#!/usr/bin/env python3
"""The backup drill of docs/operations.md, on SQLite:

    python3 tests/ops/backup_drill.py --inop build/inop

Starts `inop serve`, sends a burst of registrations from several threads,
and in the middle of it runs `inop backup` into a directory.  Every event
whose 201 arrived before the backup started must be in the backup; the
copy is restored with `inop restore` into a new file, which must hold
those events and pass `inop audit verify`.  A backup whose audit chain was
edited, or renamed to another head hash, is refused by `inop restore`.
Prints how long the backup took and how big it is.  Exit 0 when all holds.
"""
import argparse, glob, os, shutil, sqlite3, subprocess, sys
import tempfile, threading, time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from drill import PROCS, FAILURES, call, check, serve  # noqa: E402


def run(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--points", type=int, default=60)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    inop = os.path.abspath(a.inop)
    tmp = tempfile.mkdtemp(prefix="inop-drill-")
    db, bdir = os.path.join(tmp, "inop.db"), os.path.join(tmp, "backups")
    os.mkdir(bdir)
    pw = os.path.join(tmp, "admin-password")
    with open(os.open(pw, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("drill-admin-password\n")
    rc, out = run(inop, "init", "--db", db, "--admin-password-file", pw)
    check(rc == 0, "inop init")
    srv = serve(inop, db, os.path.join(tmp, "serve.log"), ["--threads", "8"])
    try:
        drill(inop, srv.port, db, bdir, tmp, a.points)
    finally:
        check(srv.stop() == 0, "serve exits 0 on SIGTERM")
        if a.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if FAILURES else 0


def setup(port, n_points):
    _, s = call(port, "POST", "/api/v1/session",
                {"username": "admin", "password": "drill-admin-password"})
    admin = s["token"]
    codes = []
    for i in range(n_points):
        code = "DRILL%03d" % i
        st, _ = call(port, "POST", "/api/v1/points",
                     {"code": code, "name": "Punto " + code, "type": "CAC",
                      "region": "Lima"}, admin)
        check(st == 201, "point %s created" % code) if st != 201 else None
        codes.append(code)
    st, _ = call(port, "POST", "/api/v1/users", {
        "username": "jefe.drill", "password": "clave-segura-drill",
        "name": "Jefe", "email": "jefe.drill@example.com",
        "roles": ["JEFE"], "points": codes}, admin)
    _, s = call(port, "POST", "/api/v1/session",
                {"username": "jefe.drill", "password": "clave-segura-drill"})
    return s["token"], codes


def drill(inop, port, db, bdir, tmp, n_points):
    jefe, codes = setup(port, n_points)
    started = (datetime.now(timezone(timedelta(hours=-5)))
               - timedelta(minutes=30)).isoformat(timespec="seconds")
    work = [(c, p) for c in codes for p in PROCS]
    acked, lock, errors = [], threading.Lock(), []

    def worker(items):
        for code, proc in items:
            st, body = call(port, "POST", "/api/v1/events", {
                "point": code, "procedure": proc, "requests": [PROCS[proc]],
                "applications": ["SIAC_UNICO"],
                "scenario": "EVENTO_NO_PREVISTO", "cause": "CORTE_LUZ",
                "started_at": started, "attest_total": True}, jefe)
            t = time.monotonic()
            with lock:
                if st == 201:
                    acked.append((t, body["id"], body["number"]))
                else:
                    errors.append((st, body))

    threads = [threading.Thread(target=worker, args=(work[i::4],))
               for i in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acked) < len(work) // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    t_backup = time.monotonic()
    with lock:
        before = {eid for (t, eid, _n) in acked if t < t_backup}
    rc, out = run(inop, "backup", "--db", db, "--to", bdir, "--keep", "3")
    print(out.strip())
    for t in threads:
        t.join()
    check(not errors, "every registration answered 201 (%s)" % errors[:3])
    check(rc == 0, "inop backup during the burst exits 0")
    files = glob.glob(os.path.join(bdir, "inop-*-*.db"))
    check(len(files) == 1, "one backup, named inop-<time>-<head>.db")
    if not files:
        return
    backup = files[0]
    print("backup: %d bytes; %d events acknowledged before it, %d in all"
          % (os.path.getsize(backup), len(before), len(acked)))
    restored = os.path.join(tmp, "restored.db")
    rc, out = run(inop, "restore", "--from", backup, "--db", restored)
    check(rc == 0, "inop restore into a new file: " + out.strip())
    con = sqlite3.connect(restored)
    ids = {r[0] for r in con.execute("SELECT id FROM events")}
    con.close()
    missing = before - ids
    check(not missing, "every event acknowledged before the backup is in "
          "the restore (%d of %d; missing %s)"
          % (len(before & ids), len(before), sorted(missing)[:5]))
    check(len(ids) < len(acked) or len(acked) == len(before),
          "the backup is a snapshot taken during the burst (%d of %d)"
          % (len(ids), len(acked)))
    rc, out = run(inop, "audit", "verify", "--db", restored)
    check(rc == 0, "the restored chain verifies: " + out.strip())
    rc, out = run(inop, "restore", "--from", backup, "--db", restored)
    check(rc != 0, "restore refuses to overwrite an existing file")
    # An edited audit record: the backup no longer restores.
    tampered = os.path.join(tmp, "tampered.db")
    shutil.copy(backup, tampered)
    con = sqlite3.connect(tampered)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE "
                               "type = 'trigger' AND tbl_name = 'audit'"):
        con.execute('DROP TRIGGER "%s"' % name)
    con.execute("UPDATE audit SET actor = 'intruso' WHERE id = 2")
    con.commit()
    con.close()
    rc, out = run(inop, "restore", "--from", tampered, "--db",
                  os.path.join(tmp, "t.db"))
    check(rc != 0 and not os.path.exists(os.path.join(tmp, "t.db")),
          "restore refuses a backup whose chain does not verify")
    # The same file under another head hash: records cut off.
    renamed = os.path.join(bdir, "inop-20200101T000000Z-0000000000000000.db")
    shutil.copy(backup, renamed)
    rc, out = run(inop, "restore", "--from", renamed, "--db",
                  os.path.join(tmp, "r2.db"))
    check(rc != 0, "restore refuses a backup whose head is not its name's")


if __name__ == "__main__":
    sys.exit(main())
