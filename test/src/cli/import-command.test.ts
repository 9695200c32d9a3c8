import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { run } from '../../../src/cli/import-command.js'

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
    await expect(run(['langsmith', 'x'], print)).rejects.toThrow('[vitest-llm-evals] Unknown command "import langsmith": use import promptfoo or import openai-evals.')
    await expect(run(['promptfoo', join(out, 'nope.yaml')], print)).rejects.toThrow(`[vitest-llm-evals] ${join(out, 'nope.yaml')}: not found.`)
    await expect(run(['openai-evals', join(fixtures, 'openai/eval.json')], print)).rejects.toThrow('import openai-evals needs the items: --items <items.jsonl>')
    expect(await run([], print)).toBe(2)
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
