import OpenAI from 'openai'
import { expect, test } from 'vitest'
import { keep } from './results.js'

// A second test file, so the CI recipe check (scripts/ci-recipe-check.sh) has files to spread over two shards.
test('triage', async () => {
  const completion = await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Triage: my parcel is late' }] })
  const answer = completion.choices[0]?.message.content ?? ''
  keep('triage', answer)
  await expect(answer).toBeSimilarTo('Triage: my parcel is late', { method: 'rouge-l', threshold: 0.1 })
})
