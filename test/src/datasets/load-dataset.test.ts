import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { caseIdOf, locationOf } from '../../../src/datasets/case-id.js'
import { loadDataset, streamDataset } from '../../../src/datasets/load-dataset.js'
import { ConfigError, DatasetError } from '../../../src/errors/index.js'

const Case = z.object({ id: z.string().optional(), question: z.string(), expected: z.string() })

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'datasets-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string | Uint8Array): string {
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
        `  ${path}:4: field "expected": Invalid input: expected string, received undefined (the row has no "expected" field; it has "id", "question")`,
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

  test('a valid row repeating the id of an invalid row is a duplicate too, in the same error', async () => {
    const path = file('dupe-of-invalid.jsonl', ['{"id":"a","question":"q"}', '{"id":"a","question":"other","expected":"e"}', '{"id":"b","question":"q","expected":"e"}'].join('\n'))
    const error = await errorOf(loadDataset(path, Case))
    expect(error.message).toContain('has 2 invalid rows (of 3)')
    expect(error.message).toContain(`${path}:1: field "expected":`)
    expect(error.message).toContain(`${path}:2: duplicate id "a" (first at ${path}:1, an invalid row listed above); ids must be unique`)
    // Kept on purpose: `duplicates: 'keep'` still reports only the invalid row.
    const kept = await errorOf(loadDataset(path, Case, { duplicates: 'keep' }))
    expect(kept.message).toContain('has 1 invalid row (of 3)')
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

describe('loadDataset: a field the schema needs is missing', () => {
  test('names the field the row has instead when it looks like a typo (in the data or the schema), else the fields it has', async () => {
    const path = file('typos.jsonl', ['{"id":"a","question":"q","expcted":"e"}', '{"id":"b","Question":"q","expected":"e"}', '{"id":"c","prompt":"q","answer":"e"}', '{"id":"d","question":"q","expected":"e","meta":{"sorce":"web"}}'].join('\n'))
    const Nested = z.object({ id: z.string(), question: z.string(), expected: z.string(), meta: z.object({ source: z.string() }).optional() })
    const error = await errorOf(loadDataset(path, Nested))
    expect(error.message.split('\n').slice(1, 6)).toEqual([
      `  ${path}:1: field "expected": Invalid input: expected string, received undefined (the row has no "expected" field but has "expcted": a typo in the data or the schema?)`,
      `  ${path}:2: field "question": Invalid input: expected string, received undefined (the row has no "question" field but has "Question": a typo in the data or the schema?)`,
      `  ${path}:3: field "question": Invalid input: expected string, received undefined (the row has no "question" field; it has "id", "prompt", "answer"); field "expected": Invalid input: expected string, received undefined (the row has no "expected" field; it has "id", "prompt", "answer")`,
      `  ${path}:4: field "meta.source": Invalid input: expected string, received undefined (the row has no "source" field but has "sorce": a typo in the data or the schema?)`,
      'Fix these rows, or change the schema passed to loadDataset.',
    ])
  })

  test('hostile field names are quoted with control characters escaped, and bounded', async () => {
    const row = { id: 'a', ['\u001b[31mred']: 1, ['x'.repeat(10_000)]: 2 }
    const error = await errorOf(loadDataset([row], Case))
    expect(error.message).toContain('(the row has no "question" field; it has "id", "\\u001b[31mred")')
    expect(error.message).not.toContain('\u001b')
    expect(error.message.length).toBeLessThan(1000)
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

describe('loadDataset: line numbers', () => {
  test('a CSV record after a quoted CRLF is named by its own line', async () => {
    const path = file('crlf.csv', 'id,question,expected\r\na,"line one\r\nline two",e1\r\n\r\nb,"x\r\ny\r\nz",e2\r\nc,q3,\r\nd,q4,e4')
    const rows = await loadDataset(path, Case.extend({ expected: z.string() }))
    expect(rows.map((row) => [row.id, locationOf(row)?.line])).toEqual([['a', 2], ['b', 5], ['c', 8], ['d', 9]])
    const error = await errorOf(loadDataset(path, Case.extend({ expected: z.string().min(1) })))
    expect(error.message).toContain(`${path}:8: field "expected": Too small`)
  })

  test('a quote left open names the line it opens on, however many rows come before or after it', async () => {
    const rows = Array.from({ length: 47 }, (_, index) => `q${index + 4},d`).join('\n')
    const path = file('open-quote.csv', `question,expected\nq1,b\n\nq2,b\nq3,"unterminated\n${rows}\n`)
    await expect(loadDataset(path, Case)).rejects.toThrow(`Dataset ${path}:5 is not valid CSV: Quote Not Closed: the parsing is finished with an opening quote.`)
  })

  test('a bad CSV record after a quoted CRLF is named by its own line', async () => {
    const path = file('ragged-crlf.csv', 'question,expected\r\n"a\r\nb",e1\r\nq2,e2,extra\r\n')
    await expect(loadDataset(path, Case)).rejects.toThrow(`Dataset ${path}:4 is not valid CSV: Invalid Record Length: columns length is 2, got 3.`)
    const quote = file('quote-crlf.csv', 'question,expected\r\n"a\r\nb",e1\r\n\r\nq2,"e"x\r\n')
    await expect(loadDataset(quote, Case)).rejects.toThrow(`Dataset ${quote}:5 is not valid CSV: Invalid Closing Quote: got "x" instead of delimiter`)
  })

  test('lines end at \\n, \\r\\n or a lone \\r, also when a chunk of the file ends between \\r and \\n', async () => {
    const filler = 'x'.repeat(65_536 - '{"question":"'.length - '","expected":"e"}'.length - 1)
    const first = `{"question":"${filler}","expected":"e"}\r` // its \r is the last byte of the first 64 KiB
    const path = file('endings.jsonl', `${first}\n{"question":"b","expected":"e"}\r{"question":"c","expected":"e"}\n{"question":"d","expected":"é"}`)
    const rows = await loadDataset(path, Case)
    expect(rows.map((row) => locationOf(row)?.line)).toEqual([1, 2, 3, 4])
  })
})

describe('loadDataset: invalid UTF-8', () => {
  const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0)) // é as the single byte 0xE9

  test('a JSONL line that is not UTF-8 is a bad row naming its line and the byte', async () => {
    const path = file('latin1.jsonl', latin1('{"question":"q1","expected":"e"}\n{"question":"caf\u00e9","expected":"e"}\n{"question":"q3","expected":"e"}\n'))
    const error = await errorOf(loadDataset(path, Case))
    expect(error.message).toContain(`${path}:2: not valid UTF-8 (byte 0xE9 at column 17)`)
    expect(error.message).toContain('has 1 invalid row (of 3)')
  })

  test('a JSON or CSV file that is not UTF-8 names the line of the first bad byte', async () => {
    const json = file('latin1.json', latin1('[\n{"question":"q","expected":"e"},\n{"question":"caf\u00e9","expected":"e"}\n]'))
    await expect(loadDataset(json, Case)).rejects.toThrow(`Dataset ${json}:3 is not valid UTF-8 (byte 0xE9 at column 17)`)
    const csv = file('latin1.csv', latin1('question,expected\r\nq,e\r\ncaf\u00e9,e\r\n'))
    await expect(loadDataset(csv, Case)).rejects.toThrow(`Dataset ${csv}:3 is not valid UTF-8 (byte 0xE9 at column 4)`)
  })

  test('characters split between chunks of the file are read whole', async () => {
    const path = file('chunks.jsonl', Array.from({ length: 3_000 }, (_, index) => JSON.stringify({ question: `é€😀 ${index}`, expected: 'e' })).join('\n'))
    const rows = await loadDataset(path, Case)
    expect(rows).toHaveLength(3_000)
    expect(rows.every((row, index) => row.question === `é€😀 ${index}`)).toBe(true)
  })
})

describe('loadDataset: deep rows', () => {
  test('a row too deep to hash into a case id is a bad row naming its line', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`
    const path = file('deep.jsonl', `{"question":"q","expected":"e"}\n{"question":"q","expected":"e","tree":${deep}}\n`)
    const error = await errorOf(loadDataset(path, Case.extend({ tree: z.unknown().optional() })))
    expect(error.message).toContain(`${path}:2: nested more than 1,000 levels deep, too deep to hash into a case id: give the row an "id" field`)
    await expect(loadDataset(path, Case.extend({ tree: z.unknown().optional(), id: z.string().default('x') }), { duplicates: 'keep' })).resolves.toHaveLength(2)
  })

  test('a schema that throws on a row names the row', async () => {
    const path = file('throws.jsonl', '{"question":"q","expected":"e"}\n{"question":"boom","expected":"e"}\n')
    const Throwing = Case.transform((row) => {
      if (row.question === 'boom') throw new Error('cannot handle boom')
      return row
    })
    const error = await errorOf(loadDataset(path, Throwing))
    expect(error.message).toContain(`${path}:2: the schema threw: cannot handle boom`)
  })
})

describe('loadDataset: no schema', () => {
  test('is one ConfigError with an example, before any row is read, not an error per row', async () => {
    const path = file('rows.jsonl', '{"q":"a"}\n{"q":"b"}\n')
    const error = await (loadDataset as (source: string, schema?: unknown) => Promise<unknown>)(path).then(() => undefined, (caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toBe(
      `[vitest-llm-evals] loadDataset(${JSON.stringify(path)}, schema) needs a zod schema as its second argument, got no schema. ` +
        'Describe a row, e.g. `loadDataset(path, z.object({ id: z.string(), question: z.string(), expected: z.string() }))`, or take rows as they are with `z.looseObject({})`.',
    )
  })

  test('options passed in its place are named, for rows in memory too', async () => {
    const load = loadDataset as (source: unknown, schema?: unknown) => Promise<unknown>
    await expect(load([{ q: 'a' }], { format: 'jsonl' })).rejects.toThrow(/^\[vitest-llm-evals\] loadDataset\(rows, schema\) needs a zod schema as its second argument, got an object that is not a zod schema \(fields: format; options go third\)\./)
    await expect(load('missing.jsonl', 'Case')).rejects.toThrow(/got a string\./)
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
  test('a row too deep to hash is a DatasetError saying to give it an id, not a stack overflow', () => {
    let deep: unknown = 'leaf'
    for (let level = 0; level < 5_000; level++) deep = { child: deep }
    expect(() => caseIdOf(deep)).toThrow(new DatasetError('A row is nested more than 1,000 levels deep, too deep to hash into a case id: give it an "id" field.'))
    expect(caseIdOf({ id: 'deep-1', deep })).toBe('deep-1')
  })
})

describe('loadDataset and streamDataset: where their errors point', () => {
  // Vitest shows the first frame of an error's stack as the failing line: it must be the user's call, not the
  // library's generator that read the rows after an await.
  const firstFrame = (error: Error) => error.stack?.split('\n').find((line) => /^\s+at /.test(line)) ?? ''

  test('a bad row: the stack starts at the loadDataset call', async () => {
    const path = file('bad.jsonl', '{"question":"q"}\n')
    const error = await errorOf(loadDataset(path, Case))
    expect(error.stack?.split('\n')[0]).toBe(`DatasetError: ${error.message.split('\n')[0]}`)
    expect(firstFrame(error)).toContain('load-dataset.test.ts')
    expect(error.stack).not.toContain('load-dataset.ts')
  })

  test('a missing file and a missing schema: the stack starts at the call', async () => {
    expect(firstFrame(await errorOf(loadDataset(join(dir, 'none.jsonl'), Case)))).toContain('load-dataset.test.ts')
    const misuse = await loadDataset([], undefined as unknown as typeof Case).catch((caught: Error) => caught)
    expect(misuse).toBeInstanceOf(ConfigError)
    expect(firstFrame(misuse as Error)).toContain('load-dataset.test.ts')
  })

  test('streamDataset: the stack starts at its call', async () => {
    const path = file('bad.jsonl', '{"question":"q"}\n')
    const stream = streamDataset(path, Case)
    const error = await (async () => {
      for await (const _entry of stream) void _entry
    })().catch((caught: Error) => caught)
    expect(error).toBeInstanceOf(DatasetError)
    expect(firstFrame(error as Error)).toContain('load-dataset.test.ts')
  })

  test("a data function's own error keeps its stack", async () => {
    const thrown = new Error('database down')
    const error = await loadDataset(() => Promise.reject(thrown), Case).catch((caught: Error) => caught)
    expect(error).toBe(thrown)
    expect(firstFrame(error as Error)).toContain('load-dataset.test.ts')
  })
})

describe('loadDataset: a wrong source or option is a ConfigError naming it, before any row is read', () => {
  test.each([
    ['a number', 42, 'got a number (42)'],
    ['undefined', undefined, 'got undefined'],
    ['a promise', Promise.resolve([]), 'got a Promise: await it first'],
  ])('source: %s', async (_name, source, said) => {
    const error = await loadDataset(source as never, Case).catch((caught: Error) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toBe(`[vitest-llm-evals] loadDataset(source, schema) needs a file path, an array of rows or a function returning one as its source, ${said}.`)
  })

  test('a function that returns no array says what it returned', async () => {
    const error = await errorOf(loadDataset(async function rows() { return {} as never }, Case))
    expect(error.message).toBe('[vitest-llm-evals] rows(), the source given to loadDataset, returned an object, not an array of rows: return the rows as an array.')
  })

  test.each([
    ['format', { format: 'yaml' }, "loadDataset option format must be 'jsonl', 'json' or 'csv' (or left out: taken from the file's extension), got a string (\"yaml\")."],
    ['maxErrors', { maxErrors: 0 }, 'loadDataset option maxErrors must be a whole number of at least 1, got a number (0).'],
    ['idField', { idField: '' }, 'loadDataset option idField must be the name of the id field (e.g. "id"), got a string ("").'],
    ['duplicates', { duplicates: 'allow' }, "loadDataset option duplicates must be 'error' or 'keep', got a string (\"allow\")."],
  ])('option %s', async (_name, options, said) => {
    // A JSONL file read with format: 'yaml' was read as CSV, and its rows reported as bad CSV.
    const path = file('ok.jsonl', '{"question":"q","expected":"a"}\n')
    const error = await loadDataset(path, Case, options as never).catch((caught: Error) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toBe(`[vitest-llm-evals] ${said}`)
  })
})
