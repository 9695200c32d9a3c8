import { describe, expect, test } from 'vitest'
import { retrieve } from './retriever.js'

describe('help-centre retrieval', () => {
  test('finds the double-charge article first for a double charge', async () => {
    await expect(retrieve('I was charged twice, where is my refund?')).toRetrieve(['double-charge', 'refund-policy'], { k: 3, metric: 'recall' })
    await expect(retrieve('I was charged twice, where is my refund?')).toRetrieve(['double-charge'], { metric: 'mrr', threshold: 1 })
  })

  test('ranks the lost-parcel article highly for a late parcel', async () => {
    await expect(retrieve('my parcel has not arrived')).toRetrieve({ 'lost-parcel': 3, 'shipping-times': 1 }, { k: 3, metric: 'ndcg', threshold: 0.8 })
  })
})
