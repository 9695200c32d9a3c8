import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

type Provider = 'openai' | 'anthropic'
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex')

/** Queues, per provider, the app's answers and the judge's verdicts in the order the fixture suite asks for them. */
function script(server: ModelServer, provider: Provider): void {
  const path = provider === 'openai' ? '/v1/chat/completions' : '/v1/messages'
  const app = (content: string) => server.enqueue({ path, content })
  const verdict = (schemaName: string, output: Record<string, unknown>) =>
    server.enqueue(provider === 'openai' ? { path, content: output } : { path, toolCall: { name: schemaName, arguments: output } })
  const chunks = (...useful: boolean[]) => ({ chunks: useful.map((ok, index) => ({ index: index + 1, reasoning: `chunk ${index + 1}`, verdict: ok ? 'useful' : 'not-useful' })) })

  app('Refunds are paid within 5 working days.')
  verdict('factuality_verdict', { reasoning: 'Leaves out the card.', category: 'subset' })
  verdict('grounding_verdict', { claims: [{ claim: 'Refunds take 5 working days.', evidence: 'Refunds are paid within 5 working days.', reasoning: 'Stated.', verdict: 'supported' }] })
  verdict('relevance_verdict', { reasoning: 'Gives the duration.', verdict: 'relevant' })
  verdict('rubric_verdict', { steps: ['Duration?', 'Polite?'], reasoning: 'Clear and polite.', score: 5 })
  verdict('pairwise_verdict', { reasoning: 'A gives a number.', winner: 'A' })
  verdict('pairwise_verdict', { reasoning: 'B gives a number.', winner: 'B' })
  verdict('context_recall_verdict', { claims: [{ claim: '5 working days', reasoning: 'Chunk 1.', verdict: 'attributed' }, { claim: 'original card', reasoning: 'Chunk 2.', verdict: 'attributed' }] })
  verdict('context_precision_verdict', chunks(true, true, false))
  verdict('instructions_verdict', { verdicts: [{ index: 1, reasoning: 'Neutral and courteous.', verdict: 'followed' }] })
  app('Trains run on rails.')
  verdict('factuality_verdict', { reasoning: 'About trains, says nothing of refunds.', category: 'contradicts' })
  for (const reasoning of ['Off topic.', 'About trains.', 'Not about refunds.']) verdict('relevance_verdict', { reasoning, verdict: 'irrelevant' })
}

interface Entry {
  test: string
  role: 'app' | 'judge'
  request: { path: string; body: Record<string, unknown> }
}

describe('judged matchers record once and replay offline (OpenAI and Anthropic as judge)', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: RunResult
  const cassette = (name: string) => JSON.parse(project.read('__cassettes__', `${name}.test.ts.cassette.json`)) as { entries: Entry[] }
  const hashes = () => readdirSync(project.path('__cassettes__')).sort().map((name) => hashOf(project.read('__cassettes__', name)))

  beforeAll(async () => {
    server = await startModelServer()
    script(server, 'openai')
    script(server, 'anthropic')
    project = fixture('judge')
    recorded = await project.run(
      [],
      cleanEnv({
        OPENAI_BASE_URL: server.openaiBaseURL,
        ANTHROPIC_BASE_URL: server.anthropicBaseURL,
        OPENAI_API_KEY: 'sk-test-e2e-openai',
        ANTHROPIC_API_KEY: 'sk-ant-test-e2e',
        RESULTS_FILE: project.path('recorded.jsonl'),
      }),
    )
    await server.close()
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('records every judge call, tagged role "judge", beside the app calls', () => {
    expect(recorded.output).toContain('Tests  4 passed')
    for (const name of ['openai', 'anthropic']) {
      const entries = cassette(name).entries
      expect(entries.filter((entry) => entry.role === 'app')).toHaveLength(2)
      // 8 judge calls for the good answer (preference asks twice, both orders; toFollowInstructions once), 1 + 3 samples for the bad one.
      expect(entries.filter((entry) => entry.role === 'judge')).toHaveLength(13)
      const judged = entries.find((entry) => entry.role === 'judge')!
      expect(judged.request.body['temperature']).toBe(0)
      expect(judged.request.body[name === 'openai' ? 'response_format' : 'tool_choice']).toBeDefined()
    }
  })

  test('score records carry the judge, the prompt version and the judge token usage', () => {
    const lines = project.read('recorded.jsonl').trim().split('\n').map((line) => JSON.parse(line) as { name: string; value: Array<Record<string, unknown>> })
    const good = lines.find((line) => line.name === 'anthropic as judge > a good answer passes every judged matcher')!
    expect(good.value.map((record) => record['metric'])).toEqual(['factuality', 'grounding', 'relevance', 'rubric', 'preference', 'context-recall', 'context-precision', 'instructions'])
    expect(good.value[0]).toMatchObject({ judge: { provider: 'anthropic', model: 'claude-haiku-4-5', promptVersion: expect.stringMatching(/^factuality@/) }, usage: { inputTokens: expect.any(Number) } })
    const openai = lines.find((line) => line.name === 'openai as judge > a good answer passes every judged matcher')!
    expect(openai.value[0]).toMatchObject({ judge: { provider: 'openai', model: 'gpt-4o-mini' } })
  })

  test('replays in CI with no server and no keys: same results byte for byte, cassettes untouched', async () => {
    const before = hashes()
    const replayed = await project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  4 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 30 replayed, 0 recorded/)
    expect(project.read('replayed.jsonl').split('\n').sort()).toEqual(project.read('recorded.jsonl').split('\n').sort())
    expect(hashes()).toEqual(before)
  })
})
