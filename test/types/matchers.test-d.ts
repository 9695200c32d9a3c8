import { expect, expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import * as matchers from '../../matchers/index.js'

test('every matcher is typed on expect(…) and returns a promise', () => {
  expectTypeOf(expect('x').toBeSimilarTo('y', { method: 'bleu', threshold: 0.5 })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').not.toMatchSchema(z.object({ a: z.string() }))).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect(['a']).toRetrieve({ a: 2 }, { k: 3, metric: 'ndcg' })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect.soft('x').toMatchResponseSnapshot({ method: 'rouge-l' })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toFollowInstructions([{ id: 'punctuation:no_comma' }], { loose: true })).toEqualTypeOf<Promise<void>>()
})

test('options are checked', () => {
  // @ts-expect-error unknown method
  void expect('x').toBeSimilarTo('y', { method: 'cosine' })
  // @ts-expect-error unknown metric
  void expect(['a']).toRetrieve(['a'], { metric: 'map' })
  // @ts-expect-error an unknown instruction id
  void expect('x').toFollowInstructions([{ id: 'punctuation:no_dash' }])
  // @ts-expect-error the schema must be a schema
  void expect('x').toMatchSchema({})
})

test('expect.extend accepts the barrel', () => {
  expect.extend(matchers)
})
