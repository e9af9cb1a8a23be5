#!/usr/bin/env bash
# Installs the dependencies, builds Inop and starts the demo server on a
# SQLite database with demo points, users and events.
# Usage: scripts/demo.sh [--listen HOST:PORT] [--db PATH]
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)"
exec build/inop demo --db inop-demo.db --listen 127.0.0.1:8080 "$@"
