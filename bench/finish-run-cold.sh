#!/bin/bash
# The end of a run, cold (bench/finish-run-cold.bench.ts), in <rounds> fresh processes of each of two checkouts run
# alternately (an older version and this one, say), on a history of 10 earlier runs; prints the median CPU ms of each.
#
#   bash bench/finish-run-cold.sh <rounds> <cases> <checkoutA> <checkoutB>
#
# <checkoutA> may be a copy of an older commit (`git archive <commit> | tar -x -C /tmp/old`, with a node_modules link).
set -euo pipefail
rounds=$1 cases=$2 a=$(cd "$3" && pwd) b=$(cd "$4" && pwd)
node=$(cd "$(dirname "$0")/.." && pwd)/node_modules/.bin/node
history=$(mktemp -d)
trap 'rm -rf "$history"' EXIT
"$node" --no-warnings --experimental-transform-types "$b/bench/finish-run-cold.bench.ts" setup "$history" "$cases" 10
one() { "$node" --no-warnings --experimental-transform-types "$1/bench/finish-run-cold.bench.ts" run "$history" "$cases" "" "$1" | sed 's/.*"cpuMs":\([0-9.]*\).*/\1/'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ta=() tb=()
for ((round = 0; round < rounds; round++)); do ta+=("$(one "$a")"); tb+=("$(one "$b")"); done
echo "finishRun cold, $cases cases, median CPU of $rounds processes each: $a $(median "${ta[@]}") ms, $b $(median "${tb[@]}") ms"
