#!/usr/bin/env bash
# Browser tests of the web UI: bash tests/e2e/run.sh --inop build/inop
# Installs playwright-core (the only dependency, from the npm registry) when
# node_modules is missing, then runs run.mjs with the same arguments.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v node >/dev/null 2>&1; then
	echo "e2e: node is not installed (apt-get install -y nodejs npm)" >&2
	exit 1
fi
chromium=${INOP_E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	echo "e2e: $chromium not found (apt-get install -y chromium)" >&2
	exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "e2e: installing playwright-core (npm ci)" >&2
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/run.mjs" "$@"
