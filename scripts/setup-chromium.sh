#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser test when it is missing (the tests
# drive it with playwright-core, which downloads no browser of its own). Idempotent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: no chromium and no apt-get; install Chromium or set SLIPWAY_TEST_CHROMIUM" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "setup-chromium: installed $(chromium --version 2>/dev/null | sed -n 1p)" >&2
