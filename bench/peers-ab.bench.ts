/**
 * A/B of two packed builds of this library on the peers benchmark's workload (issue 17): CPU time and peak memory
 * of each process (Vitest's main process, its worker), not wall time, so it can be read on a busy machine. The two
 * tarballs are installed into two copies of one scratch project (Vitest 4.1, fastest-levenshtein), and plain Vitest,
 * `describeEval` + plain scorer and `evalEach` + `toBeSimilarTo` (bench/support/peers-styles.ts, history and report
 * on, each run starting from a history with one earlier run) run alternately, `rounds` rounds at each N; medians.
 *
 *   git worktree add /tmp/base <ref> --detach && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   (cd /tmp/base && npm run build && npm pack --pack-destination /tmp/a) && npm run build && npm pack --pack-destination /tmp/b
 *   npm exec -- node bench/peers-ab.bench.ts /tmp/a/vitest-llm-evals-*.tgz /tmp/b/vitest-llm-evals-*.tgz [rounds=5] [sizes=1000,5000]
 *
 * Without the two tarballs it prints this usage and exits 0 (`npm run bench` runs every file here). Needs the npm registry.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { cleanEnv } from './support/peers-project.ts'
import { median } from './support/peers-run.ts'
import { writeStyles } from './support/peers-styles.ts'

const [tarballA, tarballB] = process.argv.slice(2, 4)
const rounds = Number(process.argv[4] ?? 5)
const sizes = (process.argv[5] ?? '1000,5000').split(',').map(Number)
const STYLE_KEYS = ['plain', 'ours-describe', 'ours-each']

/** Loaded in every process of a run (`NODE_OPTIONS=--require`): its CPU time and peak RSS, at exit or on the SIGTERM Vitest stops workers with. */
const HOOK = `const { appendFileSync } = require('node:fs')
const out = process.env.PEERS_AB_OUT
if (out) {
  const role = process.argv.some((arg) => arg.endsWith('vitest.mjs')) ? 'main' : 'worker'
  let written = false
  const write = () => {
    if (written) return
    written = true
    const cpu = process.cpuUsage()
    appendFileSync(out, JSON.stringify({ role, cpuMs: (cpu.user + cpu.system) / 1000, rssMiB: process.resourceUsage().maxRSS / 1024 }) + '\\n')
  }
  process.on('exit', write)
  if (role === 'worker') process.on('SIGTERM', () => { write(); process.exit(0) })
}
`

interface Sample {
  mainCpu: number
  workerCpu: number
  mainRss: number
  workerRss: number
}

function install(root: string, a: string, b: string): { a: string; b: string } {
  const dirA = join(root, 'a')
  mkdirSync(dirA)
  writeFileSync(join(dirA, 'package.json'), JSON.stringify({ name: 'bench-peers-ab', private: true, type: 'module' }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', '--legacy-peer-deps', 'vitest@4.1', 'fastest-levenshtein@1', resolve(a)], { cwd: dirA, stdio: ['ignore', 'ignore', 'inherit'] })
  const dirB = join(root, 'b')
  cpSync(dirA, dirB, { recursive: true, verbatimSymlinks: true })
  const installed = join(dirB, 'node_modules', 'vitest-llm-evals')
  rmSync(installed, { recursive: true, force: true })
  mkdirSync(installed)
  execFileSync('tar', ['-xzf', resolve(b), '-C', installed, '--strip-components=1'])
  return { a: dirA, b: dirB }
}

function run(dir: string, config: string, tests: number, seed: string | undefined, hook: string, out: string): { sample: Sample; history: string | undefined } {
  const evals = join(dir, '.evals')
  rmSync(evals, { recursive: true, force: true })
  if (seed !== undefined) (mkdirSync(evals), writeFileSync(join(evals, 'history.jsonl'), seed))
  rmSync(out, { force: true })
  const env = cleanEnv({ PEERS_AB_OUT: out, NODE_OPTIONS: `--require ${hook}` })
  const result = spawnSync(process.execPath, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', config], { cwd: dir, env, encoding: 'utf8' })
  if (result.status !== 0 || !new RegExp(`Tests +${tests} passed \\(${tests}\\)`).test(result.stdout)) throw new Error(`${dir} ${config} failed:\n${result.stdout.slice(-3000)}${result.stderr.slice(-3000)}`)
  const processes = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { role: string; cpuMs: number; rssMiB: number })
  const main = processes.filter((each) => each.role === 'main')
  const workers = processes.filter((each) => each.role === 'worker')
  const sum = (list: typeof processes, field: 'cpuMs') => list.reduce((total, each) => total + each[field], 0)
  const peak = (list: typeof processes) => Math.max(0, ...list.map((each) => each.rssMiB))
  const history = existsSync(join(evals, 'history.jsonl')) ? readFileSync(join(evals, 'history.jsonl'), 'utf8') : undefined
  return { sample: { mainCpu: sum(main, 'cpuMs'), workerCpu: sum(workers, 'cpuMs'), mainRss: peak(main), workerRss: peak(workers) }, history }
}

if (tarballA === undefined || tarballB === undefined) {
  console.log('peers-ab: pass two packed tarballs (see the comment at the top of bench/peers-ab.bench.ts); nothing to compare.')
} else {
  const root = mkdtempSync(join(tmpdir(), 'llm-evals-peers-ab-'))
  try {
    console.log(`Installing vitest@4.1, fastest-levenshtein and each tarball into ${root}…`)
    const dirs = install(root, tarballA, tarballB)
    const hook = join(root, 'cpu-hook.cjs')
    writeFileSync(hook, HOOK)
    const out = join(root, 'processes.jsonl')
    for (const cases of sizes) {
      const configs = { a: writeStyles(dirs.a, cases), b: writeStyles(dirs.b, cases) }
      // Plain Vitest does not load the library: run once (in A), as the reference.
      const combos = STYLE_KEYS.flatMap((key) => (key === 'plain' ? [['a', key]] : [['a', key], ['b', key]])) as ['a' | 'b', string][]
      const seeds = new Map<string, string | undefined>()
      for (const [side, key] of combos) seeds.set(`${side}/${key}`, run(dirs[side], configs[side][key]!, cases, undefined, hook, out).history)
      const samples = new Map<string, Sample[]>(combos.map(([side, key]) => [`${side}/${key}`, []]))
      for (let round = 0; round < rounds; round++) {
        for (let index = 0; index < combos.length; index++) {
          const [side, key] = combos[(index + round) % combos.length]!
          samples.get(`${side}/${key}`)!.push(run(dirs[side], configs[side][key]!, cases, seeds.get(`${side}/${key}`), hook, out).sample)
        }
        process.stdout.write(`  N=${cases}: round ${round + 1}/${rounds} done\n`)
      }
      console.log(`\nN = ${cases}, medians of ${rounds} rounds (CPU ms; peak RSS MiB)\n${'run'.padEnd(18)}${['main CPU', 'worker CPU', 'main RSS', 'worker RSS'].map((title) => title.padStart(11)).join('')}`)
      for (const [name, list] of samples) {
        const fields = (['mainCpu', 'workerCpu', 'mainRss', 'workerRss'] as const).map((field) => String(Math.round(median(list.map((sample) => sample[field])))).padStart(11))
        console.log(`${name.padEnd(18)}${fields.join('')}`)
      }
    }
  } finally {
    if (process.env['KEEP_BENCH_PROJECT'] === '1') console.log(`Kept ${root}`)
    else rmSync(root, { recursive: true, force: true })
  }
}
