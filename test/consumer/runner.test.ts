import OpenAI from 'openai'
import { afterEach, beforeEach, describe, expect, test, TestRunner } from 'vitest'
import { keep } from './results.js'

// Under the plugin, tests run on the library's runner (no per-test hook): what the hook did must still happen on
// this Vitest major — each call on the test whose try made it (hooks, concurrency, repeats, retries), replayed as recorded.
const openai = new OpenAI()
async function ask(content: string): Promise<string> {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] })
  return completion.choices[0]?.message.content ?? ''
}

test('the plugin runs each test without a per-test hook of its own', ({ task }) => {
  expect(TestRunner.getSuiteHooks(task.file).beforeEach).toHaveLength(0)
})

describe('hooks', () => {
  beforeEach(async ({ task }) => keep(`before ${task.name}`, await ask(`before ${task.name}`)))
  afterEach(async ({ task }) => keep(`after ${task.name}`, await ask(`after ${task.name}`)))
  test('sequential', async () => keep('sequential', await ask('in sequential')))
})

describe('concurrent', () => {
  for (const index of [1, 2, 3, 4]) {
    test.concurrent(`case ${index}`, async ({ task }) => {
      await new Promise((resolve) => setTimeout(resolve, (5 - index) * 4))
      const answer = await ask(`concurrent ${index}`)
      // The global expect: the score lands on this test, not on the one that began last.
      await expect(answer).toBeSimilarTo(answer)
      keep(`concurrent ${index}`, [answer, task.meta.evals?.length])
      expect(task.meta.evals).toHaveLength(1)
    })
  }
})

test('repeated', { repeats: 2 }, async () => keep('repeated', await ask('repeat me')))

let tries = 0
test('retried', { retry: 1 }, async () => {
  tries++
  const answer = await ask('retry me')
  // The failed try's recording is dropped: on replay, both tries get the answer the passing try recorded.
  if (tries === 1) throw new Error('the first try fails')
  keep('retried', answer)
})
