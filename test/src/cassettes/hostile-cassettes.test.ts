// A cassette is a file on disk, committed by anyone (a pull request, a bad merge, an editor): whatever it holds, the
// library says which file and entry is wrong and what to do, in bounded time, and never crashes with a bare error.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { replayResponse } from '../../../src/cassettes/responses.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { CassetteError } from '../../../src/errors/index.js'

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const entry = (extra: Record<string, unknown> = {}) => ({
  test: 'bot > answers', repeat: 0, call: 0, role: 'app',
  request: { method: 'POST', url: 'https://api.openai.com/v1/x', path: '/v1/x', query: {}, headers: {}, body: { prompt: 'BODY' } },
  response: { status: 200, headers: {}, json: { answer: 'JSON' } },
  meta: { recordedAt: '2026-12-07T00:00:00.000Z', latencyMs: 1 },
  ...extra,
})
const text = (entries: unknown[]) => JSON.stringify({ version: 1, entries })

function cassetteIn(content: string): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'hostile-'))
  mkdirSync(join(root, '__cassettes__'))
  const file = join(root, '__cassettes__', 'bot.test.ts.cassette.json')
  writeFileSync(file, content)
  return { root, file }
}

const thrown = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

describe('a cassette nested 100,000 levels deep', () => {
  test('in a request body: loading it is a CassetteError naming the file and the entry, not a RangeError', () => {
    const { file } = cassetteIn(text([entry()]).replace('{"prompt":"BODY"}', nested(100_000)))
    const error = thrown(() => new CassetteStore(file, { redact: [], secrets: [] }))
    expect(error).toBeInstanceOf(CassetteError)
    expect((error as Error).message).toContain(`[vitest-llm-evals] Cannot read cassette ${file}: the entry of test "bot > answers" (call 0) holds JSON nested too deeply to use`)
    expect((error as Error).message).toContain('restore the cassette from git, or delete that entry and record it again')
  })

  test('in a response: its replay fails with a CassetteError, and `cassettes check` lists the file instead of crashing', async () => {
    const content = text([entry()]).replace('{"answer":"JSON"}', nested(100_000))
    const { root, file } = cassetteIn(content)
    const [stored] = parseCassette(content, file).entries
    expect(thrown(() => replayResponse(stored as CassetteEntry, file))).toBeInstanceOf(CassetteError)
    const lines: string[] = []
    expect(await runCheck({ root, maxAgeDays: 180, maxEntryBytes: 262_144, strict: false, dryRun: false, env: {} }, (line) => lines.push(line))).toBe(1)
    expect(lines[0]).toContain('✗ __cassettes__/bot.test.ts.cassette.json: [vitest-llm-evals] Cannot read cassette')
    expect(lines[0]).toContain('the entry of test "bot > answers" (call 0) holds JSON nested too deeply')
    expect(readFileSync(file, 'utf8')).toBe(content)
  })
})

describe('a stored response no Response can be made of', () => {
  test.each([
    ['a status outside 200..599', { status: 700, headers: {}, json: {} }],
    ['a body on a 204', { status: 204, headers: {}, json: { a: 1 } }],
    ['a header value with a line break', { status: 200, headers: { 'content-type': 'application/json\r\nx-evil: 1' }, json: {} }],
    ['a status text with a line break', { status: 200, statusText: 'OK\r\nx: 1', headers: {}, json: {} }],
    ['an event header of a malformed type', { status: 200, headers: {}, events: [{ headers: { n: { type: 'long', value: 'abc' } }, json: {} }] }],
  ])('%s: a CassetteError naming the file, the entry and what to do', (_name, response) => {
    const [stored] = parseCassette(text([entry({ response })]), 'a.cassette.json').entries
    const error = thrown(() => replayResponse(stored as CassetteEntry, 'evals/__cassettes__/a.cassette.json'))
    expect(error).toBeInstanceOf(CassetteError)
    expect((error as Error).message).toMatch(/^\[vitest-llm-evals\] Cannot replay a recording of cassette evals\/__cassettes__\/a\.cassette\.json: the entry of test "bot > answers" \(call 0\) holds a response that cannot be replayed \(.+\)\. It was edited by hand or written by another tool: restore the cassette from git, or delete that entry and record it again\.$/)
  })
})

describe('a cassette of the wrong shape', () => {
  test('names the field, and the test of the entry it is in', () => {
    const error = thrown(() => parseCassette(text([entry(), entry({ test: 'bot > </script>\u0000', repeat: '1' })]), 'a.cassette.json'))
    expect((error as Error).message).toContain('Cannot read cassette a.cassette.json: entries.1.repeat (test "bot > </script>\\u0000"): Invalid input: expected number, received string.')
  })

  test('says what the document must be when it is not an object', () => {
    expect((thrown(() => parseCassette('[]', 'a.cassette.json')) as Error).message).toContain('a.cassette.json: the document (an object with `version` and `entries`): Invalid input')
  })

  test('a byte order mark (an editor on Windows) is read past', () => {
    expect(parseCassette(`\ufeff${text([entry()])}`, 'a.cassette.json').entries).toHaveLength(1)
  })

  test('not JSON: the message names the file in the command that restores it', () => {
    expect((thrown(() => parseCassette('{"version": 1, "entr', 'evals/__cassettes__/a.cassette.json')) as Error).message).toContain('`git checkout -- evals/__cassettes__/a.cassette.json`')
  })
})

describe('a cassette that defeats the secret scanner', () => {
  test('megabytes of key-like characters: `cassettes check` fails on that file with what to do, instead of crashing', async () => {
    const { root, file } = cassetteIn(text([entry({ response: { status: 200, headers: {}, text: 'xoxb-'.repeat(2_000_000) } })]))
    const lines: string[] = []
    expect(await runCheck({ root, maxAgeDays: 180, maxEntryBytes: 262_144, strict: false, dryRun: false, env: {} }, (line) => lines.push(line))).toBe(1)
    expect(lines[0]).toContain(`✗ __cassettes__/bot.test.ts.cassette.json: [vitest-llm-evals] Cannot scan cassette ${file} for secrets: the scan failed (`)
    expect(lines[0]).toContain('restore it from git, or delete the entry that holds it and record it again.')
  }, 60_000)

  test('megabytes after "sk-" or "Bearer " are scanned and scrubbed, not a RangeError', async () => {
    const { findSecrets } = await import('../../../src/cassettes/secret-scan.js')
    const { scrubString } = await import('../../../src/cassettes/redact.js')
    for (const hostile of [`sk-${'a'.repeat(9_000_000)}`, 'sk-'.repeat(3_000_000), `Bearer 1${'a'.repeat(9_000_000)}`]) {
      expect((await findSecrets(hostile)).length).toBeGreaterThan(0)
      expect(scrubString(hostile)).toContain('[REDACTED]')
    }
  }, 60_000)
})
