/**
 * A scratch project outside the repository with `vitest-llm-evals` laid out in `node_modules` the way
 * `npm install` leaves it (the built `dist/` and `package.json`, a copy, not a link), and the repository's
 * other dependencies linked beside it. That matters for timing: Vitest runs files outside `node_modules`
 * through Vite's transform pipeline, so a benchmark that imported the library from the repository itself
 * (by its package name, which resolves to the repository) would time a set-up no user has.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Creates the project; returns its directory and a function that removes it. */
export function installedProject(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `llm-evals-${prefix}-`))
  // An ES module project, as users' are (Vite warns about TypeScript configs in CommonJS projects).
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `bench-${prefix}`, private: true, type: 'module' }))
  const modules = join(dir, 'node_modules')
  mkdirSync(modules)
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name === '.bin' || name === '.cache' || name.startsWith('.vite')) continue
    symlinkSync(join(repo, 'node_modules', name), join(modules, name))
  }
  const installed = join(modules, 'vitest-llm-evals')
  mkdirSync(installed)
  cpSync(join(repo, 'dist'), join(installed, 'dist'), { recursive: true })
  cpSync(join(repo, 'package.json'), join(installed, 'package.json'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
