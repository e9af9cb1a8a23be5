#!/usr/bin/env python3
"""docs/openapi.yaml against the route table and the running server:

    python3 tests/openapi/check.py --inop build/inop

- the (method, path) pairs of src/api/routes.c (":id" as "{id}") and the
  operations of the document are the same set;
- `inop serve` answers GET /api/v1/openapi.json (401 without a session)
  with exactly the document.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile
import urllib.error, urllib.request

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from drill import serve  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
METHODS = {"get", "post", "put", "patch", "delete"}


def route_table():
    src = open(os.path.join(ROOT, "src/api/routes.c"), encoding="utf-8").read()
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    return {(m, re.sub(r":(\w+)", r"{\1}", p)) for m, p in
            re.findall(r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', src)}


def documented(doc):
    return {(m.upper(), p) for p, item in doc["paths"].items()
            for m in item if m in METHODS}


def call(port, path, token=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path))
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def served(inop):
    tmp = tempfile.mkdtemp(prefix="inop-openapi-")
    db, pw = os.path.join(tmp, "inop.db"), os.path.join(tmp, "pw")
    with open(os.open(pw, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("openapi-admin-pw\n")
    subprocess.run([inop, "init", "--db", db, "--admin-password-file", pw],
                   check=True, capture_output=True)
    srv = serve(inop, db, os.path.join(tmp, "serve.log"))
    port = srv.port
    try:
        anon = call(port, "/api/v1/openapi.json")[0]
        req = urllib.request.Request(
            "http://127.0.0.1:%d/api/v1/session" % port,
            data=json.dumps({"username": "admin",
                             "password": "openapi-admin-pw"}).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            token = json.loads(r.read())["token"]
        status, body = call(port, "/api/v1/openapi.json", token)
        return anon, status, json.loads(body) if status == 200 else None
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    a = ap.parse_args()
    doc = yaml.safe_load(open(os.path.join(ROOT, "docs/openapi.yaml"),
                              encoding="utf-8"))
    failures = []
    if not str(doc.get("openapi", "")).startswith("3.1"):
        failures.append("not OpenAPI 3.1: %r" % doc.get("openapi"))
    routes, ops = route_table(), documented(doc)
    for m, p in sorted(routes - ops):
        failures.append("route not documented: %s %s" % (m, p))
    for m, p in sorted(ops - routes):
        failures.append("documented but not a route: %s %s" % (m, p))
    anon, status, body = served(os.path.abspath(a.inop))
    if anon != 401:
        failures.append("openapi.json without a session answered %d" % anon)
    if status != 200 or body != doc:
        failures.append("GET /api/v1/openapi.json (%d) is not docs/openapi.yaml"
                        % status)
    print("routes: %d, documented operations: %d" % (len(routes), len(ops)))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
