// recordTool through the cassette session: a replay hands the app what the tool answered when it was recorded —
// not what the app (or the tool's cache) later made of it, a thrown plain object as that object, a connection string
// scrubbed like any secret, and arguments with a `__proto__` key as their own call.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import type { CassetteMode } from '../../../src/cassettes/mode.js'
import { enterTestScope, type TestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession } from '../../../src/cassettes/session.js'
import { toolKey } from '../../../src/cassettes/tool-key.js'

let root: string
let cassette: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tool-fidelity-'))
  cassette = join(root, '__cassettes__', 'agent.test.ts.cassette.json')
})

function openSession(mode: CassetteMode): CassetteSession {
  const session = new CassetteSession({ mode, root, hosts: [], redact: [], maxInlineBytes: 1024, runStartedAt: 0 })
  session.useTestFile(join(root, 'agent.test.ts'))
  return session
}

interface Stored { tools?: { test: string; name: string; args: unknown; result?: unknown; error?: unknown }[] }
const stored = () => JSON.parse(readFileSync(cassette, 'utf8')) as Stored

/** Calls `fn` as the tool `name` through the session, as `recordTool` does. */
const callTool = (session: CassetteSession, name: string, fn: (args: never) => unknown, args: unknown, scope: TestScope) =>
  session.callTool({ name, fn, thisArg: undefined, args: [args] }, scope)

/** One test file run: `body` per test, each test ended as the worker ends it, then the file. */
async function runFile(session: CassetteSession, tests: Record<string, (scope: TestScope) => Promise<unknown>>): Promise<Record<string, unknown>> {
  const outcomes: Record<string, unknown> = {}
  for (const [name, body] of Object.entries(tests)) {
    const scope: TestScope = { test: name, repeat: 0, active: true }
    enterTestScope(scope)
    outcomes[name] = await body(scope).catch((error: unknown) => ({ rejected: error }))
    await session.endTest(scope, false).catch((error: unknown) => (outcomes[`${name} (end)`] = error))
  }
  await session.endFile(new Set(Object.keys(tests)), true)
  return outcomes
}

describe('recordTool records what the tool answered, as it answered', () => {
  test('an app changing a result after the tool returned it, or the tool changing its cached object later, changes neither the recording nor the replay', async () => {
    const cache = { orders: [{ id: 1 }, { id: 2 }] }
    const recording = openSession('auto')
    let seen: unknown
    await runFile(recording, {
      agent: async (scope) => {
        const listOrders = (_args: never) => {
          setTimeout(() => cache.orders.push({ id: 3 }), 0)
          return cache
        }
        const result = (await callTool(recording, 'list_orders', listOrders, { user: 'ada' }, scope)) as typeof cache
        seen = result
        result.orders.pop()
        result.orders[0]!.id = 99
        await new Promise((done) => setTimeout(done, 5))
      },
      // A tool that changes the arguments it was called with: stored (and matched) as they were when called.
      defaults: async (scope) => callTool(recording, 'search', (args: { q: string; limit?: number }) => ((args.limit ??= 10), { ...args }), { q: 'x' }, scope),
    })
    // Live, the app gets the tool's own value: recording does not change what it sees.
    expect(seen).toBe(cache)
    expect(stored().tools).toMatchObject([
      { test: 'agent', args: { user: 'ada' }, result: { orders: [{ id: 1 }, { id: 2 }] } },
      { test: 'defaults', args: { q: 'x' }, result: { q: 'x', limit: 10 } },
    ])
    const replaying = openSession('replay')
    const never = () => ({ never: 'called' })
    const replayed = await runFile(replaying, {
      agent: (scope) => callTool(replaying, 'list_orders', never, { user: 'ada' }, scope),
      defaults: (scope) => callTool(replaying, 'search', never, { q: 'x' }, scope),
    })
    expect(replayed).toEqual({ agent: { orders: [{ id: 1 }, { id: 2 }] }, defaults: { q: 'x', limit: 10 } })
  })
})

describe('recordTool replays a thrown value that is not an Error as the same kind of value', () => {
  test('a plain object, a string, a number and null are thrown back as themselves; an Error as before', async () => {
    const throwing = (value: unknown) => () => {
      throw value
    }
    const thrown: Record<string, unknown> = {
      object: { message: 'user not found', code: 'E404', details: { id: 7 } },
      string: 'user not found',
      number: 404,
      null: null,
      error: Object.assign(new RangeError('too far'), { code: 'E_RANGE' }),
    }
    const recording = openSession('auto')
    const live = await runFile(recording, Object.fromEntries(Object.entries(thrown).map(([name, value]) => [name, (scope: TestScope) => callTool(recording, 'fetch_user', throwing(value), { id: name }, scope)])))
    // Stored once: the value itself, not its text beside it.
    expect(stored().tools?.find((record) => record.test === 'object')?.error).toEqual({ value: thrown.object })
    expect(stored().tools?.find((record) => record.test === 'string')?.error).toEqual({ value: 'user not found' })
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, Object.fromEntries(Object.keys(thrown).map((name) => [name, (scope: TestScope) => callTool(replaying, 'fetch_user', () => 'never called', { id: name }, scope)])))
    // The same values the app caught live (the Error is rebuilt from its name, message and code, checked below).
    expect({ ...replayed, error: undefined }).toEqual({ ...live, error: undefined })
    const rejected = (name: string) => (replayed[name] as { rejected: unknown }).rejected
    expect(rejected('object')).not.toBeInstanceOf(Error)
    expect(rejected('object')).toEqual({ message: 'user not found', code: 'E404', details: { id: 7 } })
    expect(String(rejected('string'))).toBe('user not found')
    expect(rejected('number')).toBe(404)
    expect(rejected('null')).toBeNull()
    expect(rejected('error')).toBeInstanceOf(Error)
    expect(rejected('error')).toMatchObject({ name: 'RangeError', message: 'too far', code: 'E_RANGE' })
    // Each replay throws its own copy: an app changing what it caught changes no later replay.
    ;(rejected('object') as { code: string }).code = 'changed'
    const again = await runFile(openSession('replay'), { object: (scope) => callTool(replaying, 'fetch_user', () => 0, { id: 'object' }, scope) })
    expect((again.object as { rejected: unknown }).rejected).toEqual(thrown.object)
  })

  test('a thrown value that is not JSON is warned about when recorded, and replays as an Error with its text', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const recording = openSession('auto')
      await runFile(recording, { dated: (scope) => callTool(recording, 'stamp', () => Promise.reject({ at: new Date(0) }), {}, scope) })
      expect(warn.mock.calls.map(([text]) => String(text))).toEqual([
        '[vitest-llm-evals] Tool "stamp" threw a value that is not an Error and that its recording cannot keep (the thrown value.at is a Date, not JSON): ' +
          'a replay throws an Error whose message is its text instead. If your app reads what the tool throws, the replay differs from the recording; ' +
          'throw an Error (its name, message and code are kept) or a plain JSON object. (Told once per tool and file.)',
      ])
      const replaying = openSession('replay')
      const replayed = await runFile(replaying, { dated: (scope) => callTool(replaying, 'stamp', () => 0, {}, scope) })
      expect((replayed.dated as { rejected: unknown }).rejected).toMatchObject({ name: 'Error', message: '{"at":"1970-01-01T00:00:00.000Z"}' })
    } finally {
      warn.mockRestore()
    }
  })
})

describe('recordTool replays values that JSON cannot hold as the tool returned them', () => {
  test('-0, NaN, ±Infinity and undefined (in an array, as a property, thrown) replay as they were', async () => {
    const returned = { delta: -0, ratio: Number.NaN, cap: Number.POSITIVE_INFINITY, floor: Number.NEGATIVE_INFINITY, items: [1, undefined, -0], note: undefined }
    const recording = openSession('auto')
    const live = await runFile(recording, {
      object: (scope) => callTool(recording, 'stats', () => returned, {}, scope),
      zero: (scope) => callTool(recording, 'round', () => Math.round(-0.2), {}, scope),
      thrownUndefined: (scope) => callTool(recording, 'fail', () => Promise.reject(undefined), {}, scope),
    })
    expect(Object.keys(live).filter((key) => key.endsWith('(end)'))).toEqual([])
    const replaying = openSession('replay')
    const never = () => 'never called'
    const replayed = await runFile(replaying, {
      object: (scope) => callTool(replaying, 'stats', never, {}, scope),
      zero: (scope) => callTool(replaying, 'round', never, {}, scope),
      thrownUndefined: (scope) => callTool(replaying, 'fail', never, {}, scope),
    })
    const object = replayed.object as typeof returned
    expect(object).toStrictEqual(returned)
    expect(Object.keys(object)).toEqual(Object.keys(returned))
    expect(Object.is(object.delta, -0)).toBe(true)
    expect(Object.is(object.items[2], -0)).toBe(true)
    expect(Object.is(replayed.zero, -0)).toBe(true)
    expect(replayed.thrownUndefined).toEqual({ rejected: undefined })
  })

  test.each([
    ['a Date', () => ({ at: new Date(0) }), 'result.at is a Date'],
    ['a Map', () => new Map([['a', 1]]), 'result is a Map'],
    ['a Set', () => ({ tags: new Set(['a']) }), 'result.tags is a Set'],
    ['a BigInt', () => ({ total: 10n }), 'result.total is a BigInt'],
    ['a typed array', () => ({ bytes: new Uint8Array([1]) }), 'result.bytes is a Uint8Array'],
    ['a sparse array', () => [1, , 3], 'result[1] is a hole (the array is sparse)'],
  ])('%s is refused when recorded, naming the tool, the test and the fix, and nothing is stored', async (_what, fn, found) => {
    const recording = openSession('auto')
    const outcome = await runFile(recording, { 'reads stats': (scope) => callTool(recording, 'stats', fn, {}, scope) })
    const message = (outcome['reads stats (end)'] as Error).message
    expect(message).toMatch(/^\[vitest-llm-evals\] Tool "stats" returned a value that is not plain JSON, so it was not recorded: /)
    expect(message).toContain(`${found} (test "reads stats"). Tools recorded with recordTool return plain JSON`)
    expect(existsSync(cassette)).toBe(false)
  })
})

describe('recordTool reads a thrown value stored by earlier versions', () => {
  test('an error with the value beside its text (`{ name, message, value }`) replays the value; one without, an Error', async () => {
    const record = (test: string, error: unknown) => ({ test, repeat: 0, call: 0, name: 'fetch_user', key: toolKey('fetch_user', {}), occurrence: 0, args: {}, error, meta: { recordedAt: '2026-01-01T00:00:00.000Z', latencyMs: 1 } })
    mkdirSync(join(root, '__cassettes__'), { recursive: true })
    writeFileSync(cassette, JSON.stringify({ version: 1, entries: [], tools: [
      record('object', { name: 'Error', message: '{"code":"E404"}', value: { code: 'E404' } }),
      record('string', { name: 'Error', message: 'user not found', value: 'user not found' }),
      record('text', { name: 'Error', message: 'undefined' }),
    ] }))
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, Object.fromEntries(['object', 'string', 'text'].map((name) => [name, (scope: TestScope) => callTool(replaying, 'fetch_user', () => 0, {}, scope)])))
    expect(replayed.object).toEqual({ rejected: { code: 'E404' } })
    expect(replayed.string).toEqual({ rejected: 'user not found' })
    expect((replayed.text as { rejected: unknown }).rejected).toBeInstanceOf(Error)
    expect((replayed.text as { rejected: Error }).rejected.message).toBe('undefined')
  })
})

describe('recordTool scrubs connection strings like any secret', () => {
  test('a database URL in a result or in an error message is stored redacted, the test passes, and it replays', async () => {
    const postgres = ['postgres://app:', 's3cretPassw0rd', '@db:5432/app'].join('')
    const mysql = ['mysql://root:', 's3cretPassw0rd', '@db:3306/app'].join('')
    const mongo = ['mongodb+srv://app:', 's3cretPassw0rd', '@cluster0.example.net/app'].join('')
    const recording = openSession('auto')
    const live = await runFile(recording, {
      result: (scope) => callTool(recording, 'config', () => ({ dsn: postgres, replicas: [mysql, mongo] }), {}, scope),
      error: (scope) => callTool(recording, 'connect', () => Promise.reject(new Error(`connect failed for ${postgres}`)), {}, scope).catch((error: Error) => error.message),
    })
    expect(live['result (end)']).toBeUndefined()
    expect(live['error (end)']).toBeUndefined()
    const text = readFileSync(cassette, 'utf8')
    expect(text).not.toContain('s3cretPassw0rd')
    expect(stored().tools).toMatchObject([
      { test: 'error', error: { message: 'connect failed for [REDACTED]' } },
      { test: 'result', result: { dsn: '[REDACTED]', replicas: ['[REDACTED]', '[REDACTED]'] } },
    ])
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, { result: (scope) => callTool(replaying, 'config', () => 0, {}, scope) })
    expect(replayed.result).toEqual({ dsn: '[REDACTED]', replicas: ['[REDACTED]', '[REDACTED]'] })
  })
})

describe('recordTool keeps a `__proto__` key of the arguments', () => {
  test('a call with a `__proto__` key is its own call, stored with that key, and replays its own result', async () => {
    const withProto = () => JSON.parse('{"__proto__":{"x":1}}') as object
    const recording = openSession('auto')
    await runFile(recording, {
      both: async (scope) => [await callTool(recording, 'lookup', () => 'with', withProto(), scope), await callTool(recording, 'lookup', () => 'without', {}, scope)],
    })
    expect(readFileSync(cassette, 'utf8')).toMatch(/"args": \{\n\s+"__proto__": \{\n\s+"x": 1\n\s+\}\n\s+\}/)
    const records = stored().tools ?? []
    expect(records.map((record) => [Object.keys(record.args as object), record.result])).toEqual([[['__proto__'], 'with'], [[], 'without']])
    const replaying = openSession('replay')
    const replayed = await runFile(replaying, {
      both: async (scope) => [await callTool(replaying, 'lookup', () => 0, {}, scope), await callTool(replaying, 'lookup', () => 0, withProto(), scope)],
    })
    expect(replayed.both).toEqual(['without', 'with'])
  })
})
