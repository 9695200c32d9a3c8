import { describe, expect, test } from 'vitest'
import { costOf, DEFAULT_PRICES, priceOf } from '../../reporters/pricing.js'

describe('default prices of the OpenAI-compatible providers (USD per 1M tokens)', () => {
  test.each([
    ['mistral-large-latest', 2, 6],
    ['mistral-small-2506', 0.1, 0.3],
    ['llama-3.3-70b-versatile', 0.59, 0.79],
    ['deepseek-chat', 0.28, 0.42],
    ['grok-4-0709', 3, 15],
    ['grok-4-fast-reasoning', 0.2, 0.5],
    ['grok-3', 3, 15],
    ['grok-3-mini', 0.3, 0.5],
  ])('%s costs %d in, %d out', (model, input, output) => {
    expect(priceOf(model, DEFAULT_PRICES)).toEqual({ input, output })
  })

  test('1M tokens in and 1M out of deepseek-chat cost 0.70', () => {
    expect(costOf('deepseek-chat', 1_000_000, 1_000_000, DEFAULT_PRICES)).toBeCloseTo(0.7, 10)
  })
})

describe('vendor-prefixed model names (OpenRouter, the AI Gateway)', () => {
  test('openai/gpt-4o-mini is priced as gpt-4o-mini, dated snapshots included', () => {
    expect(priceOf('openai/gpt-4o-mini', DEFAULT_PRICES)).toEqual({ input: 0.15, output: 0.6 })
    expect(priceOf('anthropic/claude-haiku-4-5-20251001', DEFAULT_PRICES)).toEqual({ input: 1, output: 5 })
    expect(costOf('xai/grok-3-mini', 1_000_000, 0, DEFAULT_PRICES)).toBeCloseTo(0.3, 10)
  })

  test('an entry for the full name wins over the name without its vendor', () => {
    const table = { ...DEFAULT_PRICES, 'openrouter/gpt-4o-mini': { input: 1, output: 1 } }
    expect(priceOf('openrouter/gpt-4o-mini', table)).toEqual({ input: 1, output: 1 })
  })

  test('an unknown model, with or without a vendor, has no price', () => {
    expect(priceOf('meta-llama/llama-3.1-8b-instruct', DEFAULT_PRICES)).toBeUndefined()
    expect(priceOf('my-model', DEFAULT_PRICES)).toBeUndefined()
    expect(priceOf('a/b/c', DEFAULT_PRICES)).toBeUndefined()
  })
})

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
