import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

interface Trial {
  caseId: string
  trial: number
  output: string
}

const trialsOf = (file: string): Trial[] =>
  readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Trial).sort((a, b) => a.caseId.localeCompare(b.caseId) || a.trial - b.trial)
/** The failure section of a run's output, to explain an unexpected exit code. */
const failures = (run: RunResult) => run.output.slice(run.output.indexOf('Failed Tests') >= 0 ? run.output.indexOf('Failed Tests') : -2000)
const replayEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ CI: 'true', ...extra })

describe('a 1,000-case dataset suite with repeats and a threshold', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: RunResult
  let recordSeconds: number

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('datasets')
    const started = performance.now()
    recorded = await project.run(['suite.test.ts'], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-datasets', RESULTS_FILE: project.path('recorded.jsonl') }))
    recordSeconds = (performance.now() - started) / 1000
    await server.close()
  }, 300_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('records: every case runs 3 trials, each model call recorded separately', () => {
    expect(recorded.code, failures(recorded)).toBe(0)
    expect(recorded.stdout).toMatch(/Tests\s+1001 passed \(1001\)/)
    expect(server.requests).toHaveLength(3000)
    const cassette = JSON.parse(project.read('__cassettes__', 'suite.test.ts.cassette.json')) as { entries: { test: string }[] }
    expect(cassette.entries).toHaveLength(3000)
    expect(new Set(cassette.entries.map((entry) => entry.test)).size).toBe(1000)
    const trials = trialsOf(project.path('recorded.jsonl'))
    expect(trials).toHaveLength(3000)
    expect(new Set(trials.map((trial) => trial.output)).size).toBe(3000)
    console.log(`recorded 1,000 cases x 3 trials in ${recordSeconds.toFixed(1)} s`)
  })

  test('replays offline (no server, no key) with the same output for every trial, and the reporter sees the trials', async () => {
    const started = performance.now()
    const replayed = await project.run(['suite.test.ts'], replayEnv({ RESULTS_FILE: project.path('replayed.jsonl') }))
    console.log(`replayed in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    expect(replayed.code, failures(replayed)).toBe(0)
    expect(replayed.stdout).toMatch(/Tests\s+1001 passed \(1001\)/)
    expect(trialsOf(project.path('replayed.jsonl'))).toEqual(trialsOf(project.path('recorded.jsonl')))
    const runs = readHistory(project.path('.evals', 'history.jsonl'))
    const last = runs.at(-1) as HistoryRun
    const parity = (last.cases ?? []).filter((score: { metric: string }) => score.metric === 'echo-parity')
    expect(parity).toHaveLength(1000)
    expect(parity.every((score: { trials: number }) => score.trials === 3)).toBe(true)
    expect(parity.some((score: { flaky?: boolean }) => score.flaky)).toBe(true)
    expect(runs.at(-2)?.groups).toEqual(last.groups)
  })

  test('a suite below its threshold fails naming the metric, value, target and worst cases', async () => {
    const trials = trialsOf(project.path('recorded.jsonl'))
    const parity = (output: string) => (Number(/#(\d+)/.exec(output)?.[1]) % 2 === 0 ? 1 : 0)
    const caseMeans = new Map<string, number>()
    for (const trial of trials) caseMeans.set(trial.caseId, (caseMeans.get(trial.caseId) ?? 0) + parity(trial.output) / 3)
    const mean = [...caseMeans.values()].reduce((sum, value) => sum + value, 0) / 1000
    const worst = [...caseMeans].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, 5)

    const gated = await project.run(['suite.test.ts'], replayEnv({ EVAL_TARGET: '0.9' }))
    expect(gated.code).toBe(1)
    expect(gated.stdout).toMatch(/Tests\s+1 failed \| 1000 passed \(1001\)/)
    expect(gated.output).toContain('arithmetic > suite threshold')
    expect(gated.output).toContain('[vitest-llm-evals] Suite "arithmetic" is below its threshold (1000 cases scored):')
    expect(gated.output).toContain(`- echo-parity: mean ${mean.toFixed(3)} < target 0.900; worst cases: ${worst.map(([id, score]) => `${id} (${score.toFixed(3)})`).join(', ')}`)
  })

  test('a bad dataset fails the file with an error naming file, line and field', async () => {
    const bad = await project.run(['bad.test.ts'], replayEnv())
    expect(bad.code).toBe(1)
    expect(bad.output).toContain('[vitest-llm-evals] Dataset data/bad.jsonl has 3 invalid rows (of 4):')
    expect(bad.output).toContain('data/bad.jsonl:2: field "answer": Invalid input: expected string, received number')
    expect(bad.output).toMatch(/data\/bad\.jsonl:3: not valid JSON \(/)
    expect(bad.output).toContain('data/bad.jsonl:4: duplicate id "q1" (first at data/bad.jsonl:1); ids must be unique')
  })

  test('timeouts cancel the task, strict cases name their failing trial, a variant below its threshold fails alone', async () => {
    const result = await project.run(['failures.test.ts'], replayEnv())
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Tests\s+3 failed \| 5 passed \(8\)/)
    expect(result.output).toContain('Case "slow" timed out after 200 ms; the task was cancelled through its signal.')
    expect(result.output).toContain('Case "half" passed 2 of 3 trials (passOn: \'every-trial\'). First failure (trial 2):')
    expect(result.output).toContain('per variant > poor > suite threshold')
    expect(result.output).not.toContain('per variant > good > suite threshold')
    expect(result.output).toContain('Suite "per variant [poor]" is below its threshold (2 cases scored):\n  - quality: mean 0.200 < target 0.500; worst cases: x (0.200), y (0.200)')
  })
})
