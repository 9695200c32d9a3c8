import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../..')
const vitestBin = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs')

/** A copy of a fixture project inside the repo (so `vitest-llm-evals` resolves to this package). */
export interface FixtureProject {
  dir: string
  path(...parts: string[]): string
  read(...parts: string[]): string
  exists(...parts: string[]): boolean
  run(args?: string[], env?: NodeJS.ProcessEnv, options?: { signal?: AbortSignal; onStdout?: (text: string) => void }): Promise<RunResult>
  /** Deletes the copy. */
  remove(): void
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  output: string
}

/** Env of a fixture run: no real keys, no CI flag, no cassette mode unless the test sets them. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of ['CI', 'LLM_EVALS_CASSETTES', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_OPTIONS', 'TEST']) delete env[name]
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', ...extra }
}

/** Copies `test/e2e/fixtures/<name>` to a fresh folder under `test/e2e/.tmp`. */
export function fixture(name: string): FixtureProject {
  const base = join(repoRoot, 'test', 'e2e', '.tmp')
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, `${name}-`))
  cpSync(join(repoRoot, 'test', 'e2e', 'fixtures', name), dir, { recursive: true })
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    read: (...parts) => readFileSync(join(dir, ...parts), 'utf8'),
    exists: (...parts) => existsSync(join(dir, ...parts)),
    run: (args = [], env = cleanEnv(), options = {}) => runVitest(dir, args, env, options),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

function runVitest(dir: string, args: string[], env: NodeJS.ProcessEnv, options: { signal?: AbortSignal; onStdout?: (text: string) => void }): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [vitestBin, 'run', '--root', dir, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      options.onStdout?.(stdout)
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    options.signal?.addEventListener('abort', () => child.kill('SIGKILL'))
    child.on('error', fail)
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, output: stdout + stderr }))
  })
}

/**
 * Lays `project` out as npm installs the package into it: the built package (dist/ and package.json) under
 * node_modules/vitest-llm-evals, its dependencies resolving from the repo's, and a package.json of its own so
 * Node does not resolve `vitest-llm-evals` to the repo (a self-reference).
 */
export function installBuiltPackage(project: FixtureProject, name: string): void {
  writeFileSync(project.path('package.json'), JSON.stringify({ name, private: true, type: 'module' }))
  const installed = project.path('node_modules', 'vitest-llm-evals')
  mkdirSync(installed, { recursive: true })
  cpSync(join(repoRoot, 'dist'), join(installed, 'dist'), { recursive: true })
  cpSync(join(repoRoot, 'package.json'), join(installed, 'package.json'))
}
