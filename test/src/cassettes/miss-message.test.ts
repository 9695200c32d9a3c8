import { describe, expect, test } from 'vitest'
import type { CanonicalRequest } from '../../../src/cassettes/canonical.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { missMessage, parseMissMessages, type MissContext } from '../../../src/cassettes/miss-message.js'
import { recordTestCommand } from '../../../src/cassettes/record-command.js'
import { toolMissMessage } from '../../../src/cassettes/tool-miss-message.js'

const URL = 'https://api.openai.com/v1/chat/completions'

function request(body: unknown): CanonicalRequest {
  return { method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body }
}

function entry(body: unknown, test = 'bot > answers'): CassetteEntry {
  return {
    test,
    repeat: 0,
    call: 0,
    role: 'app',
    request: { ...request(body), url: URL },
    response: { status: 200, headers: {}, json: {} },
    meta: { recordedAt: '2025-01-01T00:00:00.000Z', latencyMs: 1 },
  }
}

/** The message of a replay miss of `received`, with `recorded` as the only recording. */
function miss(recorded: unknown, received: unknown, extra: Partial<MissContext> = {}): string {
  return missMessage({
    mode: 'replay',
    url: URL,
    request: request(received),
    test: 'bot > answers',
    repeat: 0,
    occurrence: 0,
    recordedOccurrences: 0,
    cassetteFile: '/project/__cassettes__/bot.test.ts.cassette.json',
    testFile: '/project/bot.test.ts',
    root: '/project',
    entries: [entry(recorded)],
    ...extra,
  })
}

/** The part of the message about the nearest recording. */
const nearest = (message: string) => message.slice(message.indexOf('  Nearest recording'), message.indexOf('  To record it'))

// A long system prompt: 130 numbered rules, the refund rule, then 70 more (the rule sits past char 3,000).
const rules = (from: number, count: number) => Array.from({ length: count }, (_, index) => `Rule ${from + index}: answer politely.`).join(' ')
const systemPrompt = (days: number) => `${rules(1, 130)} Refunds are accepted within ${days} days of delivery. ${rules(131, 70)}`
const chat = (system: string, user = 'Can I return my shoes?') => ({ model: 'gpt-4o', messages: [{ role: 'system', content: system }, { role: 'user', content: user }] })

describe('missMessage: the nearest recording', () => {
  test('short values are shown whole, on one line', () => {
    expect(nearest(miss({ model: 'gpt-4o', temperature: 0 }, { model: 'gpt-4.1', temperature: 0 }))).toMatchInlineSnapshot(`
      "  Nearest recording (this test, call 0) differs in:
          - body.model: recorded "gpt-4o", received "gpt-4.1"
      "
    `)
  })

  test('a long prompt that differs far past its start: a window around the first difference, both sides marked', () => {
    const recorded = systemPrompt(30)
    expect(recorded.length).toBeGreaterThan(5000)
    expect(recorded.indexOf('30 days')).toBeGreaterThan(3000)
    expect(nearest(miss(chat(recorded), chat(systemPrompt(45))))).toMatchInlineSnapshot(`
      "  Nearest recording (this test, call 0) differs in:
          - body.messages[0].content: differs after char 3,430 (recorded 5,340 chars, received 5,340 chars):
              recorded: …. Refunds are accepted within [-30-] days of delivery. R…
              received: …. Refunds are accepted within {+45+} days of delivery. R…
      "
    `)
  })

  test('a difference in a nested field: its full path, and a window when the value is long', () => {
    const tool = (description: string) => ({ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: { orderId: { type: 'string', description } } } } })
    const describe = (what: string) => `${'The id of the order, as printed on the receipt and in the confirmation e-mail. '.repeat(4)}${what}`
    const recorded = { ...chat('Be brief.'), tools: [tool(describe('Digits only.'))] }
    const received = { ...chat('Be brief.'), tools: [tool(describe('Digits and dashes.'))] }
    expect(nearest(miss(recorded, received))).toMatchInlineSnapshot(`
      "  Nearest recording (this test, call 0) differs in:
          - body.tools[0].function.parameters.properties.orderId.description: differs after char 323 (recorded 328 chars, received 334 chars):
              recorded: …e confirmation e-mail. Digits [-only-].
              received: …e confirmation e-mail. Digits {+and dashes+}.
      "
    `)
  })

  test('text added at the end, a field of another type, and line breaks shown escaped', () => {
    const recorded = chat(`${rules(1, 10)}\nBe brief.`, 'Hello')
    const received = { ...chat(`${rules(1, 10)}\nBe brief.\nSign as Ana.`, 'Hello'), messages: [chat(`${rules(1, 10)}\nBe brief.\nSign as Ana.`).messages[0], { role: 'user', content: [{ type: 'text', text: 'Hello' }] }] }
    expect(nearest(miss(recorded, received))).toMatchInlineSnapshot(`
      "  Nearest recording (this test, call 0) differs in:
          - body.messages[0].content: differs after char 260 (recorded 260 chars, received 273 chars):
              recorded: …0: answer politely.\\nBe brief.[--]
              received: …0: answer politely.\\nBe brief.{+\\nSign as Ana.+}
          - body.messages[1].content: recorded "Hello", received [{"text":"Hello","type":"text"}]
      "
    `)
  })

  test('no line of the message is unbounded: long values, paths, test names and URLs are cut', () => {
    const huge = 'x'.repeat(50_000)
    const longKey = `k${'e'.repeat(5_000)}`
    const message = miss(
      { model: 'gpt-4o', input: `${huge}a${huge}`, [longKey]: 1, extra: huge },
      { model: 'gpt-4o', input: `${huge}b${huge}`, [longKey]: 2, other: huge },
      { test: `bot > ${'very long test name '.repeat(500)}`, url: `${URL}?q=${'y'.repeat(10_000)}` },
    )
    const lines = message.split('\n')
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(320)
    expect(message).toContain('differs after char 50,000 (recorded 100,001 chars, received 100,001 chars)')
    expect(message).toMatch(/… \(\+\d[\d,]* chars\)/)
  })

  test('control characters and line separators in a body key, a short value, the test name or the URL are shown escaped, on one line', () => {
    const evil = 'evil\nkey\u2028x\u2029y\u0085z'
    const message = miss(
      { model: 'gpt-4o', [evil]: 'a\u2028b', other: 'same' },
      { model: 'gpt-4o', [evil]: 'a\u2029b', other: 'same' },
      { test: 'bot > line\nbreak\u2028name', url: `${URL}?q=a\nb` },
    )
    const lines = message.split(/\r\n|[\n\r\u2028\u2029\u0085]/)
    expect(lines).toHaveLength(message.split('\n').length)
    expect(message).toContain('    - body.evil\\nkey\\u2028x\\u2029y\\u0085z: recorded "a\\u2028b", received "a\\u2029b"')
    expect(message).toContain('  Test:     bot > line\\nbreak\\u2028name')
    expect(message).toContain(`No recording for POST ${URL}?q=a\\nb (cassette mode: replay).`)
  })

  test('a recording of the same request for another test says so', () => {
    const message = missMessage({ ...contextOf(entry(chat('Be brief.'), 'bot > other')), request: request(chat('Be brief.')) })
    expect(nearest(message)).toMatchInlineSnapshot(`
      "  Nearest recording (test "bot > other", call 0) differs in:
          (identical request as stored; it was recorded for test "bot > other" only)
      "
    `)
  })
})

function contextOf(recorded: CassetteEntry): MissContext {
  return {
    mode: 'replay',
    url: URL,
    request: recorded.request,
    test: 'bot > answers',
    repeat: 0,
    occurrence: 0,
    recordedOccurrences: 0,
    cassetteFile: '/project/__cassettes__/bot.test.ts.cassette.json',
    testFile: '/project/bot.test.ts',
    root: '/project',
    entries: [recorded],
  }
}

describe('missMessage with test.projects', () => {
  test('names the project after the cassette, and its command records only that project', () => {
    const message = miss({ model: 'gpt-4o' }, { model: 'gpt-4.1' }, { project: 'big model' })
    expect(message).toContain("  Cassette: __cassettes__/bot.test.ts.cassette.json\n  Project:  big model\n")
    expect(message).toContain("To record it: LLM_EVALS_CASSETTES=auto npx vitest run --project 'big model' bot.test.ts -t '(?:^| )bot(?: > | )answers$'  (needs a real API key")
    // The lines before it still parse back (an SDK error that wraps the message).
    expect(parseMissMessages(message)).toEqual([{ test: 'bot > answers', method: 'POST', url: URL, cassette: '__cassettes__/bot.test.ts.cassette.json', mode: 'replay' }])
  })

  test('without projects, neither a project line nor --project', () => {
    const message = miss({ model: 'gpt-4o' }, { model: 'gpt-4.1' })
    expect(message).not.toContain('Project:')
    expect(message).toContain("To record it: LLM_EVALS_CASSETTES=auto npx vitest run bot.test.ts -t '(?:^| )bot(?: > | )answers$'  (needs")
  })
})

describe('missMessage after a refused recording', () => {
  const secret = { message: '[vitest-llm-evals] Refused to write /project/__cassettes__/bot.test.ts.cassette.json: it would contain the value of SERVICE_TOKEN (a recording of test "bot > answers"). That recording was not stored.', at: '2026-12-07T01:00:00.000Z', mode: 'auto', test: 'bot > answers' }

  test('says the last run refused it and why, and how to record it: no "needs a real API key"', () => {
    const message = miss({ model: 'gpt-4o' }, { model: 'gpt-4.1' }, { refusedBefore: secret, project: 'mini' })
    expect(message).toContain(
      '  It was not recorded: the last run of this file (2026-12-07T01:00:00.000Z, auto) refused to store a recording of this test: Refused to write __cassettes__/bot.test.ts.cassette.json: it would contain the value of SERVICE_TOKEN (a recording of test "bot > answers").\n',
    )
    expect(message).toContain('The API key was there: the recording was refused')
    expect(message).toContain('`llmEvals({ cassettes: { redact: [...] } })`')
    expect(message).toMatch(/then record again: LLM_EVALS_CASSETTES=auto npx vitest run --project mini bot\.test\.ts -t '\(\?:\^\| \)bot\(\?: > \| \)answers\$' {2}\(see "What is never stored" in \S*cassettes\.md\)$/)
    expect(message).not.toContain('needs a real API key')
    expect(message).not.toContain('That recording was not stored')
  })

  test('a refused scan or a tool that returned what is not JSON gets its own fix', () => {
    const scan = miss({}, {}, { refusedBefore: { ...secret, message: 'Refused to store a recording of test "bot > answers": the secret scan failed (boom). Nothing unscanned is stored.' } })
    expect(scan).toContain('  Record again: LLM_EVALS_CASSETTES=auto npx vitest run bot.test.ts')
    expect(scan).not.toContain('The API key was there')
    const notJson = miss({}, {}, { refusedBefore: { ...secret, message: 'Tool "search" returned a value that is not JSON, so it was not recorded: result is a Map (test "bot > answers").' } })
    expect(notJson).toContain('  Make the tool return plain JSON, then record again:')
  })

  test('a tool whose result held a live secret is named as the cause, not the prompt or the API key (found by a new user)', () => {
    const message = 'Refused to write /p/__cassettes__/bot.test.ts.cassette.json: it would contain the value of SERVICE_TOKEN (a recording of tool "whoami" in test "bot > answers"). That recording was not stored.'
    const tool = miss({}, {}, { refusedBefore: { ...secret, message } })
    expect(tool).toContain("  The tool's result (or its arguments) held a secret: the recording was refused so that it would not reach the cassette. Do not return the secret from the tool")
    expect(tool).not.toContain('The API key was there')
  })
})

describe('parseMissMessages', () => {
  test('reads the request, test, cassette and mode back from miss messages inside other text (an SDK error), one per message', () => {
    const first = miss({ model: 'gpt-4o' }, { model: 'gpt-4.1' }, { test: '(file)' })
    const second = miss({ model: 'gpt-4o' }, { model: 'o3' }, { test: 'bot > answers', repeat: 2, url: `${URL}?a=1` })
    expect(parseMissMessages(`400 [vitest-llm-evals] ${first}\n    at Object.<anonymous>\nCaused by: [vitest-llm-evals] ${second}`)).toEqual([
      { test: '(file)', method: 'POST', url: URL, cassette: '__cassettes__/bot.test.ts.cassette.json', mode: 'replay' },
      { test: 'bot > answers', method: 'POST', url: `${URL}?a=1`, cassette: '__cassettes__/bot.test.ts.cassette.json', mode: 'replay' },
    ])
    expect(parseMissMessages('Connection error.')).toEqual([])
  })
})

describe('recordTestCommand', () => {
  test('records one test again, its name matched literally and quoted for the shell', () => {
    expect(recordTestCommand('/repo/test/bot.test.ts', '/repo', 'bot > refunds')).toBe(String.raw`LLM_EVALS_CASSETTES=record npx vitest run test/bot.test.ts -t '(?:^| )bot(?: > | )refunds$'`)
    expect(recordTestCommand('/repo/a b.test.ts', '/repo', "suite > it's $5 (or [more])?")).toBe(
      String.raw`LLM_EVALS_CASSETTES=record npx vitest run 'a b.test.ts' -t '(?:^| )suite(?: > | )it'\''s \$5 \(or \[more\]\)\?$'`,
    )
  })

  test('with a project, runs only that project', () => {
    expect(recordTestCommand('/repo/test/bot.test.ts', '/repo', 'bot > refunds', 'mini')).toBe(String.raw`LLM_EVALS_CASSETTES=record npx vitest run --project mini test/bot.test.ts -t '(?:^| )bot(?: > | )refunds$'`)
  })
})

describe('a miss of a test stored under another name (the second of two tests with one name)', () => {
  // The first test's recording of the same request, as a cassette recorded before duplicate names were told apart holds it.
  const second = { test: 'bot > answers', storedTest: 'bot > answers (duplicate name, test 2)' }

  test("the nearest recording is named as the other test's, not as this test's", () => {
    const message = miss({ q: 1 }, { q: 1 }, second)
    expect(message).toContain('Nearest recording (test "bot > answers", call 0)')
    expect(message).toContain('it was recorded for test "bot > answers" only')
    expect(message).not.toContain('this test')
  })

  test("a tool call's nearest recording likewise", () => {
    const record = { test: 'bot > answers', repeat: 0, call: 0, name: 'lookup', key: 'k', occurrence: 0, args: { id: 1 }, result: 'r', meta: { recordedAt: '2025-01-01T00:00:00.000Z', latencyMs: 1 } }
    const message = toolMissMessage({
      mode: 'replay', name: 'lookup', args: { id: 1 }, records: [record], ...second, repeat: 0, occurrence: 0, recordedOccurrences: 0,
      cassetteFile: '/project/__cassettes__/bot.test.ts.cassette.json', testFile: '/project/bot.test.ts', root: '/project',
    })
    expect(message).toContain('Nearest recording (test "bot > answers", tool call 0)')
    expect(message).not.toContain('this test')
  })
})

describe('missMessage of a call the recording run sent but did not store', () => {
  const unfinished = (over: Partial<NonNullable<MissContext['unfinishedBefore']>>) => miss({ q: 1 }, { q: 1 }, { unfinishedBefore: { test: 'bot > answers', key: 'k', at: '2026-12-07T06:00:00.000Z', mode: 'auto', ...over } })

  test('says who cut it off, where it was read, and what to change before recording it', () => {
    expect(unfinished({ reason: 'test-timeout', source: 'cassette' })).toContain(
      "It was not recorded: in the run that recorded this cassette (2026-12-07T06:00:00.000Z, auto) the test's time ran out before this call was answered (describeEval's `timeout`, or the test's), and the test's signal aborted it, so it was never stored. Raise the timeout, then record it: LLM_EVALS_CASSETTES=auto npx vitest run bot.test.ts",
    )
    expect(unfinished({ reason: 'app-abort', detail: 'TimeoutError', source: 'report' })).toContain(
      'It was not recorded: in the last run of this file (2026-12-07T06:00:00.000Z, auto) the app under test cancelled this call before it was answered (its own time limit, an AbortSignal.timeout, ran out; ' +
        "the test's own time had not run out), so it was never stored. Give the app's time limit room (or do not cancel the call) while recording, then record it: LLM_EVALS_CASSETTES=auto npx vitest run bot.test.ts",
    )
    expect(unfinished({ reason: 'app-abort', detail: 'AbortError' })).toContain("(its own AbortSignal, or its SDK client's `timeout`, aborted it; the test's own time had not run out)")
    expect(unfinished({ reason: 'test-ended' })).toContain('this call was still unanswered when its test ended (the test did not await it, or timed out while ignoring its signal), so it was never stored. Await the call in the test (or raise the timeout)')
    // A usage report written before the reason was kept.
    expect(unfinished({})).toContain('this call was aborted, or still unanswered when its test ended')
    for (const reason of ['test-timeout', 'app-abort', 'test-ended'] as const) expect(unfinished({ reason })).not.toContain('To record it:')
  })
})
