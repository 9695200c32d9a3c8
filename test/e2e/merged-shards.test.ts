import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

// Three test files, so `--shard=i/3` runs one each. The gate is set; EVAL_ALLOW_PARTIAL opts out of failing a partial merge.
let project: FixtureProject
beforeEach(() => {
  project = fixture('reporter')
  writeFileSync(project.path('titles.test.ts'), `import { describe, test } from 'vitest'\ndescribe('titles', () => {\n  test('one', async ({ expect }) => {\n    await expect('a title').toBeSimilarTo('a title', { method: 'dice' })\n  })\n})\n`)
  writeFileSync(
    project.path('vitest.config.ts'),
    `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({ plugins: [llmEvals({ gate: { tolerance: 0.05, ...(process.env.EVAL_ALLOW_PARTIAL ? { allowMissingShards: true } : {}) } })], test: { include: ['*.test.ts'] } })
`,
  )
})
afterEach(() => project.remove())

const historyLines = () => project.read('.evals', 'history.jsonl').trim().split('\n').map((line) => JSON.parse(line))

/** Runs the three shards as the CI recipe does (docs/ci.md): a blob report each, in blob-reports/. */
async function runShards(env: NodeJS.ProcessEnv) {
  const shards = await Promise.all([1, 2, 3].map((index) => project.run([`--shard=${index}/3`, '--reporter=blob', `--outputFile.blob=blob-reports/blob-${index}.json`], env)))
  expect(shards.map((run) => run.code)).toEqual([0, 0, 0])
  expect(readdirSync(project.path('blob-reports')).sort()).toEqual(['blob-1.json', 'blob-2.json', 'blob-3.json'])
}

describe('--merge-reports with a shard\'s blob report missing', () => {
  test('says which shard is missing, marks the history line partial, writes it in the step summary, and fails the gate', async () => {
    const env = cleanEnv({ GITHUB_STEP_SUMMARY: project.path('step-summary.md') })
    await runShards(env)
    rmSync(project.path('blob-reports', 'blob-3.json'))
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(1)
    expect(merged.stderr).toContain('[vitest-llm-evals] merged 2 of 3 shards: shard 3/3 missing. Its blob report is not in blob-reports')
    expect(merged.stderr).toMatch(/\[vitest-llm-evals\] Eval gate failed \(a partial merge\):\n {2}- merged 2 of 3 shards: shard 3\/3 missing: the merge is partial\n/)
    expect(merged.stderr).toContain('set `gate: { allowMissingShards: true }`')
    const runs = historyLines()
    expect(runs).toHaveLength(1)
    expect(runs[0].partial).toEqual({ shardCount: 3, missingShards: [3] })
    expect(runs[0].groups).toHaveLength(2)
    expect(project.read('step-summary.md')).toContain('**Partial run: merged 2 of 3 shards: shard 3/3 missing.**')
    expect(project.read('.evals', 'report.html').includes('Partial run: merged 2 of 3 shards (missing: 3/3)')).toBe(true)
    // `llm-evals report` makes the report again: its gate failed as the run's did.
    rmSync(project.path('.evals', 'report.html'))
    const report = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), 'report'], { cwd: project.dir, encoding: 'utf8', env })
    expect(report.status).toBe(0)
    expect(project.read('.evals', 'report.html')).toContain('<h2 class="verdict-line">Gate failed</h2><ul class="gate-failures"><li>merged 2 of 3 shards: shard 3/3 missing: the merge is partial</li>')
    // The next whole run compares its suites with it, and says it was partial; the gate passes (no suite dropped).
    const next = await project.run([], cleanEnv())
    expect(next.code).toBe(0)
    expect(next.stdout).toMatch(/LLM eval scores \(previous: [^)]*\(a partial merge\)/)
    expect(historyLines()[1]).not.toHaveProperty('partial')
  })

  test('gate.allowMissingShards passes the partial merge, still saying so and marking the line', async () => {
    const env = cleanEnv({ EVAL_ALLOW_PARTIAL: '1' })
    await runShards(env)
    rmSync(project.path('blob-reports', 'blob-1.json'))
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(0)
    expect(merged.stderr).toContain('[vitest-llm-evals] merged 2 of 3 shards: shard 1/3 missing.')
    expect(merged.stderr).toContain('gate.allowMissingShards is set: the run is not failed for it.')
    expect(merged.stderr).not.toContain('Eval gate failed')
    expect(historyLines()[0].partial).toEqual({ shardCount: 3, missingShards: [1] })
  })

  test('a shard that ran no test file (--passWithNoTests, more shards than files) is not missing: its blob report is there', async () => {
    const env = cleanEnv()
    const shards = await Promise.all([1, 2, 3, 4].map((index) => project.run([`--shard=${index}/4`, '--passWithNoTests', '--reporter=blob', `--outputFile.blob=blob-reports/blob-${index}.json`], env)))
    expect(shards.map((run) => run.code)).toEqual([0, 0, 0, 0])
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(0)
    expect(merged.output).not.toMatch(/missing|partial/)
    expect(historyLines()[0]).not.toHaveProperty('partial')
    // Without a blob report with test files, its shard is missing; the empty one (4/4) ran, and its blob report says so.
    rmSync(project.path('blob-reports', 'blob-2.json'))
    const lacking = await project.run(['--merge-reports=blob-reports'], env)
    expect(lacking.code).toBe(1)
    expect(lacking.stderr).toContain('[vitest-llm-evals] merged 3 of 4 shards: shard 2/4 missing.')
    expect(historyLines().at(-1).partial).toEqual({ shardCount: 4, missingShards: [2] })
  })

  test('a shard whose run failed before its test files (a global setup that threw) is missing, though it left a blob report', async () => {
    writeFileSync(project.path('setup.ts'), `export default function () {\n  if (process.env.BREAK_SETUP) throw new Error('setup broke')\n}\n`)
    writeFileSync(project.path('vitest.config.ts'), project.read('vitest.config.ts').replace("include: ['*.test.ts']", "include: ['*.test.ts'], globalSetup: ['./setup.ts']"))
    const shards = await Promise.all([1, 2, 3].map((index) => project.run([`--shard=${index}/3`, '--reporter=blob', `--outputFile.blob=blob-reports/blob-${index}.json`], cleanEnv(index === 2 ? { BREAK_SETUP: '1' } : {}))))
    expect(shards.map((run) => run.code)).toEqual([0, 1, 0])
    expect(readdirSync(project.path('blob-reports'))).toHaveLength(3)
    const merged = await project.run(['--merge-reports=blob-reports'], cleanEnv())
    expect(merged.code).toBe(1)
    expect(merged.stderr).toContain('[vitest-llm-evals] merged 2 of 3 shards: shard 2/3 missing.')
    expect(historyLines()[0].partial).toEqual({ shardCount: 3, missingShards: [2] })
  })

  test("a shard's blob report merged twice is said, its line marked, the gate fails: its cases would count twice", async () => {
    const env = cleanEnv()
    await runShards(env)
    cpSync(project.path('blob-reports', 'blob-1.json'), project.path('blob-reports', 'blob-1-again.json'))
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(1)
    expect(merged.stderr).toContain('[vitest-llm-evals] merged 3 of 3 shards; 1 test file is in more than one blob report, so its cases are counted twice. Merge the blob reports of one run only, one per shard')
    expect(historyLines()[0].partial).toEqual({ shardCount: 3, missingShards: [], duplicatedFiles: 1 })
  })

  test('blob reports of two runs without --shard (two jobs, or one job\'s uploaded twice) are said, the line marked, the gate fails', async () => {
    const env = cleanEnv({ GITHUB_STEP_SUMMARY: project.path('step-summary.md') })
    // Each run without --shard writes its own history line; the merge's is the last.
    for (const name of ['a', 'b']) expect((await project.run(['--reporter=blob', `--outputFile.blob=blob-reports/blob-${name}.json`], env)).code).toBe(0)
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(1)
    expect(merged.stderr).toContain('[vitest-llm-evals] merged 2 blob reports of runs without --shard; 3 test files are in more than one blob report, so their cases are counted twice. Merge the blob report of one run only')
    expect(merged.stderr).toMatch(/Eval gate failed \(a partial merge\):\n {2}- merged 2 blob reports of runs without --shard; 3 test files are in more than one blob report, so their cases are counted twice: the merge is partial\n/)
    expect(historyLines().at(-1).partial).toEqual({ shardCount: 1, missingShards: [], duplicatedFiles: 3, unsharded: true, blobReports: 2 })
    expect(project.read('step-summary.md')).toContain('**Partial run: merged 2 blob reports of runs without --shard; 3 test files are in more than one blob report')
    expect(project.read('.evals', 'report.html')).toContain('Partial run: merged 2 blob reports of runs without --shard; 3 test files were in two blob reports, their cases counted twice.')
    // One job's blob report twice: the same, and gate.allowMissingShards passes it, still saying so.
    rmSync(project.path('blob-reports', 'blob-b.json'))
    cpSync(project.path('blob-reports', 'blob-a.json'), project.path('blob-reports', 'blob-a-again.json'))
    const again = await project.run(['--merge-reports=blob-reports'], cleanEnv({ EVAL_ALLOW_PARTIAL: '1' }))
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('[vitest-llm-evals] merged 2 blob reports of runs without --shard; 3 test files are in more than one blob report')
    expect(again.stderr).toContain('gate.allowMissingShards is set: the run is not failed for it.')
    expect(historyLines().at(-1).partial).toMatchObject({ unsharded: true, duplicatedFiles: 3 })
  })

  test('blob reports of runs without --shard over different test files (one job per folder) merge as one whole run', async () => {
    const env = cleanEnv()
    for (const [name, file] of [['a', 'titles'], ['b', 'answers']]) expect((await project.run([file as string, '--reporter=blob', `--outputFile.blob=blob-reports/blob-${name}.json`], env)).code).toBe(0)
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(0)
    expect(merged.output).not.toMatch(/missing|partial|more than one blob report/)
    expect(historyLines().at(-1)).not.toHaveProperty('partial')
  })

  test('test files type-checked too (typecheck.include matching them) are not files merged twice: one run, sharded or not, is whole', async () => {
    writeFileSync(
      project.path('vitest.config.ts'),
      `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({ plugins: [llmEvals({ gate: { tolerance: 0.05 } })], test: { include: ['*.test.ts'], typecheck: { enabled: true, include: ['*.test.ts'] } } })
`,
    )
    const env = cleanEnv()
    expect((await project.run(['--reporter=blob', '--outputFile.blob=blob-reports/blob.json'], env)).code).toBe(0)
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(0)
    expect(merged.output).not.toMatch(/missing|partial|more than one blob report/)
    expect(historyLines().at(-1)).not.toHaveProperty('partial')
    rmSync(project.path('blob-reports'), { recursive: true })
    await runShards(env)
    const shards = await project.run(['--merge-reports=blob-reports'], env)
    expect(shards.code).toBe(0)
    expect(shards.output).not.toMatch(/missing|partial|more than one blob report/)
    expect(historyLines().at(-1)).not.toHaveProperty('partial')
    // Five runs with type checking (tsc in each): over a minute on a loaded 2-core machine.
  }, 180_000)

  test('blob labels (VITEST_BLOB_LABEL, an OS matrix) are runs of their own: no test file counted twice, each label\'s shards counted', async () => {
    const runs = ['linux', 'win'].flatMap((label) => [1, 2, 3].map((index) => project.run([`--shard=${index}/3`, '--reporter=blob', `--outputFile.blob=blob-reports/blob-${label}-${index}.json`], cleanEnv({ VITEST_BLOB_LABEL: label }))))
    expect((await Promise.all(runs)).map((run) => run.code)).toEqual([0, 0, 0, 0, 0, 0])
    const merged = await project.run(['--merge-reports=blob-reports'], cleanEnv())
    expect(merged.code).toBe(0)
    expect(merged.output).not.toMatch(/missing|partial|more than one blob report/)
    rmSync(project.path('blob-reports', 'blob-win-2.json'))
    const lacking = await project.run(['--merge-reports=blob-reports'], cleanEnv())
    expect(lacking.code).toBe(1)
    expect(lacking.stderr).toContain('[vitest-llm-evals] merged 2 of 3 shards: shard 2/3 missing.')
  })

  test('a stale blob report of another commit, split the same way, is said: the merge is no one run', async () => {
    await runShards(cleanEnv({ GITHUB_SHA: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }))
    // Shard 3 ran again on a later commit; its blob report replaced the first one's, the others are stale.
    const again = await project.run(['--shard=3/3', '--reporter=blob', '--outputFile.blob=blob-reports/blob-3.json'], cleanEnv({ GITHUB_SHA: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }))
    expect(again.code).toBe(0)
    const merged = await project.run(['--merge-reports=blob-reports'], cleanEnv())
    expect(merged.code).toBe(1)
    expect(merged.stderr).toContain('[vitest-llm-evals] merged 3 of 3 shards; the blob reports come from runs of different commits (1111111 and 2222222). Merge the blob reports of one run only')
    expect(historyLines()[0].partial).toEqual({ shardCount: 3, missingShards: [], commits: ['1111111', '2222222'] })
  })

  test('every shard there: no warning, no partial mark, the gate passes', async () => {
    const env = cleanEnv()
    await runShards(env)
    const merged = await project.run(['--merge-reports=blob-reports'], env)
    expect(merged.code).toBe(0)
    expect(merged.output).not.toMatch(/missing|partial/)
    const runs = historyLines()
    expect(runs[0]).not.toHaveProperty('partial')
    expect(runs[0].groups).toHaveLength(3)
  })
})
