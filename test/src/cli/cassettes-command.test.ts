import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry, ToolRecord } from '../../../src/cassettes/entry.js'
import { usageDir, type CassetteUsageReport } from '../../../src/cassettes/worker.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cliProject, entry } from './cassette-cli-fixtures.js'
import { inInstalledProject } from '../../support/installed-project.js'

const { root, cassette, writeUsage, options } = cliProject(({ cassette }) =>
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0), entry('unused', 0), entry('old', 0, '2020-01-01T00:00:00.000Z')] })),
)

describe('llm-evals cassettes check', () => {
  test('lists unused and stale entries from the last complete run', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }, { test: 'old', repeat: 0, call: 0 }] })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(0)
    expect(text).toContain('✓ test/__cassettes__/bot.test.ts.cassette.json: 3 entries')
    expect(text).toContain('last run 2026-11-28T10:00:00.000Z (replay)')
    expect(text).toContain('unused: 1 entries ("unused")')
    expect(text).toContain('stale: 1 entries recorded more than 180 days ago ("old")')
  })

  test('does not call anything unused after a run that did not run every test, all passing, over this cassette', async () => {
    writeUsage({ complete: false, notRun: { count: 4, names: ['a', 'b', 'c'] } })
    expect((await capture((print) => runCheck(options(), print))).text).toContain('unused entries not known: its last run (2026-11-28T10:00:00.000Z, replay): 4 tests did not run ("a", "b", "c", +1 more)')
    writeUsage({ successful: false, failed: { count: 1, names: ['kept'] } })
    expect((await capture((print) => runCheck(options(), print))).text).toContain('unused entries not known: its last run (2026-11-28T10:00:00.000Z, replay): 1 test failed ("kept")')
    writeUsage({ fingerprint: 'another' })
    expect((await capture((print) => runCheck(options(), print))).text).toContain('unused entries not known: it changed since its last run (2026-11-28T10:00:00.000Z, replay)')
    writeUsage({ successful: undefined })
    expect((await capture((print) => runCheck(options(), print))).text).toContain('unused entries not known: its last run was recorded by an older version of vitest-llm-evals')
    expect((await capture((print) => runCheck(options(), print))).text).not.toContain('unused:')
  })

  test('a missing recording exits 1, in CI or not', async () => {
    writeUsage({ misses: [{ test: 'new test', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }] })
    const local = await capture((print) => runCheck(options(), print))
    expect(local.code).toBe(1)
    expect(local.text).toContain('✗ test/__cassettes__/bot.test.ts.cassette.json: 3 entries')
    expect(local.text).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "new test")')
    expect(local.text).toContain('1 request had no recording. Record it: `LLM_EVALS_CASSETTES=auto npx vitest run test/bot.test.ts` with a real API key, then commit the cassettes.')
    expect((await capture((print) => runCheck(options({ env: { CI: 'true' } }), print))).code).toBe(1)
  })

  test("a hostile usage report (a file on disk): its record command quotes the test file, selects the project, prints no control character", async () => {
    writeUsage({ testFile: "test/it's $(touch pwned).test.ts", misses: [{ test: 't', method: 'POST', url: 'https://api.openai.com/v1/x', project: '\u001b[2K!mini' }] })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain("Record it: `LLM_EVALS_CASSETTES=auto npx vitest run --project '*[2K!mini' 'test/it'\\''s $(touch pwned).test.ts'` with a real API key")
    expect(text).not.toContain('\u001b')
    // A project no `--project` can select (a line break in its name): every project runs, not only the others that missed.
    const miss = { test: 't', method: 'POST', url: 'https://api.openai.com/v1/x' }
    writeUsage({ misses: [{ ...miss, project: 'mini' }, { ...miss, project: 'two\nlines' }] })
    expect((await capture((print) => runCheck(options(), print))).text).toContain('Record them: `LLM_EVALS_CASSETTES=auto npx vitest run test/bot.test.ts` with')
  })

  test('a test file whose requests all missed is listed though it has no cassette; one that no longer exists is not', async () => {
    const miss = { test: 'first', method: 'POST', url: 'https://api.openai.com/v1/responses' }
    writeUsage({ cassette: 'test/__cassettes__/new.test.ts.cassette.json', testFile: 'test/new.test.ts', misses: [miss] }, 'b.json')
    expect((await capture((print) => runCheck(options(), print))).code).toBe(0)
    writeFileSync(join(root(), 'test', 'new.test.ts'), '')
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain('✗ test/__cassettes__/new.test.ts.cassette.json: no cassette file yet; last run 2026-11-28T10:00:00.000Z (replay)\n    missing recording: POST https://api.openai.com/v1/responses (test "first")')
    expect((await capture((print) => runPrune(options(), print))).text).not.toContain('new.test.ts')
  })

  test('of two reports on one cassette (an older version named its files differently), the newer run counts', async () => {
    writeUsage({ at: '2026-11-29T10:00:00.000Z', used: [{ test: 'kept', repeat: 0, call: 0 }] }, 'z-new.json')
    writeUsage({ at: '2026-11-01T10:00:00.000Z', successful: undefined }, '0-old.json')
    writeUsage({ at: '2026-11-02T10:00:00.000Z', successful: undefined }, 'zz-old.json')
    const { text } = await capture((print) => runCheck(options(), print))
    expect(text).toContain('last run 2026-11-29T10:00:00.000Z (replay)')
    expect(text).toContain('unused: 2 entries')
  })

  test('a recording the last run could not write fails check (exit 1): which test, why, and what to do', async () => {
    writeUsage({ successful: false, refused: [{ test: 'echo', message: '[vitest-llm-evals] Refused to write x.json: it would contain the value of OPENAI_API_KEY.\nmore' }] })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain('✗ test/__cassettes__/bot.test.ts.cassette.json: 3 entries')
    expect(text).toContain('    not recorded (test "echo"): [vitest-llm-evals] Refused to write x.json: it would contain the value of OPENAI_API_KEY.\n')
    expect(text).toContain('1 recording could not be written')
    expect(text).toContain(
      '1 recording could not be written (it would have stored a secret). Keep the key out of the prompt, or add a pattern for it to `llmEvals({ cassettes: { redact: [...] } })`, ' +
        'then record again: `LLM_EVALS_CASSETTES=auto npx vitest run test/bot.test.ts`.',
    )
  })

  test('a refused secret in a test whose name says "that is not JSON" is a refused secret, not a tool call', async () => {
    writeUsage({ successful: false, refused: [{ test: 'rejects a reply that is not JSON', message: '[vitest-llm-evals] Refused to write x.json: it would contain the value of OPENAI_API_KEY (a recording of test "rejects a reply that is not JSON").' }] })
    const { text } = await capture((print) => runCheck(options(), print))
    expect(text).toContain('1 recording could not be written (it would have stored a secret).')
    expect(text).not.toContain('could not be recorded (not JSON')
  })

  test('a test file whose only recording was refused is listed though it has no cassette, and fails check', async () => {
    const refusal = { test: 'echo', message: '[vitest-llm-evals] Refused to write echo.json: it would contain the value of OPENAI_API_KEY.' }
    writeUsage({ cassette: 'test/__cassettes__/echo.test.ts.cassette.json', testFile: 'test/echo.test.ts', mode: 'auto', successful: false, refused: [refusal] }, 'b.json')
    writeFileSync(join(root(), 'test', 'echo.test.ts'), '')
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain('✗ test/__cassettes__/echo.test.ts.cassette.json: no cassette file yet; last run 2026-11-28T10:00:00.000Z (auto)\n    not recorded (test "echo")')
  })

  test('lists at most 10 misses and refusals per cassette, and cuts long URLs and test names', async () => {
    const longName = `a test named ${'very '.repeat(100)}long`
    const misses = Array.from({ length: 25 }, (_, index) => ({ test: index === 0 ? longName : `test ${index}`, method: 'POST', url: `https://api.openai.com/v1/chat/completions?q=${'x'.repeat(500)}&n=${index}` }))
    const refused = Array.from({ length: 12 }, (_, index) => ({ test: `refused ${index}`, message: 'Refused to write' }))
    writeUsage({ successful: false, misses, refused })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    const lines = text.split('\n')
    expect(lines.filter((line) => line.startsWith('    missing recording:'))).toHaveLength(10)
    expect(text).toContain('    … and 15 more requests with no recording')
    expect(lines.filter((line) => line.startsWith('    not recorded'))).toHaveLength(10)
    expect(text).toContain('    … and 2 more recordings not written')
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(400)
    expect(text).toContain('… (+')
    expect(text).toContain('25 requests had no recording.')
  })

  test('test names and URLs with line breaks stay on one line', async () => {
    writeUsage({ misses: [{ test: 'evil\nname\u2028x', method: 'POST', url: 'https://api.openai.com/v1/x\ny' }] })
    const { text } = await capture((print) => runCheck(options(), print))
    expect(text).toContain('    missing recording: POST https://api.openai.com/v1/x\\ny (test "evil\\nname\\u2028x")')
  })

  test('a damaged usage report is skipped and named: its cassette only loses the "unused" column, and prune refuses that cassette', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    const cases: [string, Record<string, unknown>, string][] = [
      ['a null slot', { used: [null] }, 'used.0: Invalid input: expected object, received null'],
      ['notRun without names', { notRun: { count: 2 } }, 'notRun.names: Invalid input: expected array, received undefined'],
      ['refused as a string', { refused: 'a key' }, 'refused: Invalid input: expected array, received string'],
    ]
    const good = JSON.parse(readFileSync(join(usageDir(root()), 'a.json'), 'utf8')) as Record<string, unknown>
    // The reporter names a report after its cassette, so a damaged one is still tied to it.
    const name = `${createHash('sha256').update('test/__cassettes__/bot.test.ts.cassette.json').digest('hex').slice(0, 16)}.json`
    rmSync(join(usageDir(root()), 'a.json'))
    const before = readFileSync(cassette(), 'utf8')
    for (const [, change, reason] of cases) {
      writeFileSync(join(usageDir(root()), name), JSON.stringify({ ...good, ...change }))
      const check = await capture((print) => runCheck(options(), print))
      expect(check.code).toBe(0)
      expect(check.text).toContain('✓ test/__cassettes__/bot.test.ts.cassette.json: 3 entries')
      expect(check.text).toContain(`    unused entries not known: its usage report node_modules/.cache/vitest-llm-evals/cassette-usage/${name} is damaged (${reason}); run the test file again to replace it`)
      expect(check.text).not.toContain('unused:')
      const prune = await capture((print) => runPrune(options(), print))
      expect(prune.code).toBe(1)
      expect(prune.text).toContain(`✗ test/__cassettes__/bot.test.ts.cassette.json: not pruned: its usage report node_modules/.cache/vitest-llm-evals/cassette-usage/${name} is damaged (${reason})`)
      expect(readFileSync(cassette(), 'utf8')).toBe(before)
    }
  })

  test('a write in flight (a dotfile beside the reports) is not read as a report', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    writeFileSync(join(usageDir(root()), '.a.json.4242.deadbeef.tmp'), '{ "cassette": ')
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(0)
    expect(text).toContain('unused: 2 entries')
    expect(text).not.toContain('damaged')
  })

  test('a damaged usage report that names no known cassette is skipped with a note naming it', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    writeFileSync(join(usageDir(root()), 'old.json'), '{ "cassette": ')
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(0)
    expect(text).toContain('unused: 2 entries')
    expect(text).toContain('Skipped a damaged usage report: node_modules/.cache/vitest-llm-evals/cassette-usage/old.json (not valid JSON). Delete it; the next run of its test file writes a new one.')
  })

  test('flags oversized entries and damaged cassettes', async () => {
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('big', 0, undefined, 'x'.repeat(3000))] }))
    const big = await capture((print) => runCheck(options({ maxEntryBytes: 1024 }), print))
    expect(big.text).toMatch(/oversized: "big" call 0 is 3 KB/)
    // Tool recordings count too: a tool that returned 3 KB is as large as a model entry of 3 KB.
    const toolRecord = (test: string, result: unknown) => ({ test, repeat: 0, call: 0, name: 'list_orders', key: 'k', occurrence: 0, args: { user: 'ada' }, result, meta: { recordedAt: new Date().toISOString(), latencyMs: 1 } })
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('small', 0)], tools: [toolRecord('huge tool', { rows: 'x'.repeat(3000) }), toolRecord('small tool', { rows: [] })] }))
    const tools = await capture((print) => runCheck(options({ maxEntryBytes: 1024 }), print))
    expect(tools.text).toContain('oversized: "huge tool" tool list_orders (tool call 0) is 3 KB')
    expect(tools.text).not.toContain('small tool')
    expect(tools.text).not.toContain('oversized: "small"')
    writeFileSync(cassette(), '{ broken')
    const damaged = await capture((print) => runCheck(options(), print))
    expect(damaged.code).toBe(1)
    expect(damaged.text).toContain('it is not valid JSON')
  })
  test("a refusal the last run reported is listed once: the cassette's mark of it is the same call, and it fails check as a refusal", async () => {
    const detail = 'Refused to write test/__cassettes__/bot.test.ts.cassette.json: it would contain the value of SERVICE_TOKEN.'
    const refusedMark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 0, method: 'tool', path: 'read_settings', reason: 'refused' as const, detail, at: '2026-11-28T09:59:00.000Z', mode: 'auto' }
    const cutOff = { ...refusedMark, test: 'old', key: 'k2', method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, detail: undefined }
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0)], unrecorded: [refusedMark, cutOff] }))
    writeUsage({ mode: 'auto', successful: false, refused: [{ test: 'kept', message: `[vitest-llm-evals] ${detail} The run stored nothing of it.` }] })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text.match(/not recorded \(test "kept"\)/g)).toHaveLength(1)
    expect(text).not.toContain('not stored when recorded: tool read_settings')
    // A mark the report does not tell of is listed, and counted alone in the closing note.
    expect(text).toContain('not stored when recorded: POST /v1/chat/completions (test "old")')
    expect(text).toContain('1 call was sent by a recording run but never stored')

    // A report of an older state of the cassette (edited, pulled since) does not hide the mark.
    writeFileSync(cassette(), `${readFileSync(cassette(), 'utf8')}\n`)
    expect((await capture((print) => runCheck(options(), print))).text).toContain('not stored when recorded: tool read_settings (test "kept")')
  })
})

describe('llm-evals cassettes check: secrets', () => {
  // Key-shaped values built at run time: no key-shaped literal in the repository.
  const awsKeyId = 'AKIA' + 'ZQ7W'.repeat(4)
  const githubToken = 'ghp_' + 'Qm7'.repeat(12)
  const googleKey = 'AIza' + 'Sy9'.repeat(11) + 'xy'

  test('lists every secret with its file, line, column, rule, test and a masked value, and exits 1; never prints the value', async () => {
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0, `deploy with ${awsKeyId}`), entry('other', 0, `a ${githubToken} and ${googleKey}`)] }))
    const lines = readFileSync(cassette(), 'utf8').split('\n')
    const line = (value: string) => lines.findIndex((text) => text.includes(value)) + 1
    const column = (value: string) => (lines[line(value) - 1] ?? '').indexOf(value) + 1
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain(`✗ test/__cassettes__/bot.test.ts.cassette.json: 2 entries`)
    expect(text).toContain(`    secret at test/__cassettes__/bot.test.ts.cassette.json:${line(awsKeyId)}:${column(awsKeyId)}: AKIA… (20 chars), found by @secretlint/secretlint-rule-aws (test "kept")`)
    expect(text).toContain(`    secret at test/__cassettes__/bot.test.ts.cassette.json:${line(githubToken)}:${column(githubToken)}: ghp_… (40 chars), found by @secretlint/secretlint-rule-github (test "other")`)
    expect(text).toContain(`: AIza… (39 chars), found by vitest-llm-evals/google-api-key (test "other")`)
    expect(text).toContain('3 values in the cassettes look like a secret')
    expect(text).toContain('revoke it')
    for (const secret of [awsKeyId, githubToken, googleKey]) expect(text).not.toContain(secret.slice(4))
  })

  test('flags a credential query parameter an older version stored, in the url and in the query, masked', async () => {
    const leaked = entry('azure', 0)
    leaked.request.url = 'https://fn.azurewebsites.net/api/chat?api-version=2024-10-21&code=Zq8vXk2LmN4p%3D%3D&max_tokens=5'
    leaked.request.query = { 'api-version': '2024-10-21', code: 'Zq8vXk2LmN4p==', max_tokens: '5', password: ['hunter2hunter2', ''] }
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [leaked] }))
    const lines = readFileSync(cassette(), 'utf8').split('\n')
    const line = (text: string) => lines.findIndex((each) => each.includes(text)) + 1
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain(`secret at test/__cassettes__/bot.test.ts.cassette.json:${line('"url"')}:`)
    expect(text).toContain(`:${line('"code": "Zq8v')}:11: Zq8v… (14 chars), found by vitest-llm-evals/credential-query-parameter (test "azure")`)
    expect(text).toContain(`:${line('"hunter2hunter2"')}:13: hunt… (14 chars), found by vitest-llm-evals/credential-query-parameter (test "azure")`)
    // The fix is to record the test again (no new recording stores such a parameter), with the exact command.
    expect(text).toContain('3 credential query parameters were stored by an earlier version')
    expect(text).toContain("`LLM_EVALS_CASSETTES=record npx vitest run test/bot.test.ts -t '(?:^| )azure$'`")
    expect(text).not.toContain('look like a secret')
    expect(text).not.toContain('by hand')
    expect(text).not.toContain('max_tokens')
    expect(text).not.toContain('LmN4p')
  })

  test('does not flag a switch or an authentication mode under a credential-like name (require_auth=true, auth=basic)', async () => {
    const kept = entry('flags', 0)
    kept.request.url = 'https://api.example.com/v1/chat?require_auth=true&auth=basic'
    kept.request.query = { auth: 'basic', include_auth: ['0', 'false'], require_auth: 'true' }
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [kept] }))
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(text).not.toContain('credential-query-parameter')
    expect(code).toBe(0)
  })

  test('the note on secrets names the docs page as installed in the project', async () => {
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0, `deploy with ${awsKeyId}`)] }))
    const leave = inInstalledProject()
    let text: string
    try {
      text = (await capture((print) => runCheck(options(), print))).text
    } finally {
      leave()
    }
    expect(text.split('\n').find((line) => line.includes('looks like a secret'))).toMatchInlineSnapshot(`"1 value in the cassettes looks like a secret (see the rules in node_modules/vitest-llm-evals/docs/cassettes.md, "What is never stored"). Replace each with [REDACTED] by hand (the recording still replays), or delete its entry and record it again (new recordings are scrubbed); if it is a real key, revoke it: it may already be in your git history."`)
  })

  test('scans text sidecar files and damaged cassettes too, and masks a secret in a test name', async () => {
    const sidecars = join(root(), 'test', '__cassettes__', 'bot.test.ts.cassette.files')
    mkdirSync(sidecars, { recursive: true })
    writeFileSync(join(sidecars, 'abc.json'), `{\n  "log": "${githubToken}"\n}`)
    writeFileSync(join(sidecars, 'abc.bin'), githubToken)
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry(`named ${githubToken}`, 0)] }))
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain('secret at test/__cassettes__/bot.test.ts.cassette.files/abc.json:2:11: ghp_… (40 chars), found by @secretlint/secretlint-rule-github\n')
    expect(text).toContain('(test "named [REDACTED]")')
    expect(text).not.toContain('abc.bin')
    expect(text).not.toContain(githubToken)
    writeFileSync(cassette(), `{ broken ${awsKeyId}`)
    const damaged = await capture((print) => runCheck(options(), print))
    expect(damaged.text).toContain('it is not valid JSON')
    expect(damaged.text).toContain('secret at test/__cassettes__/bot.test.ts.cassette.json:1:10: AKIA… (20 chars), found by @secretlint/secretlint-rule-aws\n')
  })

  test('passes a cassette of ordinary content and redacted values', async () => {
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0, 'Use Bearer authentication; the key is [REDACTED], see AKIAIOSFODNN7EXAMPLE in the AWS docs')] }))
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(0)
    expect(text).not.toContain('secret')
  })
})

describe('llm-evals cassettes prune', () => {
  test('removes only what the last complete run did not use; --dry-run changes nothing', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    const before = readFileSync(cassette(), 'utf8')
    expect((await capture((print) => runPrune(options({ dryRun: true }), print))).text).toContain('2 unused entries (dry run)')
    expect(readFileSync(cassette(), 'utf8')).toBe(before)
    expect((await capture((print) => runPrune(options(), print))).text).toContain('Removed 2 entries.')
    expect((JSON.parse(readFileSync(cassette(), 'utf8')) as { entries: CassetteEntry[] }).entries.map((e) => e.test)).toEqual(['kept'])
  })

  test("keeps the cassette's unrecorded marks while a run may still miss them: they explain that miss in CI", async () => {
    const mark = { test: 'slow', repeat: 0, key: 'k1', occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-11-28T09:00:00.000Z', mode: 'auto' }
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0), entry('unused', 0)], unrecorded: [mark] }))
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }], successful: false, misses: [{ test: 'slow', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }] })
    expect((await capture((print) => runPrune(options(), print))).text).toContain('not pruned')
    expect(JSON.parse(readFileSync(cassette(), 'utf8'))).toMatchObject({ unrecorded: [mark] })
  })

  test('removes stale unrecorded marks (a refused tool result too): the last run ran every test over this cassette, all passing, with no miss', async () => {
    const cutOff = { test: 'slow', repeat: 0, key: 'k1', occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-11-28T09:00:00.000Z', mode: 'auto' }
    const refusedTool = { ...cutOff, test: 'kept', key: 'k2', method: 'tool', path: 'read_settings', reason: 'refused' as const, detail: 'Refused to write x: it would contain the value of SERVICE_TOKEN.' }
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0), entry('unused', 0)], unrecorded: [refusedTool, cutOff] }))
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    const checked = await capture((print) => runCheck(options(), print))
    expect(checked.code).toBe(0)
    expect(checked.text).toContain('    stale: 2 unrecorded marks of calls the last run no longer made ("kept", "slow"); remove with `llm-evals cassettes prune`')
    expect(checked.text).not.toContain('not stored when recorded')
    const before = readFileSync(cassette(), 'utf8')
    expect((await capture((print) => runPrune(options({ dryRun: true }), print))).text).toContain('1 unused entry, 2 stale unrecorded marks (dry run)')
    expect(readFileSync(cassette(), 'utf8')).toBe(before)
    expect((await capture((print) => runPrune(options(), print))).text).toContain('Removed 1 entry and 2 stale unrecorded marks.')
    const after = JSON.parse(readFileSync(cassette(), 'utf8')) as Record<string, unknown>
    expect(after).toMatchObject({ entries: [{ test: 'kept' }] })
    expect(after).not.toHaveProperty('unrecorded')
  })

  test('refuses a cassette whose last run was incomplete, unsuccessful, over other content, or unknown: which file, why, what to run', async () => {
    const before = readFileSync(cassette(), 'utf8')
    const refusal = async (report: Partial<CassetteUsageReport> | undefined) => {
      if (report) writeUsage(report)
      const { code, text } = await capture((print) => runPrune(options(), print))
      expect(code).toBe(1)
      expect(readFileSync(cassette(), 'utf8')).toBe(before)
      return text
    }
    expect(await refusal({ complete: false, notRun: { count: 1, names: ['unused'] } })).toBe(
      '✗ test/__cassettes__/bot.test.ts.cassette.json: not pruned: its last run (2026-11-28T10:00:00.000Z, replay): 1 test did not run ("unused"). ' +
        'Run `npx vitest run test/bot.test.ts` (no -t, .only or .skip) until every test passes, then prune again.\nRemoved 0 entries. 1 cassette not pruned (see above).',
    )
    expect(await refusal({ successful: false, misses: [{ test: 'unused', method: 'POST', url: 'https://api.openai.com/v1/responses' }] })).toContain('not pruned: its last run (2026-11-28T10:00:00.000Z, replay): 1 request had no recording.')
    expect(await refusal({ fingerprint: 'before a pull' })).toContain('not pruned: it changed since its last run (2026-11-28T10:00:00.000Z, replay).')
    // The report is a file on disk: the test file it names is quoted for the shell, and shows no control character.
    expect(await refusal({ complete: false, notRun: { count: 1, names: ['unused'] }, testFile: 'test/$(touch pwned)\u001b[2K.test.ts' })).toContain("Run `npx vitest run 'test/$(touch pwned)\\u001b[2K.test.ts'` (no -t")
    expect(await refusal({ complete: false, projects: ['mini'], projectsNotRun: ['big'] })).toContain(
      'not pruned: its last run (2026-11-28T10:00:00.000Z, replay): project big did not run it. Run `npx vitest run test/bot.test.ts` (no --project, -t, .only or .skip) until every test passes, then prune again.',
    )
    rmSync(usageDir(root()), { recursive: true })
    expect(await refusal(undefined)).toContain('not pruned: no run of it recorded yet. Run `npx vitest run test/bot.test.ts` (no -t, .only or .skip) until every test passes, then prune again.')
  })
})

describe('the llm-evals bin', () => {
  const bin = join(import.meta.dirname, '../../../dist/src/cli/bin.js')

  test('runs cassettes check and explains unknown commands: the one meant, then the command list, exit code 2', async () => {
    const check = spawnSync(process.execPath, [bin, 'cassettes', 'check', '--root', root()], { encoding: 'utf8' })
    expect(check.status).toBe(0)
    expect(check.stdout).toContain('bot.test.ts.cassette.json: 3 entries')
    const unknown = spawnSync(process.execPath, [bin, 'casettes', 'check'], { encoding: 'utf8' })
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('[vitest-llm-evals] Unknown command "casettes check"; did you mean `llm-evals cassettes check`?')
    const typo = spawnSync(process.execPath, [bin, 'histroy', '--last', '5'], { encoding: 'utf8' })
    expect(typo.status).toBe(2)
    expect(typo.stderr.split('\n').slice(0, 5).join('\n')).toMatchInlineSnapshot(`
      "[vitest-llm-evals] Unknown command "histroy"; did you mean \`llm-evals history\`?

      Usage: llm-evals <command> [options]

      Commands:"
    `)
    const bad = spawnSync(process.execPath, [bin, 'cassettes', 'check', '--max-age', 'soon'], { encoding: 'utf8' })
    expect(bad.stderr).toContain('--max-age needs a positive number, got "soon"')
  })
})

describe('tool recordings (recordTool) in check and prune', () => {
  const tool = (test: string, call: number): ToolRecord => ({
    test, repeat: 0, call, name: 'lookup', key: `k${call}`, occurrence: 0, args: { call }, result: { z: 1, a: 2 }, meta: { recordedAt: new Date().toISOString(), latencyMs: 1 },
  })
  beforeEach(() => {
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0)], tools: [tool('kept', 0), tool('kept', 1), tool('gone', 0)] }))
  })

  test('check counts them and lists those the last run did not use', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }], usedTools: [{ test: 'kept', repeat: 0, call: 1 }], tools: 3 })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(0)
    expect(text).toContain('bot.test.ts.cassette.json: 1 entries, 3 tool recordings,')
    expect(text).toContain('unused: 2 tool recordings ("kept", "gone"); remove with `llm-evals cassettes prune`')
  })

  test('prune drops the unused ones and keeps the rest as they were (result key order too)', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }], usedTools: [{ test: 'kept', repeat: 0, call: 1 }], tools: 3 })
    const { code, text } = await capture((print) => runPrune(options(), print))
    expect(code).toBe(0)
    expect(text).toContain('✂ test/__cassettes__/bot.test.ts.cassette.json: 0 unused entries, 2 unused tool recordings')
    expect(text).toContain('Removed 0 entries and 2 tool recordings.')
    const after = JSON.parse(readFileSync(cassette(), 'utf8')) as { entries: unknown[]; tools: ToolRecord[] }
    expect(after.entries).toHaveLength(1)
    expect(after.tools.map((record) => [record.test, record.call])).toEqual([['kept', 1]])
    expect(Object.keys(after.tools[0]?.result as object)).toEqual(['z', 'a'])
  })

  test('a report that does not say which tool records it used (an older version) leaves them all', async () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    expect((await await capture((print) => runPrune(options(), print))).text).toContain('Removed 0 entries.')
    expect((JSON.parse(readFileSync(cassette(), 'utf8')) as { tools: unknown[] }).tools).toHaveLength(3)
  })

  test('a refused tool recording (not JSON) fails check with what to do', async () => {
    const message = '[vitest-llm-evals] Tool "lookup" returned a value that is not JSON, so it was not recorded: result.at is a Date (test "kept").'
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }], usedTools: [], refused: [{ test: 'kept', message }] })
    const { code, text } = await capture((print) => runCheck(options(), print))
    expect(code).toBe(1)
    expect(text).toContain('1 tool call could not be recorded (not JSON; see above). Make the tool return plain JSON, then record again: `LLM_EVALS_CASSETTES=auto npx vitest run test/bot.test.ts`.')
    expect(text).not.toContain('it would have stored a secret')
  })
})
