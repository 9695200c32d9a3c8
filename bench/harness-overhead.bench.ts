/**
 * Harness overhead: N in-memory cases (an async task, a normalised Levenshtein score, a pass mark), written
 * once with `evalEach` + `toBeSimilarTo` under the plugin and once in plain Vitest (`test.for` + `expect`),
 * for N = 100, 1,000 and 5,000. Alternating runs, medians of the wall time of `vitest run`; target ratio
 * <= 1.05x at every N, and time growing linearly in N. No model calls: this measures the harness alone.
 * Both suites use the global `expect` (the test context's `expect`, which concurrent tests need, costs Vitest
 * itself the same in both), and the library is installed in `node_modules` as users have it.
 *
 *   npm run build && npm exec -- node bench/harness-overhead.bench.ts [rounds=5] [sizes=100,1000,5000]
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { installedProject, repo } from './support/installed-project.ts'

const rounds = Number(process.argv[2] ?? 5)
const sizes = (process.argv[3] ?? '100,1000,5000').split(',').map(Number)
const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs')

const { dir, remove } = installedProject('harness')

// The same rows, task and expected text in both suites; every tenth answer differs a little, all pass 0.8.
const shared = (cases: number) => `const rows = Array.from({ length: ${cases} }, (_, i) => ({ id: 'c' + i, question: 'question ' + i }))
const task = async (question: string) => (Number(question.slice(9)) % 10 === 0 ? 'The answer to ' + question + ' is in the help centre!' : 'The answer to ' + question + ' is in the help centre.')
const expected = (question: string) => 'The answer to ' + question + ' is in the help centre.'
`

function writeProject(cases: number): void {
  writeFileSync(
    join(dir, `harness-${cases}.test.ts`),
    `import { expect } from 'vitest'
import { evalEach } from 'vitest-llm-evals'
${shared(cases)}
evalEach(rows)('case $id', async (row) => {
  await expect(await task(row.question)).toBeSimilarTo(expected(row.question), { method: 'levenshtein', threshold: 0.8 })
})
`,
  )
  writeFileSync(
    join(dir, `plain-${cases}.test.ts`),
    `import { expect, test } from 'vitest'
import { distance } from 'fastest-levenshtein'
${shared(cases)}
test.for(rows)('case $id', async (row) => {
  const output = await task(row.question)
  const reference = expected(row.question)
  expect(1 - distance(output, reference) / Math.max(output.length, reference.length)).toBeGreaterThanOrEqual(0.8)
})
`,
  )
  writeFileSync(join(dir, `harness-${cases}.config.ts`), `import { defineConfig } from 'vitest/config'\nimport { llmEvals } from 'vitest-llm-evals/plugin'\nexport default defineConfig({ plugins: [llmEvals()], test: { include: ['harness-${cases}.test.ts'] } })\n`)
  // The same without history and HTML report: how much of the overhead is the end-of-run reporting.
  writeFileSync(join(dir, `quiet-${cases}.config.ts`), `import { defineConfig } from 'vitest/config'\nimport { llmEvals } from 'vitest-llm-evals/plugin'\nexport default defineConfig({ plugins: [llmEvals({ history: false, report: false })], test: { include: ['harness-${cases}.test.ts'] } })\n`)
  writeFileSync(join(dir, `plain-${cases}.config.ts`), `import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { include: ['plain-${cases}.test.ts'] } })\n`)
}

const clean: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true' }
for (const name of ['FORCE_COLOR', 'LLM_EVALS_CASSETTES', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL']) delete clean[name]

async function run(config: string, cases: number): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, [vitest, 'run', '--config', config], { cwd: dir, env: clean })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  // A run that did not execute every case would make the comparison meaningless.
  if (code !== 0 || !new RegExp(`Tests +${cases} passed`).test(output)) throw new Error(`${config} failed or ran the wrong number of tests:\n${output}`)
  return performance.now() - started
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
const results: { cases: number; plain: number; harness: number; quiet: number }[] = []
for (const cases of sizes) {
  writeProject(cases)
  await run(`plain-${cases}.config.ts`, cases) // warm-up: transform caches
  await run(`harness-${cases}.config.ts`, cases)
  const plain: number[] = []
  const harness: number[] = []
  const quiet: number[] = []
  for (let round = 0; round < rounds; round++) {
    plain.push(await run(`plain-${cases}.config.ts`, cases))
    harness.push(await run(`harness-${cases}.config.ts`, cases))
    quiet.push(await run(`quiet-${cases}.config.ts`, cases))
  }
  results.push({ cases, plain: median(plain), harness: median(harness), quiet: median(quiet) })
}

console.log(`Harness overhead, ${rounds} alternating rounds per N (wall time of \`vitest run\`, medians)`)
console.log('  N       plain Vitest   evalEach + matcher   ratio   extra per case   without history/report')
for (const { cases, plain, harness, quiet } of results) {
  const perCase = (harness - plain) / cases
  console.log(`  ${String(cases).padEnd(6)}  ${(plain / 1000).toFixed(2).padStart(9)} s  ${(harness / 1000).toFixed(2).padStart(15)} s   ${(harness / plain).toFixed(2)}x   ${perCase.toFixed(3).padStart(8)} ms   ${(quiet / 1000).toFixed(2)} s = ${(quiet / plain).toFixed(2)}x`)
}
// Linear growth shows as a constant cost per added case between consecutive N (a quadratic harness's would climb).
for (let index = 1; index < results.length; index++) {
  const from = results[index - 1]!
  const to = results[index]!
  const slope = (key: 'plain' | 'harness') => (to[key] - from[key]) / (to.cases - from.cases)
  console.log(`  N ${from.cases} -> ${to.cases}: per added case ${slope('plain').toFixed(3)} ms plain, ${slope('harness').toFixed(3)} ms evalEach + matcher`)
}
console.log('  target: ratio <= 1.05x at every N, cost per added case constant in N')
remove()
