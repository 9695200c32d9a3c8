/**
 * zod, loaded on first use instead of when a module that builds schemas is imported. Importing
 * `vitest-llm-evals` is a fixed cost paid in every Vitest worker (one per test file) and importing zod was
 * half of it (~55 ms on a 2-core machine, BENCHMARKS.md): a run that validates nothing need not load it.
 *
 * It loads zod's ES module build synchronously (Node >= 22.12 can `require()` an ES module), so the instance
 * is the one `import 'zod'` gives anywhere else in the process: a user's schemas and ours share one zod.
 *
 * @example
 * const { z } = loadZod()
 * z.string().parse('text')
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as Zod from 'zod'

let loaded: typeof Zod | undefined

/** The path of zod's ES module entry (its `exports["."].import`), or `zod` to let Node choose. */
function entryOf(require: NodeJS.Require): string {
  const manifest = require.resolve('zod/package.json')
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports?.['.']
  const entry = typeof exports === 'object' && exports !== null ? (exports as Record<string, unknown>)['import'] : undefined
  return typeof entry === 'string' ? join(dirname(manifest), entry) : 'zod'
}

/** zod's module (`loadZod().z` is the `z` namespace), loaded once on the first call. */
export function loadZod(): typeof Zod {
  if (loaded !== undefined) return loaded
  const require = createRequire(import.meta.url)
  try {
    loaded = withoutRequireEsmWarning(() => require(entryOf(require)) as typeof Zod)
  } catch {
    // An ES module cannot be required while an `import()` of it is still linking: zod's CommonJS build then
    // (zod 4 keeps its registry and config on globalThis, so two instances agree).
    loaded = require('zod') as typeof Zod
  }
  return loaded
}

/**
 * Runs `load` without the one warning Node 22.12 prints for `require()` of an ES module when the requiring file
 * is not under node_modules (a linked or workspace copy of this library): ours is not the user's to act on.
 * Any other warning passes through.
 */
export function withoutRequireEsmWarning<T>(load: () => T): T {
  const emitWarning = process.emitWarning
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type
    const message = typeof warning === 'string' ? warning : warning.message
    const name = typeof warning === 'string' ? type : warning.name
    if (name === 'ExperimentalWarning' && /require\(\)/.test(message) && /ES Module/i.test(message)) return
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest)
  } as typeof process.emitWarning
  try {
    return load()
  } finally {
    process.emitWarning = emitWarning
  }
}
