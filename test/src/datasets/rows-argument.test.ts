// Dataset helpers given something other than rows fail at their call with what they need and what they got
// (a bare `TypeError: rows is not iterable` from inside the library before); oversample over a label no row has
// fails instead of returning the rows unbalanced.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import { inspectDataset } from '../../../src/datasets/inspect-dataset.js'
import { oversample } from '../../../src/datasets/oversample.js'
import { toFineTuningJsonl, writeFineTuningJsonl } from '../../../src/datasets/fine-tuning.js'
import { examplesFromReviewedFailures } from '../../../src/datasets/reviewed-failures.js'

function thrown(action: () => unknown): ConfigError {
  let error: unknown
  try {
    action()
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(ConfigError)
  // The stack starts at the caller's line, not inside the library.
  expect((error as Error).stack?.split('\n')[1]).toContain('rows-argument.test.ts')
  return error as ConfigError
}

describe('rows that are not an array', () => {
  test.each([
    ['inspectDataset', () => inspectDataset(undefined as never), 'inspectDataset(rows) needs an array of rows (e.g. from await loadDataset(path, schema)), got undefined.'],
    ['inspectDataset against', () => inspectDataset([], { against: 'train.jsonl' as never }), 'inspectDataset(rows, { against }) needs the training rows as an array, got a string ("train.jsonl").'],
    ['oversample', () => oversample(new Set([{ a: 1 }]) as never, 'a'), 'oversample(rows, label) needs an array of rows (e.g. from await loadDataset(path, schema)), got a Set, not an array: pass [...rows].'],
    ['toFineTuningJsonl', () => toFineTuningJsonl(Promise.resolve([]) as never, { format: 'openai', input: 'q', output: 'a' }), 'toFineTuningJsonl(rows, options) needs an array of rows (e.g. from await loadDataset(path, schema)), got a Promise: await it first.'],
    ['writeFineTuningJsonl', () => writeFineTuningJsonl('out.jsonl', null as never, { format: 'openai', input: 'q', output: 'a' }), 'writeFineTuningJsonl(file, rows, options) needs an array of rows (e.g. from await loadDataset(path, schema)), got null.'],
    ['examplesFromReviewedFailures', () => examplesFromReviewedFailures(undefined as never), "examplesFromReviewedFailures(runs) needs the score history's runs as an array (e.g. readHistory('.evals/history.jsonl')), got undefined."],
  ])('%s', (_name, action, said) => {
    expect(thrown(action).message).toBe(`[vitest-llm-evals] ${said}`)
  })

  test('toFineTuningJsonl without options says what they look like', () => {
    expect(() => toFineTuningJsonl([], undefined as never)).toThrow("[vitest-llm-evals] toFineTuningJsonl needs its options, e.g. { format: 'openai', input: 'question', output: 'answer' }, got undefined.")
  })
})

describe('oversample', () => {
  test('fails when no row has the label field, naming the fields the rows have', () => {
    expect(() => oversample([{ intent: 'a' }, { intent: 'b' }, { intent: 'b' }], 'intnet')).toThrow('[vitest-llm-evals] oversample(rows, "intnet"): no row has the field "intnet" (the rows have "intent"). Check the label field\'s name.')
  })

  test('still balances when some rows lack the field, and an empty dataset is fine', () => {
    expect(oversample([{ intent: 'a' }, { intent: 'b' }, { intent: 'b' }, {}], 'intent')).toHaveLength(6)
    expect(oversample([], 'intent')).toEqual([])
  })
})

describe('outputs and empty inputs', () => {
  test('writeFineTuningJsonl to a folder says to name the file in it (it said "already exists; pass overwrite: true")', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fine-tuning-out-'))
    try {
      for (const overwrite of [false, true]) {
        expect(() => writeFineTuningJsonl(folder, [{ q: 'a', a: 'b' }], { format: 'openai', input: 'q', output: 'a', overwrite })).toThrow(
          `[vitest-llm-evals] ${folder} is a folder: name the output file in it, e.g. ${JSON.stringify(join(folder, 'train.jsonl'))} (CLI: --out).`,
        )
      }
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('inspectDataset warns that an empty dataset has no rows', () => {
    expect(inspectDataset([]).warnings).toEqual(['the dataset has no rows: check that the file is the right one and not empty'])
  })
})
