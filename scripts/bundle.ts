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
import { dirname, join, relative, resolve } from 'node:path'
import { rolldown } from 'rolldown'

const root = resolve(import.meta.dirname, '..')
const dist = join(root, 'dist')
const staging = join(root, 'dist-bundle')

/** Public entries: the `exports` map, the bin, and the worker setup file the plugin adds. */
const entries = ['src/index', 'src/plugin', 'src/setup', 'src/metrics/index', 'matchers/index', 'reporters/index', 'src/cli/bin']

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

// Hand-made chunks, so the common paths load a few files each: what the worker setup file needs at
// start-up (every test file of a project pays it, evals or not), the few modules it shares with the
// rest, what the plugin needs in the main process (options, reporter), and the rest of the main API.
// Everything else (matchers, the cassette session, CLI commands) is split automatically.
// Entry modules stay in their entry files: the setup file's top level must run only when Vitest loads it.
const entryFiles = new Set(entries.map((entry) => join(dist, `${entry}.js`)))
const closure = (entry: string) => new Set([...staticClosure(join(dist, entry))].filter((file) => !entryFiles.has(file)))
const setupClosure = closure('src/setup.js')
const pluginClosure = closure('src/plugin.js')
const libraryClosure = closure('src/index.js')
const metricsClosure = closure('src/metrics/index.js')
const shared = new Set([...setupClosure].filter((file) => pluginClosure.has(file) || libraryClosure.has(file) || metricsClosure.has(file)))
const minus = (from: Set<string>, ...others: Set<string>[]) => new Set([...from].filter((file) => !others.some((other) => other.has(file))))
// `vitest-llm-evals/metrics` must load without Vitest, so its modules (pure) get their own chunk.
const groups: { name: string; modules: Set<string> }[] = [
  { name: 'shared', modules: shared },
  { name: 'worker-setup', modules: minus(setupClosure, shared) },
  { name: 'metrics', modules: minus(metricsClosure, setupClosure) },
  { name: 'plugin', modules: minus(pluginClosure, setupClosure, metricsClosure) },
  { name: 'library', modules: minus(libraryClosure, setupClosure, pluginClosure, metricsClosure) },
]

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
  codeSplitting: {
    groups: groups.map(({ name, modules }) => ({ name, test: (id: string) => modules.has(id) })),
  },
})
await bundle.close()

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
