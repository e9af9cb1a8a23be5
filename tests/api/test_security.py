"""Security headers, metrics, and robustness against hostile input."""

import re
import socket
import threading

import inoptest as t
from inoptest import ANON, ApiTest, admin


def csp_directives(value):
    out = {}
    for part in (value or "").split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


def metric_sum(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(None, 1)[1])
    return total


class SecurityHeaders(ApiTest):

    def responses(self):
        a = admin()
        return {
            "healthz": ANON.get("/healthz"),
            "metrics": a.get("/metrics"),
            "root": ANON.get("/"),
            "login 200": t.login_resp("admin", t.CTX.admin_password),
            "login 401": t.login_resp("nadie" + t.CTX.run_id.lower(),
                                      "wrong-password"),
            "401": ANON.get("/api/v1/events"),
            "404 api": a.get("/api/v1/nothing-here"),
            "404 static": ANON.get("/no-such-file.js"),
            "405": a.put("/api/v1/events"),
            "400": a.post("/api/v1/events", raw=b"{"),
            "200 list": a.get("/api/v1/events?limit=1"),
            "201": a.post("/api/v1/points", t.point_body()),
            "422": a.post("/api/v1/points", t.point_body("TIENDA")),
        }

    def test_every_response_has_nosniff_and_csp(self):
        for name, r in self.responses().items():
            with self.subTest(response=name, status=r.status):
                self.assertEqual((r.header("X-Content-Type-Options") or "")
                                 .lower(), "nosniff")
                csp = csp_directives(r.header("Content-Security-Policy"))
                self.assertEqual(csp.get("frame-ancestors"), ["'none'"],
                                 r.header("Content-Security-Policy"))
                scripts = csp.get("script-src", csp.get("default-src"))
                self.assertIsNotNone(scripts, "no script-src/default-src")
                self.assertNotIn("'unsafe-inline'", scripts)
                self.assertNotIn("*", scripts)

    def test_413_response_has_security_headers(self):
        r = t.big_post(admin(), "/api/v1/events", 2 * 1024 * 1024)
        self.assertIsNotNone(r)
        self.assertEqual((r.header("X-Content-Type-Options") or "").lower(),
                         "nosniff")
        self.assertIn("frame-ancestors 'none'",
                      r.header("Content-Security-Policy") or "")


class Metrics(ApiTest):

    def test_metrics_is_prometheus_text_with_request_counter(self):
        r = admin().get("/metrics")
        self.assertStatus(r, 200)
        self.assertTrue((r.header("Content-Type") or "")
                        .startswith("text/plain"), r.header("Content-Type"))
        text = r.body.decode()
        self.assertIn("inop_http_requests_total", text)
        before = metric_sum(text, "inop_http_requests_total")
        for _ in range(5):
            admin().get("/api/v1/catalog")
        after = metric_sum(admin().get("/metrics").body.decode(),
                           "inop_http_requests_total")
        self.assertGreaterEqual(after, before + 5)

    def test_metrics_never_expose_tokens_or_passwords(self):
        text = admin().get("/metrics").body.decode()
        self.assertNotIn(admin().token, text)
        self.assertNotIn(t.CTX.admin_password, text)


class Robustness(ApiTest):

    def assertAlive(self):
        r = ANON.get("/healthz", timeout=30)
        self.assertStatus(r, 200, "server stopped answering")
        self.assertIsNone(t.CTX.proc.proc.poll(), "server process died")

    def test_malformed_json_keeps_the_server_serving(self):
        for raw in (b"{" * 10000, b"[" * 100000 + b"]" * 100000,
                    b'{"point":"\\ud800"}', b"\x00\x01\x02",
                    b'{"a":' + b"9" * 5000 + b"}",
                    b'"' + b"\\" * 9999 + b'"'):
            r = admin().post("/api/v1/events", raw=raw)
            with self.subTest(raw=raw[:20]):
                self.assertIn(r.status, (400, 413, 422), repr(r))
                self.assertIsNotNone(r.error, repr(r))
        self.assertAlive()

    def test_wrong_json_types_are_422_not_500(self):
        jefe_point = t.create_point()["code"]
        jefe = t.user_client(["JEFE"], [jefe_point])
        good = t.event_payload(jefe_point)
        for key, value in (("point", 5), ("requests", "MIGRACION_PLAN"),
                           ("requests", [1, 2]), ("applications", {}),
                           ("attest_total", "si"), ("started_at", []),
                           ("procedure", None)):
            body = dict(good)
            body[key] = value
            r = jefe.post("/api/v1/events", body)
            with self.subTest(key=key, value=value):
                self.assertIn(r.status, (400, 422), repr(r))
                self.assertIsNotNone(r.error, repr(r))
        for raw in (b"[]", b"null", b"42", b'"texto"'):
            r = jefe.post("/api/v1/events", raw=raw)
            with self.subTest(raw=raw):
                self.assertIn(r.status, (400, 422), repr(r))
        self.assertAlive()

    def test_2mib_body_is_413_body_too_large_and_server_keeps_serving(self):
        r = t.big_post(admin(), "/api/v1/events", 2 * 1024 * 1024)
        self.assertIsNotNone(r, "no answer at all to a 2 MiB body")
        self.assertError(r, 413, "BODY_TOO_LARGE")
        self.assertAlive()

    def test_body_just_over_1mib_is_413(self):
        r = t.big_post(admin(), "/api/v1/events", 1024 * 1024 + 1)
        self.assertIsNotNone(r)
        self.assertError(r, 413, "BODY_TOO_LARGE")

    def test_body_just_under_1mib_is_not_413(self):
        r = t.big_post(admin(), "/api/v1/events", 1024 * 1024 - 64)
        self.assertIsNotNone(r)
        self.assertNotEqual(r.status, 413, repr(r))
        self.assertIn(r.status, (400, 403, 422), repr(r))

    def test_chunked_2mib_body_is_413(self):
        r = t.big_post(admin(), "/api/v1/events", 2 * 1024 * 1024,
                       chunked=True)
        self.assertIsNotNone(r, "no answer to a chunked 2 MiB body")
        self.assertError(r, 413, "BODY_TOO_LARGE")
        self.assertAlive()

    def test_2mib_login_body_is_413_without_auth(self):
        r = t.big_post(None, "/api/v1/session", 2 * 1024 * 1024)
        self.assertIsNotNone(r)
        self.assertError(r, 413, "BODY_TOO_LARGE")
        self.assertAlive()

    def test_garbage_bytes_keep_the_server_serving(self):
        junk = [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200),
                b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1"
                b"\r\n\r\n",
                b"POST /api/v1/session HTTP/1.1\r\nContent-Length: 10\r\n\r\n",
                bytes(range(256)) * 40,
                b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n",
                b"GET /healthz HTTP/1.1\r\n" + b"X-Big: " + b"b" * 200000
                + b"\r\n\r\n"]
        for data in junk:
            try:
                s = socket.create_connection((t.CTX.host, t.CTX.port),
                                             timeout=2)
                try:
                    s.sendall(data)
                    s.recv(4096)
                except OSError:
                    pass
                finally:
                    s.close()
            except OSError:
                pass
            with self.subTest(data=data[:24]):
                self.assertAlive()

    def test_idle_connections_do_not_block_other_clients(self):
        idle = []
        try:
            for _ in range(20):
                s = socket.create_connection((t.CTX.host, t.CTX.port))
                s.sendall(b"GET /healthz HTTP/1.1\r\n")   # never finished
                idle.append(s)
            # Blocked clients would wait for the idle ones to time out
            # (60 s); answered at all within the 30 s client timeout is
            # the behaviour, not a latency on a loaded machine.
            self.assertAlive()
            self.assertStatus(admin().get("/api/v1/catalog", timeout=30),
                              200)
        finally:
            for s in idle:
                s.close()

    def test_path_traversal_serves_no_files_outside_the_web_root(self):
        for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                     "/static/../../../../etc/passwd",
                     "/..%2f..%2f..%2f..%2fetc%2fpasswd",
                     "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
                     "/....//....//etc/passwd"):
            r = ANON.get(path)
            with self.subTest(path=path):
                self.assertNotIn(b"root:", r.body)
                self.assertNotEqual(r.status, 500)

    def test_sql_metacharacters_in_filters_are_harmless(self):
        jefe_point = t.create_point()["code"]
        jefe = t.user_client(["JEFE"], [jefe_point])
        for value in ("%27%20OR%201%3D1%20--", "x%27%3B%20DROP%20TABLE%20"
                      "events%3B%20--", "%25", "_"):
            r = jefe.get("/api/v1/events?point=" + value)
            with self.subTest(value=value):
                self.assertIn(r.status, (200, 403, 404, 422), repr(r))
                if r.status == 200:
                    self.assertEqual(r.json["items"], [])
        r = t.login_resp("admin' --", "x")
        self.assertError(r, 401, "BAD_CREDENTIALS")
        self.assertStatus(admin().get("/api/v1/events?limit=1"), 200)

    def test_html_in_input_is_returned_as_data_in_json(self):
        name = "<script>alert(1)</script> & \"comillas\""
        p = t.create_point(name=name)
        self.assertEqual(p["name"], name)
        r = admin().get("/api/v1/points?limit=1000")
        self.assertTrue(r.header("Content-Type").startswith(
            "application/json"))

    def test_unicode_survives_round_trip(self):
        name = "Tienda Ñaña – Cañete «centro» 😀"
        p = t.create_point(name=name, region="Cañete")
        self.assertEqual(p["name"], name)
        r = admin().get("/api/v1/points?limit=1000")
        got = [x for x in r.json["items"] if x["code"] == p["code"]]
        if got:
            self.assertEqual(got[0]["name"], name)
            self.assertEqual(got[0]["region"], "Cañete")

    def test_token_in_query_string_is_not_accepted(self):
        r = ANON.get("/api/v1/events?token=%s&access_token=%s"
                     % (admin().token, admin().token))
        self.assertError(r, 401, "UNAUTHENTICATED")

    def test_many_parallel_requests_all_answered(self):
        results = []
        lock = threading.Lock()

        def worker():
            for _ in range(10):
                try:
                    r = admin().get("/api/v1/catalog")
                    s = r.status
                except OSError as e:
                    s = repr(e)
                with lock:
                    results.append(s)

        threads = [threading.Thread(target=worker) for _ in range(20)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        self.assertEqual(results, [200] * 200)
        self.assertAlive()



class LongAndOddValues(ApiTest):
    """Values are stored whole or refused, never silently cut or garbled."""

    def check(self, r, field, sent, got_path):
        self.assertIn(r.status, (201, 400, 413, 422), repr(r))
        if r.status == 201:
            self.assertEqual(got_path(r.json), sent,
                             "%s was changed on the way in" % field)
        else:
            self.assertIsNotNone(r.error, repr(r))
        return r

    def test_long_point_values_are_refused_or_kept_whole(self):
        for field, value in (("code", "C" * 200), ("name", "N" * 5000),
                             ("region", "R" * 1000)):
            body = t.point_body()
            body[field] = value
            r = admin().post("/api/v1/points", body)
            with self.subTest(field=field):
                self.check(r, field, value, lambda j, f=field: j[f])
                if r.status == 422:
                    self.assertEqual(r.error["field"], field)

    def test_long_user_values_are_refused_or_kept_whole(self):
        for field, value in (("username", "u" * 300), ("name", "N" * 5000),
                             ("email", "e" * 400 + "@example.com")):
            body = t.user_body(["CONTROL"])
            body[field] = value
            r = admin().post("/api/v1/users", body)
            with self.subTest(field=field):
                self.check(r, field, value, lambda j, f=field: j[f])
        body = t.user_body(["CONTROL"], password="p" * 4000)
        r = admin().post("/api/v1/users", body)
        self.assertIn(r.status, (201, 422), repr(r))
        if r.status == 201:
            self.assertStatus(t.login_resp(body["username"], "p" * 4000),
                              200)
            self.assertStatus(t.login_resp(body["username"], "p" * 3999),
                              401)

    def test_nul_character_in_strings_is_refused_or_kept(self):
        body = t.point_body(name="antes\u0000despues")
        r = admin().post("/api/v1/points", body)
        self.assertIn(r.status, (201, 400, 422), repr(r))
        if r.status == 201:
            self.assertEqual(r.json["name"], "antes\u0000despues")

    def test_long_event_texts_are_refused_or_kept_whole(self):
        p = t.create_point()["code"]
        jefe = t.user_client(["JEFE"], [p])
        desc = "Descripción larga. " * 400
        body = t.event_payload(p, description=desc)
        r = jefe.post("/api/v1/events", body)
        self.assertIn(r.status, (201, 422), repr(r))
        if r.status != 201:
            self.assertEqual(r.error["field"], "description")
            r = jefe.post("/api/v1/events", t.event_payload(p))
            self.assertStatus(r, 201)
        ev = r.json
        just = "Sustento extenso del error. " * 300
        r = jefe.post("/api/v1/events/%s/close" % ev["id"],
                      {"ended_at": t.iso(t.now()),
                       "closure_reason": "ERROR_USUARIO",
                       "justification": just})
        self.assertIn(r.status, (200, 422), repr(r))
        if r.status == 200:
            self.assertEqual(r.json["justification"], just)
        else:
            self.assertEqual(r.error["field"], "justification")

    def test_huge_limit_and_offset_are_handled(self):
        for query in ("limit=1000000", "limit=99999999999999999999",
                      "offset=99999999999999999999", "offset=1000000000"):
            r = admin().get("/api/v1/events?" + query)
            with self.subTest(query=query):
                self.assertIn(r.status, (200, 422), repr(r))
                if r.status == 200:
                    self.assertIsInstance(r.json["items"], list)
                else:
                    self.assertEqual(r.error["field"], query.split("=")[0])
        r = admin().get("/api/v1/events?offset=1000000000")
        if r.status == 200:
            self.assertEqual(r.json["items"], [])


class KeepAlive(ApiTest):

    def test_keep_alive_connection_serves_many_requests(self):
        import http.client
        conn = http.client.HTTPConnection(t.CTX.host, t.CTX.port, timeout=10)
        hdrs = {"Authorization": "Bearer " + admin().token}
        try:
            for i in range(30):
                if i % 3 == 2:
                    conn.request("POST", "/api/v1/events", body=b"{",
                                 headers=dict(hdrs, **{
                                     "Content-Type": "application/json"}))
                    want = 400
                else:
                    conn.request("GET", "/api/v1/catalog", headers=hdrs)
                    want = 200
                r = conn.getresponse()
                r.read()
                self.assertEqual(r.status, want, "request %d" % i)
        finally:
            conn.close()

    def test_pipelined_requests_get_one_answer_each_in_order(self):
        req = ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\n"
               "Authorization: Bearer %s\r\n\r\n"
               "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
               % admin().token).encode()
        s = socket.create_connection((t.CTX.host, t.CTX.port), timeout=10)
        data = b""
        try:
            s.sendall(req)
            while True:
                d = s.recv(65536)
                if not d:
                    break
                data += d
        except socket.timeout:
            pass
        finally:
            s.close()
        statuses = [int(m) for m in
                    re.findall(r"HTTP/1\.1 (\d{3}) ", data.decode("latin-1"))]
        self.assertEqual(statuses, [200, 404, 200], data[:2000])


class OddQueries(ApiTest):

    def test_odd_query_strings_are_answered_without_5xx(self):
        for query in ("status=OPEN&status=CLOSED", "status=%zz", "point=%",
                      "from=2026-01-01&from=2026-02-01", "limit=", "=&=&",
                      "reportable=TRUE", "point=" + "A" * 5000,
                      "status=OPEN%00CLOSED", "a=" + "%41" * 3000):
            r = admin().get("/api/v1/events?" + query)
            with self.subTest(query=query[:40]):
                self.assertLess(r.status, 500, repr(r))
                self.assertIn(r.status, (200, 400, 414, 422), repr(r))
        self.assertStatus(ANON.get("/healthz"), 200)
