#!/usr/bin/env bash
# Compares Baton's in-memory engine with aws-local-stepfunctions 3.x on the
# machines of bench/asl/machines and prints each machine's executions per
# second and Baton's ratio. Installs the npm package into
# bench/asl/node_modules (git-ignored). Needs go, node and npm.
#
# Each side runs each machine for a 1s warm-up, then for the measured time
# in 3 rounds, and reports its best round (and its rate per CPU-second), so
# that other load on the machine disturbs the figures less.
#
# Usage: bash bench/asl/run.sh [seconds per machine, default 3] [main.go flags...]
# e.g.   bash bench/asl/run.sh 3 -parallel 0
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-3}"
shift || true
warmup=1
rounds=3

installed() {
  node -e 'process.exit(/^3\./.test(require(process.argv[1]).version) ? 0 : 1)' \
    "$here/node_modules/aws-local-stepfunctions/package.json" 2>/dev/null
}
if ! installed; then
  # --prefix keeps npm from installing into an ancestor directory that has a
  # package.json or node_modules. The package declares node >= 22 but runs
  # on node 20; --loglevel=error hides that warning.
  npm install --prefix "$here" --no-save --no-audit --no-fund --loglevel=error aws-local-stepfunctions@3 >/dev/null
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/asl" ./bench/asl)

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown);" \
  "$(go version | cut -d' ' -f3), node $(node --version)," \
  "aws-local-stepfunctions $(node -p "require('$here/node_modules/aws-local-stepfunctions/package.json').version")"
node "$here/peer.js" "$seconds" "$warmup" "$rounds" >"$tmp/peer.json"
"$tmp/asl" -duration "${seconds}s" -warmup "${warmup}s" -rounds "$rounds" -compare "$tmp/peer.json" "$@"
