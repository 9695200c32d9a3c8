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
