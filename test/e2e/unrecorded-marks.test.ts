// What a recording run left unrecorded, as the usage report, `cassettes check` and a later replay tell it: the
// report's free text is scanned like the cassette's marks, the cassette's mark (committed) outranks an older run's
// report, `check` lists the marks in a fresh clone, and a refused `recordTool` result leaves a mark too.
import { spawn } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, repoRoot } from './run-fixture.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const SERVICE_TOKEN = 'svc-live-7f3a9c1e5b2d8046'

/** Every file under `dir` but the fixture's test sources and Vitest's own cache (`.vite`, not this library's), with its text. */
function writtenFiles(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts') && !entry.parentPath.includes(`${join('node_modules', '.vite')}`))
    .map((entry) => ({ file: join(entry.parentPath, entry.name), text: readFileSync(join(entry.parentPath, entry.name), 'utf8') }))
}

describe('what a recording run left unrecorded', () => {
  const setup = fixtureWithServer('unrecorded-marks')
  const cassette = (file: string) => JSON.parse(setup.project.read('__cassettes__', `${file}.cassette.json`)) as { unrecorded?: Record<string, unknown>[] }
  const usageFolder = () => setup.project.path('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
  const settle = (ms: number) => new Promise((done) => setTimeout(done, ms))
  const llmEvals = (args: string[]) =>
    new Promise<{ code: number | null; output: string }>((done, fail) => {
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), ...args], { cwd: setup.project.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.on('error', fail)
      child.on('close', (code) => done({ code, output }))
    })

  test('a secret in a test name reaches no file: the usage report is scanned like the cassette, not only hidden of live key values', async () => {
    setup.server.enqueue({ content: 'deployed', delayMs: 1500 })
    const recorded = await setup.project.run(['secret-name.test.ts'], setup.liveEnv())
    expect(recorded.output).toContain('timed out after 1000 ms')
    const files = writtenFiles(setup.project.dir)
    const reports = files.filter(({ file }) => file.includes(join('.cache', 'vitest-llm-evals', 'cassette-usage')))
    expect(reports).toHaveLength(1)
    expect(files.filter(({ text }) => text.includes(TOKEN)).map(({ file }) => file)).toEqual([])
    // The report still says which test failed, with the secret redacted, and keeps no unfinished call of a test
    // whose name holds a secret (the cassette's mark of it has the name redacted).
    const report = JSON.parse(reports[0]?.text ?? '{}') as { failed?: { names: string[] }; unfinished?: unknown[] }
    expect(report.failed?.names).toEqual(['deploys with [REDACTED] > slow'])
    expect(report.unfinished).toBeUndefined()
    await settle(800)
  })

  test("an older run's usage report left on this machine does not explain a miss: the cassette's mark (re-recorded since) does", async () => {
    setup.server.enqueue({ content: 'the summary', delayMs: 1500 })
    const cancelled = await setup.project.run(['stale.test.ts'], setup.liveEnv({ APP_LIMIT_MS: '300' }))
    expect(cancelled.code).toBe(1)
    expect(cassette('stale.test.ts').unrecorded).toMatchObject([{ test: 'order summary > one', reason: 'app-abort' }])
    // That run's report stays on this machine; the call is recorded again (here, as a teammate would, then pulled)
    // and is cut off by the case's time limit this time.
    cpSync(usageFolder(), join(setup.project.dir, 'old-usage'), { recursive: true })
    await settle(1300)
    setup.server.enqueue({ content: 'the summary', delayMs: 1500 })
    const timedOut = await setup.project.run(['stale.test.ts'], setup.liveEnv())
    expect(timedOut.output).toContain('timed out after 1000 ms')
    expect(cassette('stale.test.ts').unrecorded).toMatchObject([{ test: 'order summary > one', reason: 'test-timeout' }])
    rmSync(usageFolder(), { recursive: true })
    cpSync(join(setup.project.dir, 'old-usage'), usageFolder(), { recursive: true })
    await settle(800)

    const replayed = await setup.project.run(['stale.test.ts'], cleanEnv({ CI: 'true' }))
    expect(replayed.code).toBe(1)
    expect(replayed.output).toMatch(/It was not recorded: in the run that recorded this cassette \(\S+, auto\) the test's time ran out before this call was answered/)
    expect(replayed.output).not.toContain('the app under test cancelled this call')
  })

  test('`cassettes check` in a fresh clone lists the calls the cassettes mark as never stored (file, test, why), without failing', async () => {
    rmSync(setup.project.path('node_modules', '.cache'), { recursive: true, force: true })
    const checked = await llmEvals(['cassettes', 'check'])
    expect(checked.output).toContain('✓ __cassettes__/stale.test.ts.cassette.json: 0 entries')
    expect(checked.output).toMatch(/\n {4}not stored when recorded: POST \/v1\/chat\/completions \(test "order summary > one"\): the test's time ran out before it was answered \(\S+, auto\)\n/)
    // The test whose name holds a token keeps its mark too, the name redacted (the replay finds it under the real name).
    expect(checked.output).toMatch(/\n {4}not stored when recorded: POST \/v1\/chat\/completions \(test "deploys with \[REDACTED\] > slow"\): the test's time ran out/)
    expect(checked.output).not.toContain(TOKEN)
    expect(checked.output).toContain('2 calls were sent by a recording run but never stored')
    expect(checked.output).toContain('This does not fail `check`.')
    expect(checked.output).toContain('`LLM_EVALS_CASSETTES=auto npx vitest run secret-name.test.ts stale.test.ts`')
    expect(checked.code, checked.output).toBe(0)
  })

  test('a recordTool result refused for a secret leaves a mark: a replay in a fresh clone says it was refused and why, never the secret, until it is recorded', async () => {
    const recorded = await setup.project.run(['tool-secret.test.ts'], setup.liveEnv({ SERVICE_TOKEN, LEAK: '1' }))
    expect(recorded.code).toBe(1)
    expect(recorded.output).toContain('SecretLeakError')
    const text = setup.project.read('__cassettes__', 'tool-secret.test.ts.cassette.json')
    expect(text).not.toContain(SERVICE_TOKEN)
    expect(JSON.parse(text)).toMatchObject({ entries: [], unrecorded: [{ test: 'reads the settings', method: 'tool', path: 'read_settings', reason: 'refused', detail: expect.stringContaining('it would contain the value of SERVICE_TOKEN') }] })

    rmSync(setup.project.path('node_modules', '.cache'), { recursive: true, force: true })
    const replayed = await setup.project.run(['tool-secret.test.ts'], cleanEnv({ CI: 'true', SERVICE_TOKEN }))
    expect(replayed.code).toBe(1)
    expect(replayed.output).toContain('No recording for tool read_settings(')
    expect(replayed.output).toMatch(/It was not recorded: the run that recorded this cassette \(\S+, auto\) refused to store a recording of this test: Refused to write __cassettes__\/tool-secret\.test\.ts\.cassette\.json: it would contain the value of SERVICE_TOKEN/)
    expect(replayed.output).not.toContain('To record it:')
    // The fix is the tool's (a result that holds the secret), not the prompt's.
    expect(replayed.output).toContain("The tool's result (or its arguments) held a secret")
    expect(replayed.output).toContain('LLM_EVALS_CASSETTES=auto npx vitest run tool-secret.test.ts')
    expect(replayed.output).not.toContain(SERVICE_TOKEN)
    expect((await llmEvals(['cassettes', 'check'])).output).toContain('not stored when recorded: tool read_settings (test "reads the settings"): its recording was refused: ')

    // Recorded again without the secret: the tool's record replaces its mark.
    const rerecorded = await setup.project.run(['tool-secret.test.ts'], setup.liveEnv({ SERVICE_TOKEN }))
    expect(rerecorded.code, rerecorded.output).toBe(0)
    expect(JSON.parse(setup.project.read('__cassettes__', 'tool-secret.test.ts.cassette.json'))).toMatchObject({ tools: [{ test: 'reads the settings', name: 'read_settings' }] })
    expect(cassette('tool-secret.test.ts').unrecorded).toBeUndefined()
  })
  test('a replay whose tests all pass loads no secret scanner in its worker (its usage report has no free text to scan)', async () => {
    const loads = setup.project.path('scanner-loads.txt')
    setup.server.enqueue({ content: 'hello' })
    const recorded = await setup.project.run(['happy-replay.test.ts'], setup.liveEnv({ SCANNER_LOADS: loads }))
    expect(recorded.code, recorded.output).toBe(0)
    // The hook sees the scanner load: a recording is scanned before it is stored.
    expect(setup.project.exists('scanner-loads.txt')).toBe(true)
    rmSync(loads)
    const replayed = await setup.project.run(['happy-replay.test.ts'], cleanEnv({ CI: 'true', SCANNER_LOADS: loads }))
    expect(replayed.code, replayed.output).toBe(0)
    expect(setup.project.exists('scanner-loads.txt') ? setup.project.read('scanner-loads.txt') : '').toBe('')
  })
  test("a replay on the machine that refused a test whose name holds a secret says why, though the report names the test redacted", async () => {
    const recorded = await setup.project.run(['secret-name-tool.test.ts'], setup.liveEnv())
    expect(recorded.code).toBe(1)
    expect(recorded.output).toContain("the test's name holds what looks like a secret")
    const replayed = await setup.project.run(['secret-name-tool.test.ts'], cleanEnv({ CI: 'true' }))
    expect(replayed.code).toBe(1)
    expect(replayed.output).toContain('No recording for tool lookup_order(')
    expect(replayed.output).toMatch(/It was not recorded: the last run of this file \(\S+, auto\) refused to store a recording of this test: Refused to record a call of test "deploys with \[REDACTED\] > looks up the order"/)
    expect(replayed.output).not.toContain('To record it:')
    expect(writtenFiles(setup.project.dir).filter(({ text }) => text.includes(TOKEN)).map(({ file }) => file)).toEqual([])
  })
  test('a replay miss prints no secret the scan finds in the request URL or the tool arguments, nor keeps one in a blob report', async () => {
    const replayed = await setup.project.run(['secret-query.test.ts', '--reporter=default', '--reporter=blob', '--outputFile.blob=blob/blob-1.json'], cleanEnv({ CI: 'true' }))
    expect(replayed.code).toBe(1)
    expect(replayed.output).toContain('No recording for POST https://api.openai.com/v1/chat/completions?note=[REDACTED] (cassette mode: replay)')
    expect(replayed.output).toContain('No recording for tool lookup_order(')
    expect(replayed.output).not.toContain(TOKEN)
    // Hidden before the URL is cut: a cut token no longer looks like one, and its first part would be printed.
    expect(replayed.output).toContain(`No recording for POST https://api.openai.com/v1/chat/completions?pad=${'x'.repeat(175)}&note=[RED`)
    expect(replayed.output).not.toContain(TOKEN.slice(0, 8))
    expect(setup.project.exists('blob', 'blob-1.json')).toBe(true)
    expect(writtenFiles(setup.project.dir).filter(({ text }) => text.includes(TOKEN)).map(({ file }) => file)).toEqual([])
  })
})
