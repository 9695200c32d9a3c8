import { describe, expect, test } from 'vitest'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const rubric = 'Apologises once, explains the delay, and offers a concrete next step.'

/** A chat completion whose score token carries top log probabilities, as OpenAI returns with `logprobs: true`. */
function completionWithLogprobs(probabilities: Record<string, number>): Record<string, unknown> {
  const pieces = ['{"', 'steps', '":["', 'Check', '"],"', 'reasoning', '":"', 'Good', '","', 'score', '":', '4', '}']
  const top = Object.entries(probabilities).map(([token, p]) => ({ token, logprob: Math.log(p), bytes: null }))
  return {
    id: 'chatcmpl-logprobs',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: { role: 'assistant', content: pieces.join(''), refusal: null },
        logprobs: { content: pieces.map((token) => ({ token, logprob: -0.01, bytes: null, top_logprobs: token === '4' ? top : [] })), refusal: null },
      },
    ],
    usage: { prompt_tokens: 50, completion_tokens: 13, total_tokens: 63 },
  }
}

describe.each(PROVIDERS)('.toSatisfyRubric with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('passes at 4 of 1..5 (normalised 0.75), recording the rating, steps and reasoning', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'rubric_verdict', { steps: ['Look for an apology.'], reasoning: 'Apologises and offers a refund.', score: 4 })
    await expect('Sorry for the delay: it was the storm. Here is a refund.').toSatisfyRubric(rubric, { judge: judge() })
    expect(recordsOf(task)[0]).toMatchObject({ metric: 'rubric', score: 0.75, pass: true, threshold: 0.75, details: { rating: 4, scale: [1, 5], method: 'single', steps: ['Look for an apology.'] } })
  })

  test('fails below the threshold, with the rating and the judge reasoning', async () => {
    enqueueVerdict(scripted.server, provider, 'rubric_verdict', { steps: [], reasoning: 'No next step.', score: 2 })
    expect(await failureOf(expect('Sorry.').toSatisfyRubric(rubric, { judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toSatisfyRubric(rubric)

      Expected output to satisfy the rubric (score >= 0.75).

      Score:     0.25 (rubric, normalised)
      Threshold: 0.75
      Reasons:
        - rated 2 on a 1..5 scale (single score)
        - judge: "No next step."
      Output:
        Sorry."
    `)
  })
})

describe('.toSatisfyRubric scoring', () => {
  test('asks OpenAI for log probabilities and weights the candidate scores (G-Eval)', async ({ task }) => {
    scripted.server.enqueue({ path: '/v1/chat/completions', json: completionWithLogprobs({ '4': 0.5, '5': 0.5 }) })
    await expect('reply').toSatisfyRubric(rubric, { judge: scriptedJudge(scripted.server, 'openai') })
    expect(scripted.server.requests[0]?.body).toMatchObject({ logprobs: true, top_logprobs: 20 })
    expect(recordsOf(task)[0]).toMatchObject({ score: 0.875, details: { rating: 4.5, method: 'logprobs' } })
  })

  test('a custom scale and given steps reach the judge; the schema bounds the score', async () => {
    enqueueVerdict(scripted.server, 'anthropic', 'rubric_verdict', { steps: ['a'], reasoning: 'ok', score: 7 })
    await expect('reply').toSatisfyRubric({ criteria: rubric, steps: ['Find the apology.', 'Find the next step.'] }, { scale: [0, 10], threshold: 0.7, judge: scriptedJudge(scripted.server, 'anthropic') })
    const body = scripted.server.requests[0]?.body as { messages: Array<{ content: string }>; tools: Array<{ input_schema: { properties: { score: unknown } } }> }
    expect(body.messages[0]?.content).toContain('Evaluation steps:\n1. Find the apology.\n2. Find the next step.')
    expect(body.tools[0]?.input_schema.properties.score).toEqual({ type: 'integer', minimum: 0, maximum: 10 })
  })

  test('samples are averaged', async ({ task }) => {
    for (const score of [3, 5, 5]) enqueueVerdict(scripted.server, 'anthropic', 'rubric_verdict', { steps: [], reasoning: '.', score })
    await expect('reply').toSatisfyRubric(rubric, { samples: 3, judge: scriptedJudge(scripted.server, 'anthropic') })
    expect(recordsOf(task)[0]).toMatchObject({ details: { rating: 13 / 3, sampleRatings: [3, 5, 5] } })
  })

  test('throws a ConfigError for an empty rubric or a bad scale', () => {
    const judge = scriptedJudge(scripted.server, 'openai')
    expect(() => expect('x').toSatisfyRubric('  ', { judge })).toThrow(/toSatisfyRubric\(\) needs a rubric/)
    expect(() => expect('x').toSatisfyRubric(rubric, { scale: [5, 1], judge })).toThrow(/`scale`: must be \[min, max\] with min < max/)
  })
})
