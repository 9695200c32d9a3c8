import { describe, expect, test } from 'vitest'
import { Triage, triage } from './triage.js'

describe('support bot triage', () => {
  test('a double charge is a refund, answered briefly and without commas', async () => {
    const answer = await triage('I was charged twice for order 1182. I want my money back.')
    await expect(answer).toMatchSchema(Triage)
    const { intent, reply } = Triage.parse(JSON.parse(answer))
    expect(intent).toBe('refund')
    await expect(reply).toFollowInstructions([
      { id: 'punctuation:no_comma' },
      { id: 'length_constraints:number_words', num_words: 40, relation: 'less than' },
    ])
    await expect(reply).toBeSimilarTo('Sorry for the double charge. We will refund the duplicate payment for order 1182.', {
      method: 'rouge-l',
      threshold: 0.3,
    })
  })

  test('a late parcel is a shipping question', async () => {
    const answer = await triage('My parcel was due on Monday and it still has not arrived.')
    await expect(answer).toMatchSchema(Triage.extend({ intent: Triage.shape.intent.extract(['shipping']) }))
  })
})
