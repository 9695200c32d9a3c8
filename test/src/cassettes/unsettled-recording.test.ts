// A response whose stream never ends fails its test once the end of the test has waited for it (settleRecordings).
// The try still ends: its call is marked unfinished and, in `record`, the try (which stored nothing) replaces the
// test's earlier recording, which used to stay and replay green in CI in place of the miss.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, vi } from 'vitest'
import { readCassette, serializeCassette } from '../../../src/cassettes/cassette-file.js'
import { enterTestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession, cassettePathFor } from '../../../src/cassettes/session.js'
import { writeFileAtomic } from '../../../src/atomic-files.js'

// The wait runs on the real clock (fake timers never reach the library): a short one here, not 60 s.
vi.mock('../../../src/cassettes/settle-recordings.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/cassettes/settle-recordings.js')>()
  return { ...original, settleRecordings: (recordings: ReadonlySet<Promise<void>>, test: string) => original.settleRecordings(recordings, test, 200) }
})

test('record: a try whose only response never finished streaming replaces the test\'s recording with the mark of that call', async () => {
  const root = mkdtempSync(join(tmpdir(), 'unsettled-'))
  const testFile = join(root, 'bot.test.ts')
  const cassette = cassettePathFor(testFile, root)
  const request = { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', stream: true } }
  writeFileAtomic(cassette, serializeCassette({ version: 1, entries: [{ test: 'streams', repeat: 0, call: 0, role: 'app', request, response: { status: 200, headers: {}, chunks: ['data: old answer\n\n'] }, meta: { recordedAt: '2026-11-28T00:00:00.000Z', latencyMs: 3 } }] }))

  const session = new CassetteSession({ mode: 'record', root, hosts: [], redact: [], maxInlineBytes: 1024, runStartedAt: Date.now() })
  session.useTestFile(testFile)
  const scope = { test: 'streams', repeat: 0, active: true }
  enterTestScope(scope)
  const live = { url: request.url, method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), text: async () => JSON.stringify(request.body) }
  expect(await session.handle(live, 'call-1')).toBe('passthrough')
  // The first chunk arrives; the stream then never ends.
  const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode('data: new\n\n')) })
  session.onNetworkResponse('call-1', new Response(body, { headers: { 'content-type': 'text/event-stream' } }))

  await expect(session.endTest(scope, false)).rejects.toThrow(/did not finish within 0.2 s after the test ended/)
  await session.endFile(new Set(['streams']), true)

  const stored = readCassette(cassette)
  expect(stored.entries).toEqual([])
  expect(stored.unrecorded.map((mark) => [mark.test, mark.reason])).toEqual([['streams', 'test-ended']])
})
