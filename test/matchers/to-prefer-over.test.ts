import { describe, expect, test } from 'vitest'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const criterion = 'Which reply resolves the issue more clearly?'

describe.each(PROVIDERS)('.toPreferOver with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)
  const winners = (first: string, second: string) => {
    enqueueVerdict(scripted.server, provider, 'pairwise_verdict', { reasoning: `first order: ${first}`, winner: first })
    enqueueVerdict(scripted.server, provider, 'pairwise_verdict', { reasoning: `second order: ${second}`, winner: second })
  }

  test('passes when the output wins in both orders; the judge sees it as A, then as B', async ({ task }) => {
    winners('A', 'B')
    await expect('new reply').toPreferOver('old reply', criterion, { judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ metric: 'preference', score: 1, pass: true, details: { outcome: 'win' } })
    const [first, second] = scripted.server.requests.map((request) => JSON.stringify(request.body))
    expect(first).toMatch(/<answer_a(-[0-9a-f]{12})>\\nnew reply\\n<\/answer_a\1>\\n\\nAnswer B:\\n<answer_b\1>\\nold reply/)
    expect(second).toMatch(/<answer_a(-[0-9a-f]{12})>\\nold reply\\n<\/answer_a\1>\\n\\nAnswer B:\\n<answer_b\1>\\nnew reply/)
  })

  test('fails with a tie when the orders disagree (position bias)', async () => {
    winners('A', 'A')
    expect(await failureOf(expect('new reply').toPreferOver('old reply', criterion, { judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toPreferOver(baseline, criterion)

      Expected output to be preferred over the baseline on "Which reply resolves the issue more clearly?" (score >= 1.00).

      Score:     0.50 (win 1 · tie 0.5 · loss 0)
      Threshold: 1.00
      Reasons:
        - outcome: tie (output shown first: output; shown second: baseline)
        - judge, output first: "first order: A"
        - judge, output second: "second order: A"
        - baseline: "old reply"
      Output:
        new reply"
    `)
  })
})

describe('.not.toPreferOver', () => {
  test('passes when the baseline wins in both orders; threshold 0.5 accepts a tie', async ({ task }) => {
    const judge = scriptedJudge(scripted.server, 'openai')
    enqueueVerdict(scripted.server, 'openai', 'pairwise_verdict', { reasoning: '.', winner: 'B' })
    enqueueVerdict(scripted.server, 'openai', 'pairwise_verdict', { reasoning: '.', winner: 'A' })
    await expect('new').not.toPreferOver('old', criterion, { judge })
    enqueueVerdict(scripted.server, 'openai', 'pairwise_verdict', { reasoning: '.', winner: 'tie' })
    enqueueVerdict(scripted.server, 'openai', 'pairwise_verdict', { reasoning: '.', winner: 'tie' })
    await expect('new').toPreferOver('old', criterion, { judge, threshold: 0.5 })
    expect(recordsOf(task).map((record) => record['score'])).toEqual([0, 0.5])
  })
})
