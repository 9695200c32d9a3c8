import { expect, test } from 'vitest'
import type { CassetteEntry, StoredResponse } from '../../src/cassettes/entry.js'
import { replayResponse } from '../../src/cassettes/responses.js'

const replay = (response: StoredResponse, signal?: AbortSignal) => replayResponse({ response } as CassetteEntry, '/tmp/unused.cassette.json', signal)

// Review finding: a replayed stream is read without ever giving timers a turn, so an abort scheduled on a timer
// (an SDK's `timeout`, the app's cancel after N ms) can no longer stop it mid-stream, as the network stream
// recorded would be (and as the replay before 8104bb3 was).
test('review: a replayed stream lets a timer-driven abort stop it mid-stream', async () => {
  const chunks = Array.from({ length: 20_000 }, (_, i) => `data: {"i":${i}}\n\n`)
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error('timed out')), 1)
  const response = replay({ status: 200, headers: { 'content-type': 'text/event-stream' }, chunks }, controller.signal)
  let read = 0
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const outcome = await (async () => {
    for (;;) {
      const { done } = await reader.read()
      if (done) return 'completed'
      read++
    }
  })().catch((error: Error) => error.message)
  expect({ outcome, allRead: read === chunks.length }).toEqual({ outcome: 'timed out', allRead: false })
})
