"""Calendar endpoints (API.md "Calendar"; SPEC D1, D2)."""

import datetime as dt

import inoptest as t
from inoptest import ApiTest


class Calendar(ApiTest):

    def add(self, date, days):
        r = t.role_client("CONTROL").get(
            "/api/v1/calendar/add-business-days?date=%s&days=%s"
            % (date, days))
        self.assertStatus(r, 200)
        return r.json["date"]

    def test_d1_add_business_days_skips_christmas_and_the_weekend(self):
        self.assertEqual(self.add("2026-12-24", 1), "2026-12-28")

    def test_d1_add_business_days_skips_maundy_thursday_and_good_friday(self):
        # Easter 2026 is 5 April
        self.assertEqual(self.add("2026-04-01", 1), "2026-04-06")
        self.assertEqual(self.add("2027-03-24", 1), "2027-03-29")

    def test_d1_add_business_days_matches_the_peruvian_calendar(self):
        start = dt.date(2026, 7, 20)
        wrong = []
        for offset in range(0, 200, 5):
            d = start + dt.timedelta(days=offset)
            for days in (1, 3):
                want = t.add_business_days(d, days).isoformat()
                got = self.add(d.isoformat(), days)
                if got != want:
                    wrong.append("%s + %d: got %s, want %s"
                                 % (d, days, got, want))
        self.assertEqual(wrong, [])

    def test_d1_holidays_of_a_year_are_the_national_holidays(self):
        for year in (2026, 2030):
            r = t.role_client("CONTROL").get(
                "/api/v1/calendar/holidays?year=%d" % year)
            self.assertStatus(r, 200)
            got = {it["date"] for it in r.json["items"]}
            self.assertEqual(got, {d.isoformat()
                                   for d in t.peru_holidays(year)})
            for it in r.json["items"]:
                self.assertTrue(it["name"])

    def test_d1_bad_calendar_parameters_are_422(self):
        for query, field in (("date=2026-02-30&days=1", "date"),
                             ("date=manana&days=1", "date"),
                             ("date=2026-01-05&days=x", "days")):
            r = t.role_client("CONTROL").get(
                "/api/v1/calendar/add-business-days?" + query)
            with self.subTest(query=query):
                self.assertError(r, 422, "VALIDATION", field)
