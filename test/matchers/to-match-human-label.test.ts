import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { DEFAULT_PRICES } from '../../reporters/pricing.js'
import { summarizeRun } from '../../reporters/summarize.js'
import { ConfigError, DatasetError, LabelsError } from '../../src/errors/index.js'
import { promptVersion } from '../../src/judge/prompt.js'
import { classificationPrompt } from '../../src/judge/prompts/classification.js'
import { configureDefaultJudge } from '../../src/judge/resolve-judge.js'
import { agreementByGrader } from '../../src/review/agreement-report.js'
import { humanLabel } from '../../src/review/human-label.js'
import { appendLabel, outputHash } from '../../src/review/labels-file.js'
import { reviewRows } from '../../src/review/review-rows.js'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge, type Provider } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const labelsFile = () => join(mkdtempSync(join(tmpdir(), 'human-label-')), 'labels.jsonl')

describe('.toMatchHumanLabel', () => {
  test('passes when a classifier output equals the label, ignoring case, whitespace and punctuation', async () => {
    await expect('  Refund. ').toMatchHumanLabel('refund')
    await expect('billing  issue!').toMatchHumanLabel('Billing issue')
    await expect(3).toMatchHumanLabel('3')
    await expect(true).toMatchHumanLabel('pass')
  })

  test('passes through aliases', async () => {
    await expect('Money back').toMatchHumanLabel('refund', { aliases: { refund: ['money back', 'reimburse'] } })
  })

  test('records the (automated, human) pair', async ({ task }) => {
    await expect('Shipping').toMatchHumanLabel('shipping', { metric: 'intent' })
    expect(task.meta.evals).toEqual([
      {
        metric: 'label:intent',
        score: 1,
        pass: true,
        reason: 'output said "shipping", human said "shipping"',
        details: { automated: 'shipping', human: 'shipping', grader: 'output', source: 'argument', outputHash: outputHash('Shipping') },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
    expect(task.meta).toMatchObject({ output: 'Shipping', humanLabel: 'shipping' })
  })

  test('fails when the output is another class, with both labels in the message', async ({ task }) => {
    expect(await failureOf(expect('shipping').toMatchHumanLabel('refund'))).toMatchInlineSnapshot(`
      "expect(output).toMatchHumanLabel(label)

      Expected output to match the human label "refund".

      Score:     0.00
      Reasons:
        - output said "shipping", human said "refund"
      Output:
        shipping"
    `)
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'label:label', score: 0, pass: false })
  })

  test('.not passes when they differ', async () => {
    await expect('shipping').not.toMatchHumanLabel('refund')
  })

  test('compares a grader verdict, with its reason, instead of the output', async ({ task }) => {
    const grader = async (output: unknown) => ({ label: String(output).includes('sorry') ? 'pass' : 'fail', reason: 'checks for an apology' })
    await expect('We are sorry for the delay.').toMatchHumanLabel('pass', { grader, metric: 'empathy' })
    expect(await failureOf(expect('Your parcel is late.').toMatchHumanLabel('pass', { grader, metric: 'empathy' }))).toContain(
      'Expected output to match the human label "pass" by its grader.\n\nScore:     0.00\nReasons:\n  - grader said "fail", human said "pass"\n  - grader\'s reason: checks for an apology',
    )
    expect(task.meta.evals?.map((record) => [record.metric, record.pass, (record.details as { grader: string }).grader])).toEqual([
      ['label:empathy', true, 'function'],
      ['label:empathy', false, 'function'],
    ])
  })

  test('misuse is a ConfigError, not a failed assertion', async () => {
    await expect(expect({ intent: 'refund' }).toMatchHumanLabel('refund')).rejects.toThrow('toMatchHumanLabel() got the output {"intent":"refund"}; it needs a label')
    await expect(expect('x').toMatchHumanLabel('x', { grader: 'judge' as never })).rejects.toThrowError(ConfigError)
    await expect(expect('x').toMatchHumanLabel('x', { rubric: 'helpful', grader: () => 'x' } as never)).rejects.toThrow(
      '  - `rubric`: pass one of `grader` (a function), `rubric` or `categories` (the judge grades), not `grader` and `rubric`',
    )
    await expect(expect('x').toMatchHumanLabel('x', { scale: [1, 5] } as never)).rejects.toThrow('  - `scale`: applies to the judge grader with `rubric` only: add `rubric`, or remove it')
    await expect(expect('x').toMatchHumanLabel('x', { rubric: '  ' })).rejects.toThrowError(ConfigError)
    await expect(expect('x').toMatchHumanLabel('x', { categories: ['x', 'y'], rubric: 'helpful' } as never)).rejects.toThrow(
      '  - `categories`: pass one of `grader` (a function), `rubric` or `categories` (the judge grades), not `rubric` and `categories`',
    )
    await expect(expect('x').toMatchHumanLabel('x', { categories: ['x', 'y'], grader: () => 'x' } as never)).rejects.toThrow('not `grader` and `categories`')
    await expect(expect('x').toMatchHumanLabel('x', { question: 'Why?', rubric: 'helpful' } as never)).rejects.toThrow('  - `question`: applies to the judge grader with `categories` only: add `categories`, or remove it')
    await expect(expect('x').toMatchHumanLabel('x', { categories: ['x', 'y'], threshold: 0.5 } as never)).rejects.toThrow('  - `threshold`: applies to the judge grader with `rubric` only')
    await expect(expect('x').toMatchHumanLabel('x', { samples: 3 } as never)).rejects.toThrow('  - `samples`: applies to the judge grader with `rubric` or `categories` only: add `rubric` or `categories`, or remove it')
    await expect(expect('x').toMatchHumanLabel('x', { categories: 'x, y' } as never)).rejects.toThrow('  - `categories`: Invalid input')
    await expect(expect('x').toMatchHumanLabel('x', { categories: ['x'] })).rejects.toThrow('toMatchHumanLabel(): `categories` needs at least two categories, got ["x"]')
    await expect(expect('x').toMatchHumanLabel('x', { categories: { X: '', 'x.': '' } })).rejects.toThrow('`categories` has "X" and "x.", which are the same label')
    await expect(expect({ text: 'x' }).toMatchHumanLabel('x', { categories: ['x', 'y'], judge: { provider: 'openai', model: 'gpt-4o-mini' } })).rejects.toThrow(
      'toMatchHumanLabel() needs the output (the judge classifies text) as a string, got object',
    )
    await expect(expect('x').toMatchHumanLabel('x', { rubrik: 'helpful' } as never)).rejects.toThrow('unknown key `rubrik`')
    await expect(expect('x').toMatchHumanLabel(undefined as never)).rejects.toThrow('needs the human label as a string, number or boolean, or humanLabel(caseId, metric)')
  })
})

describe('.toMatchHumanLabel with labels from the labels file', () => {
  test('uses the newest label of the case and metric', async ({ task }) => {
    const file = labelsFile()
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'pass', by: 'ana' })
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'fail', by: 'ana', note: 'misses the refund window', outputHash: outputHash('Sure!') })
    const message = await failureOf(expect('Sure!').toMatchHumanLabel(humanLabel('q1', 'helpful', { file }), { grader: () => true }))
    expect(message).toContain("  - grader said \"pass\", human said \"fail\"\n  - human's note: misses the refund window")
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'label:helpful', pass: false, details: { source: 'labels-file', labelledBy: 'ana', note: 'misses the refund window' } })
  })

  test('records a case nobody labelled yet as awaiting a label: graded, passing, not a disagreement', async ({ task }) => {
    const file = labelsFile()
    await expect('Sure!').toMatchHumanLabel(humanLabel('q9', 'helpful', { file }), { grader: () => ({ label: true, reason: 'polite' }) })
    expect(task.meta.evals).toEqual([
      {
        metric: 'label:helpful',
        score: 0,
        pass: true,
        reason: 'awaiting a human label (unlabelled); grader said "pass": polite',
        details: { awaitingLabel: true, automated: 'pass', grader: 'function', source: 'labels-file', outputHash: outputHash('Sure!') },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
    expect((task.meta as { output?: unknown; humanLabel?: unknown }).output).toBe('Sure!')
    expect((task.meta as { humanLabel?: unknown }).humanLabel).toBeUndefined()
    expect(await failureOf(expect('Sure!').not.toMatchHumanLabel(humanLabel('q9', 'helpful', { file })))).toContain('Expected case "q9" (helpful) to have a current human label, but nobody has labelled it yet')
  })

  test("uses only a label given in the running test's suite (its file and top-level describe)", async ({ task }) => {
    const file = labelsFile()
    const here = 'test/matchers/to-match-human-label.test.ts > .toMatchHumanLabel with labels from the labels file'
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'fail', suite: 'other.test.ts > other' })
    await expect('Sure!').toMatchHumanLabel(humanLabel('q1', 'helpful', { file }), { grader: () => true })
    expect(task.meta.evals?.[0]).toMatchObject({ pass: true, details: { awaitingLabel: true } })
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'pass', suite: here })
    await expect('Sure!').toMatchHumanLabel(humanLabel('q1', 'helpful', { file }), { grader: () => true })
    expect(task.meta.evals?.[1]).toMatchObject({ pass: true, score: 1, details: { source: 'labels-file', human: 'pass' } })
  })

  test('does not reuse a label given to a different output (stale)', async ({ task }) => {
    const file = labelsFile()
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'fail', by: 'ana', outputHash: outputHash('old answer') })
    const message = await failureOf(expect('new answer').not.toMatchHumanLabel(humanLabel('q1', 'helpful', { file })))
    expect(message).toContain('its label ("fail" by ana) is on a different output: review it again')
    expect(task.meta.evals?.[0]).toMatchObject({ pass: true, details: { awaitingLabel: true, automated: 'new answer', staleLabel: 'fail' } })
  })
})

describe('.toMatchHumanLabel validating a judge model', () => {
  let server: ModelServer
  beforeAll(async () => {
    server = await startModelServer()
  })
  afterAll(() => server.close())

  test('a grader that asks a model through the real OpenAI client', async ({ task }) => {
    const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: 'test-key' })
    const judge = async (output: unknown) => {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Is this reply helpful? Answer PASS or FAIL.\n\n${String(output)}` }] })
      return completion.choices[0]?.message.content ?? ''
    }
    server.enqueue({ path: '/v1/chat/completions', content: 'FAIL.' })
    server.enqueue({ path: '/v1/chat/completions', content: 'PASS' })
    await expect('I cannot help with that.').toMatchHumanLabel('fail', { grader: judge, metric: 'helpful' })
    await expect('I cannot help with that either.').not.toMatchHumanLabel('fail', { grader: judge, metric: 'helpful' })
    expect(task.meta.evals?.map((record) => (record.details as { automated: string }).automated)).toEqual(['fail', 'pass'])
    expect(server.requests).toHaveLength(2)
  })
})

describe.each(PROVIDERS)('.toMatchHumanLabel with { rubric }: the judge (%s) as grader', (provider) => {
  const scripted = useScriptedServer()
  const judge = () => scriptedJudge(scripted.server, provider)
  const rubric = 'Answers the question and offers a next step.'
  const verdict = (score: number, reasoning = 'Offers a refund.') => enqueueVerdict(scripted.server, provider, 'rubric_verdict', { steps: ['Find the next step.'], reasoning, score })

  test('compares the judge pass/fail verdict with the human label; records the pair, the judge and its usage', async ({ task }) => {
    verdict(4)
    await expect('Sorry: here is a refund.').toMatchHumanLabel('pass', { rubric, judge: judge(), metric: 'helpful' })
    verdict(4)
    await expect('Sorry: here is a refund.').toSatisfyRubric(rubric, { judge: judge() })
    const [labelled, rubricRecord] = recordsOf(task)
    expect(labelled).toMatchObject({
      metric: 'label:helpful',
      score: 1,
      pass: true,
      reason: 'judge said "pass" (4 on 1..5), human said "pass": Offers a refund.',
      details: { automated: 'pass', human: 'pass', grader: 'rubric', source: 'argument' },
      judge: { provider, model: judge().model },
    })
    // Same prompt, same reply: the judge fields and usage are those toSatisfyRubric records.
    expect(labelled?.judge).toEqual(rubricRecord?.judge)
    expect(labelled?.usage).toEqual(rubricRecord?.usage)
    expect((labelled?.usage as { inputTokens: number }).inputTokens).toBeGreaterThan(0)
  })

  test('fails when the judge disagrees with the human, quoting the judge reasoning escaped', async () => {
    verdict(2, 'No next step.\nLine two')
    expect(await failureOf(expect('Sorry.').toMatchHumanLabel('pass', { rubric, judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toMatchHumanLabel(label)

      Expected output to match the human label "pass" by the judge.

      Score:     0.00
      Reasons:
        - judge said "fail" (2 on 1..5), human said "pass"
        - judge's reason: "No next step.\\nLine two"
      Output:
        Sorry."
    `)
  })

  test('a numeric human label is compared with the rating on the scale; threshold sets pass/fail', async ({ task }) => {
    verdict(7)
    await expect('reply').toMatchHumanLabel(7, { rubric, judge: judge(), scale: [0, 10] })
    verdict(3)
    await expect('reply').toMatchHumanLabel('pass', { rubric, judge: judge(), threshold: 0.5 })
    expect(recordsOf(task).map((record) => [(record.details as { automated: unknown }).automated, record.pass])).toEqual([
      [7, true],
      ['pass', true],
    ])
  })
})

describe('.toMatchHumanLabel with { rubric } and the labels file', () => {
  const scripted = useScriptedServer()
  afterEach(() => configureDefaultJudge(undefined))

  test('uses the default judge; an unlabelled case is recorded as awaiting, with the judge verdict, and kept out of scores and agreement', async ({ task }) => {
    configureDefaultJudge(scriptedJudge(scripted.server, 'anthropic'))
    const file = labelsFile()
    enqueueVerdict(scripted.server, 'anthropic', 'rubric_verdict', { steps: [], reasoning: 'Helpful.', score: 5 })
    await expect('Here is how.').toMatchHumanLabel(humanLabel('q1', 'helpful', { file }), { rubric: 'Helpful.' })
    expect(recordsOf(task)[0]).toMatchObject({ metric: 'label:helpful', score: 0, pass: true, details: { awaitingLabel: true, automated: 'pass', grader: 'rubric' }, judge: { provider: 'anthropic' } })

    const summary = summarizeRun([{ module: 'bot.test.ts', test: 'q1', state: 'passed', flaky: false, meta: { ...task.meta, caseId: 'q1' } }], { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
    expect(summary.totals).toMatchObject({ scores: 0, failedScores: 0 })
    expect(summary.groups).toEqual([])
    expect(summary.totals.tokens.judge.input).toBeGreaterThan(0)
    const unlabelled = reviewRows(summary, [])
    expect(unlabelled).toMatchObject([{ caseId: 'q1', labelMetric: 'helpful', awaitingLabel: true, automatedLabel: 'pass', disagrees: false }])
    expect(agreementByGrader(unlabelled)).toEqual([])

    // Labelled on the review page after the run: the row now counts under the judge, against the judge's verdict.
    const label = appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'fail', outputHash: outputHash('Here is how.') })
    const labelled = reviewRows(summary, [label])
    expect(labelled[0]).toMatchObject({ disagrees: true })
    const [agreement] = agreementByGrader(labelled)
    expect(agreement).toMatchObject({ grader: expect.stringMatching(/^anthropic claude-haiku-4-5 \(prompt .+\)$/), metric: 'label:helpful', stats: { n: 1, accuracy: { value: 0 } } })
  })

  test('with a current label in the file, the judge verdict is compared with it', async ({ task }) => {
    const file = labelsFile()
    appendLabel(file, { caseId: 'q2', metric: 'helpful', label: 'fail', by: 'ana', outputHash: outputHash('Maybe.') })
    enqueueVerdict(scripted.server, 'openai', 'rubric_verdict', { steps: [], reasoning: 'Vague.', score: 2 })
    await expect('Maybe.').toMatchHumanLabel(humanLabel('q2', 'helpful', { file }), { rubric: 'Helpful.', judge: scriptedJudge(scripted.server, 'openai') })
    expect(recordsOf(task)[0]).toMatchObject({ score: 1, pass: true, details: { automated: 'fail', human: 'fail', source: 'labels-file', labelledBy: 'ana' } })
  })

  test('without a judge configured, a clear ConfigError', async () => {
    await expect(expect('x').toMatchHumanLabel('pass', { rubric: 'Helpful.' })).rejects.toThrow('toMatchHumanLabel() needs a judge model, and none is configured')
  })
})

const OUTCOMES = {
  resolved: 'The customer problem is solved.',
  'partially-resolved': 'Some of it is solved, or the next step is unclear.',
  unresolved: 'Nothing useful was done.',
  harmful: 'The answer could hurt the customer.',
}
const OUTCOME_NAMES = Object.keys(OUTCOMES) as [string, ...string[]]
const classified = (server: ModelServer, provider: Provider, category: string, reasoning = 'Because.') =>
  enqueueVerdict(server, provider, 'classification_verdict', { reasoning, category })

describe.each(PROVIDERS)('.toMatchHumanLabel with { categories }: the judge (%s) classifies', (provider) => {
  const scripted = useScriptedServer()
  const judge = () => scriptedJudge(scripted.server, provider)
  const verdict = (category: string, reasoning?: string) => classified(scripted.server, provider, category, reasoning)

  test('passes when the judge assigns the human class; records the pair, the judge and its usage', async ({ task }) => {
    verdict('partially-resolved', 'Explains the delay, gives no date.')
    await expect('Your parcel is delayed.').toMatchHumanLabel('Partially resolved', { categories: OUTCOMES, question: 'Where is my parcel?', judge: judge(), metric: 'resolution' })
    const [record] = recordsOf(task)
    expect(record).toMatchObject({
      metric: 'label:resolution',
      score: 1,
      pass: true,
      reason: 'judge said "partially resolved", human said "partially resolved": Explains the delay, gives no date.',
      details: { automated: 'partially resolved', human: 'partially resolved', grader: 'categories', source: 'argument' },
      judge: { provider, model: judge().model, promptVersion: promptVersion(classificationPrompt(OUTCOME_NAMES)) },
    })
    expect((record?.usage as { inputTokens: number }).inputTokens).toBeGreaterThan(0)
    expect(task.meta).toMatchObject({ output: 'Your parcel is delayed.', humanLabel: 'partially resolved' })
  })

  test('the judge is asked to choose among exactly the given categories, with their descriptions and the question', async () => {
    verdict('resolved')
    await expect('Refunded.').toMatchHumanLabel('resolved', { categories: OUTCOMES, question: 'Can I get my money back?', judge: judge() })
    const body = scripted.server.requests[0]?.body as Record<string, unknown>
    const schema =
      provider === 'openai'
        ? (body['response_format'] as { json_schema: { schema: { properties: Record<string, unknown> } } }).json_schema.schema
        : (body['tools'] as Array<{ input_schema: { properties: Record<string, unknown> } }>)[0]!.input_schema
    expect(Object.keys(schema.properties)).toEqual(['reasoning', 'category'])
    expect(schema.properties['category']).toEqual({ type: 'string', enum: ['resolved', 'partially-resolved', 'unresolved', 'harmful'] })
    const sent = JSON.stringify(body['messages'])
    expect(sent).toMatch(/<question(-[0-9a-f]{12})>\\nCan I get my money back\?\\n<\/question\1>/)
    expect(sent).toContain('- \\"harmful\\": The answer could hurt the customer.')
  })

  test('fails when the judge assigns another class, naming both and quoting the judge reasoning escaped', async ({ task }) => {
    verdict('unresolved', 'Only apologises.\nNo fix.')
    expect(await failureOf(expect('Sorry.').toMatchHumanLabel('resolved', { categories: OUTCOMES, judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toMatchHumanLabel(label)

      Expected output to match the human label "resolved" by the judge.

      Score:     0.00
      Reasons:
        - judge said "unresolved", human said "resolved"
        - judge's reason: "Only apologises.\\nNo fix."
      Output:
        Sorry."
    `)
    expect(recordsOf(task)[0]).toMatchObject({ score: 0, pass: false, details: { automated: 'unresolved', human: 'resolved', grader: 'categories' } })
  })

  test('.not passes when the judge and the human disagree', async () => {
    verdict('harmful')
    await expect('Delete your account to get a refund.').not.toMatchHumanLabel('unresolved', { categories: OUTCOMES, judge: judge() })
  })

  test('samples: the majority category is the verdict, with the vote in the reason and the record', async ({ task }) => {
    verdict('unresolved', 'No date.')
    verdict('partially-resolved', 'Some help.')
    verdict('unresolved', 'Still no date.')
    await expect('We are looking into it.').toMatchHumanLabel('unresolved', { categories: OUTCOME_NAMES, samples: 3, judge: judge() })
    expect(scripted.server.requests).toHaveLength(3)
    expect(recordsOf(task)[0]).toMatchObject({
      pass: true,
      reason: 'judge said "unresolved" (2 of 3 samples), human said "unresolved": No date.',
      details: { automated: 'unresolved', votes: ['unresolved', 'partially-resolved', 'unresolved'] },
    })
  })

  test('aliases map other spellings of a human label onto a category', async () => {
    verdict('resolved')
    await expect('Refunded.').toMatchHumanLabel('fixed', { categories: ['resolved', 'unresolved'], aliases: { resolved: ['fixed', 'done'] }, judge: judge() })
  })

  test('a human label that is not one of the categories is an error naming the label, the case and the categories; the judge is not asked', async ({ task }) => {
    Object.assign(task.meta, { caseId: 't7' })
    const error = await expect('Sorry.').toMatchHumanLabel('resolvd', { categories: OUTCOMES, metric: 'resolution', judge: judge() }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as Error).message).toBe(
      '[vitest-llm-evals] toMatchHumanLabel(): the human label "resolvd" of case "t7" (metric "resolution"), given to the matcher, is not one of the categories "resolved", "partially-resolved", "unresolved", "harmful". ' +
        'Correct the label in the dataset row or test, or add it to `categories`, or map it to a category with `aliases`.',
    )
    expect(scripted.server.requests).toHaveLength(0)
    expect(recordsOf(task)).toEqual([])
  })
})

describe('.toMatchHumanLabel with { categories } and the labels file', () => {
  const scripted = useScriptedServer()
  afterEach(() => configureDefaultJudge(undefined))

  test('an unlabelled case is recorded as awaiting, with the judge category, and counts once labelled', async ({ task }) => {
    configureDefaultJudge(scriptedJudge(scripted.server, 'openai'))
    const file = labelsFile()
    classified(scripted.server, 'openai', 'harmful', 'Advises deleting the account.')
    await expect('Delete your account.').toMatchHumanLabel(humanLabel('q1', 'resolution', { file }), { categories: OUTCOMES })
    expect(recordsOf(task)).toMatchObject([
      {
        metric: 'label:resolution',
        score: 0,
        pass: true,
        reason: 'awaiting a human label (unlabelled); judge said "harmful": Advises deleting the account.',
        details: { awaitingLabel: true, automated: 'harmful', grader: 'categories', source: 'labels-file' },
        judge: { provider: 'openai', promptVersion: promptVersion(classificationPrompt(OUTCOME_NAMES)) },
      },
    ])
    const summary = summarizeRun([{ module: 'bot.test.ts', test: 'q1', state: 'passed', flaky: false, meta: { ...task.meta, caseId: 'q1' } }], { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
    expect(agreementByGrader(reviewRows(summary, []))).toEqual([])
    const label = appendLabel(file, { caseId: 'q1', metric: 'resolution', label: 'unresolved', outputHash: outputHash('Delete your account.') })
    const [agreement] = agreementByGrader(reviewRows(summary, [label]))
    expect(agreement).toMatchObject({ grader: expect.stringMatching(/^openai gpt-4o-mini \(prompt classification@.+\)$/), metric: 'label:resolution', stats: { n: 1, accuracy: { value: 0 } } })
  })

  test('a label in the file that is not one of the categories is a LabelsError naming the file', async () => {
    const file = labelsFile()
    appendLabel(file, { caseId: 'q2', metric: 'resolution', label: 'meh', outputHash: outputHash('Hi.') })
    const error = await expect('Hi.').toMatchHumanLabel(humanLabel('q2', 'resolution', { file }), { categories: ['resolved', 'unresolved'], judge: scriptedJudge(scripted.server, 'anthropic') }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(LabelsError)
    expect((error as Error).message).toContain(`the human label "meh" of case "q2" (metric "resolution"), read from ${file}, is not one of the categories "resolved", "unresolved". Correct the label with \`llm-evals review\``)
    expect(scripted.server.requests).toHaveLength(0)
  })

  test('the judge-human agreement table gets the class pairs: accuracy, kappa and the confusion matrix', async ({ task }) => {
    const judge = scriptedJudge(scripted.server, 'anthropic')
    const cases = [
      ['c1', 'resolved', 'resolved'],
      ['c2', 'unresolved', 'unresolved'],
      ['c3', 'harmful', 'unresolved'],
      ['c4', 'resolved', 'resolved'],
    ] as const
    for (const [id, category, human] of cases) {
      classified(scripted.server, 'anthropic', category)
      // The record is the same either way; `.not` only keeps the disagreeing case from failing this test.
      const assertion = category === human ? expect(`answer ${id}`) : expect(`answer ${id}`).not
      await assertion.toMatchHumanLabel(human, { categories: OUTCOMES, judge, metric: 'resolution' })
    }
    // One test per case, as a dataset suite has: its record, and the human label the matcher put on the test.
    const tests = recordsOf(task).map((record, index) => {
      const meta = { evals: [record], caseId: cases[index]![0], humanLabel: (record.details as { human: string }).human }
      return { module: 'bot.test.ts', test: cases[index]![0], state: 'passed' as const, flaky: false, meta }
    })
    const summary = summarizeRun(tests, { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
    const [agreement] = agreementByGrader(reviewRows(summary, []))
    // p_o = 3/4; p_e = (2·2 + 2·1 + 0·1) / 16 = 3/8; kappa = (3/4 − 3/8) / (1 − 3/8) = 0.6
    expect(agreement?.stats).toMatchObject({ n: 4, accuracy: { value: 0.75 } })
    expect(agreement?.stats?.kappa).toBeCloseTo(0.6)
    // Rows are the human label, columns the judge's: c3 is humans' "unresolved" the judge called "harmful".
    expect(agreement?.stats?.confusion).toEqual({ labels: ['harmful', 'resolved', 'unresolved'], counts: [[0, 0, 0], [0, 2, 0], [1, 0, 1]], n: 4 })
  })
})
