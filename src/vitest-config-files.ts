import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'

/** Config file names Vitest looks for in a project root, in its order. */
export const CONFIG_FILES = ['vitest.config', 'vite.config'].flatMap((name) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((extension) => `${name}.${extension}`))

/** The config Vitest finds in `root` when none is named, or undefined. */
export function defaultVitestConfig(root: string): string | undefined {
  return CONFIG_FILES.map((name) => resolve(root, name)).find((file) => existsSync(file))
}

/**
 * `configFile` relative to `root` when a run must name it (`--config`) to use it: it is not the config Vitest finds
 * in `root` by default. Undefined for the default config, or when the run had none.
 *
 * @example
 * namedConfig('/repo', '/repo/projects.config.ts') // 'projects.config.ts'
 */
export function namedConfig(root: string, configFile: string | undefined): string | undefined {
  if (!configFile || resolve(root, configFile) === defaultVitestConfig(root)) return undefined
  return relative(root, resolve(root, configFile))
}
