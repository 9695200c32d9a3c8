/**
 * Second build step (after `tsc`, which leaves JavaScript and declarations in dist/): bundles each public
 * entry point so Node loads a handful of files instead of ~150 small modules. Importing the library is a
 * fixed cost paid in every Vitest worker (one per test file by default) and in the main process; bundled,
 * it is about half (see BENCHMARKS.md). Declarations stay as tsc wrote them.
 *
 * Entries keep their paths (the `exports` map and the plugin's path to the setup file rely on them).
 * Modules shared by several entries go to dist/chunks/, once, so module state (the current test, the
 * default judge) is never duplicated; dynamic imports (matchers and the cassette session load on first
 * use) stay separate chunks, so what is lazy stays lazy.
 *
 *   node scripts/bundle.ts   (run by `npm run build`)
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { rolldown } from 'rolldown'

const root = resolve(import.meta.dirname, '..')
const dist = join(root, 'dist')
const staging = join(root, 'dist-bundle')

/** Public entries: the `exports` map, the bin, and the worker setup file the plugin adds. */
const entries = ['src/index', 'src/plugin', 'src/setup', 'src/runner', 'src/metrics/index', 'matchers/index', 'reporters/index', 'src/cli/bin']

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** The modules `file` loads statically (its relative imports and re-exports, transitively; tsc output has no type imports). */
function staticClosure(file: string, into = new Set<string>()): Set<string> {
  if (into.has(file)) return into
  into.add(file)
  const source = readFileSync(file, 'utf8')
  for (const match of source.matchAll(/^(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|^import\s*['"](\.[^'"]+)['"]/gm)) {
    staticClosure(resolve(dirname(file), match[1] ?? match[2] ?? ''), into)
  }
  return into
}

// Hand-made chunks, so the common paths load a few files each:
// - `worker-setup`: what the worker setup file needs at start-up (every test file of a project pays it,
//   evals or not), and `shared`: the few of those modules the other entries use too;
// - `session`: the cassette session, loaded with a worker's first model call, and `cassettes`: the part
//   of it the main API shares (request keys, cassette files), and `files`: the part the reporters use too
//   (atomic files and locks, the secret scan), so the main process does not load the rest; `usage-reports`: the
//   part the reporter reads at the end of a run with cassettes (the session imports the worker's start-up code,
//   and with it Vitest's test API and chai, which the main process must not load);
// - `metrics`: the pure scorers (`vitest-llm-evals/metrics` must load without Vitest), and `statistics`:
//   the part of them the reporter uses too (agreement), so the main process does not load every scorer;
// - `plugin`: what the plugin entry loads statically, in the main process before any worker starts: kept
//   small (no zod, no reporter code); `plugin-options`: the zod options schema, and `reporter`: the reporters' code,
//   which the plugin imports on need (reporters/lazy-reporters.ts); `library`: the rest of the main API;
//   `common`: what the reporter and the library both use (history and labels files), so a test file
//   importing the API does not load the reporter.
// Matchers and CLI commands are split automatically. Entry modules stay in their entry files: the setup
// file's top level must run only when Vitest loads it.
const entryFiles = new Set(entries.map((entry) => join(dist, `${entry}.js`)))
const closure = (entry: string) => new Set([...staticClosure(join(dist, entry))].filter((file) => !entryFiles.has(file)))
const minus = (from: Set<string>, ...others: Set<string>[]) => new Set([...from].filter((file) => !others.some((other) => other.has(file))))
const union = (...sets: Set<string>[]) => new Set(sets.flatMap((set) => [...set]))
const setupClosure = closure('src/setup.js')
const sessionClosure = minus(closure('src/cassettes/session.js'), setupClosure)
const pluginClosure = closure('src/plugin.js')
// Imported by the plugin on need (dynamic imports, so not in its static closure).
const optionsClosure = closure('src/config.js')
const reporterClosure = union(closure('reporters/score-history-reporter.js'), closure('reporters/score-annotations.js'))
const mainClosure = union(pluginClosure, optionsClosure, reporterClosure)
const libraryClosure = closure('src/index.js')
const metricsClosure = closure('src/metrics/index.js')
const mainSide = union(mainClosure, libraryClosure, metricsClosure)
// Loaded by the reporter at the end of a run that used cassettes (a dynamic import): the usage reports.
const usageClosure = closure('reporters/cassette-usage.js')
const shared = new Set([...setupClosure].filter((file) => mainSide.has(file) || usageClosure.has(file)))
const files = new Set([...sessionClosure].filter((file) => mainClosure.has(file)))
const cassettes = minus(new Set([...sessionClosure].filter((file) => mainSide.has(file))), files)
const usageReports = minus(new Set([...sessionClosure].filter((file) => usageClosure.has(file))), files, cassettes)
const pluginStatic = minus(pluginClosure, setupClosure, sessionClosure, metricsClosure)
const groups: { name: string; modules: Set<string> }[] = [
  { name: 'shared', modules: shared },
  { name: 'worker-setup', modules: minus(setupClosure, shared) },
  { name: 'files', modules: files },
  { name: 'cassettes', modules: cassettes },
  { name: 'usage-reports', modules: usageReports },
  { name: 'session', modules: minus(sessionClosure, cassettes, files, usageReports) },
  { name: 'statistics', modules: minus(new Set([...metricsClosure].filter((file) => mainClosure.has(file))), setupClosure, sessionClosure) },
  { name: 'metrics', modules: minus(metricsClosure, setupClosure, sessionClosure, mainClosure) },
  { name: 'plugin', modules: pluginStatic },
  { name: 'common', modules: minus(new Set([...mainClosure].filter((file) => libraryClosure.has(file))), setupClosure, sessionClosure, metricsClosure, pluginStatic) },
  { name: 'plugin-options', modules: minus(optionsClosure, setupClosure, sessionClosure, metricsClosure, pluginStatic, libraryClosure) },
  { name: 'reporter', modules: minus(reporterClosure, setupClosure, sessionClosure, metricsClosure, pluginStatic, libraryClosure, optionsClosure) },
  { name: 'library', modules: minus(libraryClosure, setupClosure, sessionClosure, mainClosure, metricsClosure) },
]
// `similarity`: what `toBeSimilarTo` (the most used matcher) needs beyond the setup file: the similarity scorers,
// the embedder and the redaction of option values. In its own chunk, a test comparing texts loads neither the main
// API's chunks nor zod (they held these modules before); the chunks that held them import it instead.
// What the plugin and the reporters also use (redaction, number formatting) goes to `redaction`, so the main process
// does not load the scorers.
const similarityClosure = new Set([...minus(closure('matchers/to-be-similar-to.js'), setupClosure)].filter((file) => file.startsWith(join(dist, 'src') + sep)))
const redaction = new Set([...similarityClosure].filter((file) => mainClosure.has(file)))
const similarity = minus(similarityClosure, redaction)
for (const group of groups) for (const file of similarityClosure) group.modules.delete(file)
// After the setup file's groups, which keep what the setup file loads.
groups.splice(groups.findIndex(({ name }) => name === 'worker-setup') + 1, 0, { name: 'redaction', modules: redaction }, { name: 'similarity', modules: similarity })
// `closest-name` ("did you mean …?", with fastest-levenshtein): used by the options schema, the IFEval checks, loadDataset,
// the CLI and the tool matchers' misuse messages. A small chunk of its own, first (a group also takes its modules'
// imports): none of them puts fastest-levenshtein into `statistics`, which the reporters load, and an agent test does
// not load the options chunk (and zod) for it.
const closestNameFile = join(dist, 'src', 'closest-name.js')
for (const group of groups) group.modules.delete(closestNameFile)
groups.unshift({ name: 'closest-name', modules: new Set([closestNameFile]) })

rmSync(staging, { recursive: true, force: true })
const bundle = await rolldown({
  input: Object.fromEntries(entries.map((entry) => [entry, join(dist, `${entry}.js`)])),
  platform: 'node',
  // Dependencies (and Node built-ins) stay imports: users share them with their own code.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
  logLevel: 'warn',
})
await bundle.write({
  dir: staging,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  // Every worker parses what it imports (one per test file by default): no doc comments (the declarations keep them)
  // and only ASCII (V8 keeps a source with one non-ASCII character as a two-byte string, and Node decodes it slower).
  comments: { legal: true, annotation: true, jsdoc: false },
  charset: 'ascii',
  codeSplitting: {
    groups: groups.map(({ name, modules }) => ({ name, test: (id: string) => modules.has(id) })),
  },
})
await bundle.close()

// The start-up path must stay light: no zod, no msw, no judge SDK in what the setup file loads statically.
for (const chunk of readdirSync(join(staging, 'chunks')).filter((name) => /^(worker-setup|shared)-/.test(name))) {
  const heavy = readFileSync(join(staging, 'chunks', chunk), 'utf8').match(/^import .* from "(zod|msw|@mswjs\/[^"]+|openai|@anthropic-ai\/sdk)";$/m)
  if (heavy) throw new Error(`scripts/bundle.ts: chunks/${chunk} imports ${heavy[1]} at start-up; load it lazily where it is used.`)
}

// Nor what `toBeSimilarTo` loads on its first call (its chunk and everything that chunk imports statically).
const heavyImport = /^import .* from "(zod|msw|@mswjs\/[^"]+|openai|@anthropic-ai\/sdk)";$/m
for (const chunk of readdirSync(join(staging, 'chunks')).filter((name) => /^to-be-similar-to-/.test(name))) {
  for (const file of staticImports(join(staging, 'chunks', chunk))) {
    const heavy = readFileSync(file, 'utf8').match(heavyImport)
    if (heavy) throw new Error(`scripts/bundle.ts: toBeSimilarTo loads ${relative(staging, file)}, which imports ${heavy[1]}; keep it out of the matcher's static imports.`)
  }
}

/** The chunk files `file` loads statically, transitively (itself included). */
function staticImports(file: string, into = new Set<string>()): Set<string> {
  if (into.has(file)) return into
  into.add(file)
  for (const match of readFileSync(file, 'utf8').matchAll(/^import\b[^'"]*?(?:from\s*)?"(\.[^"]+)";$/gm)) staticImports(resolve(dirname(file), match[1] ?? ''), into)
  return into
}

// The plugin entry is loaded before the first worker starts: nothing heavy in what it loads statically.
for (const file of staticImports(join(staging, 'src', 'plugin.js'))) {
  const heavy = readFileSync(file, 'utf8').match(/^import .* from "(zod|msw|@mswjs\/[^"]+|openai|@anthropic-ai\/sdk|@secretlint\/[^"]+)";$/m)
  if (heavy) throw new Error(`scripts/bundle.ts: ${relative(staging, file)} imports ${heavy[1]} when the plugin entry loads; load it lazily where it is used.`)
}

// The reporters load in the main process while the first worker starts (reporters/lazy-reporters.ts): not the
// cassette code, the scorers or the libraries behind them, which a run without cassettes never needs there.
for (const chunk of readdirSync(join(staging, 'chunks')).filter((name) => /^reporter-/.test(name))) {
  for (const file of staticImports(join(staging, 'chunks', chunk))) {
    const name = relative(staging, file)
    if (/^chunks\/(cassettes|session|similarity|metrics|library)-/.test(name)) throw new Error(`scripts/bundle.ts: the reporter chunk loads ${name} statically; import what it needs from a smaller module, or load it where it is used.`)
    const heavy = readFileSync(file, 'utf8').match(/^import .* from "(msw|@mswjs\/[^"]+|openai|@anthropic-ai\/sdk|string-similarity|fastest-levenshtein)";$/m)
    if (heavy) throw new Error(`scripts/bundle.ts: the reporter chunk loads ${name}, which imports ${heavy[1]}; keep it out of the reporter's static imports.`)
  }
}

// The usage reports are read in the main process at the end of a run with cassettes: not the worker's code (which
// imports Vitest's test API, chai and msw), which was ~0.7 MB of modules to load after the last test.
for (const chunk of readdirSync(join(staging, 'chunks')).filter((name) => /^cassette-usage-/.test(name))) {
  for (const file of staticImports(join(staging, 'chunks', chunk))) {
    const name = relative(staging, file)
    if (/^chunks\/(worker-setup|session|similarity|metrics|library)-/.test(name)) throw new Error(`scripts/bundle.ts: the usage reports' chunk loads ${name} statically; import what it needs from a smaller module.`)
    const heavy = readFileSync(file, 'utf8').match(/^import .* from "(vitest|msw|@mswjs\/[^"]+|openai|@anthropic-ai\/sdk)";$/m)
    if (heavy) throw new Error(`scripts/bundle.ts: the usage reports' chunk loads ${name}, which imports ${heavy[1]}; keep it out of its static imports.`)
  }
}

// node:crypto is loaded on first use (src/node-crypto.ts): importing it cost every worker ~4 ms at start-up. Only the
// reporters, in the main process (which has it loaded already), import it.
for (const file of filesUnder(staging).filter((name) => name.endsWith('.js') && !/^chunks\/reporter-/.test(relative(staging, name)))) {
  if (/^import .* from "node:crypto";$/m.test(readFileSync(file, 'utf8'))) throw new Error(`scripts/bundle.ts: ${relative(staging, file)} imports node:crypto; use nodeCrypto() from src/node-crypto.ts.`)
}

// Only ASCII (`charset` above escapes the rest, except inside `String.raw` page scripts, which must write `\u00b7`).
for (const file of filesUnder(staging).filter((name) => name.endsWith('.js'))) {
  const at = readFileSync(file, 'utf8').search(/[^\x00-\x7f]/)
  if (at >= 0) throw new Error(`scripts/bundle.ts: ${relative(staging, file)} has a non-ASCII character near "${readFileSync(file, 'utf8').slice(Math.max(0, at - 40), at + 1)}"; in a String.raw script write it as a \\u escape.`)
}

// Swap tsc's JavaScript for the bundle; keep its declarations.
for (const file of filesUnder(dist)) {
  if (file.endsWith('.js') || file.endsWith('.js.map')) rmSync(file)
}
for (const file of filesUnder(staging)) {
  const target = join(dist, relative(staging, file))
  mkdirSync(dirname(target), { recursive: true })
  renameSync(file, target)
}
rmSync(staging, { recursive: true, force: true })
