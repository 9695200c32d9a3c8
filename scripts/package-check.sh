#!/usr/bin/env bash
# Checks the package as it would be published: publint (package.json fields and exports against the packed
# files), arethetypeswrong (every export's types resolve for ESM consumers and bundlers; the package is
# ESM-only, so CommonJS `require` and node10 resolution are out of scope), and the tarball's file list:
# the built library, README, LICENSE, CHANGELOG and the docs pages (docs/*.md: error messages point to them),
# nothing else (no tests, cassettes, sources, images or secrets).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$repo/node_modules/.bin:$PATH" # Node 22 from the node@22 dev dependency
cd "$repo"
say() { printf '[package] %s\n' "$*"; }

say "publint"
publint --strict
say "arethetypeswrong (ESM-only profile)"
attw --pack . --profile esm-only --format ascii >/dev/null || { attw --pack . --profile esm-only; exit 1; }

say "tarball contents"
npm pack --dry-run --json 2>/dev/null | node -e '
const files = JSON.parse(require("node:fs").readFileSync(0, "utf8"))[0].files.map((file) => file.path)
const allowed = (path) => ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "BENCHMARKS.md"].includes(path) || /^dist\/.+\.(js|d\.ts)$/.test(path) || /^docs\/[\w-]+\.md$/.test(path)
const unexpected = files.filter((path) => !allowed(path) || /(^|\/)(test|__cassettes__|examples)\//.test(path) || /\.test\./.test(path))
const pkg = require("./package.json")
const targets = [pkg.bin["llm-evals"], ...Object.values(pkg.exports).flatMap((entry) => (typeof entry === "string" ? [entry] : Object.values(entry)))].map((path) => path.replace(/^\.\//, ""))
const missing = ["README.md", "LICENSE", "CHANGELOG.md", "docs/README.md", "docs/configuration.md", ...targets].filter((path) => !files.includes(path))
if (unexpected.length || missing.length) {
  if (unexpected.length) console.error(`unexpected files in the tarball:\n  ${unexpected.join("\n  ")}`)
  if (missing.length) console.error(`files missing from the tarball:\n  ${missing.join("\n  ")}`)
  process.exit(1)
}
console.log(`${files.length} files: dist/ + package.json, README.md, LICENSE, CHANGELOG.md, BENCHMARKS.md, docs/*.md`)
'
