#!/usr/bin/env bash
# `make test`: every test layer. Exits non-zero on the first failing layer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh

echo "== 1/3 native: unit and property tests, stand-in contract and behaviour tests"
cargo test --workspace

echo "== 2/3 browser: wasm-bindgen-test in headless Chromium"
cargo test --target wasm32-unknown-unknown --test web

echo "== 3/3 end to end: the release build in Chromium against the stand-in"
bash scripts/e2e.sh
