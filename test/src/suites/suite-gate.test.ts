import { describe, expect, test } from 'vitest'
import { evaluateSuiteGate, formatGateFailures, type CaseOutcome } from '../../../src/suites/suite-gate.js'

const outcome = (caseId: string, scores: Record<string, number>, threshold = 0.5): CaseOutcome => ({
  caseId,
  pass: Object.values(scores).every((score) => score >= threshold),
  metrics: Object.fromEntries(Object.entries(scores).map(([metric, score]) => [metric, { score, pass: score >= threshold }])),
})

const outcomes = [outcome('a', { dice: 1, schema: 1 }), outcome('b', { dice: 0.2, schema: 1 }), outcome('c', { dice: 0.4, schema: 0 }), outcome('d', { dice: 0.9, schema: 1 })]

describe('evaluateSuiteGate', () => {
  test('passes when every target holds', () => {
    expect(evaluateSuiteGate(outcomes, { mean: 0.6, passRate: 0.5, perMetric: { schema: { mean: 0.75 } } })).toEqual([])
  })

  test('fails when a metric mean misses, naming value, target and worst cases', () => {
    // dice mean = (1 + 0.2 + 0.4 + 0.9) / 4 = 0.625
    expect(evaluateSuiteGate(outcomes, { mean: 0.7 }, 2)).toEqual([{ metric: 'dice', measure: 'mean', value: 0.625, target: 0.7, worst: [{ caseId: 'b', score: 0.2 }, { caseId: 'c', score: 0.4 }] }])
  })

  test('pass rate counts passing cases and lists the failing ones', () => {
    expect(evaluateSuiteGate(outcomes, { passRate: 0.75 })).toEqual([
      { metric: 'all metrics', measure: 'passRate', value: 0.5, target: 0.75, passed: 2, total: 4, worst: [{ caseId: 'c', score: 0.2 }, { caseId: 'b', score: 0.6 }] },
    ])
  })

  test('per-metric targets; a crashed case counts as 0; an unknown metric is a failure', () => {
    const crashed: CaseOutcome = { caseId: 'e', pass: false, metrics: {}, error: 'boom' }
    const failures = evaluateSuiteGate([...outcomes, crashed], { perMetric: { schema: { passRate: 0.8 }, 'similarity:rouge': { mean: 0.5 } } })
    expect(failures).toEqual([
      { metric: 'schema', measure: 'passRate', value: 0.6, target: 0.8, passed: 3, total: 5, worst: [{ caseId: 'c', score: 0 }, { caseId: 'e', score: 0 }] },
      { metric: 'similarity:rouge', measure: 'mean', value: 0, target: 0.5, worst: [], missing: true },
    ])
  })
})

describe('formatGateFailures', () => {
  test('one line per missed target, then how to fix it', () => {
    const failures = evaluateSuiteGate(outcomes, { mean: 0.7, passRate: 0.75, perMetric: { rouge: { mean: 0.1 } } }, 2)
    expect(formatGateFailures('support bot', failures, outcomes)).toMatchInlineSnapshot(`
      "Suite "support bot" is below its threshold (4 cases scored):
        - dice: mean 0.625 < target 0.700; worst cases: b (0.200), c (0.400)
        - all metrics: pass rate 0.500 < target 0.750 (2 of 4 cases passed); worst cases: c (0.200), b (0.600)
        - rouge: no case produced this metric (metrics seen: dice, schema); check threshold.perMetric
      Improve the failing cases, or change threshold in describeEval("support bot")."
    `)
  })
})

describe('metric names that are Object.prototype\'s', () => {
  test('a __proto__ metric below its target fails the gate; a case without it scores 0 on it, not an inherited value', () => {
    const metrics = (score: number) => JSON.parse(`{"__proto__":{"score":${score},"pass":${score >= 0.9}}}`) as CaseOutcome['metrics']
    const outcomes: CaseOutcome[] = [
      { caseId: 'a', pass: true, metrics: metrics(0.9) },
      { caseId: 'b', pass: false, metrics: metrics(0.5) },
    ]
    const perMetric = JSON.parse('{"__proto__":{"mean":0.95}}') as Record<string, { mean: number }>
    expect(evaluateSuiteGate(outcomes, { perMetric })).toEqual([{ metric: '__proto__', measure: 'mean', value: 0.7, target: 0.95, worst: [{ caseId: 'b', score: 0.5 }, { caseId: 'a', score: 0.9 }] }])
    // A case whose scorer threw counts only for the metrics it has: none named __proto__ (before, the inherited
    // Object.prototype counted as its result, a 0 pulling the mean down).
    const broken = { caseId: 'x', pass: false, metrics: { other: { score: 1, pass: true } }, scorerErrors: [{ scorer: 0, message: 'boom' }] } as unknown as CaseOutcome
    expect(evaluateSuiteGate([broken, ...outcomes], { perMetric: JSON.parse('{"__proto__":{"mean":0.7}}') })).toEqual([])
    const without: CaseOutcome[] = [{ caseId: 'c', pass: true, metrics: { other: { score: 1, pass: true } } }, ...outcomes]
    expect(evaluateSuiteGate(without, { perMetric: JSON.parse('{"constructor":{"passRate":0.5}}') })).toEqual([{ metric: 'constructor', measure: 'passRate', value: 0, target: 0.5, worst: [], missing: true }])
  })
})

