import { describe, expect, test } from 'vitest'
import type { CassetteEntry, UnrecordedCall } from '../../../src/cassettes/entry.js'
import { findUnrecorded, isRedactedName, mergeUnrecorded, redactedName } from '../../../src/cassettes/unrecorded-calls.js'

const mark = (over: Partial<UnrecordedCall> = {}): UnrecordedCall => ({ test: 'bot > slow', repeat: 0, key: 'k1', occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout', at: '2026-12-07T00:00:00.000Z', mode: 'auto', ...over })
const entry = (key: string, test = 'bot > slow'): CassetteEntry => ({
  test, repeat: 0, call: 0, role: 'app', key,
  request: { url: 'u', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: null },
  response: { status: 200, headers: {}, json: {} },
  meta: { recordedAt: 'x', latencyMs: 1 },
})
const keyOf = (recorded: CassetteEntry) => recorded.key ?? ''

describe('mergeUnrecorded', () => {
  test('drops the mark of a call that has a recording now, and keeps the mark of a later occurrence of it', () => {
    const onDisk = [mark(), mark({ occurrence: 1 })]
    expect(mergeUnrecorded(onDisk, [], [entry('k1')], keyOf)).toEqual([mark({ occurrence: 1 })])
  })

  test("replaces a call's mark with the attempt's new one, and keeps other tests' marks", () => {
    const other = mark({ test: 'bot > other' })
    const attempt = { test: 'bot > slow', repeat: 0, mode: 'append' as const, state: 'ended' as const, unrecorded: [mark({ reason: 'test-ended' }), mark({ reason: 'app-abort', detail: 'AbortError' })] }
    expect(mergeUnrecorded([mark(), other], [attempt], [], keyOf)).toEqual([other, mark({ reason: 'app-abort', detail: 'AbortError' })])
  })

  test("a replaced attempt (record, passed) voids every mark of its test of this project, not another project's", () => {
    const theirs = mark({ key: 'k2', project: 'mini' })
    const attempt = { test: 'bot > slow', repeat: 0, mode: 'replace' as const, state: 'ended' as const, unrecorded: [] }
    expect(mergeUnrecorded([mark({ key: 'k2' }), theirs], [attempt], [], keyOf)).toEqual([theirs])
  })
})

describe('findUnrecorded', () => {
  test('finds the same occurrence of the call first, this project first, else another occurrence; never another key', () => {
    const calls = [mark({ occurrence: 1, reason: 'app-abort' }), mark({ occurrence: 0, project: 'other' }), mark({ occurrence: 0, project: 'mine', reason: 'refused' })]
    expect(findUnrecorded(calls, 'bot > slow', 0, 'k1', 0, 'mine')?.reason).toBe('refused')
    expect(findUnrecorded(calls, 'bot > slow', 0, 'k1', 1, 'mine')?.reason).toBe('app-abort')
    expect(findUnrecorded(calls, 'bot > slow', 0, 'k2', 0, 'mine')).toBeUndefined()
    expect(findUnrecorded(calls, 'bot > slow', 1, 'k1', 0, 'mine')).toBeUndefined()
  })
})

describe('isRedactedName', () => {
  test('passes when each [REDACTED] stands for some text of the name', () => {
    expect(isRedactedName('answers for token [REDACTED]', 'answers for token s3cr3t')).toBe(true)
    expect(isRedactedName('[REDACTED] and [REDACTED] > one', 'a1 and b2 > one')).toBe(true)
  })

  test('fails when the rest of the name differs, a [REDACTED] stands for nothing, or the mark has none', () => {
    expect(isRedactedName('answers for token [REDACTED]', 'asks for token s3cr3t')).toBe(false)
    expect(isRedactedName('answers for token [REDACTED]', 'answers for token ')).toBe(false)
    expect(isRedactedName('answers', 'answers')).toBe(false)
  })

  test('stays linear on a hostile mark with many [REDACTED] and a long name', () => {
    const marked = `${'[REDACTED]x'.repeat(5_000)}y`
    const started = performance.now()
    expect(isRedactedName(marked, 'ax'.repeat(50_000))).toBe(false)
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})

describe('redactedName', () => {
  test('replaces each secret in the name with [REDACTED]', () => {
    expect(redactedName('answers for token s3cr3t (s3cr3t)', ['s3cr3t', ''])).toBe('answers for token [REDACTED] ([REDACTED])')
  })
})
