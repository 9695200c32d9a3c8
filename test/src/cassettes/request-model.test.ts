import { expect, test } from 'vitest'
import { requestModel } from '../../../src/cassettes/request-model.js'

test.each([
  ['/v1/chat/completions', { model: 'gpt-4o-mini' }, 'gpt-4o-mini'],
  ['/v1beta/models/gemini-2.5-flash:generateContent', { contents: [] }, 'gemini-2.5-flash'],
  ['/v1beta/models/gemini-2.5-flash:streamGenerateContent', null, 'gemini-2.5-flash'],
  ['/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent', {}, 'gemini-2.5-pro'],
  ['/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', {}, 'anthropic.claude-3-haiku-20240307-v1:0'],
  ['/model/amazon.nova-lite-v1:0/converse-stream', {}, 'amazon.nova-lite-v1:0'],
  ['/model/meta.llama3-8b-instruct-v1:0/invoke', { prompt: 'hi' }, 'meta.llama3-8b-instruct-v1:0'],
  ['/openai/deployments/my-gpt-4o/chat/completions', { messages: [] }, 'my-gpt-4o'],
  ['/v1/files', null, undefined],
])('the model of %s is %s', (path, body, model) => {
  expect(requestModel({ path, body })).toBe(model)
})
