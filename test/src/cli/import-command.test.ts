import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { run } from '../../../src/cli/import-command.js'
import { inInstalledProject } from '../../support/installed-project.js'

const fixtures = resolve(import.meta.dirname, '../../fixtures/importers')
let out: string
let lines: string[]
const print = (line: string) => lines.push(line)

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'llm-evals-import-'))
  lines = []
})
afterEach(() => rmSync(out, { recursive: true, force: true }))

describe('llm-evals import', () => {
  test('promptfoo: writes the suite and the dataset, then the TODO and the not-imported list', async () => {
    expect(await run(['promptfoo', join(fixtures, 'promptfoo/promptfooconfig.yaml'), '--out', out], print)).toBe(0)
    expect(readFileSync(join(out, 'travel-assistant.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5)
    expect(readFileSync(join(out, 'travel-assistant.eval.test.ts'), 'utf8')).toContain("describeEval('Travel assistant', {")
    const text = lines.join('\n')
    expect(text).toContain('Imported 5 cases with 16 checks from promptfoo:')
    expect(text).toContain('TODO: write callModel() in the suite: 5 of 5 cases have no recorded output and call your model with the imported prompt.')
    expect(text).toContain('Not imported (3):\n  - javascript at promptfooconfig.yaml:15 defaultTest.assert[1]: custom code is not translated.\n    To do: port the code into a scorer')
    expect(text).toContain('    | output.length < 600')
    // The fixture has llm-rubric and factuality checks: the summary says a judge is needed, and how.
    expect(text).toContain("Judge: the rubric and factuality checks need a judge model: set one in vitest.config.ts, e.g. llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' } })")
  })

  test('the judge note names the docs page as installed in the project', async () => {
    const leave = inInstalledProject()
    try {
      expect(await run(['promptfoo', join(fixtures, 'promptfoo/promptfooconfig.yaml'), '--out', out], print)).toBe(0)
    } finally {
      leave()
    }
    expect(lines.find((line) => line.startsWith('Judge:'))).toMatchInlineSnapshot(`"Judge: the rubric and factuality checks need a judge model: set one in vitest.config.ts, e.g. llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' } }) (node_modules/vitest-llm-evals/docs/judges.md)."`)
  })

  test('openai-evals: a directory with eval.json and the items JSONL', async () => {
    expect(await run(['openai-evals', join(fixtures, 'openai'), '--out', out, '--name', 'support'], print)).toBe(0)
    expect(readFileSync(join(out, 'support.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3)
    expect(lines.join('\n')).toContain('Every case has a recorded output: the suite scores those without calling a model')
  })

  test('never overwrites without --force', async () => {
    writeFileSync(join(out, 'travel-assistant.jsonl'), 'mine\n')
    await expect(run(['promptfoo', join(fixtures, 'promptfoo/promptfooconfig.yaml'), '--out', out], print)).rejects.toThrow(/Not overwriting .*travel-assistant\.jsonl: pass --force/)
    expect(readFileSync(join(out, 'travel-assistant.jsonl'), 'utf8')).toBe('mine\n')
    expect(await run(['promptfoo', join(fixtures, 'promptfoo/promptfooconfig.yaml'), '--out', out, '--force'], print)).toBe(0)
    expect(readFileSync(join(out, 'travel-assistant.jsonl'), 'utf8')).not.toBe('mine\n')
  })

  test('clear errors: unknown tool, missing file, missing items', async () => {
    await expect(run(['langsmith', 'x'], print)).rejects.toThrow('[vitest-llm-evals] Unknown command "import langsmith".\n\nUsage: llm-evals import')
    await expect(run(['promtfoo', 'x'], print)).rejects.toThrow('[vitest-llm-evals] Unknown command "import promtfoo"; did you mean `llm-evals import promptfoo`?\n\nUsage: llm-evals import')
    await expect(run(['promptfoo', join(out, 'nope.yaml')], print)).rejects.toThrow(`[vitest-llm-evals] ${join(out, 'nope.yaml')}: not found.`)
    // A folder given for the file is said as a folder (it was "not found"), with the file to name in it.
    await expect(run(['promptfoo', fixtures], print)).rejects.toThrow(`[vitest-llm-evals] ${fixtures}: a folder, not a file (${fixtures}). Name the file in it, e.g. "${join(fixtures, 'promptfooconfig.yaml')}".`)
    await expect(run(['openai-evals', join(fixtures, 'openai/eval.json'), '--items', fixtures], print)).rejects.toThrow(`${fixtures}: a folder, not a file`)
    await expect(run(['openai-evals', join(fixtures, 'openai/eval.json')], print)).rejects.toThrow('import openai-evals needs the items: --items <items.jsonl>')
    await expect(run([], print)).rejects.toThrow('[vitest-llm-evals] `llm-evals import` needs a subcommand: `promptfoo` or `openai-evals`')
  })
})

describe('llm-evals import openai-evals with a legacy registry YAML', () => {
  test('finds the samples in the registry data folder', async () => {
    expect(await run(['openai-evals', join(fixtures, 'openai-legacy/registry/evals/capitals.yaml'), '--out', out], print)).toBe(0)
    expect(readFileSync(join(out, 'capitals.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2)
    expect(lines[0]).toBe('Imported 2 cases with 2 checks from openai-evals:')
  })
})

test('a file that is not an eval is named before any missing items', async () => {
  await expect(run(['openai-evals', join(fixtures, 'promptfoo/tests.csv'), '--items', 'nope.jsonl'], print)).rejects.toThrow(/tests\.csv: not valid JSON/)
})

describe('llm-evals import: hostile sources', () => {
  test('promptfoo: a provider id or file name cannot end a comment of the generated suite and become code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-evals-hostile-'))
    try {
      const config = join(dir, 'promptfooconfig.yaml')
      writeFileSync(config, `prompts: ["Say {{q}}"]\nproviders:\n  - "openai:gpt-4o */ globalThis.PWNED = 1; /*"\n  - "line\\u2028globalThis.PWNED = 2"\ntests:\n  - vars: { q: hi, __proto__: p }\n`)
      expect(await run(['promptfoo', config, '--out', out, '--name', 'hostile'], print)).toBe(0)
      const suite = readFileSync(join(out, 'hostile.eval.test.ts'), 'utf8')
      // Every "PWNED" stays inside the one JSDoc comment, which nothing closes early.
      const comment = /\/\*\*\n \* TODO\(import\)[^\n]*\n/.exec(suite)?.[0] ?? ''
      expect(comment).toContain('openai:gpt-4o *\\/ globalThis.PWNED = 1; /*, line globalThis.PWNED = 2.')
      expect(suite.split('PWNED')).toHaveLength(3)
      expect(suite.indexOf('*/', suite.indexOf('TODO(import)'))).toBeGreaterThan(suite.indexOf('PWNED = 2'))
      // `__proto__: …` in an object literal would set the prototype of the schema's shape, not add a field.
      expect(suite).toContain("vars: z.object({ q: z.string(), ['__proto__']: z.string() })")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test("promptfoo: a file:// reference outside the config's folder is refused, not copied into the suite", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-evals-hostile-'))
    try {
      writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET')
      const configDir = join(dir, 'config')
      rmSync(configDir, { recursive: true, force: true })
      await import('node:fs').then((fs) => fs.mkdirSync(configDir))
      for (const ref of ['file://../secret.txt', `file://${join(dir, 'secret.txt')}`]) {
        writeFileSync(join(configDir, 'promptfooconfig.yaml'), `prompts: ["${ref}"]\ntests:\n  - vars: { q: hi }\n`)
        await expect(run(['promptfoo', join(configDir, 'promptfooconfig.yaml'), '--out', out, '--name', 'escape', '--force'], print)).rejects.toThrow(
          /promptfooconfig\.yaml: file:\/\/.*secret\.txt is outside the config's folder .*, so it was not read\. Copy the file into the config's folder/,
        )
      }
      expect(() => readFileSync(join(out, 'escape.eval.test.ts'), 'utf8')).toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('openai-evals: a registry samples_jsonl outside the registry is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-evals-hostile-'))
    try {
      await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'registry', 'evals'), { recursive: true }))
      writeFileSync(join(dir, 'private.jsonl'), '{"input":"secret","ideal":"x"}\n')
      const spec = join(dir, 'registry', 'evals', 'leak.yaml')
      writeFileSync(spec, 'leak:\n  id: leak.v0\nleak.v0:\n  class: evals.elsuite.basic.match:Match\n  args:\n    samples_jsonl: ../../../private.jsonl\n')
      await expect(run(['openai-evals', spec, '--out', out], print)).rejects.toThrow(/leak\.yaml: samples_jsonl \.\.\/\.\.\/\.\.\/private\.jsonl is outside the registry, so it was not read\. Pass the samples with --items/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('refuses to write a suite or dataset holding a live key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-evals-hostile-'))
    const key = 'sk-live-import-0123456789abcdef'
    process.env.IMPORT_TEST_API_KEY = key
    try {
      writeFileSync(join(dir, 'promptfooconfig.yaml'), `prompts: ["Say {{q}}"]\ntests:\n  - vars: { q: "${key}" }\n`)
      await expect(run(['promptfoo', join(dir, 'promptfooconfig.yaml'), '--out', out, '--name', 'keyed'], print)).rejects.toThrow(/IMPORT_TEST_API_KEY/)
      expect(() => readFileSync(join(out, 'keyed.jsonl'), 'utf8')).toThrow()
    } finally {
      delete process.env.IMPORT_TEST_API_KEY
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
