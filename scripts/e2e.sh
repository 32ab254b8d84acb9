#!/usr/bin/env bash
# End-to-end tests: build the release app, then drive it in Chromium against the stand-in
# (each test file starts its own stand-in serving dist/ on a free port).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
trunk build --release
cargo build -p standin
node --test --test-concurrency=1 tests/e2e/
