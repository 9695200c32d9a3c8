/**
 * The peers benchmark's scratch project: a temp dir where `npm install` puts Vitest 4.1, vitest-evals (pinned,
 * with the `ai` major its peer range allows), the SDKs, and this library as users get it (the `npm pack`
 * tarball of the built repository). Nothing is linked from the repository, so every style runs on what a user
 * who chose it would have installed.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repo } from './installed-project.ts'

/** What is installed beside our tarball; vitest-evals 0.16.1 wants vitest <5 and ai >=4 <7. */
export const PEER_PACKAGES = [
  'vitest@4.1',
  'vitest-evals@0.16.1',
  'ai@6',
  'tinyrainbow@3',
  'zod@4',
  'fastest-levenshtein@1',
  'openai@7',
  '@anthropic-ai/sdk@1',
]

export interface PeersProject {
  dir: string
  /** The installed Vitest 4.1 entry, run with this process's Node. */
  vitest: string
  /** `name@version` of what was installed, for the table's heading. */
  versions: Record<string, string>
  remove: () => void
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } })

/**
 * Creates and installs the project (about 20-40 s with a warm npm cache). `--legacy-peer-deps` is needed: our
 * optional peer `ai@^7` and vitest-evals' optional peer `ai@>=4 <7` cannot both hold, and npm refuses the
 * install otherwise, although neither library needs `ai` for what is measured here.
 */
export function createPeersProject(): PeersProject {
  const dir = mkdtempSync(join(tmpdir(), 'llm-evals-peers-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-peers', private: true, type: 'module' }))
  // The script assumes `npm run build` ran: packing again would rebuild (prepack) on every run.
  const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], repo).trim().split('\n').pop() ?? ''
  npm(['install', '--no-audit', '--no-fund', '--silent', '--legacy-peer-deps', ...PEER_PACKAGES, `./${tarball}`], dir)
  const versions: Record<string, string> = {}
  for (const name of ['vitest', 'vitest-evals', 'ai', 'vitest-llm-evals', 'openai', '@anthropic-ai/sdk']) {
    const manifest = execFileSync(process.execPath, ['-p', `require('./node_modules/${name}/package.json').version`], { cwd: dir, encoding: 'utf8' })
    versions[name] = manifest.trim()
  }
  return { dir, vitest: join(dir, 'node_modules', 'vitest', 'vitest.mjs'), versions, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The spawned runs' environment: no keys or base URLs from the caller's shell, no colour, `CI` as asked. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true' }
  for (const name of Object.keys(env)) {
    if (/_API_KEY$|_BASE_URL$|_TOKEN$|_SECRET$/.test(name) || name === 'FORCE_COLOR' || name === 'LLM_EVALS_CASSETTES' || name.startsWith('VITEST_EVALS')) delete env[name]
  }
  return { ...env, ...extra }
}

/** A Vitest config that runs one test file, with or without our plugin (with `pluginOptions`, source text; default none: history and HTML report on). */
export function writeConfig(dir: string, name: string, testFile: string, plugin: boolean, pluginOptions = ''): string {
  const file = `${name}.config.ts`
  const imports = `import { defineConfig } from 'vitest/config'\n${plugin ? "import { llmEvals } from 'vitest-llm-evals/plugin'\n" : ''}`
  writeFileSync(join(dir, file), `${imports}export default defineConfig({ ${plugin ? `plugins: [llmEvals(${pluginOptions})], ` : ''}test: { include: ['${testFile}'] } })\n`)
  return file
}
