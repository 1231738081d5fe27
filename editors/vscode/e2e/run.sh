#!/usr/bin/env bash
# Builds the .vsix and tests it end to end in real VS Code: code-server 4.100.3 in Debian's
# Chromium, driven by playwright-core (see vscode.e2e.test.mjs for the scenarios).
#
# Usage: editors/vscode/e2e/run.sh [--no-build]
#   --no-build                  test the existing scriptcontract.vsix
#   SCRIPTCONTRACT_E2E_CACHE    where code-server is installed once (default ~/.cache/scriptcontract-e2e)
#   E2E_PYTHON                  the interpreter the extension runs its server with (default python3)
#   E2E_ARTIFACTS               where the screenshots go (default e2e/artifacts, git-ignored)
# Installs the Debian packages it needs (chromium, ripgrep, libkrb5-dev) when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
[ "${1:-}" = "--no-build" ] && build=0
cache=${SCRIPTCONTRACT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scriptcontract-e2e}

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "e2e: needs the Debian packages ${missing[*]}; install them first" >&2
    exit 2
  fi
fi

[ -d node_modules ] || npm ci --no-audit --no-fund
if [ "$build" = 1 ] || [ ! -f scriptcontract.vsix ]; then
  npm run --silent package
fi

code_server=$(bash e2e/install-code-server.sh "$cache/code-server-4.100.3")
CODE_SERVER=$code_server VSIX=$PWD/scriptcontract.vsix CHROMIUM=$(command -v chromium) \
  node --test --test-concurrency=1 e2e/vscode.e2e.test.mjs
