#!/usr/bin/env python3
"""A busy day of complaints (SPEC 17: ~10,000 a day) sent at once.

    complaints_day.py --base URL --db FILE [--count 10000] [--clients 16]

CLIENTS clients (processes, so Python's GIL does not serialise them), each
on its own keep-alive connection, send COUNT complaints (JSON, no
attachment) together; the clock runs from the common start to the last
answer.  Then the SQLite database is read: every
answer must be 201 with a distinct code, the codes gapless, and one
queued mail (outbox row, PENDING: no SMTP server) with its form
attachment per complaint.  Prints one line
    DAY count=N clients=C seconds=S rps=R codes_ok=0|1 mails=M
and exits 0 only when everything holds.
"""
import argparse
import json
import multiprocessing
import re
import socket
import sqlite3
import sys
import time
from urllib.parse import urlparse

CODE_RE = re.compile(r"^REC-\d{4}-(\d{7})$")


def requests_of(host, port, ks):
    """The raw HTTP/1.1 requests, built before the clock starts."""
    out = []
    for k in ks:
        body = json.dumps({
            "customer_name": "Cliente %d" % k, "document_type": "DNI",
            "document": "%08d" % (10000000 + k),
            "email": "cliente%d@example.pe" % k, "service": "Línea %d" % k,
            "matter": "OTROS" if k % 3 else "CALIDAD",
            "description": "Reclamo %d del día de prueba." % k}).encode()
        out.append(b"POST /api/v1/complaints HTTP/1.1\r\nHost: %s:%d\r\n"
                   b"Content-Type: application/json\r\nContent-Length: %d"
                   b"\r\n\r\n%s" % (host.encode(), port, len(body), body))
    return out


def read_response(sock, buf):
    """(status, body, rest of buf) of one response on a keep-alive socket."""
    while b"\r\n\r\n" not in buf:
        d = sock.recv(65536)
        if not d:
            raise ConnectionError("closed")
        buf += d
    head, buf = buf.split(b"\r\n\r\n", 1)
    status = int(head[9:12])
    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(buf) < n:
        d = sock.recv(65536)
        if not d:
            raise ConnectionError("closed")
        buf += d
    return status, buf[:n], buf[n:]


def client(host, port, ks, q, barrier):
    """One client: a keep-alive connection, one request at a time, with as
    little Python per request as possible (the clock measures inop)."""
    reqs = requests_of(host, port, ks)
    sock = socket.create_connection((host, port), timeout=60)
    out, buf = [], b""
    barrier.wait()
    for req in reqs:
        sock.sendall(req)
        status, body, buf = read_response(sock, buf)
        out.append((status, body))
    end = time.monotonic()
    sock.close()
    q.put((end, [(st, json.loads(b)) for st, b in out]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=16)
    a = ap.parse_args()
    u = urlparse(a.base)
    q = multiprocessing.Queue()
    barrier = multiprocessing.Barrier(a.clients + 1)
    procs = [multiprocessing.Process(target=client, args=(
        u.hostname, u.port, range(i, a.count, a.clients), q, barrier))
        for i in range(a.clients)]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.monotonic()
    got = [q.get() for _ in procs]
    for p in procs:
        p.join()
    secs = max(t for t, _ in got) - t0
    res = [r for _, o in got for r in o]
    ok201 = [b["code"] for st, b in res if st == 201]
    seqs = sorted(int(CODE_RE.match(c).group(1)) for c in ok201)
    codes_ok = (len(ok201) == a.count == len(set(ok201)) and
                seqs == list(range(seqs[0], seqs[0] + a.count)))
    con = sqlite3.connect(a.db, timeout=30)
    mails = con.execute("SELECT COUNT(*) FROM outbox WHERE trigger = "
                        "'complaint.received'").fetchone()[0]
    forms = con.execute("SELECT COUNT(*) FROM outbox_attachments WHERE "
                        "source = 'complaint_form'").fetchone()[0]
    con.close()
    bad = [(st, b) for st, b in res if st != 201][:1]
    print("DAY count=%d clients=%d seconds=%.2f rps=%.0f codes_ok=%d "
          "mails=%d forms=%d%s" % (a.count, a.clients, secs, a.count / secs,
                                   codes_ok, mails, forms,
                                   " first_error=%r" % (bad,) if bad else ""))
    return 0 if codes_ok and mails == a.count and forms == a.count else 1


if __name__ == "__main__":
    sys.exit(main())
