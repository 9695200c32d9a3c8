// Type tests of the matcher augmentation, checked by `npm run typecheck` (tsc; the root tsconfig includes
// test/) against the installed Vitest, and for Vitest 4.1 and 5 by the consumer check. Each
// `@ts-expect-error` line proves a misuse is rejected: the line must fail to compile.
import { describe, expect, expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import * as matchers from '../../matchers/index.js'
import { createJudge } from '../../src/judge/resolve-judge.js'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import { humanLabel } from '../../src/review/human-label.js'

const judge = { provider: 'openai', model: 'gpt-4o-mini' } as const
const context = ['Paris is the capital of France.', 'Lyon is in France.']

test('every matcher is typed on expect(…) and returns a promise', () => {
  expectTypeOf(expect('x').toBeSimilarTo('y', { method: 'bleu', threshold: 0.5 })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toBeSimilarTo('y', { method: 'levenshtein', maxPairs: 1e11 })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').not.toMatchSchema(z.object({ a: z.string() }))).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect(['a']).toRetrieve({ a: 2 }, { k: 3, metric: 'ndcg' })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect.soft('x').toMatchResponseSnapshot({ method: 'rouge-l' })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toFollowInstructions([{ id: 'punctuation:no_comma' }], { loose: true })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toBeFactual({ reference: 'Paris', context, question: 'Capital?', threshold: 0.8, judge })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toBeGroundedIn(context, { threshold: 1, samples: 3 })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toBeRelevantTo('Capital?', { threshold: 0.5, scores: { 'partially-relevant': 0.4 } })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toSatisfyRubric('Polite.', { scale: [1, 10], threshold: 0.7 })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').not.toPreferOver('baseline', 'more concise', { question: 'Capital?', judge: createJudge(judge) })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toRecallReference('Paris is the capital.', { context, threshold: 0.5 })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect(context).toHaveContextPrecision({ question: 'Capital?', reference: 'Paris' })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('refund').toMatchHumanLabel('refund', { metric: 'intent', aliases: { refund: ['money back'] } })).toEqualTypeOf<Promise<void>>()
})

test('task.meta.evals holds the score records', ({ task }) => {
  expectTypeOf(task.meta.evals).toEqualTypeOf<ScoreRecord[] | undefined>()
  expectTypeOf(task.meta.evals?.[0]?.judge).toEqualTypeOf<ScoreRecord['judge'] | undefined>()
})

test('expect.extend accepts the barrel', () => {
  expect.extend(matchers)
})

describe('deterministic matchers reject misuse', () => {
  test('toBeSimilarTo, toMatchSchema, toRetrieve, toMatchResponseSnapshot', () => {
    // @ts-expect-error unknown method
    void expect('x').toBeSimilarTo('y', { method: 'cosine' })
    // @ts-expect-error threshold is a number
    void expect('x').toBeSimilarTo('y', { threshold: '0.8' })
    // @ts-expect-error the expected text is required
    void expect('x').toBeSimilarTo()
    // @ts-expect-error the schema must be a schema
    void expect('x').toMatchSchema({})
    // @ts-expect-error the schema is required
    void expect('x').toMatchSchema()
    // @ts-expect-error unknown metric
    void expect(['a']).toRetrieve(['a'], { metric: 'map' })
    // @ts-expect-error k is a number
    void expect(['a']).toRetrieve(['a'], { k: '3' })
    // @ts-expect-error the relevant ids are required
    void expect(['a']).toRetrieve()
    // @ts-expect-error unknown option
    void expect('x').toMatchResponseSnapshot({ update: true })
  })

  test('toFollowInstructions: verifiable ids and their kwargs, free text, mixed arrays', () => {
    expectTypeOf(
      expect('x').toFollowInstructions([
        { id: 'length_constraints:number_words', num_words: 50, relation: 'less than' },
        'Sounds like a pirate.',
        { id: 'change_case:english_lowercase' },
      ]),
    ).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error an unknown instruction id
    void expect('x').toFollowInstructions([{ id: 'punctuation:no_dash' }])
    // @ts-expect-error a kwarg of the wrong type in a mixed array
    void expect('x').toFollowInstructions(['Be brief.', { id: 'length_constraints:number_words', num_words: 'fifty', relation: 'less than' }])
    // @ts-expect-error a missing required kwarg
    void expect('x').toFollowInstructions([{ id: 'length_constraints:number_words', relation: 'less than' }])
    // @ts-expect-error loose is a boolean
    void expect('x').toFollowInstructions(['Be brief.'], { loose: 'yes' })
    // @ts-expect-error the instructions are required
    void expect('x').toFollowInstructions()
  })
})

describe('judged matchers reject misuse', () => {
  test('the judge option is a config or a Judge', () => {
    // @ts-expect-error unknown provider
    void expect('x').toBeGroundedIn(context, { judge: { provider: 'gemini', model: 'x' } })
    // @ts-expect-error the model is required
    void expect('x').toBeRelevantTo('Capital?', { judge: { provider: 'openai' } })
    // @ts-expect-error samples is a number
    void expect('x').toSatisfyRubric('Polite.', { samples: '3' })
    // @ts-expect-error timeoutMs is a number of milliseconds
    void expect('x').toBeRelevantTo('Capital?', { judge: { provider: 'openai', model: 'gpt-4o-mini', timeoutMs: '60s' } })
    void expect('x').toBeRelevantTo('Capital?', { judge: { provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 120_000 } })
    // A Judge object may ignore the call options, or take their signal.
    void expect('x').toBeRelevantTo('Capital?', { judge: { provider: 'mine', model: 'v1', complete: async () => ({ output: {} }) } })
    void expect('x').toBeRelevantTo('Capital?', { judge: { provider: 'mine', model: 'v1', timeoutMs: 5_000, complete: async (_request, options) => ({ output: options?.signal.aborted }) } })
  })

  test('toBeFactual, toBeGroundedIn, toBeRelevantTo', () => {
    // @ts-expect-error the options (reference and/or context) are required
    void expect('x').toBeFactual()
    // @ts-expect-error unknown option
    void expect('x').toBeFactual({ answer: 'Paris' })
    // @ts-expect-error context is text or a list of texts
    void expect('x').toBeFactual({ context: 42 })
    // @ts-expect-error the context is required
    void expect('x').toBeGroundedIn()
    // @ts-expect-error threshold is a number
    void expect('x').toBeGroundedIn(context, { threshold: 'high' })
    // @ts-expect-error the question is required
    void expect('x').toBeRelevantTo()
    // @ts-expect-error an unknown relevance category
    void expect('x').toBeRelevantTo('Capital?', { scores: { maybe: 0.5 } })
  })

  test('toSatisfyRubric, toPreferOver, toRecallReference, toHaveContextPrecision', () => {
    expectTypeOf(expect('x').toSatisfyRubric({ criteria: 'Polite.', steps: ['Find a greeting.'] })).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error the rubric is required
    void expect('x').toSatisfyRubric()
    // @ts-expect-error steps are a list of texts
    void expect('x').toSatisfyRubric({ criteria: 'Polite.', steps: 'Find a greeting.' })
    // @ts-expect-error the scale is [min, max]
    void expect('x').toSatisfyRubric('Polite.', { scale: 5 })
    // @ts-expect-error the criterion is required
    void expect('x').toPreferOver('baseline')
    // @ts-expect-error unknown option
    void expect('x').toPreferOver('baseline', 'concise', { swap: false })
    // @ts-expect-error the reference is required
    void expect('x').toRecallReference()
    // @ts-expect-error context is text or a list of texts
    void expect('x').toRecallReference('Paris', { context: [1, 2] })
    // @ts-expect-error the question is required
    void expect(context).toHaveContextPrecision({ reference: 'Paris' })
    // @ts-expect-error the options are required
    void expect(context).toHaveContextPrecision()
  })
})

describe('toMatchHumanLabel', () => {
  test('a label, humanLabel(), a grader function, a rubric or categories for the judge', () => {
    expectTypeOf(expect(true).toMatchHumanLabel('pass')).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('x').toMatchHumanLabel(humanLabel('q1', 'helpful'), { grader: async (output) => ({ label: String(output), reason: 'why' }) })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('x').toMatchHumanLabel(4, { rubric: 'Helpful.', scale: [1, 5], threshold: 0.75, judge, samples: 3 })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('x').toMatchHumanLabel('resolved', { categories: ['resolved', 'unresolved'], question: 'Where is my parcel?', judge, samples: 3 })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('x').toMatchHumanLabel(humanLabel('q1', 'outcome'), { categories: { resolved: 'Solved.', unresolved: 'Not solved.' }, aliases: { resolved: ['fixed'] }, prompt: { system: 'You classify.' } })).toEqualTypeOf<Promise<void>>()
  })

  test('rejects misuse', () => {
    // @ts-expect-error the label is required
    void expect('x').toMatchHumanLabel()
    // @ts-expect-error a label is a string, number or boolean
    void expect('x').toMatchHumanLabel({ label: 'pass' })
    // @ts-expect-error a grader is a function
    void expect('x').toMatchHumanLabel('pass', { grader: 'judge' })
    // @ts-expect-error grader and rubric cannot be combined
    void expect('x').toMatchHumanLabel('pass', { rubric: 'Helpful.', grader: () => 'pass' })
    // @ts-expect-error scale and judge apply to the rubric grader only
    void expect('x').toMatchHumanLabel('pass', { scale: [1, 5], judge })
    // @ts-expect-error aliases map a label to its spellings
    void expect('x').toMatchHumanLabel('refund', { aliases: { refund: 'money back' } })
    // @ts-expect-error unknown option
    void expect('x').toMatchHumanLabel('refund', { classes: ['refund', 'billing'] })
    // @ts-expect-error categories and rubric cannot be combined
    void expect('x').toMatchHumanLabel('pass', { categories: ['pass', 'fail'], rubric: 'Helpful.' })
    // @ts-expect-error categories and grader cannot be combined
    void expect('x').toMatchHumanLabel('pass', { categories: ['pass', 'fail'], grader: () => 'pass' })
    // @ts-expect-error threshold applies to the rubric only
    void expect('x').toMatchHumanLabel('pass', { categories: ['pass', 'fail'], threshold: 0.5 })
    // @ts-expect-error question applies to categories only
    void expect('x').toMatchHumanLabel('pass', { rubric: 'Helpful.', question: 'Why?' })
    // @ts-expect-error question applies to categories only
    void expect('x').toMatchHumanLabel('pass', { question: 'Why?' })
    // @ts-expect-error categories are names or a record of name to description
    void expect('x').toMatchHumanLabel('refund', { categories: 'refund, billing' })
    // @ts-expect-error descriptions are text
    void expect('x').toMatchHumanLabel('refund', { categories: { refund: 1, billing: 2 } })
  })
})
