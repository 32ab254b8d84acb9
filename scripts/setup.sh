#!/usr/bin/env bash
# Installs everything the project needs, skipping what is already present at the
# right version. Safe to run again and again; `make dev` and `make test` call it.
# Versions come from ../shared/toolchain.md: they are the ones that work on this
# machine kind (rustc 1.95 cannot build trunk 0.22; Debian's wasm-opt 108 yields a
# blank page, so wasm-opt comes from npm's binaryen@132 instead).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Must equal the wasm-bindgen crate in Cargo.lock exactly (pinned with `=` in Cargo.toml).
WASM_BINDGEN_VERSION=0.2.130
# For `wasm-pack test --headless --chrome`, which the README documents beside `make test`.
WASM_PACK_VERSION=0.13.1
# Splits the release wasm into one module per area (scripts/release.mjs); must read what the
# wasm_split_helpers crate in Cargo.lock (through leptos) writes.
WASM_SPLIT_VERSION=0.2.4

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust 1.95 with rustup first."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# The release build compiles the standard library with the app (scripts/release.mjs).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component (the release build compiles std with the app)"
  rustup component add rust-src
fi

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
command -v brotli >/dev/null || need_apt+=(brotli)
fc-list 2>/dev/null | grep -qi 'wqy\|noto sans cjk' || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing from Debian: ${need_apt[*]}"
  command -v apt-get >/dev/null || die "apt-get not found: install ${need_apt[*]} by hand."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes the first time)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes the first time)"
  # No --locked: its lockfile names a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 3 minutes the first time)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

if [ "$(cat "${CARGO_HOME:-$HOME/.cargo}/.wasm-split-cli.version" 2>/dev/null)" != "$WASM_SPLIT_VERSION" ] \
   || ! command -v wasm-split-cli >/dev/null; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about a minute the first time)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
  echo "$WASM_SPLIT_VERSION" > "${CARGO_HOME:-$HOME/.cargo}/.wasm-split-cli.version"
fi

if [ -f package-lock.json ]; then
  if [ ! -x node_modules/.bin/wasm-opt ] || ! cmp -s package-lock.json node_modules/.package-lock.json.copy 2>/dev/null; then
    say "installing npm packages (binaryen, terser, playwright-core, axe-core)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.package-lock.json.copy
  fi
fi

say "toolchain ready"
