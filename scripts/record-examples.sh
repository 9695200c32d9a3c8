#!/usr/bin/env bash
# Re-records the example cassettes against the project's scripted model server (test/support/serve.ts).
# Each example with a `scripted-replies.json` gets exactly those replies, in order: the app's answers and the
# judge's verdicts, written as a real model would give them. Examples are recorded one at a time, on a fixed
# port, with the server reset in between, so two runs of this script give the same cassettes (apart from
# `meta.recordedAt` and `meta.latencyMs`).
# This repository has no API keys. With real keys, record an example against the real APIs instead:
#   LLM_EVALS_CASSETTES=record OPENAI_API_KEY=… ANTHROPIC_API_KEY=… npm exec -- vitest run --config examples/vitest.config.ts <example>/
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export PATH="$repo/node_modules/.bin:$PATH"
port="${RECORD_EXAMPLES_PORT:-4319}"
out="$(mktemp)"
# SSE chunks 25 ms apart, so the client reads each as it was sent (closer writes can arrive merged into one read).
node test/support/serve.ts --port "$port" --sse-gap 25 >"$out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q READY "$out" && break; sleep 0.1; done
grep -q READY "$out" || { echo "record-examples: the scripted server did not start on port $port (busy? set RECORD_EXAMPLES_PORT)" >&2; exit 1; }
base="$(sed -n 's/^OPENAI_BASE_URL=//p' "$out")"
anthropic="$(sed -n 's/^ANTHROPIC_BASE_URL=//p' "$out")"
control() { curl -sf -X POST -H 'content-type: application/json' --data-binary "$2" "$anthropic/__model-server/$1"; }

npm run build >/dev/null
for replies in examples/*/scripted-replies.json; do
  example="$(basename "$(dirname "$replies")")"
  echo "== recording examples/$example"
  control reset '{}' >/dev/null
  control enqueue "@$replies" >/dev/null
  rm -rf "examples/$example/__cassettes__" "examples/$example/__snapshots__"
  LLM_EVALS_CASSETTES=record OPENAI_BASE_URL="$base" ANTHROPIC_BASE_URL="$anthropic" OPENAI_API_KEY=sk-example-recording-key-000000 \
    ANTHROPIC_API_KEY=sk-ant-example-recording-key-00000 CI= vitest run --config examples/vitest.config.ts "$example/"
  # Every scripted reply must have been used: a leftover means the example asked for fewer calls than scripted.
  left="$(control enqueue '[]')"
  [[ "$left" == *'"queued":0'* ]] || { echo "record-examples: examples/$example left scripted replies unused: $left" >&2; exit 1; }
done
