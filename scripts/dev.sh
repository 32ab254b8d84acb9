#!/usr/bin/env bash
# `make dev`: the app at http://127.0.0.1:8080 (trunk serve, rebuilding on change) against the
# stand-in API at http://127.0.0.1:8787, which trunk proxies so both share one origin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
cargo build -p standin
./target/debug/standin --port 8787 "$@" &
standin_pid=$!
trap 'kill $standin_pid 2>/dev/null || true' EXIT INT TERM
echo "stand-in API: http://127.0.0.1:8787/api/v1   app: http://127.0.0.1:8080"
# Its own output folder: dist/ stays the release build the end-to-end tests and `make bench` use.
trunk serve --dist target/dev-dist
