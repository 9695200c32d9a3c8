import { describe, expect, test } from 'vitest'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const context = ['Refunds are paid within 5 working days.', 'Refunds go to the original card.']
const claim = (text: string, verdict: string) => ({ claim: text, evidence: verdict === 'supported' ? context[0] : '', reasoning: `${verdict}.`, verdict })

describe.each(PROVIDERS)('.toBeGroundedIn with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('passes when every claim is supported; numbered context blocks reach the judge', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'grounding_verdict', { claims: [claim('Refunds take 5 days.', 'supported')] })
    await expect('Refunds take 5 days.').toBeGroundedIn(context, { judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ metric: 'grounding', score: 1, pass: true, threshold: 1, details: { supported: 1, total: 1 } })
    expect(JSON.stringify(scripted.server.requests[0]?.body)).toMatch(/<context(-[0-9a-f]{12}) index=\\"2\\">\\nRefunds go to the original card\.\\n<\/context\1>/)
  })

  test('fails when a claim is not in the context, listing it', async () => {
    enqueueVerdict(scripted.server, provider, 'grounding_verdict', { claims: [claim('Refunds take 5 days.', 'supported'), claim('You get a voucher.', 'not-in-context')] })
    expect(await failureOf(expect('Refunds take 5 days and you get a voucher.').toBeGroundedIn(context, { judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toBeGroundedIn(context)

      Expected output to be grounded in the context (supported claims >= 1.00, none contradicted).

      Score:     0.50 (supported share)
      Threshold: 1.00
      Reasons:
        - 1 of 2 claims supported by the context
        - ✗ not-in-context: "You get a voucher." — judge: "not-in-context."
      Output:
        Refunds take 5 days and you get a voucher."
    `)
  })
})

describe('.toBeGroundedIn options', () => {
  const judge = () => scriptedJudge(scripted.server, 'anthropic')

  test('passes below full support with a lower threshold, but never with a contradicted claim', async () => {
    enqueueVerdict(scripted.server, 'anthropic', 'grounding_verdict', { claims: [claim('a', 'supported'), claim('b', 'not-in-context')] })
    await expect('a b').toBeGroundedIn(context, { threshold: 0.5, judge: judge() })
    enqueueVerdict(scripted.server, 'anthropic', 'grounding_verdict', { claims: [claim('a', 'supported'), claim('b', 'supported'), claim('c', 'contradicted')] })
    await expect('a b c').not.toBeGroundedIn(context, { threshold: 0.5, judge: judge() })
  })

  test('an output with no claims is grounded', async () => {
    enqueueVerdict(scripted.server, 'anthropic', 'grounding_verdict', { claims: [] })
    await expect('Happy to help!').toBeGroundedIn(context, { judge: judge() })
  })

  test('throws a ConfigError for a missing context', () => {
    expect(() => expect('x').toBeGroundedIn([] as string[], { judge: judge() })).toThrow(/toBeGroundedIn\(\) needs the context as a non-empty string or a non-empty array of strings/)
  })
})
