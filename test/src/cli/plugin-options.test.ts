// A vitest config that does not load: the CLI names it and what is wrong in one short line, without the bundler's
// colours and its code frame (drawn over the text Vite prepends to the config: hundreds of escaped characters wide).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { loadPluginOptions } from '../../../src/cli/plugin-options.js'
import { ConfigError } from '../../../src/errors/index.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plugin-options-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('loadPluginOptions over a config with a syntax error', () => {
  test('says which config, what is wrong, and how to see the rest, in a short line with no colour', async () => {
    writeFileSync(join(root, 'vitest.config.ts'), 'export default {\n')
    const error = await loadPluginOptions(root).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toMatch(/^\[vitest-llm-evals\] Could not load vitest\.config\.ts to read the llmEvals\(\) options: /)
    expect(message).toContain('Expected `}` but found `EOF`')
    expect(message).toContain('Fix the config (run `npx vitest` to see the whole error), or name another with --config <file>.')
    expect(message).not.toContain('\u001b')
    expect(message).not.toContain('│')
    expect(message.length).toBeLessThan(600)
  }, 30_000)
})
