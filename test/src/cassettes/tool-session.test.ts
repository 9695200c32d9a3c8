import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { CassetteMode } from '../../../src/cassettes/mode.js'
import { enterTestScope, type TestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession } from '../../../src/cassettes/session.js'
import { CassetteMissError, SecretLeakError } from '../../../src/errors/index.js'

const LIVE_KEY = 'live-tool-secret-0123456789abcdef'
let root: string
let cassette: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tools-'))
  cassette = join(root, '__cassettes__', 'agent.test.ts.cassette.json')
  process.env.TOOL_TEST_API_KEY = LIVE_KEY
})
afterEach(() => {
  delete process.env.TOOL_TEST_API_KEY
})

function openSession(mode: CassetteMode, runStartedAt = 0): CassetteSession {
  const session = new CassetteSession({ mode, root, hosts: [], redact: [{ source: 'cust_[a-z0-9]+', flags: 'g' }], maxInlineBytes: 1024, runStartedAt })
  session.useTestFile(join(root, 'agent.test.ts'))
  return session
}

const scopeOf = (test: string, repeat = 0): TestScope => ({ test, repeat, active: true })
interface Stored { tools?: { test: string; call: number; name: string; occurrence: number; args: unknown; result?: unknown; error?: unknown }[] }
const stored = () => JSON.parse(readFileSync(cassette, 'utf8')) as Stored

/** A tool whose calls are counted, called through the session as `recordTool` does. */
function tool(session: CassetteSession, name: string, fn: (args: never) => unknown) {
  const calls: unknown[] = []
  const call = (args: unknown, scope?: TestScope) => session.callTool({ name, fn: (value: never) => (calls.push(value), fn(value)), thisArg: undefined, args: args === undefined ? [] : [args] }, scope)
  return { call, calls }
}

/** One test file run: `body` per test, each test ended as the worker ends it, then the file. */
async function runFile(session: CassetteSession, tests: Record<string, (scope: TestScope) => Promise<unknown>>): Promise<Record<string, unknown>> {
  const outcomes: Record<string, unknown> = {}
  for (const [name, body] of Object.entries(tests)) {
    const scope = scopeOf(name)
    enterTestScope(scope)
    let failed = false
    try {
      outcomes[name] = await body(scope)
    } catch (error) {
      failed = true
      outcomes[name] = error
    }
    await session.endTest(scope, failed).catch((error: unknown) => (outcomes[`${name} (end)`] = error))
  }
  await session.endFile(new Set(Object.keys(tests)), true)
  return outcomes
}

describe('recordTool calls through the cassette session', () => {
  test('auto records a result; replay answers from it without calling the tool, with the keys in the order returned', async () => {
    const recording = openSession('auto')
    const lookup = tool(recording, 'lookup_order', () => ({ status: 'delivered', id: '123', amount: { value: 30, currency: 'EUR' }, 2: 'numeric keys come first in JS anyway' }))
    const live = await runFile(recording, { refund: (scope) => lookup.call({ orderId: '123', expand: true }, scope) })
    expect(lookup.calls).toHaveLength(1)
    expect(stored().tools).toMatchObject([{ test: 'refund', call: 0, name: 'lookup_order', occurrence: 0, args: { expand: true, orderId: '123' } }])
    // Arguments are stored with sorted keys; the result as it was returned.
    expect(readFileSync(cassette, 'utf8')).toContain('"args": {\n        "expand": true,\n        "orderId": "123"')
    expect(readFileSync(cassette, 'utf8')).toMatch(/"result": \{\n\s+"2": [^\n]+\n\s+"status": "delivered",\n\s+"id": "123",\n\s+"amount": \{\n\s+"value": 30,\n\s+"currency": "EUR"/)

    const replaying = openSession('replay')
    const offline = tool(replaying, 'lookup_order', () => {
      throw new Error('the database is gone')
    })
    const replayed = await runFile(replaying, { refund: (scope) => offline.call({ expand: true, orderId: '123' }, scope) })
    expect(offline.calls).toHaveLength(0)
    expect(replayed.refund).toEqual(live.refund)
    expect(Object.keys(replayed.refund as object)).toEqual(['2', 'status', 'id', 'amount'])
    expect(Object.keys((replayed.refund as { amount: object }).amount)).toEqual(['value', 'currency'])
  })

  test("an app changing a replayed result changes neither the test's trace nor the next replay", async () => {
    const recording = openSession('auto')
    const lookup = tool(recording, 'lookup_order', () => ({ status: 'delivered', items: ['book'] }))
    await runFile(recording, { twice: async (scope) => [await lookup.call({ id: 1 }, scope), await lookup.call({ id: 1 }, scope)] })
    const replaying = openSession('replay')
    const offline = tool(replaying, 'lookup_order', () => ({ status: 'never called' }))
    let trace: unknown
    const replayed = await runFile(replaying, {
      twice: async (scope) => {
        const first = (await offline.call({ id: 1 }, scope)) as { status: string; items: string[] }
        first.status = 'changed by the app'
        first.items.push('pen')
        const second = await offline.call({ id: 1 }, scope)
        trace = replaying.currentToolCalls()
        ;(trace as { result: { items: string[] } }[])[0]?.result.items.push('changed through the trace')
        return [first, second, replaying.currentToolCalls()]
      },
    })
    const [, second, traceAfter] = replayed.twice as unknown[]
    expect(second).toEqual({ status: 'delivered', items: ['book'] })
    expect(traceAfter).toEqual([
      { name: 'lookup_order', args: { id: 1 }, result: { status: 'delivered', items: ['book'] } },
      { name: 'lookup_order', args: { id: 1 }, result: { status: 'delivered', items: ['book'] } },
    ])
    expect(offline.calls).toHaveLength(0)
  })

  test('the n-th identical call gets the n-th recording, also when started together', async () => {
    let counter = 0
    const recording = openSession('auto')
    const next = tool(recording, 'next_id', async () => {
      const id = ++counter
      await new Promise((done) => setTimeout(done, 30 - id * 10))
      return { id }
    })
    const live = await runFile(recording, { ids: (scope) => Promise.all([next.call({ kind: 'a' }, scope), next.call({ kind: 'a' }, scope), next.call({ kind: 'b' }, scope)]) })
    expect(live.ids).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(stored().tools?.map((record) => [record.call, record.occurrence, record.result])).toEqual([[0, 0, { id: 1 }], [1, 1, { id: 2 }], [2, 0, { id: 3 }]])
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, { ids: (scope) => Promise.all([tool(replaying, 'next_id', () => 0).call({ kind: 'a' }, scope), tool(replaying, 'next_id', () => 0).call({ kind: 'a' }, scope), tool(replaying, 'next_id', () => 0).call({ kind: 'b' }, scope)]) })
    expect(replayed.ids).toEqual(live.ids)
  })

  test('a thrown error is recorded and replayed with its name, message and code; undefined replays as undefined', async () => {
    const recording = openSession('auto')
    const read = tool(recording, 'read_file', ({ path }: { path: string }) => {
      if (path === 'void') return undefined
      throw Object.assign(new TypeError(`no such file: ${path}`), { code: 'ENOENT' })
    })
    const live = await runFile(recording, { missing: (scope) => read.call({ path: '/nope' }, scope), nothing: (scope) => read.call({ path: 'void' }, scope) })
    expect(live.missing).toBeInstanceOf(TypeError)
    expect(stored().tools?.map((record) => record.error ?? record.result ?? 'neither')).toEqual([{ name: 'TypeError', message: 'no such file: /nope', code: 'ENOENT' }, 'neither'])
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, { missing: (scope) => tool(replaying, 'read_file', () => 0).call({ path: '/nope' }, scope), nothing: (scope) => tool(replaying, 'read_file', () => 0).call({ path: 'void' }, scope) })
    expect(replayed.missing).toBeInstanceOf(Error)
    expect(replayed.missing).toMatchObject({ name: 'TypeError', message: 'no such file: /nope', code: 'ENOENT' })
    expect(replayed.nothing).toBeUndefined()
    expect(replayed['missing (end)']).toBeUndefined()
  })

  test('a sync tool is called and its wrapper is still a promise', async () => {
    const session = openSession('auto')
    const add = tool(session, 'add', ({ a, b }: { a: number; b: number }) => a + b)
    const pending = add.call({ a: 1, b: 2 }, scopeOf('sum'))
    expect(pending).toBeInstanceOf(Promise)
    expect(await pending).toBe(3)
  })

  test('a replay miss fails the call and the test, naming the call, the test, the nearest recording and the command', async () => {
    const recording = openSession('auto')
    await runFile(recording, { refund: (scope) => tool(recording, 'lookup_order', () => ({ ok: true })).call({ orderId: '123', expand: true }, scope) })
    const replaying = openSession('replay')
    const lookup = tool(replaying, 'lookup_order', () => ({ ok: true }))
    const replayed = await runFile(replaying, {
      refund: async (scope) => {
        // The app swallows the error: the test still fails at its end.
        await lookup.call({ orderId: '124', expand: true }, scope).catch(() => undefined)
      },
    })
    expect(lookup.calls).toHaveLength(0)
    const error = replayed['refund (end)'] as CassetteMissError
    expect(error).toBeInstanceOf(CassetteMissError)
    expect(error.message.replace(root, '<root>')).toMatchInlineSnapshot(`
      "[vitest-llm-evals] No recording for tool lookup_order({"expand":true,"orderId":"124"}) (cassette mode: replay).
        Test:     refund
        Cassette: __cassettes__/agent.test.ts.cassette.json
        Nearest recording (this test, tool call 0) differs in:
          - args.orderId: recorded "123", received "124"
        To record it: LLM_EVALS_CASSETTES=auto npx vitest run agent.test.ts -t '(?:^| )refund$'  (calls the tool for real; then commit the cassette)"
    `)
    expect(replaying.misses).toEqual([{ test: 'refund', method: 'tool', url: 'lookup_order({"expand":true,"orderId":"124"})' }])
  })

  test('a call made more often than recorded says so', async () => {
    const recording = openSession('auto')
    await runFile(recording, { twice: (scope) => tool(recording, 'ping', () => 'pong').call(undefined, scope) })
    const replaying = openSession('replay')
    const ping = tool(replaying, 'ping', () => 'pong')
    const outcome = await runFile(replaying, { twice: async (scope) => [await ping.call(undefined, scope), await ping.call(undefined, scope)] })
    expect((outcome.twice as Error).message).toContain('This exact call was recorded 1 time(s) for this test; this is call 2.')
  })

  test('a result that is not JSON is not recorded: the app gets it, the test fails naming the tool, test and path', async () => {
    const session = openSession('auto')
    const when = new Date(0)
    const outcome = await runFile(session, {
      dates: (scope) => tool(session, 'order_dates', () => ({ orders: [{ placedAt: when }] })).call({ id: 1 }, scope),
      fine: (scope) => tool(session, 'plain', () => [1]).call({ id: 1 }, scope),
    })
    expect(outcome.dates).toEqual({ orders: [{ placedAt: when }] })
    expect((outcome['dates (end)'] as Error).message).toBe(
      '[vitest-llm-evals] Tool "order_dates" returned a value that is not plain JSON, so it was not recorded: result.orders[0].placedAt is a Date (test "dates"). ' +
        'Tools recorded with recordTool return plain JSON (-0, NaN, Infinity and undefined are kept too), so that a replay gives back what they returned; return `date.toISOString()`.',
    )
    expect(stored().tools?.map((record) => record.name)).toEqual(['plain'])
    expect(session.usage().refused).toHaveLength(1)
  })

  test('arguments that are not JSON fail the call at once, in every mode but passthrough', async () => {
    const session = openSession('replay')
    await expect(tool(session, 'since', () => 1).call({ since: new Date(0) }, scopeOf('t'))).rejects.toThrow('Tool "since" was called with arguments that are not JSON, so the call cannot be matched or recorded: args.since is a Date (test "t").')
  })

  test("a live key in a tool's result refuses only that recording; key patterns and redact rules are scrubbed", async () => {
    const session = openSession('auto')
    const outcome = await runFile(session, {
      leaky: (scope) => tool(session, 'config', () => ({ token: LIVE_KEY })).call({}, scope),
      scrubbed: (scope) => tool(session, 'customer', () => ({ id: 'cust_8f3k2x', note: 'key sk-abcdefghijklmnopqrstuvwx' })).call({ customer: 'cust_8f3k2x' }, scope),
    })
    expect(outcome['leaky (end)']).toBeInstanceOf(SecretLeakError)
    expect((outcome['leaky (end)'] as Error).message).toContain('TOOL_TEST_API_KEY')
    const text = readFileSync(cassette, 'utf8')
    expect(text).not.toContain(LIVE_KEY)
    expect(text).not.toContain('cust_8f3k2x')
    expect(stored().tools).toMatchObject([{ test: 'scrubbed', args: { customer: '[REDACTED]' }, result: { id: '[REDACTED]', note: 'key [REDACTED]' } }])
    // Found by the key of the live arguments: the redacted recording still replays.
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, { scrubbed: (scope) => tool(replaying, 'customer', () => 0).call({ customer: 'cust_8f3k2x' }, scope) })
    expect(replayed.scrubbed).toEqual({ id: '[REDACTED]', note: 'key [REDACTED]' })
  })

  test('what looks like a secret in a tool record (secretlint rules) is scrubbed from its result and error, and still replays', async () => {
    const token = ['ghp', '_', 'Qm7'.repeat(12)].join('')
    const session = openSession('auto')
    await runFile(session, {
      lookup: (scope) => tool(session, 'repo', () => ({ name: 'app', deployToken: token })).call({ repo: 'app' }, scope),
      failing: (scope) => tool(session, 'deploy', () => { throw new Error(`auth failed for ${token}`) }).call({ repo: 'app' }, scope).catch(() => 'threw'),
    })
    const text = readFileSync(cassette, 'utf8')
    expect(text).not.toContain(token)
    expect(stored().tools).toMatchObject([
      { test: 'failing', error: { message: 'auth failed for [REDACTED]' } },
      { test: 'lookup', result: { name: 'app', deployToken: '[REDACTED]' } },
    ])
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, { lookup: (scope) => tool(replaying, 'repo', () => 0).call({ repo: 'app' }, scope) })
    expect(replayed.lookup).toEqual({ name: 'app', deployToken: '[REDACTED]' })
  })

  test('calls outside a test are recorded under (file)', async () => {
    const session = openSession('auto')
    await session.callTool({ name: 'seed', fn: () => ({ seeded: true }), thisArg: undefined, args: [] }, undefined)
    await session.endFile(new Set(), true)
    expect(stored().tools).toMatchObject([{ test: '(file)', name: 'seed', args: null, result: { seeded: true } }])
  })

  test('record re-records a test (replacing its tool records); auto only adds what is missing', async () => {
    const first = openSession('auto')
    await runFile(first, { t: async (scope) => [await tool(first, 'a', () => 'old a').call({}, scope), await tool(first, 'b', () => 'old b').call({}, scope)] })
    const again = openSession('auto')
    const outcome = await runFile(again, { t: async (scope) => [await tool(again, 'a', () => 'new a').call({}, scope), await tool(again, 'c', () => 'new c').call({}, scope)] })
    expect(outcome.t).toEqual(['old a', 'new c'])
    expect(stored().tools?.map((record) => [record.call, record.result])).toEqual([[0, 'old a'], [1, 'old b'], [2, 'new c']])
    const record = openSession('record', Date.now())
    await runFile(record, { t: async (scope) => [await tool(record, 'a', () => 'newer a').call({}, scope)] })
    expect(stored().tools?.map((record) => [record.call, record.name, record.result])).toEqual([[0, 'a', 'newer a']])
  })

  test("a failed try's tool records are held and dropped when Vitest retries the test", async () => {
    const session = openSession('auto')
    const first = scopeOf('flaky')
    enterTestScope(first)
    await session.callTool({ name: 'weather', fn: () => 'rain', thisArg: undefined, args: [{ city: 'Paris' }] }, first)
    await session.endTest(first, true)
    const retry = scopeOf('flaky')
    enterTestScope(retry)
    session.beginTry(retry)
    await session.callTool({ name: 'weather', fn: () => 'sun', thisArg: undefined, args: [{ city: 'Paris' }] }, retry)
    await session.endTest(retry, false)
    await session.endFile(new Set(['flaky']), true)
    expect(stored().tools?.map((record) => record.result)).toEqual(['sun'])
  })

  test("the running attempt's finished tool calls are exposed for its trace", async () => {
    const session = openSession('auto')
    const scope = scopeOf('trace')
    enterTestScope(scope)
    await session.callTool({ name: 'lookup', fn: () => ({ found: 1 }), thisArg: undefined, args: [{ id: 'x' }] }, scope)
    await session.callTool({ name: 'fail', fn: () => Promise.reject(new RangeError('too far')), thisArg: undefined, args: [{}] }, scope).catch(() => undefined)
    const pending = session.callTool({ name: 'slow', fn: () => new Promise(() => undefined), thisArg: undefined, args: [{}] }, scope)
    expect(session.currentToolCalls()).toEqual([
      { name: 'lookup', args: { id: 'x' }, result: { found: 1 } },
      { name: 'fail', args: {}, error: 'RangeError: too far' },
    ])
    void pending
  })
})

describe('a hostile tool recording', () => {
  test('a result nested 100,000 levels deep replays as a CassetteError naming the tool, its test and what to do', async () => {
    const recording = openSession('auto')
    const lookup = tool(recording, 'lookup', () => ({ deep: 'DEEP' }))
    await runFile(recording, { agent: (scope) => lookup.call({ id: 1 }, scope) })
    const { writeFileSync } = await import('node:fs')
    writeFileSync(cassette, readFileSync(cassette, 'utf8').replace('"DEEP"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`))
    const replaying = openSession('replay')
    const outcomes = await runFile(replaying, { agent: (scope) => tool(replaying, 'lookup', () => 'live').call({ id: 1 }, scope) })
    expect(outcomes['agent']).toBeInstanceOf(Error)
    expect((outcomes['agent'] as Error).message).toContain(`[vitest-llm-evals] Cannot read cassette ${cassette}: the recording of tool "lookup" of test "agent" (call 0) holds JSON nested too deeply to use`)
  })

  test('arguments nested 100,000 levels deep: loading the cassette is a CassetteError naming the tool record', async () => {
    const recording = openSession('auto')
    const lookup = tool(recording, 'lookup', () => 1)
    await runFile(recording, { agent: (scope) => lookup.call({ id: 'DEEP' }, scope) })
    const { writeFileSync } = await import('node:fs')
    writeFileSync(cassette, readFileSync(cassette, 'utf8').replace('"DEEP"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`))
    expect(() => openSession('replay')).toThrowError(`Cannot read cassette ${cassette}: the recording of tool "lookup" of test "agent" (call 0) holds JSON nested too deeply to use`)
  })
})
