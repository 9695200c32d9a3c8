// The published declarations type-check in a project that installed the package with its dependencies and peers
// only (no dev dependency's @types), with skipLibCheck off. dice.d.ts named `typeof import('string-similarity')`
// (its types are @types/string-similarity, a dev dependency: TS7016), and secret-rules.d.ts @secretlint/types (TS2307).
// Outside the repo (a temporary folder), so no declaration resolves from the repo's node_modules. Reads the build.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { repoRoot } from './run-fixture.js'

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> }
const dir = mkdtempSync(join(tmpdir(), 'llm-evals-published-types-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the declarations of every entry type-check with skipLibCheck off and no dev dependency', () => {
  const installed = join(dir, 'node_modules', 'vitest-llm-evals')
  mkdirSync(installed, { recursive: true })
  cpSync(join(repoRoot, 'dist'), join(installed, 'dist'), { recursive: true })
  cpSync(join(repoRoot, 'package.json'), join(installed, 'package.json'))
  // Node's types too: a Vitest project has them (the declarations name node: modules, as Vitest's do).
  for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies), '@types/node']) {
    const link = join(dir, 'node_modules', name)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(join(repoRoot, 'node_modules', name), link, 'dir')
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'published-types', private: true, type: 'module' }))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['app.ts'] }),
  )
  const entries = ['vitest-llm-evals', 'vitest-llm-evals/metrics', 'vitest-llm-evals/plugin', 'vitest-llm-evals/matchers', 'vitest-llm-evals/reporter', 'vitest-llm-evals/runner']
  writeFileSync(join(dir, 'app.ts'), `${entries.map((entry, at) => `import * as entry${at} from '${entry}'`).join('\n')}\nconsole.log(${entries.map((_, at) => `entry${at}`).join(', ')})\n`)
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8' })
  expect(result.stdout + result.stderr).toBe('')
  expect(result.status).toBe(0)
}, 120_000)
