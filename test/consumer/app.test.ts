import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { describe, expect, test } from 'vitest'
import type { ScoreRecord } from 'vitest-llm-evals'
import { z } from 'zod'
import { keep } from './results.js'

const openai = new OpenAI()
const anthropic = new Anthropic()
const chat = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content }] })

describe('support bot', () => {
  test('answers', async () => {
    const completion = await openai.chat.completions.create(chat('Where is my order?'))
    keep('plain', completion.choices[0]?.message.content)
    expect(completion.choices[0]?.message.content).toContain('Where is my order?')
  })

  test('streams', async () => {
    const stream = await openai.chat.completions.create({ ...chat('Stream it'), stream: true })
    const parts: string[] = []
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '')
    keep('stream', parts)
  })

  test('asks twice', async () => {
    const answers = []
    for (let i = 0; i < 2; i++) answers.push((await openai.chat.completions.create(chat('Same'))).choices[0]?.message.content)
    keep('repeated', answers)
    expect(answers[0]).not.toBe(answers[1])
  })

  test('anthropic stream', async () => {
    const final = await anthropic.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage()
    keep('anthropic', final.content)
  })
})

describe('matchers registered by the plugin, typed without any extra import', () => {
  test('deterministic checks', async () => {
    const answer = '{"intent": "refund"}'
    await expect(answer).toMatchSchema(z.object({ intent: z.literal('refund') }))
    await expect('Hello there. No commas here.').toFollowInstructions([{ id: 'punctuation:no_comma' }], { loose: false })
    await expect('the cat sat on the mat').toBeSimilarTo('the cat sat on a mat', { method: 'rouge-l', threshold: 0.7 })
    await expect(['b', 'a', 'c']).toRetrieve(['a'], { k: 2, metric: 'recall' })
    await expect('the cat sat on the mat').not.toBeSimilarTo('completely different words here', { method: 'dice', threshold: 0.5 })
  })

  test('embedding similarity through the cassettes, and a semantic response snapshot', async () => {
    await expect('the parcel is late').toBeSimilarTo('the parcel is late again', { method: 'embedding', threshold: 0.5 })
    const answer = (await openai.chat.completions.create(chat('Snapshot me'))).choices[0]?.message.content ?? ''
    await expect(answer).toMatchResponseSnapshot({ method: 'rouge-l', threshold: 0.9 })
  })
})

// The scripted server answers unscripted judge calls with the first value of each enum and the lowest
// allowed number: relevant, subset, supported, and a rubric rating of 1 (a fail verdict).
describe('judged matchers, graded by the configured judge through the cassettes', () => {
  test('relevance, factuality, grounding, and the judge checked against a human label', async ({ task }) => {
    const reply = 'Your parcel ships on Monday.'
    await expect(reply).toBeRelevantTo('When does my parcel ship?')
    await expect(reply).toBeRelevantTo('When does my parcel ship?', { judge: { provider: 'anthropic', model: 'claude-haiku-4-5' } })
    await expect(reply).toBeFactual({ reference: 'It ships on Monday.' })
    await expect(reply).toBeGroundedIn(['Parcels ship on Mondays.'])
    await expect(reply).toMatchHumanLabel('fail', { rubric: 'Apologises for the delay.', metric: 'apology' })
    const records: ScoreRecord[] = task.meta.evals ?? []
    keep('judged', records.map((record) => [record.metric, record.score, record.pass, record.judge?.provider, record.judge?.model]))
    expect(records.map((record) => record.judge?.provider)).toEqual(['openai', 'anthropic', 'openai', 'openai', 'openai'])
  })
})
