import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import * as matchers from '../../../../matchers/index.js'
import { ConfigError } from '../../../../src/errors/index.js'
import { createOpenAIEmbedder } from '../../../../src/judge/embedder.js'
import { embeddingSimilarity } from '../../../../src/metrics/similarity/index.js'
import { startModelServer, type ModelServer } from '../../../support/model-server.js'

expect.extend(matchers)

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
  vi.stubEnv('OPENAI_BASE_URL', server.openaiBaseURL)
  vi.stubEnv('OPENAI_API_KEY', 'sk-test-scripted-server')
})
afterAll(async () => {
  vi.unstubAllEnvs()
  await server.close()
})

describe('OpenAI embedder through the real openai client (scripted server)', () => {
  test('embeds with text-embedding-3-small; the same text scores 1, related texts more than unrelated ones', async () => {
    const embedder = createOpenAIEmbedder()
    const same = await embeddingSimilarity('red apple pie', 'red apple pie', embedder)
    const related = await embeddingSimilarity('red apple pie', 'red apple tart', embedder)
    const unrelated = await embeddingSimilarity('red apple pie', 'quantum field theory', embedder)
    expect(same.score).toBeCloseTo(1, 6)
    expect(related.score).toBeGreaterThan(unrelated.score)
    expect(server.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['red apple pie', 'red apple pie'] })
  })

  test('is the default embedder of toBeSimilarTo', async () => {
    await expect('red apple pie').toBeSimilarTo('red apple pie', { method: 'embedding', threshold: 0.99 })
  })

  test('says how to fix a missing openai package', async () => {
    vi.doMock('openai', () => {
      throw new Error("Cannot find package 'openai'")
    })
    const error = await createOpenAIEmbedder().embed(['a']).catch((caught: unknown) => caught)
    vi.doUnmock('openai')
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatchInlineSnapshot(`"[vitest-llm-evals] The \`embedding\` similarity method needs the \`openai\` package, which is not installed. Run \`npm install --save-dev openai\`, or pass your own \`embedder\` option."`)
  })
})
