// A test whose name holds what looks like a secret: its recording is refused (recordings are stored and found under
// their test's name), and the advice — in the refusal and in the replay miss that follows — is the same and works:
// rename the test, or redact the value with `cassettes.redact` (the name is then stored redacted, and found so).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import type { CassetteMode } from '../../../src/cassettes/mode.js'
import { refusedLines } from '../../../src/cassettes/miss-message.js'
import { assertNoSecrets, type RedactRule } from '../../../src/cassettes/redact.js'
import { enterTestScope, type TestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession } from '../../../src/cassettes/session.js'
import { usageReportFileName, type CassetteUsageReport } from '../../../src/cassettes/usage-report.js'
import { usageDir } from '../../../src/cassettes/worker-options.js'

// A GitHub token as the secret scan finds it, built so this file holds none.
const TOKEN = ['ghp_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'].join('')
const NAME = `looks up the repo with ${TOKEN}`
const REDACT_TOKENS: RedactRule = { source: 'ghp_[A-Za-z0-9]{36}', flags: 'g' }

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'name-secret-'))
})

function openSession(mode: CassetteMode, redact: RedactRule[] = []): CassetteSession {
  const session = new CassetteSession({ mode, root, hosts: [], redact, maxInlineBytes: 1024, runStartedAt: 0 })
  session.useTestFile(join(root, 'repo.test.ts'))
  return session
}

/** The usage report the reporter writes after `session`'s run (what a later replay reads its refusals from). */
function writeUsageReport(session: CassetteSession): void {
  const cassette = '__cassettes__/repo.test.ts.cassette.json'
  const report: CassetteUsageReport = { cassette, testFile: 'repo.test.ts', mode: 'auto', at: '2026-12-07T01:00:00.000Z', complete: true, total: 1, used: [], misses: [], refused: session.usage().refused }
  mkdirSync(usageDir(root), { recursive: true })
  writeFileSync(join(usageDir(root), usageReportFileName(cassette)), JSON.stringify(report))
}

/** One run of the file with the test `NAME`, which calls the tool `repo`; what the test and its end gave. */
async function runTest(session: CassetteSession): Promise<{ outcome: unknown; end?: Error }> {
  const scope: TestScope = { test: NAME, repeat: 0, active: true }
  enterTestScope(scope)
  const outcome = await session.callTool({ name: 'repo', fn: () => ({ stars: 3 }), thisArg: undefined, args: [{ id: 1 }] }, scope).catch((error: unknown) => error)
  let end: Error | undefined
  await session.endTest(scope, outcome instanceof Error).catch((error: Error) => (end = error))
  await session.endFile(new Set([NAME]), true)
  return { outcome, ...(end ? { end } : {}) }
}

describe('a secret in the test name', () => {
  test('the refusal and the replay miss give the same advice: rename the test, or redact the value', async () => {
    const recording = openSession('auto')
    const { end } = await runTest(recording)
    writeUsageReport(recording)
    expect(end?.message).toContain("the test's name holds what looks like a secret")
    const advice = "rename the test (or keep the value out of the dataset field its name is built from), or add a pattern that matches it to `llmEvals({ cassettes: { redact: [...] } })`"
    expect(end?.message).toContain(advice)
    const { outcome } = await runTest(openSession('replay'))
    const miss = (outcome as Error).message
    expect(miss).toContain(advice)
    expect(miss).not.toContain('Keep the secret out of the prompt')
    expect(miss).not.toContain("The tool's result (or its arguments) held a secret")
  })

  test('with the advised redact pattern the test records under its redacted name, and replays', async () => {
    expect((await runTest(openSession('auto', [REDACT_TOKENS]))).end).toBeUndefined()
    const text = readFileSync(join(root, '__cassettes__', 'repo.test.ts.cassette.json'), 'utf8')
    expect(text).not.toContain(TOKEN)
    expect(text).toContain('"test": "looks up the repo with [REDACTED]"')
    expect(await runTest(openSession('replay', [REDACT_TOKENS]))).toEqual({ outcome: { stars: 3 } })
  })

  test("a live key's value in the test name: the refusal and the miss that quotes it give the same advice", () => {
    const live = 'live-service-token-0123456789'
    const test_ = `answers for ${live}`
    let message = ''
    try {
      assertNoSecrets(JSON.stringify({ test: test_ }), '/p/__cassettes__/bot.test.ts.cassette.json', [{ name: 'SERVICE_TOKEN', value: live }], test_)
    } catch (error) {
      message = (error as Error).message
    }
    const advice = 'rename the test (or keep the value out of the dataset field its name is built from), or add a pattern that matches it to'
    expect(message).toContain(advice)
    const place = { mode: 'replay' as const, test: test_, repeat: 0, occurrence: 0, recordedOccurrences: 0, cassetteFile: '/p/__cassettes__/bot.test.ts.cassette.json', testFile: '/p/bot.test.ts', root: '/p' }
    const [, what] = refusedLines(place, { test: test_, message, at: '2026-12-07T01:00:00.000Z', mode: 'auto' })
    expect(what).toContain(advice)
    expect(what).not.toContain('Keep the secret out of the prompt')
  })
})
