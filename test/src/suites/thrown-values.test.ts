// A task or scorer that throws something that is not an Error (`throw undefined`, `throw null`, a string, a plain
// object) failed its test with no message at all. It now fails with an error that says who threw what (printed
// safely), for which case, and where.
import { describe, expect, test } from 'vitest'
import type { CallSiteHolder } from '../../../matchers/shared/caller-stack.js'
import { ConfigError } from '../../../src/errors/index.js'
import { runCase, type CaseRun } from '../../../src/suites/run-case.js'
import type { CaseOutcome } from '../../../src/suites/suite-gate.js'
import { errorOf } from '../../matchers/support.js'

const callSite: CallSiteHolder = {}
Error.captureStackTrace(callSite) // the line "describeEval" was called on, for these runs
const site = `test/src/suites/thrown-values.test.ts:${/thrown-values\.test\.ts:(\d+)/.exec(callSite.stack ?? '')?.[1]}`

const caseRun = (overrides: Partial<CaseRun<{ id: string }, string>>): CaseRun<{ id: string }, string> => ({
  suite: 'support bot',
  task: () => 'Paris',
  scorers: [() => ({ metric: 'exact', score: 1 })],
  repeats: 1,
  passOn: 'every-trial',
  caseFailures: 'score',
  callSite,
  ...overrides,
})

const fix = 'not an Error, so there was no message or stack to show. Throw an Error instead (throw new Error(\'…\')); when a library throws such a value, catch it and throw an Error that says what failed.'

describe('a value that is not an Error, thrown by a scorer or a task', () => {
  test('a scorer\'s `throw undefined` fails the case with a ConfigError naming the scorer, the case and the line', async (context) => {
    const outcomes = new Map<string, CaseOutcome>()
    const run = caseRun({
      scorers: [
        () => ({ metric: 'exact', score: 1 }),
        function judged() {
          throw undefined
        },
      ],
    })
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, run, outcomes))
    expect(failure).toBeInstanceOf(ConfigError)
    expect(failure.message).toBe(`[vitest-llm-evals] Scorer #2 (judged) of describeEval("support bot") (${site}) threw undefined for case "q1", ${fix}`)
    expect(failure.stack?.split('\n')[1]).toContain(`${site}:`)
    // Still a scorer that could not score: the other scorer's score counts, the gate names this one.
    expect(outcomes.get('q1')).toMatchObject({ metrics: { exact: { score: 1, pass: true } }, scorerErrors: [{ scorer: 2, name: 'judged', message: expect.stringContaining('threw undefined for case "q1"') }] })
  })

  test('a task\'s `throw null` or rejected plain object is a task failure that says what it threw', async (context) => {
    const outcomes = new Map<string, CaseOutcome>()
    const nothing = await errorOf(runCase(context, 'q1', { id: 'q1' }, caseRun({ task: () => { throw null } }), outcomes))
    expect(nothing.message).toBe(`[vitest-llm-evals] The task of describeEval("support bot") (${site}) threw null for case "q1", ${fix}`)
    expect(outcomes.get('q1')).toMatchObject({ pass: false, metrics: {}, error: nothing.message })
    const object = await errorOf(runCase(context, 'q2', { id: 'q2' }, caseRun({ task: () => Promise.reject({ status: 429, body: 'x'.repeat(1_000) }) }), outcomes))
    expect(object.message).toContain('threw {"status":429,"body":"xxxxx')
    expect(object.message).toContain('… (+more) for case "q2", not an Error')
  })

  test('prints the value without a live key or terminal control characters, and never throws reading it', async (context) => {
    const key = 'sk-live-abcdefghijklmnopqrstuvwxyz123456'
    process.env.REVIEW_SERVICE_API_KEY = key
    try {
      const thrown = async (value: unknown) => (await errorOf(runCase(context, 'q1', { id: 'q1' }, caseRun({ task: () => Promise.reject(value) }), new Map()))).message
      // A key near the 200-character cut is hidden whole, not cut into a prefix that still leaks.
      for (const value of [`bad key ${key}`, `${'x'.repeat(190)}${key}`, { status: 401, key }]) {
        const message = await thrown(value)
        expect(message).toContain('for case "q1", not an Error')
        expect(message).not.toContain('sk-live-abcdefgh')
      }
      // Bidi overrides, C1 controls and line separators could make the line read otherwise in a terminal or CI log.
      const shown = await thrown('ok\u202e\u009b2K\u2028fake line')
      expect(shown).toContain('threw "ok\\u202e\\u009b2K\\u2028fake line" for case "q1"')
      expect(shown).not.toMatch(/[\u202e\u009b\u2028]/)
      // A getter that throws, even the one Object.prototype.toString reads, does not replace the report.
      const tagged = await thrown({ get [Symbol.toStringTag]() { throw new Error('tag getter') } })
      expect(tagged).toContain('The task of describeEval("support bot")')
    } finally {
      delete process.env.REVIEW_SERVICE_API_KEY
    }
  })

  test('an Error, or a failed assertion, is passed on as it is', async (context) => {
    const crash = new TypeError('boom')
    expect(await errorOf(runCase(context, 'q1', { id: 'q1' }, caseRun({ task: () => { throw crash } }), new Map()))).toBe(crash)
  })
})
