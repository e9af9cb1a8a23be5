"""Concurrent registrations: R8 (gapless, unique numbers) and R3 (one open
event per point and procedure) under races."""

import threading

import inoptest as t
from inoptest import ApiTest, event_payload


def race(n, work):
    """Run work(i) in n threads released together; -> list of results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait(30)
            results[i] = work(i)
        except Exception as e:  # noqa: BLE001 - reported by the test
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    return results


class Concurrency(ApiTest):

    @classmethod
    def setUpClass(cls):
        cls.points = [t.create_point()["code"] for _ in range(12)]
        cls.jefe = t.user_client(["JEFE"], cls.points)

    def test_r8_forty_parallel_registrations_all_201_unique_gapless(self):
        combos = [(p, proc) for p in self.points[:10] for proc in t.PROCEDURES]
        self.assertEqual(len(combos), 40)

        def work(i):
            p, proc = combos[i]
            return self.jefe.post("/api/v1/events",
                                  event_payload(p, procedure=proc),
                                  timeout=120)

        results = race(40, work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
            self.assertEqual(r.status, 201, "thread %d %r: %r"
                             % (i, combos[i], r))
        seqs = sorted(t.seq_of(r.json["number"]) for r in results)
        self.assertEqual(len(set(seqs)), 40, "duplicate numbers")
        self.assertEqual(len({y for y, _n in seqs}), 1)
        ns = [n for _y, n in seqs]
        self.assertEqual(ns, list(range(ns[0], ns[0] + 40)),
                         "numbers not gapless: %r" % ns)
        self.assertEqual(len({r.json["id"] for r in results}), 40)
        for r, (p, proc) in zip(results, combos):
            self.assertEqual((r.json["point"]["code"], r.json["procedure"]),
                             (p, proc))

    def test_r3_twenty_threads_racing_one_point_procedure_one_201(self):
        p = self.points[10]

        def work(i):
            req = t.PROCEDURES["CONSULTAS"][i % 17]
            return self.jefe.post("/api/v1/events", event_payload(
                p, procedure="CONSULTAS", requests=[req]), timeout=120)

        results = race(20, work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
        statuses = sorted(r.status for r in results)
        self.assertEqual(statuses, [201] + [409] * 19, [repr(r) for r in
                                                         results])
        winner = [r for r in results if r.status == 201][0].json
        for r in results:
            if r.status == 409:
                self.assertEqual(r.error["code"], "DUPLICATE_OPEN_EVENT")
                self.assertEqual(r.error["open_event"]["number"],
                                 winner["number"])
        listed = t.admin().get("/api/v1/events?point=%s" % p).json
        self.assertEqual(listed["total"], 1)
        # the 19 refusals consumed no number
        nxt = self.register(self.jefe, event_payload(p, procedure="ALTAS"))
        y1, n1 = t.seq_of(winner["number"])
        y2, n2 = t.seq_of(nxt["number"])
        if y1 == y2:
            self.assertEqual(n2, n1 + 1)

    def test_r3_parallel_add_requests_lose_none(self):
        ev = self.register(self.jefe, event_payload(
            self.points[11], procedure="CONSULTAS"))
        reqs = t.PROCEDURES["CONSULTAS"]

        def work(i):
            return self.jefe.post("/api/v1/events/%s/requests" % ev["id"],
                                  {"requests": [reqs[i]]}, timeout=120)

        results = race(len(reqs), work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
            self.assertEqual(r.status, 200, repr(r))
        got = self.get_event(ev["id"])["requests"]
        self.assertEqual(sorted(got), sorted(reqs))


class ConcurrentAdmin(ApiTest):

    def test_ten_threads_creating_one_username_exactly_one_201(self):
        body = t.user_body(["CONTROL"])

        def work(i):
            b = dict(body, name="Hilo %d" % i)
            return t.admin().post("/api/v1/users", b, timeout=120)

        results = race(10, work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
        self.assertEqual(sorted(r.status for r in results),
                         [201] + [409] * 9, [repr(r) for r in results])
        for r in results:
            if r.status == 409:
                self.assertEqual(r.error["code"], "ALREADY_EXISTS")
        self.assertStatus(t.login_resp(body["username"], body["password"]),
                          200)

    def test_ten_threads_creating_one_point_code_exactly_one_201(self):
        body = t.point_body()

        def work(i):
            return t.admin().post("/api/v1/points",
                                  dict(body, name="Hilo %d" % i),
                                  timeout=120)

        results = race(10, work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
        self.assertEqual(sorted(r.status for r in results),
                         [201] + [409] * 9, [repr(r) for r in results])


class ConcurrentClose(ApiTest):

    def test_c3_ten_threads_closing_one_event_exactly_one_200(self):
        p = t.create_point()["code"]
        jefe = t.user_client(["JEFE"], [p])
        ev = jefe.post("/api/v1/events", event_payload(p)).json
        reasons = ["SIN_FLUIDO_ELECTRICO", "INFRAESTRUCTURA_PUNTO"]

        def work(i):
            return jefe.post("/api/v1/events/%s/close" % ev["id"],
                             {"ended_at": t.iso(t.now()),
                              "closure_reason": reasons[i % 2]},
                             timeout=120)

        results = race(10, work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
        self.assertEqual(sorted(r.status for r in results),
                         [200] + [409] * 9, [repr(r) for r in results])
        winner = [r for r in results if r.status == 200][0].json
        for r in results:
            if r.status == 409:
                self.assertEqual(r.error["code"], "ALREADY_CLOSED")
        got = self.get_event(ev["id"])
        self.assertEqual(got["closure_reason"], winner["closure_reason"])
        self.assertEqual(got["ended_at"], winner["ended_at"])

    def test_c3_close_racing_add_requests_never_adds_after_closing(self):
        p = t.create_point()["code"]
        jefe = t.user_client(["JEFE"], [p])
        ev = jefe.post("/api/v1/events", event_payload(p)).json
        reqs = t.PROCEDURES["CONSULTAS"][:9]

        def work(i):
            if i == 0:
                return jefe.post("/api/v1/events/%s/close" % ev["id"],
                                 {"ended_at": t.iso(t.now()),
                                  "closure_reason": "SIN_FLUIDO_ELECTRICO"},
                                 timeout=120)
            return jefe.post("/api/v1/events/%s/requests" % ev["id"],
                             {"requests": [reqs[i - 1]]}, timeout=120)

        results = race(10, work)
        for i, r in enumerate(results):
            self.assertNotIsInstance(r, Exception, "thread %d: %r" % (i, r))
        self.assertEqual(results[0].status, 200, repr(results[0]))
        added = {reqs[i - 1] for i in range(1, 10)
                 if results[i].status == 200}
        for i in range(1, 10):
            self.assertIn(results[i].status, (200, 409), repr(results[i]))
        got = self.get_event(ev["id"])
        self.assertEqual(set(got["requests"]),
                         {"MIGRACION_PLAN"} | added,
                         "a refused (409) request was added, or an "
                         "accepted one lost")
        # what the close answered is what was stored at that moment
        self.assertLessEqual(set(results[0].json["requests"]),
                             set(got["requests"]))
