#!/usr/bin/env bash
# End-to-end tests: build the release app, then drive it in Chromium against the stand-in
# (each test file starts its own stand-in serving dist/ on a free port).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
node scripts/release.mjs
cargo build -p standin
# A hung test fails after two minutes instead of holding CI until its limit.
node --test --test-concurrency=1 --test-timeout=600000 tests/e2e/
