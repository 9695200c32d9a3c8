import { spawn } from 'node:child_process'
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

const bin = join(repoRoot, 'dist', 'src', 'cli', 'bin.js')
const CASSETTE = join('__cassettes__', 'bot.test.ts.cassette.json')

/** Runs `llm-evals <args>` in the project, as a user would after their test run. */
function llmEvals(project: FixtureProject, args: string[], env = cleanEnv()): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, output }))
  })
}

const storedTests = (project: FixtureProject) =>
  (JSON.parse(project.read(CASSETTE)) as { entries: { test: string; call: number }[] }).entries.map((entry) => `${entry.test}#${entry.call}`)

let server: ModelServer
const liveEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', ...extra })
const replayEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ CI: 'true', ...extra })

beforeAll(async () => {
  server = await startModelServer()
})
afterAll(async () => {
  await server?.close().catch(() => undefined)
})

describe('llm-evals cassettes check and prune after real runs', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('checks')
  })
  afterAll(() => project?.remove())

  test('after an auto run, every freshly recorded entry counts as used: check lists none unused, prune keeps them all, replay passes', async () => {
    const recorded = await project.run([], liveEnv())
    expect(recorded.output).toContain('Tests  4 passed')
    const check = await llmEvals(project, ['cassettes', 'check'])
    expect(check.code).toBe(0)
    expect(check.output).toContain('✓ __cassettes__/bot.test.ts.cassette.json: 5 entries')
    expect(check.output).not.toContain('unused')
    const before = project.read(CASSETTE)
    expect((await llmEvals(project, ['cassettes', 'prune'])).output).toContain('Removed 0 entries.')
    expect(project.read(CASSETTE)).toBe(before)
    expect((await project.run([], replayEnv())).output).toContain('Tests  4 passed')
  })

  test('after a record run, the same: nothing it recorded is unused or pruned', async () => {
    const recorded = await project.run([], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(recorded.output).toContain('Tests  4 passed')
    expect((await llmEvals(project, ['cassettes', 'check'])).output).not.toContain('unused')
    const before = project.read(CASSETTE)
    expect((await llmEvals(project, ['cassettes', 'prune'])).output).toContain('Removed 0 entries.')
    expect(project.read(CASSETTE)).toBe(before)
    expect((await project.run([], replayEnv())).output).toContain('Tests  4 passed')
  })

  test.each([
    ['a test failed before its last call', { FAIL_EARLY: '1' }, [], 1, /1 test failed \("answers twice"\)/],
    ['a test skipped itself at run time', { SKIP_AT_RUN_TIME: '1' }, [], 0, /1 test did not run \("skippable at run time"\)/],
    ["a suite's beforeAll failed, so its tests were skipped", { FAIL_GROUP_SETUP: '1' }, [], 1, /1 test did not run \("group > in group"\)/],
    ["the file's beforeAll failed, so no test ran", { FAIL_FILE_SETUP: '1' }, [], 1, /4 tests did not run \("greets", "answers twice", "skippable at run time", \+1 more\)/],
    ['the run was filtered with -t', {}, ['-t', 'greets'], 0, /3 tests did not run \("answers twice", "skippable at run time", "group > in group"\)/],
  ])('prune refuses after a run in which %s, and says which file, why and what to run', async (_, env, args, code, reason) => {
    const run = await project.run(args, replayEnv(env))
    expect(run.code).toBe(code)
    const before = project.read(CASSETTE)
    const check = await llmEvals(project, ['cassettes', 'check'])
    expect(check.output).not.toContain('unused:')
    expect(check.output).toMatch(reason)
    const prune = await llmEvals(project, ['cassettes', 'prune'])
    expect(prune.code).toBe(1)
    expect(prune.output).toContain('✗ __cassettes__/bot.test.ts.cassette.json: not pruned:')
    expect(prune.output).toMatch(reason)
    expect(prune.output).toContain('Run `npx vitest run bot.test.ts` (no -t, .only or .skip) until every test passes, then prune again.')
    expect(project.read(CASSETTE)).toBe(before)
  })

  test('after a complete, successful run, prune removes exactly what it did not use, unless the cassette changed since', async () => {
    const run = await project.run([], replayEnv({ DROP_SECOND_CALL: '1' }))
    expect(run.output).toContain('Tests  4 passed')
    expect((await llmEvals(project, ['cassettes', 'check'])).output).toContain('unused: 1 entries ("answers twice")')
    // A pull brings a teammate's new recording: the last run never saw it, so it is not "unused".
    const ran = project.read(CASSETTE)
    const document = JSON.parse(ran) as { entries: { test: string }[] }
    writeFileSync(project.path(CASSETTE), JSON.stringify({ ...document, entries: [...document.entries, { ...document.entries[0], test: 'teammate test' }] }, null, 2))
    const changed = await llmEvals(project, ['cassettes', 'prune'])
    expect(changed.code).toBe(1)
    expect(changed.output).toContain('✗ __cassettes__/bot.test.ts.cassette.json: not pruned: it changed since its last run')
    expect(storedTests(project)).toContain('teammate test#0')
    writeFileSync(project.path(CASSETTE), ran)
    const pruned = await llmEvals(project, ['cassettes', 'prune'])
    expect(pruned.code).toBe(0)
    expect(pruned.output).toContain('Removed 1 entry.')
    expect(storedTests(project)).toEqual(['answers twice#0', 'greets#0', 'group > in group#0', 'skippable at run time#0'])
    expect((await project.run([], replayEnv({ DROP_SECOND_CALL: '1' }))).output).toContain('Tests  4 passed')
  })
})

describe('llm-evals cassettes check fails on every missing recording', () => {
  const newTest = `import OpenAI from 'openai'
import { test } from 'vitest'
test('brand new', async () => {
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'never recorded' }] })
})
`

  test('a replay miss in a project with no cassette at all fails check (exit 1, also outside CI), naming the request and test', async () => {
    const project = fixture('checks')
    try {
      writeFileSync(project.path('new.test.ts'), newTest)
      const run = await project.run(['new.test.ts'], replayEnv())
      expect(run.code).toBe(1)
      expect(project.exists('__cassettes__')).toBe(false)
      const check = await llmEvals(project, ['cassettes', 'check'])
      expect(check.code).toBe(1)
      expect(check.output).toContain('✗ __cassettes__/new.test.ts.cassette.json: no cassette file yet')
      expect(check.output).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "brand new")')
      expect(check.output).not.toContain('No cassettes under')
    } finally {
      project.remove()
    }
  })

  test('in a separate merge job (shards upload blob reports, the merge job runs --merge-reports), check sees the shards\' misses', async () => {
    const shardJob = fixture('checks')
    const mergeJob = fixture('checks')
    try {
      expect((await shardJob.run([], liveEnv())).output).toContain('Tests  4 passed')
      writeFileSync(shardJob.path('new.test.ts'), newTest)
      // The merge job checks out the same commit: the cassettes and the new test file, nothing else of the shards.
      cpSync(shardJob.path('__cassettes__'), mergeJob.path('__cassettes__'), { recursive: true })
      writeFileSync(mergeJob.path('new.test.ts'), newTest)
      for (const index of [1, 2]) {
        const shard = await shardJob.run([`--shard=${index}/2`, '--reporter=blob', `--outputFile=blob/blob-${index}.json`], replayEnv())
        expect(shard.output).toContain('blob report written')
      }
      cpSync(shardJob.path('blob'), mergeJob.path('blob'), { recursive: true })
      const merged = await mergeJob.run(['--merge-reports', 'blob'], replayEnv())
      expect(merged.code).toBe(1)
      const check = await llmEvals(mergeJob, ['cassettes', 'check'], replayEnv())
      expect(check.code).toBe(1)
      expect(check.output).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "brand new")')
      expect(check.output).toMatch(/✓ __cassettes__\/bot\.test\.ts\.cassette\.json: 5 entries, [\d.]+ KB; last run \S+ \(replay\)/)
    } finally {
      shardJob.remove()
      mergeJob.remove()
    }
  })
})

describe('llm-evals cassettes check after runs no worker hook reported', () => {
  const collectTest = `import OpenAI from 'openai'
import { test } from 'vitest'
// A dataset generated while the file is collected: no test, no hook has started yet.
const rows = await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'generate three tickets' }] })
test('uses rows', () => { void rows })
`

  test('a request that missed while the file was collected (top-level await) fails check, also through blob reports and --merge-reports', async () => {
    const project = fixture('checks')
    try {
      writeFileSync(project.path('collect.test.ts'), collectTest)
      const ci = await project.run(['collect.test.ts'], replayEnv())
      expect(ci.code).toBe(1)
      expect(ci.output).toContain('No recording for POST')
      const check = await llmEvals(project, ['cassettes', 'check'])
      expect(check.code).toBe(1)
      expect(check.output).toContain('✗ __cassettes__/collect.test.ts.cassette.json: no cassette file yet')
      expect(check.output).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "(file)")')
      // The same run as a blob report, merged in another job.
      rmSync(project.path('node_modules'), { recursive: true, force: true })
      const shard = await project.run(['collect.test.ts', '--shard=1/1', '--reporter=blob', '--outputFile=blob/blob-1.json'], replayEnv())
      expect(shard.output).toContain('blob report written')
      expect((await llmEvals(project, ['cassettes', 'check'])).output).toContain('No cassettes under')
      expect((await project.run(['--merge-reports', 'blob'], replayEnv())).code).toBe(1)
      const merged = await llmEvals(project, ['cassettes', 'check'])
      expect(merged.code).toBe(1)
      expect(merged.output).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "(file)")')
    } finally {
      project.remove()
    }
  })

  test("a replay miss in a run whose file-level afterAll threw fails check, though the cassette's last report was a passing run", async () => {
    const project = fixture('checks')
    try {
      writeFileSync(
        project.path('teardown.test.ts'),
        `import OpenAI from 'openai'
import { afterAll, test } from 'vitest'
afterAll(() => { if (process.env.TEARDOWN_FAILS) throw new Error('db.close() failed') })
test('one', async () => {
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: process.env.PROMPT ?? 'one' }] })
})
`,
      )
      expect((await project.run(['teardown.test.ts'], liveEnv())).code).toBe(0)
      const ci = await project.run(['teardown.test.ts'], replayEnv({ TEARDOWN_FAILS: '1', PROMPT: 'changed prompt' }))
      expect(ci.output).toContain('No recording for POST')
      const check = await llmEvals(project, ['cassettes', 'check'])
      expect(check.code).toBe(1)
      expect(check.output).toContain('✗ __cassettes__/teardown.test.ts.cassette.json')
      expect(check.output).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "one")')
    } finally {
      project.remove()
    }
  })

  test('a damaged usage report (a null slot) is skipped and named: check does not crash, prune leaves that cassette alone', async () => {
    const project = fixture('checks')
    try {
      expect((await project.run(['bot.test.ts'], liveEnv())).output).toContain('Tests  4 passed')
      const dir = project.path('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
      const [name] = readdirSync(dir)
      const report = JSON.parse(project.read('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage', name as string)) as Record<string, unknown>
      writeFileSync(project.path('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage', name as string), JSON.stringify({ ...report, used: [null] }))
      const check = await llmEvals(project, ['cassettes', 'check'])
      expect(check.code).toBe(0)
      expect(check.output).toContain(`unused entries not known: its usage report node_modules/.cache/vitest-llm-evals/cassette-usage/${name} is damaged (used.0: Invalid input: expected object, received null)`)
      const before = project.read(CASSETTE)
      const prune = await llmEvals(project, ['cassettes', 'prune'])
      expect(prune.code).toBe(1)
      expect(prune.output).toContain('✗ __cassettes__/bot.test.ts.cassette.json: not pruned: its usage report')
      expect(project.read(CASSETTE)).toBe(before)
    } finally {
      project.remove()
    }
  })
})

describe('llm-evals cassettes prune after a run of some projects', () => {
  test('two projects run one file with different env; after a --project run, prune refuses (the other project did not run it), and both still replay', async () => {
    const project = fixture('checks')
    try {
      writeFileSync(
        project.path('vitest.projects.config.ts'),
        `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({
  plugins: [llmEvals({ history: false, report: false })],
  test: {
    projects: [
      { extends: true, test: { name: 'mini', include: ['models.test.ts'], env: { MODEL: 'gpt-4o-mini' } } },
      { extends: true, test: { name: 'big', include: ['models.test.ts'], env: { MODEL: 'gpt-4o' } } },
    ],
  },
})
`,
      )
      writeFileSync(
        project.path('models.test.ts'),
        `import OpenAI from 'openai'
import { test } from 'vitest'
test('answers', async () => {
  await new OpenAI().chat.completions.create({ model: process.env.MODEL!, messages: [{ role: 'user', content: 'hi' }] })
})
`,
      )
      const config = ['--config', 'vitest.projects.config.ts']
      expect((await project.run(config, liveEnv())).output).toContain('Tests  2 passed')
      expect((await project.run(config, replayEnv())).output).toContain('Tests  2 passed')
      expect((await llmEvals(project, ['cassettes', 'prune', '--dry-run'])).output).toContain('✓ __cassettes__/models.test.ts.cassette.json: 0 unused entries')
      expect((await project.run([...config, '--project', 'mini'], replayEnv())).output).toContain('Tests  1 passed')
      const cassette = project.read('__cassettes__', 'models.test.ts.cassette.json')
      const prune = await llmEvals(project, ['cassettes', 'prune'])
      expect(prune.code).toBe(1)
      expect(prune.output).toContain('✗ __cassettes__/models.test.ts.cassette.json: not pruned: its last run')
      expect(prune.output).toContain('project big did not run it. Run `npx vitest run --config vitest.projects.config.ts models.test.ts` (no --project, -t, .only or .skip)')
      expect(project.read('__cassettes__', 'models.test.ts.cassette.json')).toBe(cassette)
      const all = await project.run(config, replayEnv())
      expect(all.output).not.toContain('No recording for')
      expect(all.output).toContain('Tests  2 passed')
      // After a run of every project, prune can tell again.
      expect((await llmEvals(project, ['cassettes', 'prune'])).code).toBe(0)
    } finally {
      project.remove()
    }
  })
})

describe('the end-of-run summary counts what was written', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('checks')
  })
  afterAll(() => project?.remove())

  test('an SDK retry (429, then 200) stores one entry and the summary says 1 recorded', async () => {
    writeFileSync(
      project.path('retry.test.ts'),
      `import OpenAI from 'openai'
import { test } from 'vitest'
test('embeds after a 429', async () => {
  await new OpenAI({ maxRetries: 2 }).embeddings.create({ model: 'text-embedding-3-small', input: 'retry me' })
})
`,
    )
    server.enqueue({ path: '/v1/embeddings', status: 429, retryAfter: 0 })
    const run = await project.run(['retry.test.ts'], liveEnv())
    expect(run.output).toContain('Tests  1 passed')
    expect(JSON.parse(project.read('__cassettes__', 'retry.test.ts.cassette.json')).entries).toHaveLength(1)
    expect(run.stdout).toContain('cassettes [auto]: 0 replayed, 1 recorded — commit the __cassettes__ changes')
  })

  test('a recording refused because it would hold a live key is counted as refused, with its message, not as recorded', async () => {
    const key = 'gateway-key-a1b2c3d4e5'
    writeFileSync(
      project.path('echo.test.ts'),
      `import OpenAI from 'openai'
import { test } from 'vitest'
test('echo', async () => {
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'echo' }] })
})
`,
    )
    server.enqueue({ path: '/v1/chat/completions', content: `your key is ${key}` })
    const run = await project.run(['echo.test.ts'], liveEnv({ OPENAI_API_KEY: key }))
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/cassettes \[auto\]: 0 replayed, 0 recorded, 1 refused \(first: \[vitest-llm-evals\] Refused to write \S*echo\.test\.ts\.cassette\.json: it would contain the value of OPENAI_API_KEY/)
    expect(run.stdout).not.toContain('commit the __cassettes__ changes')
    // No recording is written: only the mark of the refused call (no request, no response, no key), which a replay in CI reads to say why it misses.
    const stored = project.read('__cassettes__', 'echo.test.ts.cassette.json')
    expect(JSON.parse(stored)).toMatchObject({ entries: [], unrecorded: [{ test: 'echo', reason: 'refused' }] })
    expect(stored).not.toContain(key)
    // The recording a replay run will need is not there: check fails, naming the test and what to do.
    const check = await llmEvals(project, ['cassettes', 'check'])
    expect(check.code).toBe(1)
    expect(check.output).toContain('✗ __cassettes__/echo.test.ts.cassette.json: 0 entries, ')
    expect(check.output).toContain('    not recorded (test "echo"): [vitest-llm-evals] Refused to write')
    expect(check.output).toContain('1 recording could not be written (it would have stored a secret).')
  })
})
