import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { forEachLine, hasCaseDetail, headOf, isBlank } from '../../../src/history/history-lines.js'

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
    expect(headOf(bytes('{"v":1,"groups":[{"cases":2}],"caseTable":{"count":1,"fields":{"x":{"same":"}"}}}}\r'))).toEqual({ head: { v: 1, groups: [{ cases: 2 }] }, hasCases: true })
    expect(headOf(bytes('{"v":1,"cases":[{"suite":"s"}]}'))).toEqual({ head: { v: 1 }, hasCases: true })
  })

  test('a line that cannot be split safely is left to a full parse', () => {
    // Lines rewritten by older versions put `git` after the cases; a torn line ends anywhere.
    expect(headOf(bytes('{"v":1,"cases":[{"suite":"s"}],"git":{"branch":"main"}}'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"caseTable":{"count":1,"fields":{"x":{"values":[1,'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"nested":{"a":1,"caseTable":{}}}'))).toBeUndefined()
    expect(headOf(bytes('{"v":1,"groups":[]}'))).toBeUndefined()
  })

  test('per-case detail is looked for in the per-case part only (token counts have "input" and "output" keys too)', () => {
    const line = bytes('{"totals":{"tokens":{"app":{"input":1,"output":2}}},"caseTable":{"count":1,"fields":{"score":{"same":1}}}}')
    expect(hasCaseDetail(line, line.indexOf(',"caseTable":'))).toBe(false)
    const detailed = bytes('{"totals":{},"caseTable":{"count":1,"fields":{"reason":{"same":"why"}}}}')
    expect(hasCaseDetail(detailed, detailed.indexOf(',"caseTable":'))).toBe(true)
    expect([isBlank(bytes(' \t\r')), isBlank(bytes(' {}'))]).toEqual([true, false])
  })
})
