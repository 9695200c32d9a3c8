// A human label keeps the hash of the output it was given on. An output holding a value a redact rule hides (or a
// token the secret scan finds) is live in the recording run and `[REDACTED]` in every replay: its hash is now of the
// output as stored on both sides, so a label given on either run stays current in the other. Before, every CI replay
// showed it stale. Records against the scripted server with the OpenAI SDK, labels as the review page does, replays.
// Runs the build (`npm run build` first).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { appendLabel, readLabels } from '../../src/review/labels-file.js'
import { reviewRows } from '../../src/review/review-rows.js'
import { githubToken } from '../support/long-answers.js'
import { startModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const env = { DEPLOY_NOTE: githubToken }

describe('labels of outputs holding redacted text stay current across record and replay', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('labels-after-replay')
  })
  afterAll(() => project?.remove())

  const latestRun = (): HistoryRun => readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
  const labelsFile = () => project.path('evals', 'labels.jsonl')
  const labelState = () => reviewRows(latestRun(), readLabels(labelsFile()).labels).map((row) => [row.caseId, row.label?.stale])

  test('labelled on the recording run, current in the CI replay; labelled on the replay, current in a recording run', async () => {
    const server = await startModelServer()
    try {
      const recorded = await project.run([], cleanEnv({ ...env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'auto' }))
      expect(recorded.output).toContain('Tests  3 passed')
      for (const row of reviewRows(latestRun(), [])) appendLabel(labelsFile(), { caseId: row.caseId, metric: row.labelMetric, label: 'pass', by: 'ana', suite: row.suite, ...(row.outputHash ? { outputHash: row.outputHash } : {}) })
      const replayed = await project.run([], cleanEnv({ ...env, CI: 'true' }))
      expect(replayed.output).toContain('Tests  3 passed')
      expect(latestRun().cases?.find((score) => score.caseId === 'plan')?.output).toContain('[REDACTED]')
      expect(labelState()).toEqual([['plan', false], ['token', false], ['plain', false]])
      // Labelled again on the replay's rows, then recorded again (live outputs): still current.
      for (const row of reviewRows(latestRun(), [])) appendLabel(labelsFile(), { caseId: row.caseId, metric: row.labelMetric, label: 'fail', by: 'bo', suite: row.suite, ...(row.outputHash ? { outputHash: row.outputHash } : {}) })
      server.reset()
      const again = await project.run([], cleanEnv({ ...env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'record' }))
      expect(again.output).toContain('Tests  3 passed')
      expect(labelState()).toEqual([['plan', false], ['token', false], ['plain', false]])
    } finally {
      await server.close()
    }
  }, 180_000)
})
