#!/usr/bin/env bash
# The README demo: on a fresh checkout, start the sandbox with the fifteen prod clusters of examples/platform, show
# the plan (`bosun diff`), apply it (`bosun apply`), show that a second apply has nothing to do, stop the sandbox.
#
#   bash scripts/demo.sh            # builds first when needed
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --ignore-scripts
[ -f dist/src/cli/fleet.js ] || npm run build

BOSUN=${BOSUN:-"node bin/bosun.cjs"}
STATE=examples/platform/bosun.yaml
CLUSTERS=us-east-1,us-east-2,us-west-1,us-west-2,ca-central-1,sa-east-1,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-southeast-1,ap-southeast-2,ap-northeast-1,ap-south-1

tmp=$(mktemp -d)
kubeconfig=$tmp/kubeconfig
node bin/bosun.cjs sandbox up --clusters "$CLUSTERS" --kubeconfig "$kubeconfig" >"$tmp/sandbox.log" 2>&1 &
sandbox=$!
cleanup() {
  kill "$sandbox" 2>/dev/null || true
  wait "$sandbox" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$kubeconfig" ] && break
  kill -0 "$sandbox" 2>/dev/null || { cat "$tmp/sandbox.log"; exit 1; }
  sleep 0.1
done
[ -s "$kubeconfig" ] || { echo "the sandbox did not start" >&2; cat "$tmp/sandbox.log"; exit 1; }
echo "== sandbox up: 15 clusters ($kubeconfig)"

flags=(-f "$STATE" -e prod --kubeconfig "$kubeconfig")

echo
echo "== bosun diff -e prod  (identical changes collapsed; Secret values masked)"
set +e
$BOSUN diff "${flags[@]}" --detailed-exitcode | sed -n '1,60p;$p'
code=${PIPESTATUS[0]}
set -e
echo "(diff exit code: $code — 2 means changes)"
[ "$code" = 2 ] || { echo "expected changes on a fresh sandbox" >&2; exit 1; }

echo
echo "== bosun apply -e prod  (each target starts as soon as its own needs are done)"
CI=true $BOSUN apply "${flags[@]}" --cluster-concurrency 8 2>"$tmp/apply.log" | sed -n '/^CLUSTER/,$p'
echo "(progress lines: $(wc -l <"$tmp/apply.log"); first ones:)"
head -5 "$tmp/apply.log"

echo
echo "== bosun apply -e prod, again"
CI=true $BOSUN apply "${flags[@]}" | tail -2

echo
echo "== bosun diff -e prod --detailed-exitcode"
$BOSUN diff "${flags[@]}" --detailed-exitcode | tail -1
echo "(diff exit code: 0 — nothing to do)"
