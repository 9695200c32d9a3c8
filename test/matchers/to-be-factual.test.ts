import { describe, expect, test } from 'vitest'
import { ConfigError, JudgeError } from '../../src/errors/index.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const reference = 'Refunds are paid within 5 working days to the original card.'

describe.each(PROVIDERS)('.toBeFactual with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('passes when the output is a consistent subset, recording category, reasoning, judge and usage', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'factuality_verdict', { reasoning: 'It gives the 5 days but not the card.', category: 'subset' })
    await expect('Refunds take 5 working days.').toBeFactual({ reference, judge: judge() })
    const [record] = recordsOf(task)
    expect(record).toMatchObject({
      metric: 'factuality',
      score: 0.4,
      pass: true,
      details: { category: 'subset', reasoning: 'It gives the 5 days but not the card.', failOn: ['contradicts'] },
      judge: { provider, promptVersion: expect.stringMatching(/^factuality@[0-9a-f]{12}$/) },
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    })
  })

  test('fails on a contradiction, quoting the category and the judge', async () => {
    enqueueVerdict(scripted.server, provider, 'factuality_verdict', { reasoning: 'The output says 30 days; the reference says 5.', category: 'contradicts' })
    expect(await failureOf(expect('Refunds take 30 days.').toBeFactual({ reference, judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toBeFactual(options)

      Expected output to be factual against the reference.

      Score:     0.00 (factuality)
      Reasons:
        - category: contradicts (fails on: contradicts)
        - judge: "The output says 30 days; the reference says 5."
      Output:
        Refunds take 30 days."
    `)
  })

  test('with a context: lists the failing claims with their evidence', async () => {
    enqueueVerdict(scripted.server, provider, 'grounding_verdict', {
      claims: [
        { claim: 'Refunds take 5 days.', evidence: 'Refunds are paid within 5 working days.', reasoning: 'Stated.', verdict: 'supported' },
        { claim: 'Refunds go to a gift card.', evidence: 'to the original card', reasoning: 'The context says the original card.', verdict: 'contradicted' },
      ],
    })
    const message = await failureOf(expect('Refunds take 5 days and go to a gift card.').toBeFactual({ context: [reference], judge: judge() }))
    expect(message).toContain('Expected output to be factual against the context (supported >= 1.00).')
    expect(message).toContain('Score:     0.50 (factuality)')
    expect(message).toContain('1 of 2 claims supported by the context')
    expect(message).toContain('✗ contradicted: "Refunds go to a gift card." — judge: "The context says the original card." — evidence: "to the original card"')
  })
})

describe('.toBeFactual options', () => {
  const judge = () => scriptedJudge(scripted.server, 'openai')

  test('fails a subset with complete, a superset with strict', async () => {
    enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: 'Leaves out the card.', category: 'subset' })
    await expect('Refunds take 5 days.').not.toBeFactual({ reference, complete: true, judge: judge() })
    enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: 'Adds a phone number.', category: 'superset' })
    await expect('5 days, to your card; call 555-0100.').not.toBeFactual({ reference, strict: true, judge: judge() })
  })

  test('threshold with a reference fails every category scoring below it, and is recorded', async ({ task }) => {
    enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: 'Adds a voucher.', category: 'superset' })
    const message = await failureOf(expect('Refunds take 5 days and come with a voucher.').toBeFactual({ reference, threshold: 1, judge: judge() }))
    expect(message).toContain('Expected output to be factual against the reference (score >= 1.00).')
    expect(message).toContain('category: superset (fails on: contradicts, subset, superset)')
    expect(recordsOf(task)[0]).toMatchObject({ score: 0.6, pass: false, threshold: 1 })
    enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: 'Adds a voucher.', category: 'superset' })
    await expect('Refunds take 5 days and come with a voucher.').toBeFactual({ reference, threshold: 0.5, judge: judge() })
    enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: 'Leaves out the card.', category: 'subset' })
    await expect('Refunds take 5 days.').not.toBeFactual({ reference, threshold: 0.5, judge: judge() })
  })

  test('with both a reference and a context: both must pass, the score is the lower one', async ({ task }) => {
    enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: 'Same.', category: 'same' })
    enqueueVerdict(scripted.server, 'openai', 'grounding_verdict', { claims: [{ claim: 'a', evidence: '', reasoning: 'Not said.', verdict: 'not-in-context' }] })
    await expect(reference).not.toBeFactual({ reference, context: 'Shipping is free.', judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ score: 0, pass: false, details: { reference: { category: 'same' }, context: { supported: 0, total: 1 } } })
  })

  test('samples: 3 takes the majority category', async ({ task }) => {
    for (const category of ['same', 'contradicts', 'same']) enqueueVerdict(scripted.server, 'openai', 'factuality_verdict', { reasoning: category, category })
    await expect(reference).toBeFactual({ reference, samples: 3, judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ score: 1, details: { category: 'same', votes: ['same', 'contradicts', 'same'] } })
  })

  test('a broken judge errors under .not too (fail closed)', async () => {
    scripted.server.enqueue({ path: '/v1/chat/completions', status: 500, error: { message: 'boom' } })
    await expect(expect('x').not.toBeFactual({ reference, judge: scriptedJudge(scripted.server, 'openai', { maxRetries: 0 }) })).rejects.toThrow(JudgeError)
  })

  test('throws a ConfigError without a reference or context, or with bad options', () => {
    expect(() => expect('x').toBeFactual({ judge: judge() })).toThrow(ConfigError)
    expect(() => expect('x').toBeFactual({ judge: judge() })).toThrow(/toBeFactual\(\) needs a `reference` answer or a `context`/)
    expect(() => expect('x').toBeFactual({ reference, samples: 2, judge: judge() })).toThrow(/`samples`: must be an odd number/)
    expect(() => expect('x').toBeFactual({ reference, judge: { provider: 'gemini', model: 'x' } as never })).toThrow(/`judge`: must be a Judge object, an AI SDK language model .*provider: 'openai' \| 'anthropic' \| 'google'/)
  })
})
