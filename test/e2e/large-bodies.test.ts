// Bodies larger than `maxInlineBytes` (4 KB in the fixture) recorded from the real openai and @anthropic-ai/sdk
// clients, plain and streamed, go to sidecar files; replayed offline, the SDKs return what they returned live.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const CASSETTE = join('__cassettes__', 'bodies.test.ts.cassette.json')
const SIDECARS = join('__cassettes__', 'bodies.test.ts.cassette.files')

interface StoredEntry {
  test: string
  request: { body: unknown }
  response: { json?: unknown; chunks?: string[]; file?: string }
}

const results = (project: FixtureProject, name: string) =>
  Object.fromEntries(project.read(name).trim().split('\n').map((line) => JSON.parse(line) as { name: string; value: unknown }).map((line) => [line.name, line.value]))

describe('large bodies in sidecar files', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { code: number | null; output: string }

  const record = async (mode: string, resultsFile: string) => {
    server = await startModelServer({ sseGapMs: 0 })
    try {
      return await project.run([], cleanEnv({
        LLM_EVALS_CASSETTES: mode,
        OPENAI_BASE_URL: server.openaiBaseURL,
        ANTHROPIC_BASE_URL: server.anthropicBaseURL,
        OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef',
        ANTHROPIC_API_KEY: 'sk-ant-api03-livekey0123456789',
        RESULTS_FILE: project.path(resultsFile),
      }))
    } finally {
      await server.close()
    }
  }
  const entries = () => (JSON.parse(project.read(CASSETTE)) as { entries: StoredEntry[] }).entries
  const entryOf = (test: string) => entries().find((entry) => entry.test === test)
  const sidecars = () => readdirSync(project.path(SIDECARS)).sort()

  beforeAll(async () => {
    project = fixture('large-bodies')
    recorded = await record('auto', 'recorded.jsonl')
  })

  afterAll(() => project?.remove())

  test('plain and streamed answers above the limit go to sidecars, those below stay inline; request bodies stay inline', () => {
    expect(recorded.output).toContain('Tests  10 passed')
    for (const provider of ['openai', 'anthropic']) {
      expect(entryOf(`${provider} small`)?.response).toMatchObject({ json: expect.any(Object) })
      expect(entryOf(`${provider} small stream`)?.response.chunks?.join('')).toContain('data: ')
      expect(entryOf(`${provider} large`)?.response).toEqual(expect.objectContaining({ file: expect.stringMatching(/^[0-9a-f]{20}\.json$/) }))
      expect(entryOf(`${provider} large stream`)?.response).toEqual(expect.objectContaining({ file: expect.stringMatching(/^[0-9a-f]{20}\.stream\.json$/) }))
      expect(entryOf(`${provider} large stream`)?.response.chunks).toBeUndefined()
      // The request body is the lookup key's source and what a miss is explained against: kept in the cassette.
      expect(JSON.stringify(entryOf(`${provider} large`)?.request.body)).toContain('lorem ipsum lorem')
    }
    const referenced = entries().flatMap((entry) => (entry.response.file ? [entry.response.file] : [])).sort()
    expect(sidecars()).toEqual(referenced)
    // What stays inline is small: no answer of the large prompts is in the cassette.
    expect(project.read(CASSETTE)).not.toMatch(/echo #\d+: lorem ipsum/)
  })

  test('a secret in a large streamed answer is scrubbed in its sidecar as it would be inline', () => {
    const file = entryOf('openai large stream with a secret')?.response.file
    expect(file).toMatch(/\.stream\.json$/)
    const text = readFileSync(project.path(SIDECARS, file as string), 'utf8')
    expect(text).toContain('[REDACTED]')
    for (const name of sidecars()) expect(readFileSync(project.path(SIDECARS, name), 'utf8')).not.toContain(TOKEN)
    expect(project.read(CASSETTE)).not.toContain(TOKEN)
    expect(project.read(CASSETTE)).not.toContain('livekey')
  })

  test('replayed offline with no key, the SDKs return what they returned when recorded', async () => {
    const replayed = await project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  10 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 10 replayed, 0 recorded/)
    const live = results(project, 'recorded.jsonl')
    const again = results(project, 'replayed.jsonl')
    expect(Object.keys(again).sort()).toEqual(Object.keys(live).sort())
    for (const name of Object.keys(live).filter((name) => name !== 'secret stream' && name !== 'redacted stream')) expect(again[name], name).toEqual(live[name])
    // testTrace() reads a replayed stream from its sidecar as it read the live one.
    expect(again['openai large stream trace']).toMatch(/^echo #\d+: lorem ipsum lorem/)
    expect(again['anthropic large stream trace']).toMatch(/^echo #\d+: lorem ipsum lorem/)
    // The secret's answer replays as stored: scrubbed, the rest as it was.
    expect(again['secret stream']).toEqual((live['secret stream'] as string).replace(TOKEN, '[REDACTED]'))
    // A `redact` rule that matches JSON syntax in the sidecar's text (`[^"\s]+` takes the `\` of `\"`) replaces what it replaces inline.
    expect(again['redacted stream']).toEqual((live['redacted stream'] as string).replace('acme-4471', '[REDACTED]'))
  })

  test('re-recording the same answers writes the same sidecar files (content-addressed names)', async () => {
    const before = sidecars()
    const contents = before.map((name) => readFileSync(project.path(SIDECARS, name), 'utf8'))
    const again = await record('record', 'rerecorded.jsonl')
    expect(again.output).toContain('Tests  10 passed')
    expect(sidecars()).toEqual(before)
    expect(before.map((name) => readFileSync(project.path(SIDECARS, name), 'utf8'))).toEqual(contents)
  })
})
