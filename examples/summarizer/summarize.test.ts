import { expect, test } from 'vitest'
import { summarize } from './summarize.js'

const thread = `Customer: The blender I bought last week stopped working after two uses.
Agent: Sorry to hear that. Can you send a photo of the serial number?
Customer: Sent. Also the box was damaged when it arrived.
Agent: Thanks. We will ship a replacement today and email you a return label for the broken one.`

test('summarises a thread in exactly three bullets, in English', async () => {
  const summary = await summarize(thread)
  await expect(summary).toFollowInstructions([
    { id: 'detectable_format:number_bullet_lists', num_bullets: 3 },
    { id: 'language:response_language', language: 'en' },
  ])
  await expect(summary).toMatchResponseSnapshot({ method: 'rouge-l', threshold: 0.6 })
})

test("meets the support team's summary rubric and house instructions", async () => {
  const summary = await summarize(thread)
  // Verifiable instructions are checked in code; the free-text one goes to the judge model.
  await expect(summary).toFollowInstructions([
    { id: 'length_constraints:number_words', num_words: 60, relation: 'less than' },
    { id: 'keywords:forbidden_words', forbidden_words: ['sorry', 'unfortunately'] },
    'Ends with what the company will do next for the customer.',
  ])
  await expect(summary).toSatisfyRubric(
    {
      criteria: 'A summary a colleague can act on without reading the thread: the problem, what the customer already did, and the agreed next step.',
      steps: ['Is the customer’s problem stated?', 'Is what the customer already sent or did stated?', 'Is the agreed next step stated, with who does it?'],
    },
    { threshold: 0.75 },
  )
})
