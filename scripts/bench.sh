#!/usr/bin/env bash
# `make bench`: build the release app and measure it (figures, not tests; exits 1 when a budget is over).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
node scripts/release.mjs
cargo build -p standin
node scripts/bench/run.mjs
