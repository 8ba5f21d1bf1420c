#!/usr/bin/env bash
# test/driver/node/run.sh - installs node-postgres (the version in
# package-lock.json, into node_modules here) and runs test.js.  Node.js and
# npm come from Debian when the machine has none.
source "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/lib.sh"
command -v node >/dev/null && command -v npm >/dev/null || bj_install_packages nodejs npm
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
node test.js
