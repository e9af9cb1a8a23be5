"""Hardening (issue 14): CSV injection, who may read /metrics.

Each test reproduces the attack and fails without its fix.
"""

import csv
import datetime as dt
import http.client
import io
import os
import socket

import inoptest as t
from inoptest import ApiTest, event_payload, iso

FORMULAS = ["=HYPERLINK(\"http://x.example/\",\"ver\")", "+51 1 5551234",
            "-2+3", "@SUM(1,2)"]


def lima_at(d, hour, minute=0):
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=t.LIMA)


class CsvInjection(ApiTest):

    def test_csv_cells_that_would_start_a_formula_are_neutralised(self):
        # Points whose names a spreadsheet would run as formulas; one
        # event each on a Lima day no other module uses (29 days back).
        d = t.lima_date(t.now()) - dt.timedelta(days=29)
        points = [t.create_point(name=n)["code"] for n in FORMULAS]
        jefe = t.user_client(["JEFE"], points)
        numbers = {}
        for i, p in enumerate(points):
            start = lima_at(d, 9 + i)
            ev = self.register(jefe, event_payload(p, started_at=iso(start)))
            self.close_event(jefe, ev["id"], ended_at=iso(
                start + dt.timedelta(minutes=20)))
            numbers[ev["number"]] = FORMULAS[i]
        control = t.role_client("CONTROL")
        r = control.post("/api/v1/reports", {"from": d.isoformat(),
                                             "to": d.isoformat()})
        self.assertStatus(r, 201)
        r = control.get("/api/v1/reports/%s/export?format=csv" % r.json["id"])
        self.assertStatus(r, 200)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"),
                                           newline=""), strict=True))
        header = rows[0]
        name_col = header.index("Punto de atención")
        seen = {}
        for row in rows[1:]:
            if row[0] in numbers:
                seen[row[0]] = row[name_col]
            for cell in row:
                self.assertNotIn(cell[:1], ("=", "+", "-", "@", "\t", "\r"),
                                 "cell %r of %s starts a formula"
                                 % (cell, row[0]))
        self.assertEqual(seen, {n: "'" + f for n, f in numbers.items()})


def other_local_address():
    """A local address that is not loopback, or None."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("203.0.113.1", 1))   # no packet is sent
        ip = s.getsockname()[0]
    except OSError:
        return None
    finally:
        s.close()
    return None if ip.startswith("127.") else ip


class MetricsAccess(ApiTest):
    TOKEN = "metrics-token-0123456789abcdef"

    def test_metrics_from_loopback_without_a_proxy_is_served(self):
        r = t.http_request("GET", "/metrics")
        self.assertStatus(r, 200)
        self.assertIn(b"inop_http_requests_total", r.body)

    def test_metrics_through_a_proxy_on_the_host_is_403(self):
        # nginx on the same host connects from 127.0.0.1: without this
        # check the whole internet reads the metrics through it.
        for h in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
            r = t.http_request("GET", "/metrics", headers={h: "203.0.113.7"})
            self.assertError(r, 403, "FORBIDDEN")
            self.assertNotIn(b"inop_http", r.body)

    def test_metrics_token_lets_a_remote_scraper_in(self):
        s = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="metrics-token",
                     extra=["--metrics_token", self.TOKEN])
        self.addCleanup(s.stop)
        s.wait_healthy()
        fwd = {"X-Forwarded-For": "203.0.113.7"}
        r = t.http_request("GET", "/metrics", port=s.port, headers=dict(
            fwd, Authorization="Bearer " + self.TOKEN))
        self.assertStatus(r, 200)
        self.assertIn(b"inop_http_requests_total", r.body)
        for bad in ("Bearer " + self.TOKEN[:-1], "Bearer " + self.TOKEN + "x",
                    "Basic " + self.TOKEN, ""):
            r = t.http_request("GET", "/metrics", port=s.port,
                               headers=dict(fwd, Authorization=bad))
            self.assertError(r, 403, "FORBIDDEN")

    def test_metrics_from_another_address_needs_the_token(self):
        ip = other_local_address()
        if not ip:
            self.skipTest("no non-loopback local address")
        port = t.free_port()
        s = t.Server(t.CTX.inop, t.CTX.db, t.CTX.tmp, name="metrics-remote",
                     extra=["--listen", "%s:%d" % (ip, port),
                            "--metrics_token", self.TOKEN])
        self.addCleanup(s.stop)
        s.port = port
        deadline = t.time.monotonic() + 30
        while True:
            try:
                r = t.http_request("GET", "/healthz", host=ip, port=port,
                                   timeout=2)
                break
            except OSError:
                if t.time.monotonic() > deadline or s.proc.poll() is not None:
                    raise
                t.time.sleep(0.1)
        r = t.http_request("GET", "/metrics", host=ip, port=port)
        self.assertError(r, 403, "FORBIDDEN")
        r = t.http_request("GET", "/metrics", host=ip, port=port, headers={
            "Authorization": "Bearer " + self.TOKEN})
        self.assertStatus(r, 200)
