/**
 * One timed `vitest run` of the peers benchmark, with its peak memory: the sum of the resident set of the
 * whole process tree (Vitest 4 runs test files in child processes), sampled from /proc every 15 ms.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface RunResult {
  ms: number
  /** Peak of the summed RSS of the process tree, MiB (NaN where /proc is missing). */
  peakMiB: number
}

const PAGE_BYTES = 4096
const SAMPLE_MS = 15

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // the process ended between listing and reading
  }
}

/** Resident pages of `pid` and every descendant (children listed per thread in /proc). */
function treeRssPages(pid: number): number {
  const statm = read(`/proc/${pid}/statm`)
  let pages = statm === undefined ? 0 : Number(statm.split(' ')[1] ?? 0)
  let threads: string[] = []
  try {
    threads = readdirSync(`/proc/${pid}/task`)
  } catch {
    threads = [] // ended
  }
  for (const thread of threads) {
    for (const child of (read(`/proc/${pid}/task/${thread}/children`) ?? '').split(' ')) {
      if (child.trim() !== '') pages += treeRssPages(Number(child))
    }
  }
  return pages
}

/**
 * Runs `vitest run --config <config>` in `cwd` and fails unless it exits 0 having passed exactly `tests` tests
 * (a run that skipped cases would make the comparison meaningless).
 */
export async function timedVitestRun(vitest: string, cwd: string, config: string, env: NodeJS.ProcessEnv, tests: number): Promise<RunResult> {
  const started = performance.now()
  const child = spawn(process.execPath, [vitest, 'run', '--config', config], { cwd, env })
  let peakPages = 0
  const sampler = setInterval(() => {
    if (child.pid !== undefined) peakPages = Math.max(peakPages, treeRssPages(child.pid))
  }, SAMPLE_MS)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  const ms = performance.now() - started
  clearInterval(sampler)
  if (code !== 0 || !new RegExp(`Tests +${tests} passed \\(${tests}\\)`).test(output)) {
    throw new Error(`${config} failed or did not pass exactly ${tests} tests (exit ${code}):\n${output.slice(-4000)}`)
  }
  return { ms, peakMiB: peakPages === 0 ? NaN : (peakPages * PAGE_BYTES) / 2 ** 20 }
}

/** The median of `values` (the lower middle for an even count). */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN
