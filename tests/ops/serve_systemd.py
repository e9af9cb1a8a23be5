#!/usr/bin/env python3
"""`inop serve` as systemd runs it, without systemd:

    python3 tests/ops/serve_systemd.py --inop build/inop

- NOTIFY_SOCKET: READY=1 arrives once /healthz answers; SIGHUP (the
  unit's ExecReload) gives RELOADING=1 then READY=1, applies a changed
  mailbox and logs that a changed `listen` needs a restart; SIGTERM gives
  STOPPING=1 and exit 0.
- As root with `--user nobody` on a port below 1024 (binding needs root): the
  process runs as nobody afterwards and the database belongs to nobody.
  Skipped when not root.
"""
import argparse, os, pwd, shutil, signal, socket, subprocess, sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from drill import (FAILURES, READY_SECONDS, check, healthy,  # noqa: E402
                   reserve_port, wait_for)


def recv(sock, seconds=READY_SECONDS):
    sock.settimeout(seconds)
    try:
        return sock.recv(4096).decode()
    except socket.timeout:
        return ""


def notify(inop, tmp):
    db, conf = os.path.join(tmp, "n.db"), os.path.join(tmp, "inop.conf")
    hold, port = reserve_port()
    with open(conf, "w") as f:
        f.write("db = %s\nlisten = 127.0.0.1:%d\n"
                "mailbox_control = uno@example.com\n" % (db, port))
    path = os.path.join(tmp, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    log = open(os.path.join(tmp, "notify.log"), "w+")
    env = dict(os.environ, NOTIFY_SOCKET=path)
    p = subprocess.Popen([inop, "serve", "--config", conf], env=env,
                         stderr=log, stdout=log)
    try:
        msg = recv(sock)
        check("READY=1" in msg, "READY=1 sent (%r)" % msg)
        check(healthy(port), "/healthz answers once READY=1 is sent")
        with open(conf, "w") as f:
            f.write("db = %s\nlisten = 127.0.0.1:%d\n"
                    "mailbox_control = dos@example.com\n" % (db, port + 1))
        p.send_signal(signal.SIGHUP)
        m1, m2 = recv(sock), recv(sock)
        check("RELOADING=1" in m1 and "READY=1" in m2,
              "SIGHUP: RELOADING=1 then READY=1 (%r, %r)" % (m1, m2))
        check(healthy(port), "still serving on the old port after reload")
        p.send_signal(signal.SIGTERM)
        check("STOPPING=1" in recv(sock), "STOPPING=1 on SIGTERM")
        check(p.wait(timeout=60) == 0, "exit 0")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        sock.close()
        hold.close()
    log.seek(0)
    text = log.read()
    check("configuration re-read" in text, "reload logged as applied")
    check("'listen' changed; it takes effect at restart" in text,
          "a changed listen is logged as needing a restart")


def privileged_port():
    """-> (held socket, port) of a free port below 1024, or (None, None)."""
    for port in range(1023, 600, -1):
        try:
            return reserve_port(port)
        except OSError:
            continue
    return None, None


def drop(inop, tmp):
    if os.geteuid() != 0:
        print("skip  --user: not root")
        return
    hold, port = privileged_port()
    if not port:
        print("skip  --user: no free port below 1024")
        return
    d = os.path.join(tmp, "nobody")
    os.mkdir(d)
    nobody = pwd.getpwnam("nobody")
    os.chown(d, nobody.pw_uid, nobody.pw_gid)
    os.chmod(tmp, 0o755)
    db = os.path.join(d, "x.db")
    p = subprocess.Popen([inop, "serve", "--db", db, "--listen",
                          "127.0.0.1:%d" % port, "--user", "nobody"],
                         stderr=subprocess.DEVNULL)
    try:
        check(wait_for(lambda: healthy(port)),
              "root binds port %d and serves" % port)
        uid = [l.split()[1:] for l in open("/proc/%d/status" % p.pid)
               if l.startswith("Uid:")][0]
        check(set(uid) == {str(nobody.pw_uid)},
              "then runs as nobody (Uid %s)" % " ".join(uid))
        check(os.stat(db).st_uid == nobody.pw_uid,
              "the database it created belongs to nobody")
    finally:
        p.terminate()
        p.wait(timeout=60)
        hold.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="inop-systemd-")
    try:
        notify(os.path.abspath(a.inop), tmp)
        drop(os.path.abspath(a.inop), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
