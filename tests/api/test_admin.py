"""Administration (API.md): points and users, ADMIN only; SPEC section 3-4."""

import inoptest as t
from inoptest import ApiTest, admin


def find(items, key, value):
    for it in items:
        if it.get(key) == value:
            return it
    return None


def all_items(path):
    r = admin().get(path + ("&" if "?" in path else "?") + "limit=1000")
    if r.status != 200:
        raise AssertionError(repr(r))
    items = r.json["items"]
    if r.json["total"] > len(items):
        # the server may cap limit; walk with offset
        while len(items) < r.json["total"]:
            more = admin().get(path + "?limit=1000&offset=%d" % len(items))
            if more.status != 200 or not more.json["items"]:
                break
            items += more.json["items"]
    return items


class Points(ApiTest):

    def test_admin_creates_cac_point_201_channel_presencial(self):
        body = t.point_body("CAC", region="Arequipa")
        r = admin().post("/api/v1/points", body)
        self.assertStatus(r, 201)
        p = r.json
        self.assertEqual(p["code"], body["code"])
        self.assertEqual(p["name"], body["name"])
        self.assertEqual(p["type"], "CAC")
        self.assertEqual(p["channel"], "PRESENCIAL")
        self.assertEqual(p["region"], "Arequipa")

    def test_admin_creates_acd_point_channel_presencial(self):
        p = t.create_point("ACD")
        self.assertEqual(p["type"], "ACD")
        self.assertEqual(p["channel"], "PRESENCIAL")

    def test_admin_creates_call_center_with_lines_channel_telefonico(self):
        p = t.create_point("CALL_CENTER", lines=["123", "135"])
        self.assertEqual(p["type"], "CALL_CENTER")
        self.assertEqual(p["channel"], "TELEFONICO")
        self.assertEqual(sorted(p["lines"]), ["123", "135"])

    def test_call_center_unknown_line_is_422_field_lines(self):
        for lines in (["999"], ["123", "124"], [123]):
            body = t.point_body("CALL_CENTER", lines=lines)
            with self.subTest(lines=lines):
                self.assertError(admin().post("/api/v1/points", body), 422,
                                 "VALIDATION", "lines")

    def test_point_name_of_100_accented_characters_is_accepted(self):
        # Spanish names carry accents: 100 characters are 200 UTF-8 bytes
        name = "Centro de Atención Ñaña – Jesús María " + "ñ" * 62
        self.assertEqual(len(name), 100)
        p = t.create_point(name=name, region="Áncash – Huarás ÑÑÑÑÑÑÑÑÑÑ")
        self.assertEqual(p["name"], name)
        got = find(all_items("/api/v1/points"), "code", p["code"])
        self.assertEqual(got["name"], name)

    def test_call_center_without_lines_is_422_field_lines(self):
        # SPEC 4: a call centre is TELEFONICO "with its lines 123, 135"
        for lines in (None, []):
            body = t.point_body("CALL_CENTER", lines=lines)
            with self.subTest(lines=lines):
                self.assertError(admin().post("/api/v1/points", body), 422,
                                 "VALIDATION", "lines")

    def test_lines_are_refused_or_dropped_for_presencial_points(self):
        for type_ in ("CAC", "ACD"):
            body = t.point_body(type_, lines=["123"])
            r = admin().post("/api/v1/points", body)
            with self.subTest(type=type_):
                if r.status == 201:
                    self.assertEqual(r.json.get("lines", []), [])
                    self.assertEqual(r.json["channel"], "PRESENCIAL")
                else:
                    self.assertError(r, 422, "VALIDATION", "lines")

    def test_point_unknown_type_is_422_field_type(self):
        body = t.point_body("TIENDA")
        self.assertError(admin().post("/api/v1/points", body), 422,
                         "VALIDATION", "type")

    def test_point_missing_required_fields_is_422_naming_the_field(self):
        for field in ("code", "name", "type"):
            body = t.point_body()
            del body[field]
            with self.subTest(field=field):
                self.assertError(admin().post("/api/v1/points", body), 422,
                                 "VALIDATION", field)

    def test_point_duplicate_code_is_409_already_exists(self):
        p = t.create_point(region="Lima")
        body = t.point_body(code=p["code"], name="Otro nombre",
                            region="Cusco")
        err = self.assertError(admin().post("/api/v1/points", body), 409,
                               "ALREADY_EXISTS")
        self.assertIn(err["field"], ("code", None))
        got = find(all_items("/api/v1/points"), "code", p["code"])
        self.assertEqual(got["name"], p["name"], "refused 409 changed it")
        self.assertEqual(got["region"], "Lima")

    def test_non_admin_cannot_create_point_403(self):
        for role in ("JEFE", "CONTROL", "SOPORTE", "FALLAS", "GERENTE"):
            body = t.point_body()
            with self.subTest(role=role):
                self.assertError(t.role_client(role).post("/api/v1/points",
                                                          body),
                                 403, "FORBIDDEN")
                self.assertIsNone(find(all_items("/api/v1/points"), "code",
                                       body["code"]))

    def test_any_authenticated_user_lists_points(self):
        p = t.create_point("CALL_CENTER", lines=["135"])
        for role in ("JEFE", "CONTROL", "RECLAMOS", "ONLINE"):
            c = t.role_client(role)
            r = c.get("/api/v1/points?limit=1000")
            with self.subTest(role=role):
                self.assertStatus(r, 200)
                self.assertIsInstance(r.json["items"], list)
                self.assertGreaterEqual(r.json["total"], 1)
        got = find(all_items("/api/v1/points"), "code", p["code"])
        self.assertIsNotNone(got)
        self.assertEqual(got["channel"], "TELEFONICO")
        self.assertEqual(got["lines"], ["135"])


class Users(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.p1 = t.create_point()["code"]
        cls.p2 = t.create_point()["code"]

    def test_admin_creates_user_201_without_password_in_reply(self):
        body = t.user_body(["JEFE"], [self.p1, self.p2])
        r = admin().post("/api/v1/users", body)
        self.assertStatus(r, 201)
        u = r.json
        self.assertEqual(u["username"], body["username"])
        self.assertEqual(u["name"], body["name"])
        self.assertEqual(u["email"], body["email"])
        self.assertEqual(u["roles"], ["JEFE"])
        self.assertEqual(sorted(u["points"]), sorted([self.p1, self.p2]))
        self.assertNotIn(body["password"], r.body.decode())
        for key in u:
            self.assertNotIn("password", key.lower())
            self.assertNotIn("hash", key.lower())

    def test_new_user_logs_in_with_its_roles_and_points(self):
        u, p, _ = t.create_user(["JEFE"], [self.p1])
        c = t.login(u, p)
        self.assertEqual(c.user["roles"], ["JEFE"])
        self.assertEqual(c.user["points"], [self.p1])

    def test_user_may_hold_several_roles(self):
        u, p, _ = t.create_user(["CONTROL", "PROCESOS"])
        c = t.login(u, p)
        self.assertEqual(sorted(c.user["roles"]), ["CONTROL", "PROCESOS"])

    def test_every_role_of_section_3_is_accepted(self):
        for role in t.ROLES:
            body = t.user_body([role], [self.p1] if role == "JEFE" else [])
            with self.subTest(role=role):
                self.assertStatus(admin().post("/api/v1/users", body), 201)

    def test_user_name_of_80_accented_characters_is_accepted(self):
        # 80 characters, 160 UTF-8 bytes
        name = "María José Ñúñez Castañeda de la Peña " + "ñ" * 42
        self.assertEqual(len(name), 80)
        body = t.user_body(["CONTROL"], name=name)
        r = admin().post("/api/v1/users", body)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["name"], name)
        c = t.login(body["username"], body["password"])
        self.assertEqual(c.user["name"], name)

    def test_weak_password_is_422_weak_password(self):
        for pw in ("corta", "a" * 11):
            body = t.user_body(["CONTROL"], password=pw or None)
            body["password"] = pw
            with self.subTest(password=pw):
                self.assertError(admin().post("/api/v1/users", body), 422,
                                 "WEAK_PASSWORD", "password")
                self.assertStatus(t.login_resp(body["username"], pw), 401)

    def test_password_of_12_characters_is_accepted(self):
        u, p, _ = t.create_user(["CONTROL"], password="abcdefghijk1")
        self.assertStatus(t.login_resp(u, p), 200)

    def test_password_length_counts_characters_not_bytes(self):
        # 6 characters, 12 bytes in UTF-8: too short
        body = t.user_body(["CONTROL"])
        body["password"] = "ñáéíóú"
        self.assertError(admin().post("/api/v1/users", body), 422,
                         "WEAK_PASSWORD", "password")

    def test_duplicate_username_is_409_already_exists(self):
        u, p, _ = t.create_user(["CONTROL"])
        body = t.user_body(["ADMIN"], username=u,
                           password="otra-clave-larga-123")
        err = self.assertError(admin().post("/api/v1/users", body), 409,
                               "ALREADY_EXISTS")
        self.assertIn(err["field"], ("username", None))
        # the refused request changed nothing: old password, old roles
        self.assertStatus(t.login_resp(u, "otra-clave-larga-123"), 401)
        c = t.login(u, p)
        self.assertEqual(c.user["roles"], ["CONTROL"])

    def test_unknown_role_is_422_field_roles(self):
        for roles in (["SUPERUSER"], ["JEFE", "ROOT"], ["jefe"]):
            body = t.user_body(roles, [self.p1])
            with self.subTest(roles=roles):
                self.assertError(admin().post("/api/v1/users", body), 422,
                                 "VALIDATION", "roles")

    def test_unknown_point_is_422_field_points(self):
        body = t.user_body(["JEFE"], [self.p1, "NO-EXISTE-" + t.CTX.run_id])
        self.assertError(admin().post("/api/v1/users", body), 422,
                         "VALIDATION", "points")
        self.assertStatus(t.login_resp(body["username"], body["password"]),
                          401)

    def test_user_missing_username_is_422_field_username(self):
        body = t.user_body(["CONTROL"])
        del body["username"]
        self.assertError(admin().post("/api/v1/users", body), 422,
                         "VALIDATION", "username")

    def test_non_admin_cannot_create_user_403(self):
        for role in ("JEFE", "CONTROL", "SOPORTE", "GERENTE"):
            body = t.user_body(["ADMIN"])
            with self.subTest(role=role):
                self.assertError(t.role_client(role).post("/api/v1/users",
                                                          body),
                                 403, "FORBIDDEN")
                self.assertStatus(t.login_resp(body["username"],
                                               body["password"]), 401)

    def test_only_admin_lists_users_403_otherwise(self):
        u, _p, _ = t.create_user(["CONTROL"])
        self.assertIsNotNone(find(all_items("/api/v1/users"), "username", u))
        for role in ("JEFE", "CONTROL", "DIRECTOR"):
            with self.subTest(role=role):
                self.assertError(t.role_client(role).get("/api/v1/users"),
                                 403, "FORBIDDEN")

    def test_users_list_never_exposes_passwords_or_hashes(self):
        t.create_user(["CONTROL"])
        r = admin().get("/api/v1/users?limit=1000")
        self.assertStatus(r, 200)
        text = r.body.decode()
        self.assertNotIn("$argon2", text)
        for u in r.json["items"]:
            for key in u:
                self.assertNotIn("password", key.lower())
                self.assertNotIn("hash", key.lower())

    def test_refused_user_and_point_requests_change_nothing(self):
        users = t.list_total("/api/v1/users")
        points = t.list_total("/api/v1/points")
        admin().post("/api/v1/users", t.user_body(["NOPE"]))
        admin().post("/api/v1/users", dict(t.user_body(["CONTROL"]),
                                           password="x"))
        t.role_client("JEFE").post("/api/v1/users", t.user_body(["ADMIN"]))
        admin().post("/api/v1/points", t.point_body("TIENDA"))
        admin().post("/api/v1/points", t.point_body("CALL_CENTER",
                                                    lines=["999"]))
        t.role_client("CONTROL").post("/api/v1/points", t.point_body())
        self.assertEqual(t.list_total("/api/v1/users"), users)
        self.assertEqual(t.list_total("/api/v1/points"), points)
