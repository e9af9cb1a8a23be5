#!/usr/bin/env python3
"""Generates an interactions CSV (API.md "Data brought in") for tests and
the benchmark: ROWS rows over DAYS Lima days from START, POINTS points
named P0001..., random procedure types, minutes skewed to office hours.
Deterministic for a given --seed.  Writes to --out (or stdout)."""
import argparse, datetime, random, sys

TYPES = ["RECLAMOS", "ALTAS", "BAJAS", "CONSULTAS"]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--points", type=int, default=600)
    ap.add_argument("--point-prefix", default="P")
    ap.add_argument("--start", default="2026-10-01")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sep", default=",")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    start = datetime.date.fromisoformat(a.start)
    days = [(start + datetime.timedelta(d)).isoformat() for d in range(a.days)]
    pts = ["%s%04d" % (a.point_prefix, i + 1) for i in range(a.points)]
    out = sys.stdout if a.out == "-" else open(a.out, "w", newline="")
    s = a.sep
    out.write(s.join(["fecha_hora", "punto", "tipo_tramite", "solicitud", "canal"]) + "\n")
    per_day = a.rows // a.days
    extra = a.rows - per_day * a.days
    buf = []
    for di, day in enumerate(days):
        n = per_day + (1 if di < extra else 0)
        mins = sorted(min(1439, max(0, int(rnd.gauss(780, 200)))) for _ in range(n))
        for m in mins:
            buf.append("%s %02d:%02d:%02d%s%s%s%s%sX%sWEB\n" % (
                day, m // 60, m % 60, rnd.randrange(60), s, rnd.choice(pts), s,
                rnd.choice(TYPES), s, s))
            if len(buf) >= 100000:
                out.write("".join(buf)); buf = []
    out.write("".join(buf))
    if out is not sys.stdout:
        out.close()

if __name__ == "__main__":
    main()
