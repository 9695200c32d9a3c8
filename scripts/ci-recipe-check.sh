#!/usr/bin/env bash
# Plays the CI recipe of docs/ci.md ("A workflow with shards, a merged report and history") on a consumer
# project whose cassettes are recorded: two shard jobs and a merge job, each in a fresh copy of the project
# (checked out at the same path, as GitHub Actions does), with only the blob artifacts and the history cache
# passed between them. The commands are read from docs/ci.md, so what is tested is what users copy. Three workflows:
#   1. everything recorded: the shards, the merge and `llm-evals cassettes check` pass; history gets one line;
#   2. a new test file whose request was never recorded: its shard fails, and so does check in the merge job;
#   3. more shards than test files (--passWithNoTests), one shard's blob report lost: the merge names that one alone.
# Usage: scripts/ci-recipe-check.sh <project dir> <pristine node_modules> <label>
#   (called by scripts/consumer-check.sh for each Vitest major; <pristine node_modules> is the install
#   before any run, so no job sees another's caches)
set -uo pipefail
project="$1"
pristine="$2"
label="$3"
repo="$(cd "$(dirname "$0")/.." && pwd)"
readme="$repo/docs/ci.md"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { printf '[ci recipe vitest@%s] %s\n' "$label" "$*"; }
fail() { say "FAIL: $*"; exit 1; }

# The recipe, as docs/ci.md writes it.
recipe() { sed -n "$1" "$readme" | head -1; }
shard_run=$(recipe 's/^ *- run: \(npx vitest run --shard=.*\)$/\1/p')
upload_path=$(recipe 's/.*name: blob-\${{ matrix.shard }}, path: \([^ }]*\).*/\1/p')
download_path=$(recipe 's/.*with: { path: \([^,]*\), pattern: blob-\*, merge-multiple: true }.*/\1/p')
history_path=$(recipe 's/.*with: { path: \([^,]*history\.jsonl\), key:.*/\1/p')
merge_run=$(recipe 's/^ *- run: \(npx vitest run --merge-reports.*\)$/\1/p')
check_run=$(recipe 's/^ *- run: \(npx llm-evals cassettes check\).*$/\1/p')
for part in shard_run upload_path download_path history_path merge_run check_run; do
  [ -n "${!part}" ] || fail "could not read $part from the CI recipe in docs/ci.md"
done
say "shards: $shard_run"
say "merge:  $merge_run; then $check_run"

job="$work/job"
# A fresh checkout of `commit` at the same path for every job, and `npm ci` (a copy of the pristine install).
checkout() {
  rm -rf "$job" && mkdir -p "$job"
  tar -C "$1" --exclude=./node_modules --exclude=./.evals --exclude='./*.out' --exclude='./*.jsonl' -cf - . | tar -C "$job" -xf -
  cp -al "$pristine" "$job/node_modules"
}
# GitHub Actions sets CI=true; a CI job has no model key and reaches no model server.
in_job() { (cd "$job" && env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u OPENAI_BASE_URL -u ANTHROPIC_BASE_URL -u LLM_EVALS_CASSETTES CI=true NO_COLOR=1 bash -c "$1"); }

cache="$work/cache"
mkdir -p "$cache"
[ -f "$project/$history_path" ] && cp "$project/$history_path" "$cache/history.jsonl"

# Plays the workflow on `commit`; sets shard_codes, merge_code, check_code, history_lines and leaves logs in $out.
play() {
  local commit="$1"
  out="$work/$2" && mkdir -p "$out"
  local artifacts="$out/artifacts"
  shard_codes=""
  for shard in 1 2; do
    checkout "$commit"
    in_job "${shard_run//'${{ matrix.shard }}'/$shard}" >"$out/shard-$shard.out" 2>&1
    shard_codes="$shard_codes $?"
    # upload-artifact (if: !cancelled()): the shard's blob folder, also when its tests failed.
    [ -d "$job/$upload_path" ] || { cat "$out/shard-$shard.out"; fail "shard $shard wrote no blob report in $upload_path"; }
    mkdir -p "$artifacts/blob-$shard" && cp -R "$job/$upload_path/." "$artifacts/blob-$shard/"
  done
  checkout "$commit"
  # download-artifact (pattern: blob-*, merge-multiple: true), then the cache restores the history.
  mkdir -p "$job/$download_path" && for artifact in "$artifacts"/blob-*; do cp -R "$artifact/." "$job/$download_path/"; done
  [ -f "$cache/history.jsonl" ] && mkdir -p "$job/$(dirname "$history_path")" && cp "$cache/history.jsonl" "$job/$history_path"
  in_job "$merge_run" >"$out/merge.out" 2>&1
  merge_code=$?
  history_lines=$( [ -f "$job/$history_path" ] && wc -l <"$job/$history_path" || echo 0)
  [ -f "$job/$history_path" ] && cp "$job/$history_path" "$cache/history.jsonl"
  in_job "$check_run" >"$out/check.out" 2>&1
  check_code=$?
}
show() { for log in "$out"/*.out; do printf -- '--- %s\n' "$(basename "$log")"; cat "$log"; done; }

say "workflow 1: everything recorded"
before=$( [ -f "$cache/history.jsonl" ] && wc -l <"$cache/history.jsonl" || echo 0)
play "$project" recorded
[ "$shard_codes" = " 0 0" ] || { show; fail "a shard failed (exit codes:$shard_codes)"; }
[ "$merge_code" = 0 ] || { show; fail "the merge job's vitest --merge-reports failed ($merge_code)"; }
[ "$history_lines" -eq $((before + 1)) ] || { show; fail "history has $history_lines lines after the merge, expected $((before + 1))"; }
[ "$check_code" = 0 ] || { show; fail "cassettes check failed ($check_code) though everything is recorded"; }
grep -q '^✓ __cassettes__/app.test.ts.cassette.json: .* last run .* (replay)$' "$out/check.out" || { show; fail "check did not see the shards' run of app.test.ts"; }
grep -q 'no run recorded yet' "$out/check.out" && { show; fail "check in the merge job saw no run"; }
say "ok: shards, merge (history $before -> $history_lines lines) and check pass:" && sed 's/^/    /' "$out/check.out"

say "workflow 2: a new test file whose request was never recorded"
commit="$work/commit-new-test"
mkdir -p "$commit" && tar -C "$project" --exclude=./node_modules -cf - . | tar -C "$commit" -xf -
cat >"$commit/new.test.ts" <<'EOF'
import OpenAI from 'openai'
import { test } from 'vitest'

test('brand new', async () => {
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'never recorded' }] })
})
EOF
play "$commit" missing
case "$shard_codes" in *" 0 0"*) show; fail "no shard failed on the missing recording (exit codes:$shard_codes)" ;; esac
grep -q 'No recording for POST https://api.openai.com/v1/chat/completions' "$out"/shard-*.out || { show; fail "no shard says which recording is missing"; }
[ "$merge_code" != 0 ] || { show; fail "vitest --merge-reports passed over a failed shard"; }
[ "$check_code" != 0 ] || { show; fail "cassettes check in the merge job passed though a test needed a missing recording"; }
grep -q 'missing recording: POST https://api.openai.com/v1/chat/completions (test "brand new")' "$out/check.out" || { show; fail "check did not name the missing recording"; }
say "ok: the shard with the miss failed (exit codes:$shard_codes), and check in the merge job failed ($check_code) naming it:"
sed 's/^/    /' "$out/check.out"

say "workflow 3: more shards than test files (--passWithNoTests), one shard's blob report lost"
files=$(cd "$project" && find . -name '*.test.ts' -not -path './node_modules/*' | wc -l)
count=$((files + 1))
out="$work/empty-shard" && mkdir -p "$out/artifacts"
lost=""
for shard in $(seq 1 "$count"); do
  checkout "$project"
  run="${shard_run//'${{ matrix.shard }}'/$shard}"
  in_job "${run/\/2 /\/$count } --passWithNoTests" >"$out/shard-$shard.out" 2>&1 || { cat "$out/shard-$shard.out"; fail "shard $shard/$count failed"; }
  # The first shard that ran a test file loses its artifact; the others upload theirs (the empty ones too).
  if [ -z "$lost" ] && grep -qE 'Test Files +[0-9]+ passed' "$out/shard-$shard.out"; then lost=$shard; continue; fi
  mkdir -p "$out/artifacts/blob-$shard" && cp -R "$job/$upload_path/." "$out/artifacts/blob-$shard/"
done
[ -n "$lost" ] || fail "no shard of $count ran a test file"
grep -lq 'No test files found' "$out"/shard-*.out || fail "no shard of $count ran empty over $files test files: the workflow tests nothing"
checkout "$project"
mkdir -p "$job/$download_path" && for artifact in "$out/artifacts"/blob-*; do cp -R "$artifact/." "$job/$download_path/"; done
in_job "$merge_run" >"$out/merge.out" 2>&1
# Only the lost shard is named: the empty shards' blob reports say which shards they were.
grep -q "merged $((count - 1)) of $count shards: shard $lost/$count missing" "$out/merge.out" || { show; fail "the merge did not name shard $lost/$count alone as missing"; }
grep -q 'ran no test file' "$out/merge.out" && { show; fail "the merge could not tell the empty shards from the missing one"; }
say "ok: $count shards over $files test files, shard $lost's blob report lost: the merge names it alone"
