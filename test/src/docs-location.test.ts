import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { docsLocation } from '../../src/docs-location.js'

let dir: string
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'docs-location-')))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The package as npm installs it (package.json `files`: dist and docs/*.md), at `root`; returns the URL of a bundled chunk. */
function installPackage(root: string, docs = true): string {
  mkdirSync(join(root, 'dist', 'chunks'), { recursive: true })
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'vitest-llm-evals', version: '0.1.0' }))
  writeFileSync(join(root, 'dist', 'chunks', 'plugin-options-a1b2c3d4.js'), '')
  if (docs) {
    mkdirSync(join(root, 'docs'))
    writeFileSync(join(root, 'docs', 'configuration.md'), '# Configuration\n')
  }
  return pathToFileURL(join(root, 'dist', 'chunks', 'plugin-options-a1b2c3d4.js')).href
}

describe('docsLocation', () => {
  test('in a project that installed the package: the docs file under node_modules, relative to the project', () => {
    const app = join(dir, 'app')
    const chunk = installPackage(join(app, 'node_modules', 'vitest-llm-evals'))
    // The app's own package.json does not count: only the package named vitest-llm-evals.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app' }))
    expect(docsLocation('configuration.md', app, chunk)).toBe(join('node_modules', 'vitest-llm-evals', 'docs', 'configuration.md'))
  })

  test('a linked install (pnpm, workspaces): named by the link in the project, not the store path Node loaded it from', () => {
    const app = join(dir, 'app')
    const store = join(app, 'node_modules', '.pnpm', 'vitest-llm-evals@0.1.0', 'node_modules', 'vitest-llm-evals')
    const chunk = installPackage(store)
    symlinkSync(store, join(app, 'node_modules', 'vitest-llm-evals'), 'dir')
    expect(docsLocation('configuration.md', app, chunk)).toBe(join('node_modules', 'vitest-llm-evals', 'docs', 'configuration.md'))
  })

  test('run from outside the package\'s project (a monorepo root above, or elsewhere): the absolute path', () => {
    const chunk = installPackage(join(dir, 'node_modules', 'vitest-llm-evals'))
    const elsewhere = join(dir, 'packages', 'app')
    mkdirSync(elsewhere, { recursive: true })
    expect(docsLocation('configuration.md', elsewhere, chunk)).toBe(join(dir, 'node_modules', 'vitest-llm-evals', 'docs', 'configuration.md'))
  })

  test('without the docs file, or outside any copy of the package: the page, named as part of the package', () => {
    const chunk = installPackage(join(dir, 'node_modules', 'vitest-llm-evals'), false)
    expect(docsLocation('configuration.md', dir, chunk)).toBe('docs/configuration.md in the vitest-llm-evals package')
    writeFileSync(join(dir, 'loose.js'), '')
    expect(docsLocation('configuration.md', dir, pathToFileURL(join(dir, 'loose.js')).href)).toBe('docs/configuration.md in the vitest-llm-evals package')
  })

  test('in this repository: its own docs folder', () => {
    expect(docsLocation('judges.md', join(import.meta.dirname, '../..'))).toBe(join('docs', 'judges.md'))
  })
})
