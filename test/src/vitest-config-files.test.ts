import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { namedConfig } from '../../src/vitest-config-files.js'

describe('namedConfig', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'named-config-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  test('is undefined for the config Vitest finds by default, or none', () => {
    writeFileSync(join(root, 'vitest.config.ts'), '')
    expect(namedConfig(root, join(root, 'vitest.config.ts'))).toBeUndefined()
    expect(namedConfig(root, undefined)).toBeUndefined()
  })

  test('is the path relative to the root of any other config, the default names included when another one wins', () => {
    writeFileSync(join(root, 'vitest.config.ts'), '')
    writeFileSync(join(root, 'vite.config.ts'), '')
    expect(namedConfig(root, join(root, 'projects.config.ts'))).toBe('projects.config.ts')
    expect(namedConfig(root, join(root, 'configs', 'ci.config.ts'))).toBe(join('configs', 'ci.config.ts'))
    expect(namedConfig(root, join(root, 'vite.config.ts'))).toBe('vite.config.ts')
  })
})
