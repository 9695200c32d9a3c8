import { describe, expect, test } from 'vitest'
import { errorLine, scorerCaseError, taskCaseError } from '../../../src/suites/case-error.js'
import { scrubString } from '../../../src/cassettes/redact.js'

describe('errorLine (a case error as the report shows it)', () => {
  test('the first line, without the prefix, controls escaped', () => {
    expect(errorLine(new Error('[vitest-llm-evals] Case "q1" timed out\nmore'))).toBe('Case "q1" timed out')
    expect(errorLine('refused\u001b[2K\u202e')).toBe('refused\\u001b[2K\\u202e')
  })

  test('a long line is cut at 300 characters, never inside a word: a key there would be kept half, which no scrub finds', () => {
    const key = `sk-${'a1B2c3D4e5'.repeat(4)}`
    for (let at = 280; at <= 300; at++) {
      const line = errorLine(new Error(`${'x'.repeat(at - 1)} ${key} tail`))
      expect(line.length, `key at ${at}`).toBeLessThanOrEqual(301)
      expect(line.endsWith('…'), `key at ${at}`).toBe(true)
      // Either the whole key is kept (and scrubbed later) or none of it.
      const kept = line.slice(at, -1).trimEnd()
      expect(kept === '' || kept.startsWith(key), `key at ${at}: ${kept}`).toBe(true)
      expect(scrubString(line)).not.toMatch(/sk-/)
    }
  })

  test('case errors name their kind and trials', () => {
    expect(taskCaseError(new Error('upstream refused'), 3)).toEqual({ kind: 'task', message: 'upstream refused', trials: 3 })
    expect(scorerCaseError([{ scorer: 1, name: 'judged', message: 'judge: 500' }], 1)).toEqual({ kind: 'scorer', message: 'scorer #1 (judged): judge: 500', trials: 1 })
  })
})
