// Type tests of the judge option's new forms, checked by `npm run typecheck`. Each `@ts-expect-error` line
// proves a misuse is rejected.
import { createAnthropic } from '@ai-sdk/anthropic'
import { openai } from '@ai-sdk/openai'
import { expect, expectTypeOf, test } from 'vitest'
import '../../matchers/types.js'
import { configureDefaultJudge } from '../../src/index.js'

test('an AI SDK model is a judge option and a default judge', () => {
  expectTypeOf(expect('x').toBeRelevantTo('q', { judge: openai('gpt-4o-mini') })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('x').toBeFactual({ reference: 'r', judge: createAnthropic()('claude-haiku-4-5') })).toEqualTypeOf<Promise<void>>()
  configureDefaultJudge(openai.chat('gpt-4o-mini'))
  // @ts-expect-error a model id string is not a judge (it would go through the AI SDK's global provider)
  configureDefaultJudge('openai/gpt-4o-mini')
})

test('an openai-compatible config takes baseURL and apiKeyEnv', () => {
  const judge = { provider: 'openai-compatible', model: 'llama-3.3-70b-versatile', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' } as const
  expectTypeOf(expect('x').toSatisfyRubric('Says how long.', { judge })).toEqualTypeOf<Promise<void>>()
})
