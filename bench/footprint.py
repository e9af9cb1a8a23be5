#!/usr/bin/env python3
"""Cold start of `inop serve` for bench/footprint.sh (python3 stdlib only).

  footprint.py --inop INOP --db DB [--starts 10] [-- SERVE-ARGS...]

Each start: a loopback port is held by a bound, not listening socket (as
tests/lib/drill.py does: the server, which sets SO_REUSEADDR too, can
listen on it, nothing else can take it); the clock starts right before
fork+exec of `inop serve --db DB --listen 127.0.0.1:PORT`, then
`GET /healthz` is tried every 0.5 ms (connection refused until the server
listens) and the clock stops at the end of the first 200.  Then SIGTERM
and wait (not timed).  Prints every start and one line
"COLD median_ms=.. min_ms=.. max_ms=.. starts=N".  On SIGTERM or Ctrl-C the
server being started is stopped too.
"""
import argparse
import signal
import socket
import statistics
import subprocess
import sys
import time


def healthz(port):
    """True when GET /healthz answered 200 on a fresh connection."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return False
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Connection: close\r\n\r\n")
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False
    finally:
        s.close()


def one(args, db, extra, deadline_s):
    hold = socket.socket()
    hold.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hold.bind(("127.0.0.1", 0))
    port = hold.getsockname()[1]
    cmd = [args.inop, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port]
    cmd += extra
    log = open(args.log, "a")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        while not healthz(port):
            if proc.poll() is not None:
                raise SystemExit("footprint: inop serve exited (%s), see %s"
                                 % (proc.returncode, args.log))
            if time.perf_counter() - t0 > deadline_s:
                raise SystemExit("footprint: no /healthz within %d s"
                                 % deadline_s)
            time.sleep(0.0005)
        ms = 1000 * (time.perf_counter() - t0)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        hold.close()
    return ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--log", default="/dev/null",
                    help="where the servers' output goes (appended)")
    ap.add_argument("extra", nargs="*", help="more arguments of inop serve")
    a = ap.parse_args()
    # SIGTERM (the bench script's cleanup) unwinds like Ctrl-C, so the
    # `finally` above stops the server being started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    times = []
    for i in range(a.starts):
        ms = one(a, a.db, a.extra, 60)
        times.append(ms)
        print("start %d: %.1f ms" % (i + 1, ms), flush=True)
    print("COLD median_ms=%.1f min_ms=%.1f max_ms=%.1f starts=%d"
          % (statistics.median(times), min(times), max(times), len(times)))


if __name__ == "__main__":
    main()
