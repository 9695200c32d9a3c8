// A trial whose time runs out while a scorer (a slow judge) is scoring: the scorer, not the app, ran out of time.
// The case is not failed as if its task had (a 0 on every metric, "make the task faster"): the error names the
// scorer, the case and the describeEval line, and the trial keeps none of its records (no half-scored trial).
import { describe, expect, test } from 'vitest'
import type { CallSiteHolder } from '../../../matchers/shared/caller-stack.js'
import { suiteGateVerdict } from '../../../src/suites/gate-verdict.js'
import { runCase, type CaseRun, type Scorer } from '../../../src/suites/run-case.js'
import type { CaseOutcome } from '../../../src/suites/suite-gate.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'
import { errorOf, registerMatchers } from '../../matchers/support.js'

registerMatchers()

/** A judge that answers after `ms`, or rejects when its signal aborts (as an SDK call given the signal does). */
function judgeAfter(ms: number, score: number): Scorer<{ id: string }, string> {
  return function judge(_output, { signal }) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ metric: 'judged', score }), ms)
      signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)))
    })
  }
}

const callSite: CallSiteHolder = {}
Error.captureStackTrace(callSite) // the line "describeEval" was called on, for these runs
const siteLine = Number(/scorer-timeout\.test\.ts:(\d+)/.exec(callSite.stack ?? '')?.[1])

const caseRun = (scorers: CaseRun<{ id: string }, string>['scorers'], repeats = 1): CaseRun<{ id: string }, string> => ({
  suite: 'support bot',
  task: () => 'Paris',
  scorers,
  repeats,
  passOn: 'every-trial',
  caseFailures: 'score',
  trialTimeout: 60,
  callSite,
})

describe('a trial whose time runs out while a scorer runs', () => {
  test('fails naming the scorer, the case, the describeEval line and the fix, not the task', async (context) => {
    const outcomes = new Map<string, CaseOutcome>()
    const run = caseRun([() => ({ metric: 'exact', score: 1 }), judgeAfter(5_000, 1), function brevity() { return 1 }])
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, run, outcomes))
    expect(failure.message).toBe(
      `[vitest-llm-evals] Scorer #2 (judge) of describeEval("support bot") (test/src/suites/scorer-timeout.test.ts:${siteLine}) ran out of time for case "q1": ` +
        'the trial\'s timeout of 60 ms (for the task and all its scorers) passed while it was scoring, after the task had finished. ' +
        'No score of this trial is kept (the scorers after it did not run). Raise describeEval\'s timeout, or make the scorer faster (a faster judge model, fewer judge samples).',
    )
    // Vitest's code frame shows the describeEval line, not the library's timer.
    expect(failure.stack?.split('\n')[1]).toContain(`scorer-timeout.test.ts:${siteLine}:`)
    // No half-kept trial: the scorer before the slow one scored it, the one after did not; none of it stays.
    expect((context.task.meta as EvalTaskMeta).evals ?? []).toEqual([])
    const outcome = outcomes.get('q1')
    // Not a task failure (which counts as 0 on every metric): the scorer could not score the case.
    expect(outcome).toEqual({ caseId: 'q1', pass: false, metrics: {}, scorerErrors: [{ scorer: 2, name: 'judge', message: expect.stringMatching(/^Scorer #2 \(judge\) of describeEval\("support bot"\) .* ran out of time for case "q1"/) }] })
    expect(suiteGateVerdict('support bot', { mean: 0.5 }, [outcome as CaseOutcome], 1)).toMatchObject({ kind: 'fail', message: expect.stringContaining('  - scorer #2 (judge) failed in 1 of 1 case (first, case "q1": Scorer #2 (judge) of describeEval("support bot")') })
  })

  test('with repeats, the trial cut short keeps nothing and the slow scorer gives the case no score; the other scorers\' full trials count', async (context) => {
    const outcomes = new Map<string, CaseOutcome>()
    const slowSecondTrial: Scorer<{ id: string }, string> = function judge(output, scorerContext) {
      return judgeAfter(scorerContext.trial === 1 ? 5_000 : 0, 0.5)(output, scorerContext)
    }
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, caseRun([() => ({ metric: 'exact', score: 1 }), slowSecondTrial], 3), outcomes))
    expect(failure.message).toContain('ran out of time for case "q1" (trial 2 of 3)')
    const meta = context.task.meta as EvalTaskMeta
    expect((meta.evals ?? []).map((record) => [record.metric, record.attempt.repeat])).toEqual([['exact', 0]])
    expect(outcomes.get('q1')?.metrics).toEqual({ exact: { score: 1, pass: true } })
  })

  test('a scorer that ignores its signal and answers late records nothing after the trial ended', async (context) => {
    const outcomes = new Map<string, CaseOutcome>()
    const late: Scorer<{ id: string }, string> = async function late() {
      await new Promise((resolve) => setTimeout(resolve, 120))
      return 1
    }
    await errorOf(runCase(context, 'q1', { id: 'q1' }, caseRun([() => ({ metric: 'exact', score: 1 }), late, () => ({ metric: 'after', score: 1 })]), outcomes))
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect((context.task.meta as EvalTaskMeta).evals ?? []).toEqual([])
  })

  test('a task that ignores its signal and answers after the time ran out is not scored: no scorer (a paid judge) runs', async (context) => {
    let scored = 0
    const lateTask: CaseRun<{ id: string }, string> = {
      ...caseRun([function judge() { scored++; return 1 }]),
      task: () => new Promise((resolve) => setTimeout(() => resolve('Paris'), 100)),
    }
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, lateTask, new Map()))
    expect(failure.message).toContain('Case "q1" timed out after 60 ms')
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(scored).toBe(0)
    expect((context.task.meta as EvalTaskMeta).evals ?? []).toEqual([])
  })

  test('a task still running when the time runs out is the task\'s timeout, counted as 0 as before', async (context) => {
    const outcomes = new Map<string, CaseOutcome>()
    const slowTask: CaseRun<{ id: string }, string> = { ...caseRun([() => 1]), task: (_row, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))) }
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, slowTask, outcomes))
    expect(failure.message).toBe('[vitest-llm-evals] Case "q1" timed out after 60 ms; the task was cancelled through its signal. Raise describeEval\'s timeout, or make the task faster.')
    expect(outcomes.get('q1')).toMatchObject({ pass: false, metrics: {}, error: failure.message })
  })
})
