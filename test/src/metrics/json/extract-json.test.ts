import { describe, expect, test } from 'vitest'
import { extractJson } from '../../../../src/metrics/json/extract-json.js'

describe('extractJson', () => {
  test('parses a bare JSON output', () => {
    expect(extractJson(' {"a": 1} \n')).toEqual({ found: true, value: { a: 1 }, source: 'bare', text: '{"a": 1}' })
  })
  test('takes the first ```json fenced block that parses', () => {
    const output = 'Sure:\n```js\n{a: 1}\n```\n```json\n[1, 2]\n```\nDone.'
    expect(extractJson(output)).toMatchObject({ found: true, value: [1, 2], source: 'fenced' })
  })
  test('accepts an unlabelled fence', () => {
    expect(extractJson('```\n{"ok": true}\n```')).toMatchObject({ value: { ok: true }, source: 'fenced' })
  })
  test('finds the first balanced object in prose, skipping brackets inside strings', () => {
    const output = 'The answer {not json} is {"text": "a } b", "list": [1, {"x": 2}]} as requested.'
    expect(extractJson(output)).toMatchObject({ found: true, value: { text: 'a } b', list: [1, { x: 2 }] }, source: 'embedded' })
  })
  test('finds an array in prose', () => {
    expect(extractJson('Ids: ["a", "b"].')).toMatchObject({ value: ['a', 'b'], source: 'embedded' })
  })
  test('says why when there is no JSON', () => {
    expect(extractJson('no json {here')).toEqual({ found: false, reason: 'no parsable JSON object or array in the output' })
    expect(extractJson('  ')).toEqual({ found: false, reason: 'the output is empty' })
  })
})

/** extractJson as first written (a fence regex; every `{`/`[`, its balanced end, JSON.parse): quadratic, kept as the oracle. */
function directSearch(output: string): { value: unknown; source: string; text: string } | undefined {
  const bare = output.trim()
  try {
    if (bare !== '') return { value: JSON.parse(bare), source: 'bare', text: bare }
  } catch {
    // not bare JSON
  }
  for (const [, language, body] of output.matchAll(/```[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)```/g)) {
    if (language !== '' && !/^json[c5]?$/i.test(language ?? '')) continue
    try {
      return { value: JSON.parse((body ?? '').trim()), source: 'fenced', text: (body ?? '').trim() }
    } catch {
      // try the next fence
    }
  }
  for (let start = 0; start < output.length; start++) {
    if (output[start] !== '{' && output[start] !== '[') continue
    const stack: string[] = []
    let inString = false
    let end = -1
    for (let i = start; i < output.length && end === -1; i++) {
      const char = output[i]
      if (inString) {
        if (char === '\\') i++
        else if (char === '"') inString = false
      } else if (char === '"') inString = true
      else if (char === '{' || char === '[') stack.push(char === '{' ? '}' : ']')
      else if (char === '}' || char === ']') {
        if (stack.pop() !== char) break
        if (stack.length === 0) end = i + 1
      }
    }
    if (end === -1) continue
    const text = output.slice(start, end)
    try {
      return { value: JSON.parse(text), source: 'embedded', text }
    } catch {
      // not JSON: try the next bracket
    }
  }
  return undefined
}

/** Milliseconds `run` takes. */
function timeOf(run: () => void): number {
  const started = performance.now()
  run()
  return performance.now() - started
}

describe('extractJson compared with the direct search', () => {
  test('a bracket inside a quoted string of the prose still starts a candidate', () => {
    expect(extractJson('He said "[1, 2]" then {"a": "[3]"}')).toMatchObject({ value: [1, 2], source: 'embedded' })
    expect(extractJson('x ["a\\", [1]] y')).toMatchObject({ value: [1], text: '[1]' })
    expect(extractJson('{"a": [1, 2} and [true, null, -0.5e+3]')).toMatchObject({ value: [true, null, -500] })
    expect(extractJson('[01] [1.] [tru] ["\t"] ["\\x"] {"a" 1} {"a":1,} [1 2] ["\\u00e9"]')).toMatchObject({ value: ['é'] })
  })

  test('finds the same JSON as the direct search in 20,000 random texts', () => {
    const pieces = ['[', ']', '{', '}', '"', '\\', ',', ':', ' ', '1', '-', '0', '.', 'e', 'a', 'true', 'null', '"k":', '\\"', '\\u00', '\n', '\t', '```', 'json ', 'js']
    let seed = 7
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    for (let run = 0; run < 20_000; run++) {
      let text = ''
      const length = 1 + Math.floor(random() * 24)
      for (let index = 0; index < length; index++) text += pieces[Math.floor(random() * pieces.length)]
      const expected = directSearch(text)
      const actual = extractJson(text)
      expect({ text, found: actual.found ? { value: actual.value, source: actual.source, text: actual.text } : undefined }).toEqual({ text, found: expected })
    }
  })
})

describe('extractJson: hostile input finishes', () => {
  // Each took seconds to minutes when every bracket was scanned to the end of the text.
  test('40,000 unclosed brackets', () => {
    expect(timeOf(() => expect(extractJson('['.repeat(40_000)).found).toBe(false))).toBeLessThan(2_000)
  })
  test('20,000 nested arrays that fail to parse at their centre', () => {
    const output = '[1,'.repeat(20_000) + 'x' + ']'.repeat(20_000)
    expect(timeOf(() => expect(extractJson(output).found).toBe(false))).toBeLessThan(2_000)
  })
  test('brackets each inside a string opened by the one before', () => {
    const output = '["' + '[\\"'.repeat(40_000)
    expect(timeOf(() => expect(extractJson(output).found).toBe(false))).toBeLessThan(2_000)
  })
  test('100,000 backticks (no fenced block)', () => {
    expect(timeOf(() => expect(extractJson('`'.repeat(100_000)).found).toBe(false))).toBeLessThan(2_000)
  })
  test('a 1,000,000-deep array is found whole', () => {
    const output = `Result: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}.`
    // Linear work on 2,000,000 characters takes ~1 s on a loaded machine; quadratic work would take hours.
    expect(timeOf(() => expect(extractJson(output)).toMatchObject({ found: true, source: 'embedded' }))).toBeLessThan(10_000)
  })
})
