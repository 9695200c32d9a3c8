// The gate with a pinned baseline that predates a suite: the new suite is gated against its own previous run.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { runBaseline } from '../../src/cli/history-command.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('baseline-gate')
})
afterEach(() => project.remove())

const historyIds = (): string[] => project.read('.evals', 'history.jsonl').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)

describe('gate with a pinned baseline', () => {
  test('a suite the baseline lacks is gated against its own previous run, and the message names that run', async () => {
    // The baseline is pinned while only suite A exists.
    expect((await project.run(['answers.test.ts'], cleanEnv())).code).toBe(0)
    const printed: string[] = []
    expect(await runBaseline(['set', '--root', project.dir], (line) => printed.push(line))).toBe(0)
    const [baselineId] = historyIds()

    // Suite B is added and scores 1.0 on its 20 cases, then drops to 0.5.
    const before = await project.run([], cleanEnv())
    expect(before.code).toBe(0)
    const previousId = historyIds()[1]
    const dropped = await project.run([], cleanEnv({ EVAL_B_QUALITY: 'half' }))

    expect(dropped.code).toBe(1)
    expect(dropped.stdout).toMatch(/Tests\s+23 passed \(23\)/)
    expect(dropped.stderr).toContain('[vitest-llm-evals] Eval gate failed (1 suite metric):\n')
    expect(dropped.stderr).toContain(
      `  - summaries.test.ts > summaries · exact: dropped 0.500 (20 paired cases: 10 pass → fail, 0 fail → pass, one-sided sign test p < 0.001) vs its previous run ${previousId} (mean score 1.000 → 0.500; the baseline ${baselineId} has no score for it), more than gate.tolerance 0.05; dropped most: b-02 1.00 → 0.00, b-04 1.00 → 0.00, b-06 1.00 → 0.00\n`,
    )
    expect(dropped.stderr).not.toContain('answers.test.ts > answers')
    // The table says which reference each suite metric was compared with.
    expect(dropped.stdout).toMatch(/answers\.test\.ts > answers\n\s+metric\s+score\s+95% CI\s+Δ prev\s+Δ base\s+vs\s+trend\s+pass\s+n\n\s+exact\s+1\.000\s+0\.44–1\.00\s+±0\.000\s+±0\.000\s+baseline\s/)
    expect(dropped.stdout).toMatch(/summaries\.test\.ts > summaries\n.*\n\s+✗ exact\s+0\.500\s+0\.30–0\.70\s+-0\.500\s+—\s+previous\s/)
    expect(historyIds()).toHaveLength(3)
  })
})
