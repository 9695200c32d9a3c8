import { describe, expect, test } from 'vitest'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const reference = 'Refunds are paid within 5 working days to the original card.'
const chunks = ['Refunds are paid within 5 working days.', 'Shipping is free over $50.']

describe.each(PROVIDERS)('.toRecallReference with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('passes when every reference claim is in the retrieved context', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'context_recall_verdict', { claims: [{ claim: 'Refunds take 5 days.', reasoning: 'Chunk 1.', verdict: 'attributed' }] })
    await expect(chunks).toRecallReference(reference, { judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ metric: 'context-recall', score: 1, pass: true, details: { attributed: 1, total: 1 } })
  })

  test('fails listing the reference claims the context misses', async () => {
    enqueueVerdict(scripted.server, provider, 'context_recall_verdict', {
      claims: [
        { claim: 'Refunds take 5 days.', reasoning: 'Chunk 1.', verdict: 'attributed' },
        { claim: 'Refunds go to the original card.', reasoning: 'No chunk says where.', verdict: 'not-attributed' },
      ],
    })
    expect(await failureOf(expect(chunks).toRecallReference(reference, { judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toRecallReference(reference)

      Expected output to have retrieved context that supports the reference answer (share >= 1.00).

      Score:     0.50 (context recall)
      Threshold: 1.00
      Reasons:
        - 1 of 2 reference claims found in the context
        - ✗ not in context: "Refunds go to the original card." — judge: "No chunk says where."
      Output:
        [1] Refunds are paid within 5 working days.
        [2] Shipping is free over $50."
    `)
  })
})

describe('.toRecallReference forms', () => {
  test('expect(answer).toRecallReference(reference, { context }) scores the context, shows the answer', async () => {
    enqueueVerdict(scripted.server, 'openai', 'context_recall_verdict', { claims: [{ claim: 'a', reasoning: '.', verdict: 'not-attributed' }] })
    const message = await failureOf(expect('The answer.').toRecallReference(reference, { context: chunks, threshold: 0.5, judge: scriptedJudge(scripted.server, 'openai') }))
    expect(message).toContain('Output:\n  The answer.')
    expect(JSON.stringify(scripted.server.requests[0]?.body)).toContain('Shipping is free over $50.')
  })

  test('throws a ConfigError when there is no context', () => {
    expect(() => expect(42).toRecallReference(reference, { judge: scriptedJudge(scripted.server, 'openai') })).toThrow(/toRecallReference\(\) needs the retrieved context/)
  })
})
