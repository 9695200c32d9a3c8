#!/usr/bin/env bash
# Installs the packed library into a fresh consumer project with the given Vitest version, records real
# SDK traffic against the scripted OpenAI/Anthropic server, then replays it with the server gone and no keys,
# checks results are identical, no key is on disk, plays the CI recipe of docs/ci.md (scripts/ci-recipe-check.sh),
# checks a never-recorded request fails without touching the cassette, and a failing gate fails the run.
# Usage: scripts/consumer-check.sh [vitest-version]   (e.g. 4.1, 5)
set -euo pipefail
version="${1:-5}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$repo/node_modules/.bin:$PATH" # Node 22 from the node@22 dev dependency
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
say() { printf '[consumer vitest@%s] %s\n' "$version" "$*"; }

cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null
cp -R "$repo/test/consumer" "$work/app" && cd "$work/app"
say "installing the packed library with vitest@$version"
npm install --silent --no-audit --no-fund "$work"/vitest-llm-evals-*.tgz "vitest@$version" openai@7 @anthropic-ai/sdk@1 typescript@7 @types/node@22 zod@4 >/dev/null
installed=$(node -p "require('vitest/package.json').version")
say "vitest $installed installed"
# The install before any run (hard links: cheap), for the CI recipe's jobs: each starts from `npm ci`.
cp -al node_modules "$work/pristine-node_modules"

say "type-checking the consumer project"
tsc -p tsconfig.json
# A runner extending the library's, with the library's declarations checked too (a user's skipLibCheck may be off).
tsc -p tsconfig.runner.json

node "$repo/test/support/serve.ts" >server.out &
server_pid=$!
for _ in $(seq 100); do grep -q READY server.out 2>/dev/null && break; sleep 0.1; done
openai_url=$(sed -n 's/^OPENAI_BASE_URL=//p' server.out)
anthropic_url=$(sed -n 's/^ANTHROPIC_BASE_URL=//p' server.out)
openai_key="sk-proj-consumer0123456789abcdef"
anthropic_key="sk-ant-api03-consumer0123456789"

say "recording (auto) against $openai_url"
env -u CI OPENAI_BASE_URL="$openai_url" ANTHROPIC_BASE_URL="$anthropic_url" OPENAI_API_KEY="$openai_key" \
  ANTHROPIC_API_KEY="$anthropic_key" RESULTS_FILE=recorded.jsonl node node_modules/vitest/vitest.mjs run
kill "$server_pid"; server_pid=""

if grep -rqE "$openai_key|$anthropic_key" __cassettes__ __snapshots__; then say "FAIL: a key value reached disk"; exit 1; fi
[ -f __snapshots__/app.test.ts.responses.json ] || { say "FAIL: the response snapshot was not stored"; exit 1; }

say "replaying with the server gone and no keys"
before=$(sha256sum __cassettes__/*)
env -u OPENAI_BASE_URL -u ANTHROPIC_BASE_URL -u OPENAI_API_KEY -u ANTHROPIC_API_KEY CI=true RESULTS_FILE=replayed.jsonl \
  node node_modules/vitest/vitest.mjs run --reporter=default --reporter=junit --outputFile.junit=junit.xml
# Scores are Vitest annotations on this Vitest major too: JUnit lists them as properties.
grep -q '<property name="llm-evals" value="similarity:rouge-l ' junit.xml || { say "FAIL: no score annotation in the JUnit report"; exit 1; }
diff <(sort recorded.jsonl) <(sort replayed.jsonl) || { say "FAIL: replay differs from the recording"; exit 1; }

say "the CI recipe of docs/ci.md: shard jobs, a merge job, cassettes check"
bash "$repo/scripts/ci-recipe-check.sh" "$work/app" "$work/pristine-node_modules" "$version"

say "a gate floor no metric meets must fail the run (exit code 1) with the gate's message"
if env -u OPENAI_API_KEY -u FORCE_COLOR CI=true NO_COLOR=1 EVAL_MIN_SCORE=1 node node_modules/vitest/vitest.mjs run >gate.out 2>&1; then cat gate.out; say "FAIL: the gated run passed"; exit 1; fi
grep -q "Eval gate failed" gate.out || { cat gate.out; say "FAIL: no gate message"; exit 1; }
grep -qE "Tests +[0-9]+ passed" gate.out || { cat gate.out; say "FAIL: the gated run should fail on the gate alone, with every test passing"; exit 1; }

say "a never-recorded request must fail and leave the cassette untouched"
sed -i "s/Where is my order?/Where is my parcel?/g" app.test.ts
if env -u OPENAI_API_KEY CI=true node node_modules/vitest/vitest.mjs run >miss.out 2>&1; then say "FAIL: the miss passed"; exit 1; fi
grep -q "No recording for POST https://api.openai.com/v1/chat/completions" miss.out || { cat miss.out; say "FAIL: no miss message"; exit 1; }
[ "$before" = "$(sha256sum __cassettes__/*)" ] || { say "FAIL: the cassette changed"; exit 1; }
say "ok"
