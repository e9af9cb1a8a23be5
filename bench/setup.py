#!/usr/bin/env python3
"""Prepare a running inop server for bench/run.sh (python3 stdlib only).

Logs in as admin, creates points P0001..PNNNN, creates JEFE users that
between them own every point (PER_USER points each; one user when POINTS
<= PER_USER), logs each of them in and writes their bearer tokens, one a
line, to --tokens-out; the admin token goes to --admin-token-out.
Exits non-zero with the server's answer on the first failure.
"""
import argparse
import concurrent.futures
import http.client
import json
import sys
import threading
import urllib.parse

JEFE_PASSWORD = "jefe-bench-password-2026"


class Client:
    """One keep-alive connection; reconnects once if the server closed it."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def call(self, method, path, body=None, token=None, expect=(200, 201)):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        if r.status not in expect:
            sys.exit("setup: %s %s answered %d: %s"
                     % (method, path, r.status, raw[:500].decode("utf-8", "replace")))
        return json.loads(raw) if raw else None


def login(c, username, password):
    ans = c.call("POST", "/api/v1/session",
                 {"username": username, "password": password}, expect=(200,))
    if not isinstance(ans, dict) or "token" not in ans:
        sys.exit("setup: login of %r answered no token: %r" % (username, ans))
    return ans["token"]


def code(i):
    return "P%04d" % i


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--admin-password-file", required=True)
    ap.add_argument("--points", type=int, required=True)
    ap.add_argument("--per-user", type=int, required=True)
    ap.add_argument("--tokens-out", required=True)
    ap.add_argument("--admin-token-out", required=True)
    ap.add_argument("--parallel", type=int, default=4)
    a = ap.parse_args()

    with open(a.admin_password_file) as f:
        admin_password = f.read().strip()
    c = Client(a.base)
    admin = login(c, "admin", admin_password)

    local = threading.local()

    def make_point(i):
        if not hasattr(local, "c"):
            local.c = Client(a.base)
        local.c.call("POST", "/api/v1/points",
                     {"code": code(i), "name": "Punto %d" % i,
                      "type": "CAC", "region": "Lima"},
                     token=admin, expect=(201,))

    with concurrent.futures.ThreadPoolExecutor(a.parallel) as ex:
        for _ in ex.map(make_point, range(1, a.points + 1)):
            pass

    tokens = []
    for k, first in enumerate(range(1, a.points + 1, a.per_user)):
        last = min(first + a.per_user - 1, a.points)
        username = "jefe" if k == 0 else "jefe%d" % (k + 1)
        c.call("POST", "/api/v1/users",
               {"username": username, "password": JEFE_PASSWORD,
                "name": "Jefe %d" % (k + 1),
                "email": "%s@example.com" % username,
                "roles": ["JEFE"],
                "points": [code(i) for i in range(first, last + 1)]},
               token=admin, expect=(201,))
        tokens.append(login(c, username, JEFE_PASSWORD))

    with open(a.tokens_out, "w") as f:
        f.write("\n".join(tokens) + "\n")
    with open(a.admin_token_out, "w") as f:
        f.write(admin + "\n")
    print("setup: %d points, %d JEFE user(s)" % (a.points, len(tokens)))


if __name__ == "__main__":
    main()
