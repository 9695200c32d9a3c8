// A project that installed vitest-llm-evals (node_modules/vitest-llm-evals, linked to this repository) as the
// working directory: messages that name a docs page then name the installed file, as a user's terminal shows it.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { vi } from 'vitest'

const repoRoot = resolve(import.meta.dirname, '../..')

/** Makes the project, points `process.cwd()` at it, and returns the function that undoes both. */
export function inInstalledProject(): () => void {
  const app = realpathSync(mkdtempSync(join(tmpdir(), 'installed-app-')))
  mkdirSync(join(app, 'node_modules'))
  symlinkSync(repoRoot, join(app, 'node_modules', 'vitest-llm-evals'), 'dir')
  const cwd = vi.spyOn(process, 'cwd').mockReturnValue(app)
  return () => {
    cwd.mockRestore()
    rmSync(app, { recursive: true, force: true })
  }
}
