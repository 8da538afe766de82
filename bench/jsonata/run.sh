#!/usr/bin/env bash
# Compares Baton's JSONata engine with jsonata-js 2.x on the expressions of
# exprs.json. Installs jsonata from npm into bench/jsonata/node_modules.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-1}"
if [ ! -d "$here/node_modules/jsonata" ]; then
  (cd "$here" && npm install --no-save --no-audit --no-fund jsonata@2 >/dev/null)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
go run ./bench/jsonata -write-data "$tmp/data.json"
node "$here/bench.js" "$tmp/data.json" "$seconds" > "$tmp/js.json"
go run ./bench/jsonata -exprs "$here/exprs.json" -compare "$tmp/js.json" -duration "${seconds}s"
