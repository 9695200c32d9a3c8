// Sidecar files and redaction, recorded from the real openai client against the scripted server: a `redact` literal
// the network splits, a rule that would break a large JSON body's text, a re-recording that replaces a sidecar.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const CASSETTE = join('__cassettes__', 'gaps.test.ts.cassette.json')
const SIDECARS = join('__cassettes__', 'gaps.test.ts.cassette.files')
const PATH = '/v1/chat/completions'
const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`
const LONG = 'lorem ipsum '.repeat(500)

interface StoredEntry {
  test: string
  response: { chunks?: string[]; file?: string; json?: unknown }
}

describe('sidecar files and redaction (real openai client)', () => {
  let server: ModelServer
  let project: FixtureProject
  let first: { code: number | null; output: string }

  const entries = () => (JSON.parse(project.read(CASSETTE)) as { entries: StoredEntry[] }).entries
  const entryOf = (test: string) => entries().find((entry) => entry.test === test)
  const sidecars = () => (existsSync(project.path(SIDECARS)) ? readdirSync(project.path(SIDECARS)).sort() : [])
  const results = (file: string) => Object.fromEntries(project.read(file).trim().split('\n').map((line) => JSON.parse(line) as { name: string; value: unknown }).map((line) => [line.name, line.value]))

  /** Scripts the three tests' answers (in their order), then runs the fixture in `mode`. */
  const run = async (mode: string, resultsFile: string, round = 1) => {
    // The literal `acme-4471` split by the network inside one event: each write is one chunk the client reads.
    const event = chunk('your account is acme-4471, fine')
    const at = event.indexOf('acme-44') + 'acme-44'.length
    server.enqueue({ path: PATH, sse: [event.slice(0, at), event.slice(at), 'data: [DONE]\n\n'] })
    server.enqueue({ path: PATH, content: `${LONG} account=acme-77"quoted" end` })
    server.enqueue({ path: PATH, sse: [chunk(LONG), chunk(` round ${round}`), 'data: [DONE]\n\n'] })
    return project.run([], cleanEnv({ LLM_EVALS_CASSETTES: mode, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', RESULTS_FILE: project.path(resultsFile) }))
  }

  beforeAll(async () => {
    // A gap between writes long enough that the client reads the split chunks apart.
    server = await startModelServer({ sseGapMs: 40 })
    project = fixture('sidecar-gaps')
    first = await run('record', 'recorded.jsonl')
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('a `redact` literal the network split across two chunks of an inline stream is stored redacted', async () => {
    expect(first.output).toContain('Tests  3 passed')
    const stored = entryOf('split literal stream')?.response.chunks
    expect(stored).toBeDefined()
    expect(stored?.join('')).not.toContain('acme-4471')
    expect(stored?.join('')).toContain('your account is [REDACTED], fine')
    expect(results('recorded.jsonl')['split literal stream']).toBe('your account is acme-4471, fine')
    const replay = await project.run(['-t', 'split literal'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed-split.jsonl') }))
    expect(replay.output).toContain('1 passed')
    expect(results('replayed-split.jsonl')['split literal stream']).toBe('your account is [REDACTED], fine')
  }, 120_000)

  test('a large JSON answer a `redact` rule would break as text is stored as JSON, scrubbed in its values, and replays', async () => {
    const file = entryOf('large json')?.response.file
    expect(file).toMatch(/^[0-9a-f]{20}\.json$/)
    expect(sidecars()).toContain(file)
    const text = readFileSync(project.path(SIDECARS, file as string), 'utf8')
    expect(() => JSON.parse(text)).not.toThrow()
    expect(text).not.toContain('acme-77')
    const replay = await project.run(['-t', 'large json'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed-json.jsonl') }))
    expect(replay.output).toContain('1 passed')
    expect(results('replayed-json.jsonl')['large json']).toBe(`${LONG} account=[REDACTED]"quoted" end`)
  }, 120_000)

  test('recording again a large answer that changed leaves its replaced sidecar for `prune` (a run that loaded the cassette may replay it)', async () => {
    const before = entryOf('large stream')?.response.file
    expect(before).toMatch(/\.stream\.json$/)
    const again = await run('record', 'rerecorded.jsonl', 2)
    expect(again.output).toContain('Tests  3 passed')
    const after = entryOf('large stream')?.response.file
    expect(after).toMatch(/\.stream\.json$/)
    expect(after).not.toBe(before)
    const referenced = entries().flatMap((entry) => (entry.response.file ? [entry.response.file] : []))
    expect(sidecars()).toEqual(expect.arrayContaining([...referenced, before as string]))
  }, 120_000)

  test('`auto` records again a call whose sidecar is gone, in its place, says so, and the cassette replays', async () => {
    const gone = entryOf('large stream')?.response.file as string
    rmSync(project.path(SIDECARS, gone))
    // Only that call goes to the network: the others replay.
    server.enqueue({ path: PATH, sse: [chunk(LONG), chunk(' round 3'), 'data: [DONE]\n\n'] })
    const auto = await project.run([], cleanEnv({ LLM_EVALS_CASSETTES: 'auto', OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', RESULTS_FILE: project.path('restored.jsonl') }))
    expect(auto.output).toContain('Tests  3 passed')
    expect(auto.output).toMatch(/cassettes \[auto\]: 2 replayed, 1 recorded \(1 in place of a recording whose sidecar file was missing or damaged\)/)
    expect(entries().filter((entry) => entry.test === 'large stream')).toHaveLength(1)
    const restored = entryOf('large stream')?.response.file as string
    // Every file the cassette refers to is there (a replaced one is left for `prune`).
    expect(sidecars()).toEqual(expect.arrayContaining(entries().flatMap((entry) => (entry.response.file ? [entry.response.file] : []))))
    expect(sidecars()).toContain(restored)
    const replay = await project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed-restored.jsonl') }))
    expect(replay.output).toContain('Tests  3 passed')
  }, 120_000)

  test('without a key, `auto` cannot record it again: the test fails naming the missing sidecar, and nothing is written', async () => {
    const gone = entryOf('large stream')?.response.file as string
    rmSync(project.path(SIDECARS, gone))
    const before = project.read(CASSETTE)
    const auto = await project.run([], cleanEnv({ LLM_EVALS_CASSETTES: 'auto', OPENAI_BASE_URL: server.openaiBaseURL, RESULTS_FILE: project.path('no-key.jsonl') }))
    expect(auto.output).toContain('Tests  1 failed | 2 passed')
    expect(auto.output).toContain(`${gone}, which is missing`)
    expect(project.read(CASSETTE)).toBe(before)
  }, 120_000)
})
