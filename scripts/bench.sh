#!/usr/bin/env bash
# Runs every benchmark in bench/ on the built library, one after another (they are timing-sensitive:
# never in parallel). Each prints its own table.
set -euo pipefail
cd "$(dirname "$0")/.."
for bench in bench/*.bench.ts; do
  printf '\n== %s ==\n' "$bench"
  # Memory benchmarks start from a collected heap.
  # Transform, not only strip, TypeScript: some benchmarks import sources with parameter properties.
  node --expose-gc --experimental-transform-types --no-warnings "$bench"
done
