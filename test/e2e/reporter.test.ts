import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { writeFileSync } from 'node:fs'
import { run as history } from '../../src/cli/history-command.js'
import { run as report } from '../../src/cli/report-command.js'
import { appendRun, readHistory } from '../../src/history/history-file.js'
import { historyRun } from '../reporters/fixtures.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('reporter')
})
afterEach(() => project.remove())

const historyLines = () => project.read('.evals', 'history.jsonl').trim().split('\n').map((line) => JSON.parse(line))

describe('score history reporter', () => {
  test('a test whose output is cyclic (hand-set meta: Vitest\'s structured clone carries it) is summarised and scanned; the run passes', async () => {
    writeFileSync(
      project.path('odd.test.ts'),
      `import { test } from 'vitest'
test('cyclic output', ({ task }) => {
  const output: Record<string, unknown> = { text: 'no key here' }
  output.self = output
  Object.assign(task.meta, { caseId: 'cyc', output, evals: [{ metric: 'hand', score: 1, pass: true, attempt: { retry: 0, repeat: 0 } }] })
})
`,
    )
    const run = await project.run([], cleanEnv())
    // Before: the secret scan's JSON of the test threw, Vitest said "Unhandled Reporter Error" and the run failed.
    expect(run.output).not.toContain('Error')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(' written: .evals/history.jsonl, .evals/report.html, .evals/summary.json')
    const cases = readHistory(project.path('.evals', 'history.jsonl'))[0]?.cases ?? []
    expect(cases.filter((score) => score.caseId === 'cyc')).toHaveLength(1)
    expect(cases.filter((score) => score.suite.startsWith('answers'))).toHaveLength(6)
  })

  test('a second run shows deltas vs the first, marks the regression and names the cases that dropped most', async () => {
    const first = await project.run([], cleanEnv())
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/answers\.test\.ts > answers\n\s+metric\s+score\s+95% CI\s+Δ prev\s+Δ base\s+vs\s+trend\s+pass\s+n\n\s+similarity:rouge-l\s+1\.000\s+0\.61–1\.00\s+—\s+—\s+—\s+▄\s+100%\s+6/)
    expect(first.stdout).toContain(' written: .evals/history.jsonl, .evals/report.html, .evals/summary.json')
    expect(first.stdout.trimEnd().split('\n').at(-1)).toMatch(/^LLM evals: 7 scores \(0 below threshold\)/)

    const second = await project.run([], cleanEnv({ EVAL_QUALITY: 'bad' }))
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/✗ similarity:rouge-l\s+0\.\d{3}\s+0\.\d\d–\d\.\d\d\s+-0\.\d{3}\s+—\s+previous\s+█▁/)
    expect(second.stdout).toMatch(/dropped most: \w+ 1\.00 → 0\./)
    // No `gate` set: the ✗ does not fail the run, and the run says so.
    expect(second.stdout).toMatch(/ gate off: the regression above does not fail the run\. To fail it, add `gate: \{ failOnRegression: true \}` to the llmEvals\(\) options \(see \S*docs\/configuration\.md\)\./)
    expect(first.stdout).not.toContain('gate off')
    expect(second.stdout).toMatch(/summaries\.test\.ts > summaries\n.*\n\s+similarity:dice\s+1\.000\s+0\.21–1\.00\s+±0\.000/)
    const runs = historyLines()
    expect(runs).toHaveLength(2)
    expect(runs[1]).toMatchObject({ v: 1, versions: { vitest: expect.any(String), library: '0.1.0' }, totals: { scores: 7, failedScores: 0 } })
    // Per-case scores are stored as a case table, the last field of the line.
    expect(Object.keys(runs[1]).at(-1)).toBe('caseTable')
    expect(readHistory(project.path('.evals', 'history.jsonl'))[1]?.cases?.find((score) => score.caseId === 'html')?.output).toContain('<script>')
  })

  test('a forced regression fails a gated run with a clear message; the run is still kept in history', async () => {
    expect((await project.run([], cleanEnv({ EVAL_GATE: '1' }))).code).toBe(0)
    const gated = await project.run([], cleanEnv({ EVAL_GATE: '1', EVAL_QUALITY: 'bad' }))
    expect(gated.code).toBe(1)
    expect(gated.stdout).toMatch(/Tests\s+7 passed \(7\)/)
    expect(gated.stderr).toMatch(
      /\[vitest-llm-evals\] Eval gate failed \(1 suite metric\):\n {2}- answers\.test\.ts > answers · similarity:rouge-l: dropped 0\.\d{3} \(6 paired cases, 95% CI of the change −0\.\d{3}…−0\.\d{3}\) vs the previous run \d{8}T\d{9}Z-[0-9a-f]{6} \(mean score 1\.000 → 0\.\d{3}\), more than gate\.tolerance 0\.05; dropped most: \w+ 1\.00 → 0\.\d\d/,
    )
    expect(gated.stderr).toContain('`llm-evals baseline set`')
    expect(gated.stdout).not.toContain('gate off')
    expect(historyLines()).toHaveLength(2)
  })

  test('--shard runs write nothing; --merge-reports appends one line with every shard', async () => {
    const env = cleanEnv()
    const shards = await Promise.all([1, 2].map((index) => project.run([`--shard=${index}/2`, '--reporter=blob'], env)))
    expect(shards.map((run) => run.code)).toEqual([0, 0])
    expect(shards.map((run) => run.stdout).join('')).toContain('history and reports are written once by `vitest --merge-reports`')
    expect(project.exists('.evals')).toBe(false)
    expect(shards.map((run) => /blob report written/.test(run.output))).toEqual([true, true])
    const merged = await project.run(['--merge-reports'], env)
    expect(merged.code).toBe(0)
    const runs = historyLines()
    expect(runs).toHaveLength(1)
    expect(runs[0].groups.map((group: { suite: string }) => group.suite).sort()).toEqual(['answers.test.ts > answers', 'summaries.test.ts > summaries'])
    expect(runs[0].totals.scores).toBe(7)
  })

  test('llm-evals report and history read the llmEvals() options of the project config: history file, report path, gate', async () => {
    writeFileSync(
      project.path('vitest.config.ts'),
      `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({ plugins: [llmEvals({ history: { file: 'evals/runs.jsonl' }, report: { html: 'out/evals.html' }, gate: { tolerance: 0.1 } })] })
`,
    )
    appendRun(project.path('evals', 'runs.jsonl'), historyRun('r1', { rouge: 0.9 }, {}, 6))
    appendRun(project.path('evals', 'runs.jsonl'), historyRun('r2', { rouge: 0.7 }, {}, 6))
    const printed: string[] = []
    expect(await report(['--root', project.dir], (line) => printed.push(line))).toBe(0)
    expect(await history(['--root', project.dir], (line) => printed.push(line))).toBe(0)
    expect(printed[0]).toBe('Report written: out/evals.html (run r2, 2 runs of history; options from vitest.config.ts)')
    expect(printed.slice(1).map((line) => line.split(/\s+/)[1])).toEqual(['run', 'r1', 'r2'])
    expect(project.read('out', 'evals.html')).toContain('<li>bot.test.ts &#62; bot · rouge: dropped 0.200 (6 paired cases, 95% CI of the change −0.200…−0.200) vs the previous run r1 (mean score 0.900 → 0.700), more than gate.tolerance 0.1')
    expect(project.exists('.evals')).toBe(false)
  })
})
