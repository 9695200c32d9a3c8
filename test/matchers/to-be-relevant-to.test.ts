import { describe, expect, test } from 'vitest'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const question = 'How long do refunds take?'

describe.each(PROVIDERS)('.toBeRelevantTo with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('passes when the judge finds the answer relevant, recording the verdict', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'relevance_verdict', { reasoning: 'Gives the duration.', verdict: 'relevant' })
    await expect('About 5 working days.').toBeRelevantTo(question, { judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ metric: 'relevance', score: 1, pass: true, details: { verdict: 'relevant', reasoning: 'Gives the duration.' } })
  })

  test('fails when partially relevant (default threshold 1), quoting the judge', async () => {
    enqueueVerdict(scripted.server, provider, 'relevance_verdict', { reasoning: 'Talks about "shipping"\nmostly.', verdict: 'partially-relevant' })
    expect(await failureOf(expect('Shipping is free; refunds vary.').toBeRelevantTo(question, { judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toBeRelevantTo(question)

      Expected output to be relevant to "How long do refunds take?" (score >= 1.00).

      Score:     0.50 (relevance)
      Threshold: 1.00
      Reasons:
        - verdict: partially-relevant
        - judge: "Talks about \\"shipping\\"\\nmostly."
      Output:
        Shipping is free; refunds vary."
    `)
  })
})

describe('.not.toBeRelevantTo', () => {
  test('passes when irrelevant; a threshold of 0.5 accepts partially relevant', async () => {
    const judge = scriptedJudge(scripted.server, 'openai')
    enqueueVerdict(scripted.server, 'openai', 'relevance_verdict', { reasoning: 'Off topic.', verdict: 'irrelevant' })
    await expect('I like trains.').not.toBeRelevantTo(question, { judge })
    enqueueVerdict(scripted.server, 'openai', 'relevance_verdict', { reasoning: 'Part.', verdict: 'partially-relevant' })
    await expect('Refunds vary.').toBeRelevantTo(question, { judge, threshold: 0.5 })
  })

  test('a prompt override reaches the judge and changes the prompt version', async ({ task }) => {
    const judge = scriptedJudge(scripted.server, 'openai')
    enqueueVerdict(scripted.server, 'openai', 'relevance_verdict', { reasoning: '.', verdict: 'relevant' })
    enqueueVerdict(scripted.server, 'openai', 'relevance_verdict', { reasoning: '.', verdict: 'relevant' })
    await expect('5 days').toBeRelevantTo(question, { judge })
    await expect('5 days').toBeRelevantTo(question, { judge, prompt: { template: 'Q: {{question}}\nA: {{output}}\nRelevant?' } })
    // The override's slots are still the boundary-tagged regions of untrusted text.
    expect(JSON.stringify(scripted.server.requests[1]?.body)).toMatch(/Q: <question(-[0-9a-f]{12})>\\nHow long do refunds take\?\\n<\/question\1>\\nA: <output\1>\\n5 days\\n<\/output\1>\\nRelevant\?/)
    const [first, second] = recordsOf(task) as Array<{ judge: { promptVersion: string } }>
    expect(first?.judge.promptVersion).not.toBe(second?.judge.promptVersion)
  })
})
