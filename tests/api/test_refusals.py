"""API.md "A refused request changes nothing" across resources, and R8:
refusals never consume an event number."""

import datetime as dt

import inoptest as t
from inoptest import ANON, JefeTest, admin, event_payload, iso, now


class RefusalsChangeNothing(JefeTest):
    POOL = 4

    def snapshot(self, open_ev, closed_ev):
        return {
            "events": t.events_total(),
            "open": t.events_total(query="?status=OPEN"),
            "points": t.list_total("/api/v1/points"),
            "users": t.list_total("/api/v1/users"),
            "open_ev": self.get_event(open_ev["id"]),
            "closed_ev": self.get_event(closed_ev["id"]),
        }

    def test_refused_requests_change_nothing_and_consume_no_number(self):
        p, q = self.take_point(), self.take_point()
        open_ev = self.register(self.jefe, event_payload(p))
        closed_ev = self.register(self.jefe, event_payload(
            p, procedure="ALTAS"))
        self.close_event(self.jefe, closed_ev["id"])
        last = self.register(self.jefe, event_payload(p, procedure="BAJAS"))
        before = self.snapshot(open_ev, closed_ev)
        control = t.role_client("CONTROL")
        stranger = t.user_client(["JEFE"], [t.create_point()["code"]])
        before["points"] += 1          # the stranger's point
        before["users"] += 1           # and the stranger
        big = "BIG"                    # 2 MiB, sent by t.big_post
        oid, cid = open_ev["id"], closed_ev["id"]
        refusals = [
            # 400
            (self.jefe, "POST", "/api/v1/events", b"{\"point\":", 400),
            (self.jefe, "POST", "/api/v1/events/%s/close" % oid, b"[", 400),
            # 401
            (ANON, "POST", "/api/v1/events", event_payload(q), 401),
            # 403
            (stranger, "POST", "/api/v1/events", event_payload(q), 403),
            (control, "POST", "/api/v1/events", event_payload(q), 403),
            (admin(), "POST", "/api/v1/events", event_payload(q), 403),
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, scenario="PRUEBA"), 403),
            (stranger, "POST", "/api/v1/events/%s/close" % oid,
             {"ended_at": iso(now()),
              "closure_reason": "SIN_FLUIDO_ELECTRICO"}, 403),
            (control, "POST", "/api/v1/events/%s/requests" % oid,
             {"requests": ["INFORMATIVA"]}, 403),
            (self.jefe, "POST", "/api/v1/events/%s/annotations" % oid,
             {"text": "no soy Control"}, 403),
            (control, "POST", "/api/v1/points", t.point_body(), 403),
            (self.jefe, "POST", "/api/v1/users", t.user_body(["ADMIN"]),
             403),
            # 409
            (self.jefe, "POST", "/api/v1/events", event_payload(p), 409),
            (self.jefe, "POST", "/api/v1/events/%s/close" % cid,
             {"ended_at": iso(now()),
              "closure_reason": "INFRAESTRUCTURA_PUNTO"}, 409),
            (self.jefe, "POST", "/api/v1/events/%s/requests" % cid,
             {"requests": ["PORTABILIDAD"]}, 409),
            (admin(), "POST", "/api/v1/points", t.point_body(code=p), 409),
            (admin(), "POST", "/api/v1/users",
             t.user_body(["ADMIN"], username=self.jefe.username), 409),
            # 413
            (control, "POST", "/api/v1/events/%s/annotations" % oid, big,
             413),
            # 422
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, requests=["PAGO"]), 422),
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, requests=["RECLAMO"]), 422),
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, applications=["SICAR"]), 422),
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, attest_total=False), 422),
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, cause=None), 422),
            (self.jefe, "POST", "/api/v1/events",
             event_payload(q, scenario="FALLA_MASIVA",
                           cause="FALLA_MASIVA_APLICATIVO"), 422),
            (self.jefe, "POST", "/api/v1/events", event_payload(
                q, started_at=iso(now() + dt.timedelta(minutes=30))), 422),
            (self.jefe, "POST", "/api/v1/events/%s/requests" % oid,
             {"requests": ["PAGO", "INFORMATIVA"]}, 422),
            (self.jefe, "POST", "/api/v1/events/%s/close" % oid,
             {"ended_at": iso(now()), "closure_reason": "INTERMITENCIA"},
             422),
            (self.jefe, "POST", "/api/v1/events/%s/close" % oid,
             {"ended_at": iso(now()), "closure_reason": "ERROR_USUARIO",
              "justification": "corto"}, 422),
            (self.jefe, "POST", "/api/v1/events/%s/close" % oid,
             {"ended_at": iso(now() - dt.timedelta(days=1)),
              "closure_reason": "SIN_FLUIDO_ELECTRICO"}, 422),
            (control, "POST", "/api/v1/events/%s/annotations" % oid,
             {"text": ""}, 422),
            (admin(), "POST", "/api/v1/points",
             t.point_body("CALL_CENTER", lines=["999"]), 422),
            (admin(), "POST", "/api/v1/users",
             dict(t.user_body(["CONTROL"]), password="corta"), 422),
            (admin(), "POST", "/api/v1/users", t.user_body(["NOPE"]), 422),
            (admin(), "POST", "/api/v1/users",
             t.user_body(["JEFE"], ["NOPE-" + t.CTX.run_id]), 422),
        ]
        for client, method, path, body, status in refusals:
            if body is big:
                r = t.big_post(client, path, 2 * 1024 * 1024)
                self.assertIsNotNone(r, "no answer to a 2 MiB body")
            elif isinstance(body, bytes):
                r = client.request(method, path, raw=body)
            else:
                r = client.request(method, path, body)
            with self.subTest(path=path, status=status):
                self.assertEqual(r.status, status, repr(r))
                self.assertIsNotNone(r.error, repr(r))
        after = self.snapshot(open_ev, closed_ev)
        self.assertEqual(after, before)
        nxt = self.register(self.jefe, event_payload(q))
        y1, n1 = t.seq_of(last["number"])
        y2, n2 = t.seq_of(nxt["number"])
        if y1 == y2:
            self.assertEqual(n2, n1 + 1, "gap after refusals: %s -> %s"
                             % (last["number"], nxt["number"]))
