"""Sessions: login, cookie + CSRF, logout, failed-login lockout."""

import inoptest as t
from inoptest import ANON, ApiTest, admin


class Login(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.point = t.create_point()["code"]
        cls.username, cls.password, _ = t.create_user(["JEFE"], [cls.point])

    def test_login_returns_token_csrf_token_and_user(self):
        r = t.login_resp(self.username, self.password)
        self.assertStatus(r, 200)
        j = r.json
        self.assertIsInstance(j.get("token"), str)
        self.assertGreaterEqual(len(j["token"]), 32,
                                "token too short to be unguessable")
        self.assertIsInstance(j.get("csrf_token"), str)
        self.assertGreaterEqual(len(j["csrf_token"]), 16)
        self.assertNotEqual(j["csrf_token"], j["token"])
        user = j["user"]
        self.assertEqual(user["username"], self.username)
        self.assertEqual(user["roles"], ["JEFE"])
        self.assertEqual(user["points"], [self.point])
        self.assertTrue(user.get("name"))

    def test_login_reply_never_holds_a_password_or_hash(self):
        r = t.login_resp(self.username, self.password)
        text = r.body.decode()
        self.assertNotIn(self.password, text)
        self.assertNotIn("argon2", text)
        for key in r.json["user"]:
            self.assertNotIn("password", key.lower())
            self.assertNotIn("hash", key.lower())

    def test_login_sets_httponly_samesite_strict_session_cookie(self):
        r = t.login_resp(self.username, self.password)
        cookies = t.parse_set_cookie(r)
        self.assertIn("inop_session", cookies, r.header_all("Set-Cookie"))
        value, attrs = cookies["inop_session"]
        self.assertTrue(value)
        self.assertIs(attrs.get("httponly"), True, attrs)
        self.assertEqual(str(attrs.get("samesite")).lower(), "strict")
        self.assertEqual(attrs.get("path"), "/")

    def test_each_login_gets_a_distinct_token(self):
        a = t.login(self.username, self.password)
        b = t.login(self.username, self.password)
        self.assertNotEqual(a.token, b.token)
        self.assertStatus(a.get("/api/v1/session"), 200)
        self.assertStatus(b.get("/api/v1/session"), 200)

    def test_get_session_returns_the_current_user(self):
        c = t.login(self.username, self.password)
        r = c.get("/api/v1/session")
        self.assertStatus(r, 200)
        user = r.json.get("user", r.json)
        self.assertEqual(user["username"], self.username)
        self.assertEqual(user["roles"], ["JEFE"])
        self.assertEqual(user["points"], [self.point])

    def test_wrong_password_is_401_bad_credentials(self):
        u, p, _ = t.create_user(["CONTROL"])
        r = t.login_resp(u, p + "x")
        self.assertError(r, 401, "BAD_CREDENTIALS")
        self.assertNotIn("token", r.json)

    def test_unknown_user_is_401_bad_credentials_like_wrong_password(self):
        r = t.login_resp(t.unique("nadie").lower(), "whatever-password")
        self.assertError(r, 401, "BAD_CREDENTIALS")

    def test_failed_login_does_not_set_a_session(self):
        u, p, _ = t.create_user(["CONTROL"])
        r = t.login_resp(u, "not-the-password")
        self.assertError(r, 401, "BAD_CREDENTIALS")
        cookie = t.parse_set_cookie(r).get("inop_session")
        if cookie and cookie[0]:
            c = t.Client(cookies={"inop_session": cookie[0]})
            self.assertError(c.get("/api/v1/session"), 401)

    def test_login_is_case_sensitive_on_password(self):
        u, p, _ = t.create_user(["CONTROL"], password="Clave-Mayus-123")
        self.assertError(t.login_resp(u, "clave-mayus-123"), 401,
                         "BAD_CREDENTIALS")
        self.assertStatus(t.login_resp(u, "Clave-Mayus-123"), 200)


class Logout(ApiTest):

    def test_logout_is_204_and_the_token_stops_working(self):
        u, p, _ = t.create_user(["CONTROL"])
        c = t.login(u, p)
        self.assertStatus(c.get("/api/v1/session"), 200)
        r = c.delete("/api/v1/session")
        self.assertStatus(r, 204)
        self.assertEqual(r.body, b"")
        self.assertError(c.get("/api/v1/session"), 401, "UNAUTHENTICATED")
        self.assertError(c.get("/api/v1/events"), 401, "UNAUTHENTICATED")

    def test_logout_ends_only_that_session(self):
        u, p, _ = t.create_user(["CONTROL"])
        a = t.login(u, p)
        b = t.login(u, p)
        self.assertStatus(a.delete("/api/v1/session"), 204)
        self.assertStatus(b.get("/api/v1/session"), 200)

    def test_cookie_logout_needs_csrf_then_ends_the_cookie_session(self):
        u, p, _ = t.create_user(["CONTROL"])
        c = t.cookie_login(u, p)
        self.assertError(c.delete("/api/v1/session"), 403, "CSRF")
        self.assertStatus(c.get("/api/v1/session"), 200)
        self.assertStatus(c.delete("/api/v1/session", send_csrf=True), 204)
        self.assertError(c.get("/api/v1/session"), 401, "UNAUTHENTICATED")


class Csrf(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.cookie_admin = t.cookie_login("admin", t.CTX.admin_password)

    def test_cookie_session_reads_without_csrf_header(self):
        r = self.cookie_admin.get("/api/v1/session")
        self.assertStatus(r, 200)
        user = r.json.get("user", r.json)
        self.assertEqual(user["username"], "admin")
        if "csrf_token" in r.json:
            self.assertEqual(r.json["csrf_token"], self.cookie_admin.csrf)
        self.assertStatus(self.cookie_admin.get("/api/v1/points"), 200)

    def test_cookie_state_change_without_csrf_header_is_403_csrf(self):
        body = t.point_body()
        before = t.list_total("/api/v1/points")
        r = self.cookie_admin.post("/api/v1/points", body)
        self.assertError(r, 403, "CSRF")
        self.assertEqual(t.list_total("/api/v1/points"), before)
        # and the code is still free
        self.assertStatus(admin().post("/api/v1/points", body), 201)

    def test_cookie_state_change_with_wrong_csrf_is_403_csrf(self):
        body = t.point_body()
        r = self.cookie_admin.post("/api/v1/points", body,
                                   headers={"X-CSRF-Token": "0" * 32})
        self.assertError(r, 403, "CSRF")
        other = t.login("admin", t.CTX.admin_password)
        r = self.cookie_admin.post("/api/v1/points", body,
                                   headers={"X-CSRF-Token": other.csrf})
        self.assertError(r, 403, "CSRF")

    def test_cookie_state_change_with_csrf_header_succeeds(self):
        r = self.cookie_admin.post("/api/v1/points", t.point_body(),
                                   send_csrf=True)
        self.assertStatus(r, 201)

    def test_cookie_csrf_applies_to_every_state_changing_method(self):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = self.cookie_admin.request(method, "/api/v1/events", {})
            with self.subTest(method=method):
                if method == "POST":
                    self.assertError(r, 403, "CSRF")
                else:
                    # 405 may win over CSRF for an unknown method; never 2xx
                    self.assertIn(r.status, (403, 405), repr(r))

    def test_bearer_state_change_needs_no_csrf(self):
        c = t.login("admin", t.CTX.admin_password)
        self.assertStatus(c.post("/api/v1/points", t.point_body()), 201)


class Lockout(ApiTest):

    def test_five_failed_logins_lock_the_username_429_even_with_right_password(
            self):
        u, p, _ = t.create_user(["CONTROL"])
        for i in range(5):
            with self.subTest(attempt=i + 1):
                self.assertError(t.login_resp(u, "wrong-password-%d" % i),
                                 401, "BAD_CREDENTIALS")
        r = t.login_resp(u, p)
        self.assertError(r, 429, "TOO_MANY_ATTEMPTS")
        self.assertNotIn("token", r.json)
        self.assertError(t.login_resp(u, "wrong-again"), 429,
                         "TOO_MANY_ATTEMPTS")

    def test_four_failed_logins_do_not_lock(self):
        u, p, _ = t.create_user(["CONTROL"])
        for i in range(4):
            self.assertError(t.login_resp(u, "wrong-password-%d" % i),
                             401, "BAD_CREDENTIALS")
        self.assertStatus(t.login_resp(u, p), 200)

    def test_lockout_of_one_username_does_not_lock_others(self):
        u1, p1, _ = t.create_user(["CONTROL"])
        u2, p2, _ = t.create_user(["CONTROL"])
        for i in range(6):
            t.login_resp(u1, "wrong-password-%d" % i)
        self.assertError(t.login_resp(u1, p1), 429, "TOO_MANY_ATTEMPTS")
        self.assertStatus(t.login_resp(u2, p2), 200)
        self.assertStatus(t.login_resp("admin", t.CTX.admin_password), 200)
