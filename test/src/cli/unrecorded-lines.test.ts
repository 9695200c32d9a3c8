// `cassettes check` lists the calls a cassette marks as never stored: what the mark says, escaped (a cassette is a
// committed file, its text may be anything), and a closing note that says they do not fail `check`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { UnrecordedCall } from '../../../src/cassettes/entry.js'
import { unrecordedLine, unrecordedNote } from '../../../src/cli/unrecorded-lines.js'

const mark = (extra: Partial<UnrecordedCall> = {}): UnrecordedCall => ({
  test: 'bot > answers', repeat: 0, key: 'k', occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout', at: '2026-12-07T09:00:00.000Z', mode: 'auto', ...extra,
})

describe('unrecordedLine', () => {
  test('names the call, its test and why, for each reason', () => {
    expect(unrecordedLine(mark())).toBe('    not stored when recorded: POST /v1/chat/completions (test "bot > answers"): the test\'s time ran out before it was answered (2026-12-07T09:00:00.000Z, auto)')
    expect(unrecordedLine(mark({ reason: 'app-abort', detail: 'TimeoutError', repeat: 2, project: 'mini' }))).toContain('(test "bot > answers", repeat 2, project mini): the app under test cancelled it (TimeoutError)')
    expect(unrecordedLine(mark({ reason: 'test-ended' }))).toContain(': still unanswered when its test ended (')
    expect(unrecordedLine(mark({ method: 'tool', path: 'read_settings', reason: 'refused', detail: 'Refused to write x: it would contain the value of SERVICE_TOKEN.' }))).toContain(
      'not stored when recorded: tool read_settings (test "bot > answers"): its recording was refused: Refused to write x: it would contain the value of SERVICE_TOKEN.',
    )
  })

  test('shows hostile text escaped, on one line', () => {
    const line = unrecordedLine(mark({ test: 'a\nb\u202e', path: '/v1/x\r\n✗ fake.cassette.json' }))
    expect(line).not.toMatch(/[\n\r\u202e]/)
    expect(line).toContain('test "a\\nb\\u202e"')
  })
})

describe('unrecordedNote', () => {
  test('says the marks do not fail check, and records the test files (from the usage report, else beside __cassettes__)', () => {
    const root = mkdtempSync(join(tmpdir(), 'marks-'))
    mkdirSync(join(root, 'src', '__cassettes__'), { recursive: true })
    writeFileSync(join(root, 'src', 'bot.test.ts'), '')
    const note = unrecordedNote([{ file: join(root, 'src', '__cassettes__', 'bot.test.ts.cassette.json') }, { file: join(root, 'x.cassette.json'), testFile: 'e2e/x.test.ts' }, { file: join(root, 'x.cassette.json'), testFile: 'e2e/x.test.ts' }], root)
    expect(note).toContain('3 calls were sent by a recording run but never stored')
    expect(note).toContain('This does not fail `check`.')
    expect(note).toContain('`LLM_EVALS_CASSETTES=auto npx vitest run src/bot.test.ts e2e/x.test.ts`')
  })
})

describe('unrecordedNote with cassettes.dir', () => {
  test('names the test file a cassette under a `cassettes.dir` folder records, not a placeholder', () => {
    const root = mkdtempSync(join(tmpdir(), 'marks-dir-'))
    mkdirSync(join(root, 'evals', 'support'), { recursive: true })
    writeFileSync(join(root, 'evals', 'support', 'bot.test.ts'), '')
    mkdirSync(join(root, 'test', 'recordings', 'evals', 'support'), { recursive: true })
    const note = unrecordedNote([{ file: join(root, 'test', 'recordings', 'evals', 'support', 'bot.test.ts.cassette.json') }], root)
    expect(note).toContain('`LLM_EVALS_CASSETTES=auto npx vitest run evals/support/bot.test.ts`')
    expect(note).not.toContain('<test file>')
  })

  test('names the cassette when its test file is not there', () => {
    const root = mkdtempSync(join(tmpdir(), 'marks-gone-'))
    const note = unrecordedNote([{ file: join(root, 'recordings', 'gone.test.ts.cassette.json') }], root)
    expect(note).toContain('npx vitest run <the test file of recordings/gone.test.ts.cassette.json>`')
  })
})
