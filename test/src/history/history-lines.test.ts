import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { casePartOf, casesOfLine, forEachLine, hasCaseDetail, headOf, isBlank } from '../../../src/history/history-lines.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-lines-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function linesOf(content: string): [string, number, number][] {
  const file = join(dir, 'lines.txt')
  writeFileSync(file, content)
  const fd = openSync(file, 'r')
  const seen: [string, number, number][] = []
  try {
    forEachLine(fd, (line, offset, number) => seen.push([line.toString('utf8'), offset, number]))
  } finally {
    closeSync(fd)
  }
  return seen
}

describe('forEachLine', () => {
  test('gives each line with its byte offset and number, a last line without newline included', () => {
    expect(linesOf('ab\n\né\nlast')).toEqual([
      ['ab', 0, 1],
      ['', 3, 2],
      ['é', 4, 3],
      ['last', 7, 4],
    ])
    expect(linesOf('')).toEqual([])
  })

  test('reads lines longer than its chunk, and lines that cross chunk boundaries, whole', () => {
    const long = 'x'.repeat(3 * 1024 * 1024 + 5)
    const lines = [`a${long}`, 'b', `c${long.slice(1000)}`]
    expect(linesOf(`${lines.join('\n')}\n`).map(([line, offset, number]) => [line.length, line[0], offset, number])).toEqual([
      [lines[0]?.length, 'a', 0, 1],
      [1, 'b', (lines[0]?.length ?? 0) + 1, 2],
      [lines[2]?.length, 'c', (lines[0]?.length ?? 0) + 3, 3],
    ])
  })
})

describe('splitting a line', () => {
  const bytes = (text: string) => Buffer.from(text)

  test('the aggregates before a case table (the last field) are read without it', () => {
    expect(headOf(bytes('{"v":1,"groups":[{"cases":2}],"caseTable":{"count":1,"fields":{"x":{"same":"}"}}}}\r'))).toEqual({ head: { v: 1, groups: [{ cases: 2 }] } })
    expect(headOf(bytes('{"v":1,"cases":[{"suite":"s"}]}'))).toEqual({ head: { v: 1 } })
    // Lines rewritten by the retention of older versions put `git` and `cassetteMode` after the cases.
    expect(headOf(bytes('{"v":1,"cases":[{"suite":"s","reason":"a],\\"b"}],"git":{"branch":"main"},"cassetteMode":"replay"}'))).toEqual({ head: { v: 1, git: { branch: 'main' }, cassetteMode: 'replay' } })
  })

  test('a line that cannot be split safely is left to a full parse', () => {
    // A torn line ends anywhere.
    expect(headOf(bytes('{"v":1,"cases":[{"suite":"s"}],"git":{"branch":"ma'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"cases":[{"suite":"s"},{"suite":"t"'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"caseTable":{"count":1,"fields":{"x":{"values":[1,'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"nested":{"a":1,"caseTable":{}}}'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"groups":[]}'))).toBeUndefined()
  })

  test('a case table has detail when its first column is output, reasoning or input; token counts ("input", "output") do not count', () => {
    const line = bytes('{"totals":{"tokens":{"app":{"input":1,"output":2}}},"caseTable":{"count":1,"fields":{"score":{"same":1},"output":{"same":"x"}}}}')
    expect(casePartOf(line)).toEqual({ at: 51, format: 'table' })
    expect(hasCaseDetail(line, { at: 51, format: 'table' })).toBe(false)
    const detailed = bytes('{"groups":[{"cases":1}],"caseTable":{"count":1,"fields":{"reason":{"same":"why"},"score":{"same":1}}}}')
    expect(hasCaseDetail(detailed, casePartOf(detailed) ?? { at: 0, format: 'table' })).toBe(true)
    const legacy = bytes('{"groups":[{"cases":1}],"cases":[{"score":1,"input":"q"}]}')
    expect(casePartOf(legacy)).toEqual({ at: 23, format: 'legacy' })
    expect(hasCaseDetail(legacy, { at: 23, format: 'legacy' })).toBe(true)
    expect(casePartOf(bytes('{"groups":[{"cases":1}]}'))).toBeUndefined()
    expect([isBlank(bytes(' \t\r')), isBlank(bytes(' {}'))]).toEqual([true, false])
  })
})

describe('casesOfLine', () => {
  test('reads well-formed cases and rejects a score JSON reads as Infinity (1e400) or a non-array list', () => {
    const line = (score: string) => JSON.parse(`{"cases":[{"suite":"s","test":"t","metric":"m","score":${score},"pass":true}]}`) as { cases: unknown }
    expect(casesOfLine(line('0.5'))).toEqual([{ suite: 's', test: 't', metric: 'm', score: 0.5, pass: true }])
    expect(casesOfLine(line('1e400'))).toBeUndefined()
    expect(casesOfLine(line('-1e400'))).toBeUndefined()
    expect(casesOfLine({ cases: { length: 1, 0: { suite: 's', test: 't', metric: 'm', score: 1, pass: true } } })).toBeUndefined()
  })
})
