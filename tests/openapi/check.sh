#!/usr/bin/env bash
# The OpenAPI document: bash tests/openapi/check.sh --inop build/inop
# 1. lints docs/openapi.yaml with @redocly/cli (npm, pinned in
#    package-lock.json; installed here by `npm ci` when missing) — errors
#    and warnings both fail;
# 2. check.py: every route of src/api/routes.c is in it and nothing else,
#    and GET /api/v1/openapi.json of a real server is the same document.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v node >/dev/null 2>&1; then
	echo "openapi: node is not installed (apt-get install -y nodejs npm)" >&2
	exit 1
fi
if [ ! -x "$here/node_modules/.bin/redocly" ]; then
	echo "openapi: installing @redocly/cli (npm ci)" >&2
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
out=$("$here/node_modules/.bin/redocly" lint --config "$here/redocly.yaml" \
	"$root/docs/openapi.yaml" 2>&1) || { echo "$out"; exit 1; }
if echo "$out" | grep -qiE "[0-9]+ warnings?\b"; then
	echo "$out"
	echo "openapi: redocly lint warns" >&2
	exit 1
fi
echo "redocly lint: valid, no warnings"
exec python3 "$here/check.py" "$@"
