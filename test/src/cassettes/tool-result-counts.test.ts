// The counts behind the end-of-run line's "tool results replayed, recorded": one increment per call the
// cassette answered (a recorded throw too) or per record kept, never a miss or a refused record.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import type { CassetteMode } from '../../../src/cassettes/mode.js'
import { enterTestScope, type TestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession, type AttemptCounts } from '../../../src/cassettes/session.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tool-counts-'))
})

function openSession(mode: CassetteMode): CassetteSession {
  const session = new CassetteSession({ mode, root, hosts: [], redact: [], maxInlineBytes: 1024, runStartedAt: 0 })
  session.useTestFile(join(root, 'agent.test.ts'))
  return session
}

const lookup = (session: CassetteSession, scope?: TestScope) => (args: { id: string }) =>
  session.callTool({ name: 'lookup', fn: ({ id }: { id: string }) => { if (id === 'gone') throw Object.assign(new Error('no such id'), { code: 404 }); return id === 'date' ? new Date(0) : { id } }, thisArg: undefined, args: [args] }, scope)

/** Runs `body` as one test try and ends it as the worker does; resolves with the counts the worker is given. */
async function tryTest(session: CassetteSession, name: string, body: (scope: TestScope) => Promise<unknown>, repeat = 0): Promise<AttemptCounts | undefined> {
  const scope: TestScope = { test: name, repeat, active: true }
  enterTestScope(scope)
  let failed = false
  await body(scope).catch(() => (failed = true))
  let counted: AttemptCounts | undefined
  await session.endTest(scope, failed, [], (counts) => (counted = counts)).catch(() => undefined)
  return counted
}

async function recordFile(): Promise<void> {
  const session = openSession('auto')
  await lookup(session)({ id: 'top' })
  await tryTest(session, 'one', async (scope) => {
    await lookup(session, scope)({ id: 'a' })
    await lookup(session, scope)({ id: 'gone' }).catch(() => undefined)
  })
  await session.endFile(new Set(['one']), true)
}

describe('tool result counts', () => {
  test('auto counts the records it kept, a recorded throw among them; a test without tool calls has none', async () => {
    const session = openSession('auto')
    const counts = await tryTest(session, 'one', async (scope) => {
      await lookup(session, scope)({ id: 'a' })
      await lookup(session, scope)({ id: 'gone' }).catch(() => undefined)
    })
    expect(counts?.toolResults).toEqual({ replayed: 0, recorded: 2 })
    // A try that made no call is still counted, as none: the worker puts it in place of the try it retries.
    expect(await tryTest(session, 'none', async () => undefined)).toEqual({ replayed: 0, recorded: 0, calls: [] })
  })

  test('replay counts every result it answered, a recorded throw too, and the calls outside tests on the file', async () => {
    await recordFile()
    const session = openSession('replay')
    await lookup(session)({ id: 'top' })
    const counts = await tryTest(session, 'one', async (scope) => {
      await lookup(session, scope)({ id: 'a' })
      await expect(lookup(session, scope)({ id: 'gone' })).rejects.toThrow('no such id')
    })
    expect(counts?.toolResults).toEqual({ replayed: 2, recorded: 0 })
    expect(session.fileToolResults()).toEqual({ replayed: 1, recorded: 0 })
    await session.endFile(new Set(['one']), true)
    // Read after the end of the file, as the worker does.
    expect(session.fileToolResults()).toEqual({ replayed: 1, recorded: 0 })
    session.useTestFile(join(root, 'other.test.ts'))
    expect(session.fileToolResults()).toBeUndefined()
  })

  test('a miss counts nothing, and the counts reach the worker although the end of the test throws', async () => {
    await recordFile()
    const session = openSession('replay')
    const counts = await tryTest(session, 'one', async (scope) => {
      await lookup(session, scope)({ id: 'a' })
      await lookup(session, scope)({ id: 'never recorded' }).catch(() => undefined)
    })
    expect(counts?.toolResults).toEqual({ replayed: 1, recorded: 0 })
  })

  test('auto replays what is recorded and records the rest; record re-records everything', async () => {
    await recordFile()
    const auto = openSession('auto')
    const mixed = await tryTest(auto, 'one', async (scope) => {
      await lookup(auto, scope)({ id: 'a' })
      await lookup(auto, scope)({ id: 'b' })
    })
    expect(mixed?.toolResults).toEqual({ replayed: 1, recorded: 1 })
    const record = openSession('record')
    const again = await tryTest(record, 'one', async (scope) => {
      await lookup(record, scope)({ id: 'a' })
    })
    expect(again?.toolResults).toEqual({ replayed: 0, recorded: 1 })
  })

  test('a record that is refused (a result that is not JSON) is not counted', async () => {
    const session = openSession('auto')
    const counts = await tryTest(session, 'dates', async (scope) => {
      await lookup(session, scope)({ id: 'a' })
      await lookup(session, scope)({ id: 'date' })
    })
    expect(counts?.toolResults).toEqual({ replayed: 0, recorded: 1 })
  })

  test('concurrent tests count their own calls', async () => {
    await recordFile()
    const session = openSession('auto')
    const [a, b] = await Promise.all([
      tryTest(session, 'one', async (scope) => lookup(session, scope)({ id: 'a' })),
      tryTest(session, 'two', async (scope) => Promise.all([lookup(session, scope)({ id: 'x' }), lookup(session, scope)({ id: 'y' })])),
    ])
    expect([a?.toolResults, b?.toolResults]).toEqual([{ replayed: 1, recorded: 0 }, { replayed: 0, recorded: 2 }])
  })
})
