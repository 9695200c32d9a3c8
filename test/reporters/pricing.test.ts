import { describe, expect, test } from 'vitest'
import { costOf, DEFAULT_PRICES, priceOf } from '../../reporters/pricing.js'

describe('priceOf with Bedrock model ids', () => {
  test.each([
    ['anthropic.claude-3-5-haiku-20241022-v1:0', { input: 0.8, output: 4 }],
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', { input: 0.8, output: 4 }],
    ['eu.anthropic.claude-3-7-sonnet-20250219-v1:0', { input: 3, output: 15 }],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', { input: 3, output: 15 }],
    ['apac.anthropic.claude-3-haiku-20240307-v1:0', { input: 0.25, output: 1.25 }],
    ['amazon.nova-micro-v1:0', { input: 0.035, output: 0.14 }],
    ['us.amazon.nova-lite-v1:0', { input: 0.06, output: 0.24 }],
    ['amazon.nova-pro-v1:0', { input: 0.8, output: 3.2 }],
    ['meta.llama3-1-8b-instruct-v1:0', { input: 0.22, output: 0.22 }],
    ['us.meta.llama3-3-70b-instruct-v1:0', { input: 0.72, output: 0.72 }],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0', { input: 0.8, output: 4 }],
  ])('%s', (model, price) => {
    expect(priceOf(model, DEFAULT_PRICES)).toEqual(price)
  })

  test('an entry for the full Bedrock id wins over the model it names', () => {
    const table = { ...DEFAULT_PRICES, 'eu.anthropic.claude-3-5-haiku': { input: 1, output: 5 } }
    expect(priceOf('eu.anthropic.claude-3-5-haiku-20241022-v1:0', table)).toEqual({ input: 1, output: 5 })
    expect(priceOf('us.anthropic.claude-3-5-haiku-20241022-v1:0', table)).toEqual({ input: 0.8, output: 4 })
  })

  test('unknown ids stay unpriced, and the cost of a Converse call is computed from its usage', () => {
    expect(priceOf('us.cohere.command-r-plus-v1:0', DEFAULT_PRICES)).toBeUndefined()
    expect(costOf('us.amazon.nova-micro-v1:0', 1_000_000, 1_000_000, DEFAULT_PRICES)).toBeCloseTo(0.175)
  })
})
