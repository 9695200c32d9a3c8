import { describe, expect, test } from 'vitest'
import type { CassetteEntry, ToolRecord } from '../../../src/cassettes/entry.js'
import { afterRivalAnswer } from '../../../src/cassettes/rival-take.js'

const at = (second: number) => `2026-12-07T00:00:0${second}.000Z`
const entry = (key: string, answer: string, second: number, test = 't'): CassetteEntry => ({
  test, repeat: 0, call: second, role: 'app', key,
  request: { url: 'u', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: null },
  response: { status: 200, headers: {}, json: { answer } },
  meta: { recordedAt: at(second), latencyMs: 1 },
})
const tool = (key: string, result: string, second: number): ToolRecord => ({ test: 't', repeat: 0, call: second, name: 'lookup', key, occurrence: 0, args: null, result, meta: { recordedAt: at(second), latencyMs: 1 } })
const keyOf = (recorded: CassetteEntry) => recorded.key ?? ''
const take = (entries: CassetteEntry[], tools: ToolRecord[] = [], mode: 'append' | 'replace' = 'append', test = 't') => ({ test, repeat: 0, mode, entries: entries.map((recorded) => ({ entry: recorded, occurrence: 0 })), tools })

describe('afterRivalAnswer', () => {
  test('leaves out what a try recorded after a call another process answered differently', () => {
    const mine = [entry('k1', 'mine', 1), entry('k2', 'mine', 3)]
    const myTool = tool('t1', 'mine', 2)
    const left = afterRivalAnswer(take(mine, [myTool]), [entry('k1', 'theirs', 1)], [], keyOf)
    expect([...left.entries]).toEqual([mine[1]])
    expect([...left.tools]).toEqual([myTool])
  })

  test('a tool result that differs counts as an answer too', () => {
    const mine = [entry('k2', 'mine', 3)]
    const left = afterRivalAnswer(take(mine, [tool('t1', 'mine', 2)]), [], [tool('t1', 'theirs', 1)], keyOf)
    expect([...left.entries]).toEqual(mine)
  })

  test('leaves nothing out when the stored answers are the same, in record, or outside tests', () => {
    const mine = [entry('k1', 'same', 1), entry('k2', 'mine', 3)]
    expect(afterRivalAnswer(take(mine), [entry('k1', 'same', 1)], [], keyOf).entries.size).toBe(0)
    expect(afterRivalAnswer(take(mine, [], 'replace'), [entry('k1', 'theirs', 1)], [], keyOf).entries.size).toBe(0)
    const fileLevel = [entry('k1', 'mine', 1, '(file)'), entry('k2', 'mine', 3, '(file)')]
    expect(afterRivalAnswer(take(fileLevel, [], 'append', '(file)'), [entry('k1', 'theirs', 1, '(file)')], [], keyOf).entries.size).toBe(0)
  })

  test('with test.projects, compares with the answer a lookup of the project finds: its own first', () => {
    const mine = [entry('k1', 'same', 1), entry('k2', 'mine', 3)]
    const stored = [{ ...entry('k1', 'other project', 0), project: 'p2' }, { ...entry('k1', 'same', 1), project: 'p1' }]
    expect(afterRivalAnswer(take(mine), stored, [], keyOf, 'p1').entries.size).toBe(0)
    expect(afterRivalAnswer(take(mine), stored, [], keyOf, 'p2').entries.size).toBe(1)
  })
})
