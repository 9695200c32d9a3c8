#!/usr/bin/env bash
# Re-records the example cassettes against the project's scripted model server, with scripted answers of
# the kind a real model gives. (This repository has no API keys; with real keys, record against the real
# APIs instead: LLM_EVALS_CASSETTES=record OPENAI_API_KEY=… ANTHROPIC_API_KEY=… npm run examples)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export PATH="$repo/node_modules/.bin:$PATH"
out="$(mktemp)"
node test/support/serve.ts >"$out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q READY "$out" && break; sleep 0.1; done
base="$(sed -n 's/^OPENAI_BASE_URL=//p' "$out")"
anthropic="$(sed -n 's/^ANTHROPIC_BASE_URL=//p' "$out")"
enqueue() { curl -sf -X POST -H 'content-type: application/json' --data "$1" "$anthropic/__model-server/enqueue" >/dev/null; }
enqueue '[
  {"path": "/v1/chat/completions", "content": "{\"intent\": \"refund\", \"reply\": \"Sorry about the double charge on order 1182. We will refund the duplicate payment to your card within 5 working days.\"}"},
  {"path": "/v1/chat/completions", "content": "{\"intent\": \"shipping\", \"reply\": \"Sorry your parcel is late. We will check with the carrier and send a new one if it has not arrived by Thursday.\"}"},
  {"path": "/v1/messages", "content": "* The blender stopped working after two uses and the box arrived damaged.\n* The customer sent a photo of the serial number.\n* A replacement ships today and a return label will be emailed for the broken blender."}
]'
rm -rf examples/*/__cassettes__ examples/*/__snapshots__
LLM_EVALS_CASSETTES=record OPENAI_BASE_URL="$base" ANTHROPIC_BASE_URL="$anthropic" OPENAI_API_KEY=sk-example-recording-key-000000 \
  ANTHROPIC_API_KEY=sk-ant-example-recording-key-00000 CI= npm run examples
