import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage'])

/** Every `*.cassette.json` under `root`, skipping dependencies and build output. */
export function findCassettes(root: string): string[] {
  const found: string[] = []
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(join(dir, entry.name))
      } else if (entry.name.endsWith('.cassette.json')) {
        found.push(join(dir, entry.name))
      }
    }
  }
  visit(root)
  return found.sort()
}
