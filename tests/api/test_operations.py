"""What operators watch (issue "Running it for real", item 5): the
request id, the logfmt log line of every request, the Prometheus names of
/metrics and the register's gauges."""

import os
import re

import inoptest as t
from inoptest import ApiTest

LOGFMT = re.compile(r'^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=(info|warn|error)'
                    r' msg=("([^"\\]|\\.)*"|\S+)( [a-z_]+=("([^"\\]|\\.)*"|\S*))*$')


def metric(text, name):
    m = re.search(r"(?m)^%s (\S+)$" % re.escape(name), text)
    return float(m.group(1)) if m else None


class RequestId(ApiTest):

    def test_every_reply_carries_a_new_request_id(self):
        a = t.http_request("GET", "/healthz")
        b = t.http_request("GET", "/api/v1/events")
        ids = [a.header("X-Request-Id"), b.header("X-Request-Id")]
        for i in ids:
            self.assertRegex(i or "", r"^[0-9a-f]{16}$")
        self.assertNotEqual(ids[0], ids[1])

    def test_a_proxys_request_id_is_echoed_and_a_bad_one_replaced(self):
        r = t.http_request("GET", "/healthz",
                           headers={"X-Request-Id": "nginx-4f2a.9"})
        self.assertEqual(r.header("X-Request-Id"), "nginx-4f2a.9")
        r = t.http_request("GET", "/healthz",
                           headers={"X-Request-Id": "x" * 80})
        self.assertRegex(r.header("X-Request-Id"), r"^[0-9a-f]{16}$")


class Metrics(ApiTest):

    def scrape(self):
        r = t.http_request("GET", "/metrics")
        self.assertStatus(r, 200)
        return r.body.decode()

    def test_metrics_follow_prometheus_naming(self):
        text = self.scrape()
        types = dict(re.findall(r"(?m)^# TYPE (\S+) (\S+)$", text))
        for name, kind in types.items():
            if kind == "counter":
                self.assertTrue(name.endswith("_total"), name)
            if kind == "histogram":
                self.assertTrue(name.endswith("_seconds"), name)
                self.assertIn(name + "_bucket{", text)
            self.assertRegex(name, r"^inop_[a-z_]+$")
        for name in ["inop_http_requests_total",
                     "inop_http_request_duration_seconds",
                     "inop_outbox_pending_mails",
                     "inop_outbox_oldest_pending_age_seconds",
                     "inop_events_open", "inop_mass_failures_open",
                     "inop_database_up"]:
            self.assertIn(name, types)

    def test_open_events_gauge_counts_a_registration(self):
        before = metric(self.scrape(), "inop_events_open")
        point = t.create_point()["code"]
        jefe = t.user_client(["JEFE"], [point])
        self.register(jefe, t.event_payload(point))
        after = metric(self.scrape(), "inop_events_open")
        self.assertIsNotNone(before)
        self.assertGreaterEqual(after, before + 1)


class LogLines(ApiTest):
    """A server of its own, to read its log."""

    def test_every_log_line_is_logfmt_and_names_the_request_id(self):
        d = os.path.join(t.CTX.tmp, "logfmt")
        os.makedirs(d, exist_ok=True)
        db = os.path.join(d, "log.db")
        pw = t.write_secret(os.path.join(d, "pw"), "Clave-logs-" + t.CTX.run_id)
        self.assertEqual(t.run_inop(["init", "--db", db,
                                     "--admin-password-file", pw]).returncode, 0)
        server = t.Server(t.CTX.inop, db, d, name="logfmt")
        self.addCleanup(server.stop)
        server.wait_healthy()
        t.http_request("GET", "/api/v1/no%20such%20%22path%22",
                       port=server.port,
                       headers={"X-Request-Id": "drill-42"})
        self.assertEqual(server.stop(), 0)
        lines = open(server.logpath, encoding="utf-8").read().splitlines()
        for line in lines:
            self.assertRegex(line, LOGFMT)
        req = [l for l in lines if "request_id=drill-42" in l]
        self.assertEqual(len(req), 1, lines)
        self.assertIn('path="/api/v1/no such \\"path\\""', req[0])
        self.assertIn("status=404", req[0])
        self.assertRegex(req[0], r"duration_ms=\d+\.\d{3}")
