import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { caseIdOf, locationOf } from '../../../src/datasets/case-id.js'
import { loadDataset, streamDataset } from '../../../src/datasets/load-dataset.js'
import { DatasetError } from '../../../src/errors/index.js'

const Case = z.object({ id: z.string().optional(), question: z.string(), expected: z.string() })

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'datasets-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function errorOf(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  expect(error).toBeInstanceOf(DatasetError)
  return error as DatasetError
}

describe('loadDataset: JSONL', () => {
  test('reads every row, skipping blank lines, and remembers each row\'s line', async () => {
    const path = file('cases.jsonl', '{"id":"a","question":"q1","expected":"e1"}\n\n{"id":"b","question":"q2","expected":"e2"}\r\n')
    const rows = await loadDataset(path, Case)
    expect(rows).toEqual([{ id: 'a', question: 'q1', expected: 'e1' }, { id: 'b', question: 'q2', expected: 'e2' }])
    expect(locationOf(rows[1])).toEqual({ source: path, line: 3, row: 2 })
  })

  test('lists every bad row with file, line, field and the zod message, up to maxErrors', async () => {
    const lines = [
      '{"id":"a","question":"q1","expected":"e1"}',
      '{"id":"b","question":2,"expected":"e2"}',
      '{"id":"c","question":"q3"',
      '{"id":"d","question":"q4"}',
      '{"id":"e","question":5}',
    ]
    const path = file('bad.jsonl', lines.join('\n'))
    const error = await errorOf(loadDataset(path, Case, { maxErrors: 3 }))
    // The JSON parser's own wording differs between Node versions: check it loosely.
    expect(error.message.replace(/not valid JSON \(.+\)$/m, 'not valid JSON (…)')).toBe(
      [
        `[vitest-llm-evals] Dataset ${path} has 4 invalid rows (of 5):`,
        `  ${path}:2: field "question": Invalid input: expected string, received number`,
        `  ${path}:3: not valid JSON (…)`,
        `  ${path}:4: field "expected": Invalid input: expected string, received undefined`,
        '  … and 1 more.',
        'Fix these rows, or change the schema passed to loadDataset.',
      ].join('\n'),
    )
  })

  test('duplicate ids and duplicate content are errors naming both lines', async () => {
    const path = file('dupes.jsonl', ['{"id":"a","question":"q","expected":"e"}', '{"id":"a","question":"other","expected":"e"}', '{"question":"x","expected":"y"}', '{"expected":"y","question":"x"}'].join('\n'))
    const error = await errorOf(loadDataset(path, Case))
    expect(error.message).toContain(`${path}:2: duplicate id "a" (first at ${path}:1); ids must be unique`)
    expect(error.message).toContain(`${path}:4: same content as ${path}:3 (case id ${caseIdOf({ question: 'x', expected: 'y' })}); remove the copy or give rows an "id" field`)
  })

  test('a missing file says where it looked', async () => {
    const error = await errorOf(loadDataset(join(dir, 'nope.jsonl'), Case))
    expect(error.message).toContain(`Dataset file ${join(dir, 'nope.jsonl')} was not found`)
  })

  test('streams in order and validates with the schema\'s output type', async () => {
    const path = file('many.jsonl', Array.from({ length: 2500 }, (_, index) => JSON.stringify({ id: `c${index}`, question: `q${index}`, expected: 'e' })).join('\n'))
    const ids: string[] = []
    for await (const entry of streamDataset(path, Case.transform((row) => ({ ...row, question: row.question.toUpperCase() })))) {
      ids.push(entry.id)
      if (entry.location.row === 7) expect(entry.row.question).toBe('Q6')
    }
    expect(ids).toHaveLength(2500)
    expect(ids.at(-1)).toBe('c2499')
  })
})

describe('loadDataset: JSON and CSV', () => {
  test('a JSON array; bad items are named by row', async () => {
    const path = file('cases.json', JSON.stringify([{ question: 'q', expected: 'e' }, { question: 'q2' }]))
    const error = await errorOf(loadDataset(path, Case))
    expect(error.message).toContain(`${path} row 2: field "expected": Invalid input: expected string, received undefined`)
    await expect(loadDataset(file('object.json', '{"rows": []}'), Case)).rejects.toThrow('must hold a JSON array of rows, but holds object')
  })

  test('CSV with quoted fields, embedded newlines and a BOM; lines point at the start of each record', async () => {
    const csv = '\uFEFFid,question,expected,score\na,"Hello, ""world""",e1,1\nb,"line one\nline two",e2,x\n\nc,plain,e3,3\n'
    const path = file('cases.csv', csv)
    const Scored = Case.extend({ score: z.coerce.number().int() })
    const error = await errorOf(loadDataset(path, Scored))
    expect(error.message).toContain(`${path}:3: field "score": Invalid input: expected number, received NaN`)
    const rows = await loadDataset(path, Case.extend({ score: z.string() }))
    expect(rows.map((row) => row.question)).toEqual(['Hello, "world"', 'line one\nline two', 'plain'])
    expect(locationOf(rows[2])).toEqual({ source: path, line: 6, row: 3 })
  })

  test('a CSV row with the wrong number of columns names its line', async () => {
    const path = file('ragged.csv', 'question,expected\nq1,e1\nq2,e2,extra\n')
    await expect(loadDataset(path, Case)).rejects.toThrow(new RegExp(`Dataset ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3 is not valid CSV`))
  })
})

describe('loadDataset: arrays and functions', () => {
  test('validates in-memory rows and names them by position', async () => {
    await expect(loadDataset([{ question: 'q', expected: 'e' }], Case)).resolves.toHaveLength(1)
    const error = await errorOf(loadDataset(async function fetchRows() { return [{ question: 'q', expected: 1 }] }, Case))
    expect(error.message).toContain('fetchRows() row 1: field "expected": Invalid input: expected string, received number')
  })
})

describe('caseIdOf', () => {
  test('uses the id field, else a content hash independent of key order', () => {
    expect(caseIdOf({ id: 'x', a: 1 })).toBe('x')
    expect(caseIdOf({ id: 7 })).toBe('7')
    expect(caseIdOf({ a: 1, b: [2] })).toBe(caseIdOf({ b: [2], a: 1 }))
    expect(caseIdOf({ a: 1, b: [2] })).toMatch(/^[0-9a-f]{12}$/)
    expect(caseIdOf({ a: 1 })).not.toBe(caseIdOf({ a: 2 }))
    expect(caseIdOf({ key: 'k' }, 'key')).toBe('k')
  })
})
