// A run's usage report carries when the run began, so `cassettes prune` keeps what a parallel `record` run stored
// into the same cassette meanwhile (test/src/cli/prune-concurrent.test.ts covers the pruning itself).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { usageDir, type CassetteUsageReport } from '../../src/cassettes/worker.js'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let server: ModelServer
let project: FixtureProject
beforeAll(async () => {
  server = await startModelServer()
  project = fixture('checks')
})
afterAll(async () => {
  project?.remove()
  await server?.close().catch(() => undefined)
})

test("a record run's report dates its start before every recording it made, by the real clock", async () => {
  const before = Date.now()
  const run = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', LLM_EVALS_CASSETTES: 'record' }))
  expect(run.output).toContain('Tests  4 passed')
  const dir = usageDir(project.dir)
  const reports = readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as CassetteUsageReport)
  expect(reports).toHaveLength(1)
  const startedAt = Date.parse(reports[0]?.startedAt ?? '')
  expect(startedAt).toBeGreaterThanOrEqual(before)
  const { entries } = JSON.parse(project.read('__cassettes__', 'bot.test.ts.cassette.json')) as { entries: { meta: { recordedAt: string } }[] }
  expect(entries.length).toBeGreaterThan(0)
  for (const entry of entries) expect(Date.parse(entry.meta.recordedAt)).toBeGreaterThanOrEqual(startedAt)
})
