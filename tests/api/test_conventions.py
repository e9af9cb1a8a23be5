"""API.md "Conventions", "Health and catalogue": shapes every route shares."""

import inoptest as t
from inoptest import ANON, ApiTest, admin

PROTECTED = [
    ("GET", "/api/v1/session"),
    ("DELETE", "/api/v1/session"),
    ("GET", "/api/v1/catalog"),
    ("GET", "/api/v1/points"),
    ("POST", "/api/v1/points"),
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    ("GET", "/api/v1/events"),
    ("POST", "/api/v1/events"),
    ("GET", "/api/v1/events/1"),
    ("GET", "/api/v1/events/INOP-2026-000001"),
    ("POST", "/api/v1/events/1/requests"),
    ("POST", "/api/v1/events/1/close"),
    ("POST", "/api/v1/events/1/annotations"),
    ("GET", "/api/v1/events/1/audit"),
    ("GET", "/api/v1/calendar/holidays?year=2026"),
    ("GET", "/api/v1/calendar/add-business-days?date=2026-12-24&days=1"),
]


class Conventions(ApiTest):

    def test_healthz_is_200_status_ok_without_auth(self):
        r = ANON.get("/healthz")
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"status": "ok"})

    def test_api_replies_are_json_utf8(self):
        for r in (ANON.get("/healthz"), admin().get("/api/v1/catalog"),
                  ANON.get("/api/v1/events")):
            ctype = r.header("Content-Type") or ""
            self.assertTrue(ctype.startswith("application/json"), ctype)
            self.assertIsNotNone(r.json, repr(r))

    def test_every_api_route_needs_authentication_401(self):
        for method, path in PROTECTED:
            body = {} if method in ("POST", "PUT", "PATCH") else t._NOBODY
            r = ANON.request(method, path, body)
            with self.subTest(method=method, path=path):
                self.assertError(r, 401, "UNAUTHENTICATED")

    def test_unknown_bearer_token_is_401_unauthenticated(self):
        for token in ("x" * 43, "nonsense", ""):
            c = t.Client(token=token or None,
                         cookies=None if token else {"inop_session": "zz"})
            r = c.get("/api/v1/events")
            with self.subTest(token=token):
                self.assertError(r, 401, "UNAUTHENTICATED")

    def test_malformed_authorization_header_is_401(self):
        for value in ("Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer  a b c",
                      "token " + "a" * 40):
            r = ANON.get("/api/v1/events",
                         headers={"Authorization": value})
            with self.subTest(value=value):
                self.assertError(r, 401, "UNAUTHENTICATED")

    def test_error_401_has_null_field(self):
        err = self.assertError(ANON.get("/api/v1/events"), 401)
        self.assertIsNone(err["field"])

    def test_unknown_route_is_404_not_found_json(self):
        for path in ("/api/v1/no-such-resource", "/api/v1/events/1/nope",
                     "/api/v2/events"):
            with self.subTest(path=path):
                self.assertError(admin().get(path), 404, "NOT_FOUND")

    def test_unknown_event_is_404_not_found(self):
        for ref in ("987654321", "INOP-2026-999999", "INOP-1999-000001",
                    "99999999999999999999999", "0", "-1", "1.5", "1e3",
                    "INOP-2026-1", "inop-2026-000001", "%00"):
            with self.subTest(ref=ref):
                self.assertError(admin().get("/api/v1/events/" + ref), 404,
                                 "NOT_FOUND")

    def test_known_path_wrong_method_is_405_with_allow(self):
        cases = [("PUT", "/api/v1/events", {"GET", "POST"}),
                 ("DELETE", "/api/v1/catalog", {"GET"}),
                 ("PATCH", "/api/v1/points", {"GET", "POST"}),
                 ("GET", "/api/v1/events/1/close", {"POST"})]
        for method, path, allowed in cases:
            r = admin().request(method, path)
            with self.subTest(method=method, path=path):
                self.assertError(r, 405, "METHOD_NOT_ALLOWED")
                allow = {m.strip().upper() for m in
                         (r.header("Allow") or "").split(",") if m.strip()}
                self.assertTrue(allowed <= allow,
                                "Allow: %r" % r.header("Allow"))
                self.assertNotIn(method, allow)

    def test_malformed_json_is_400_bad_json(self):
        for path in ("/api/v1/events", "/api/v1/points", "/api/v1/users"):
            for raw in (b"{", b"{\"point\": }", b"not json", b"{}}",
                        b"{\"a\":1,}"):
                r = admin().post(path, raw=raw)
                with self.subTest(path=path, raw=raw):
                    self.assertError(r, 400, "BAD_JSON")

    def test_invalid_utf8_body_is_400_bad_json(self):
        r = admin().post("/api/v1/points",
                         raw=b'{"code":"X\xff\xfe","name":"a","type":"CAC",'
                             b'"region":"Lima"}')
        self.assertError(r, 400, "BAD_JSON")

    def test_login_with_malformed_json_is_400_bad_json(self):
        self.assertError(ANON.post("/api/v1/session", raw=b"{\"username\":"),
                         400, "BAD_JSON")

    def test_lists_answer_items_and_total(self):
        for path in ("/api/v1/points", "/api/v1/users", "/api/v1/events"):
            r = admin().get(path)
            with self.subTest(path=path):
                self.assertStatus(r, 200)
                self.assertIsInstance(r.json.get("items"), list)
                self.assertIsInstance(r.json.get("total"), int)
                self.assertGreaterEqual(r.json["total"], len(r.json["items"]))

    def test_catalog_holds_the_codes_of_spec_section_4(self):
        r = admin().get("/api/v1/catalog")
        self.assertStatus(r, 200)
        cat = r.json
        procs = {p["code"]: sorted(q["code"] for q in p["requests"])
                 for p in cat["procedures"]}
        self.assertEqual(procs, {k: sorted(v)
                                 for k, v in t.PROCEDURES.items()})
        apps = {a["code"]: a["kind"] for a in cat["applications"]}
        self.assertEqual(apps, t.APPLICATIONS)
        for a in cat["applications"]:
            self.assertTrue(a.get("name"), a)

        def code(x):
            return x["code"] if isinstance(x, dict) else x
        scen = {s["code"]: {"causes": sorted(code(c) for c in s["causes"]),
                            "closure_reasons": sorted(
                                code(c) for c in s["closure_reasons"])}
                for s in cat["scenarios"]}
        self.assertEqual(scen, {k: {kk: sorted(vv) for kk, vv in v.items()}
                                for k, v in t.SCENARIOS.items()})
        self.assertEqual(sorted(code(n) for n in cat["not_regulated"]),
                         sorted(t.NOT_REGULATED))

    def test_catalog_names_are_spanish_display_names(self):
        cat = admin().get("/api/v1/catalog").json
        names = {q["code"]: q["name"] for p in cat["procedures"]
                 for q in p["requests"]}
        self.assertEqual(names["APELACION"], "Apelación")
        self.assertEqual(names["MIGRACION_PLAN"],
                         "Migración de plan (incluye a prepago, a postpago "
                         "y con renovación de equipo)")
        apps = {a["code"]: a["name"] for a in cat["applications"]}
        self.assertEqual(apps["SIAC_UNICO"], "SIAC ÚNICO")

    def test_catalog_is_readable_by_any_authenticated_role(self):
        for role in ("JEFE", "CONTROL", "RECLAMOS"):
            with self.subTest(role=role):
                self.assertStatus(t.role_client(role).get("/api/v1/catalog"),
                                  200)
