import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { cleanEnv, repoRoot } from './run-fixture.js'

interface JsonReport {
  numPassedTests: number
  testResults: { assertionResults: { fullName: string; meta: { evals?: { metric: string; score: number; pass: boolean; attempt: unknown }[]; cassette?: unknown } }[] }[]
}

test('the examples replay offline with matchers registered by the plugin, and scores land on each test', () => {
  const outputFile = join(mkdtempSync(join(tmpdir(), 'examples-')), 'report.json')
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'examples/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`],
    { cwd: repoRoot, env: cleanEnv({ CI: 'true' }), encoding: 'utf8' },
  )
  expect(run.status, run.stdout + run.stderr).toBe(0)
  expect(run.stdout).toContain('LLM evals: 9 scores (0 below threshold) · cassettes [replay]: 3 replayed, 0 recorded')
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as JsonReport
  const tests = report.testResults.flatMap((file) => file.assertionResults)
  const refund = tests.find((result) => result.fullName.includes('a double charge is a refund'))
  expect(refund?.meta.evals?.map((record) => [record.metric, record.pass])).toEqual([
    ['schema', true],
    ['instructions', true],
    ['similarity:rouge-l', true],
  ])
  expect(refund?.meta.evals?.[0]).toMatchObject({ score: 1, attempt: { retry: 0, repeat: 0 } })
  expect(refund?.meta.cassette).toEqual({
    replayed: 1,
    recorded: 0,
    calls: [{ role: 'app', source: 'replayed', model: 'gpt-4o-mini', inputTokens: expect.any(Number), outputTokens: expect.any(Number), latencyMs: expect.any(Number), attempt: { repeat: 0, retry: 0 } }],
  })
})
