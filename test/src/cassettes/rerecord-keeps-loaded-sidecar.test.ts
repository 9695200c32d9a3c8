// Regression (review repro rside, concurrent-rerecord): a process that loaded a cassette (a replay run, an IDE's watch run) replays an entry whose
// sidecar another process's re-recording just removed (sidecar-cleanup.ts removeReplacedSidecars, store.ts write).
// On main the replaced file stayed until `prune` (which needs a complete run over the cassette as it is), so the
// replay still read it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { readCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { replayResponse } from '../../../src/cassettes/responses.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { streamToSidecar } from '../../../src/cassettes/stream-sidecar.js'

const event = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`
const streamed = (word: string): CassetteEntry => ({
  test: 'bot > streams', repeat: 0, call: 0, role: 'app',
  request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', stream: true } },
  response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: Array.from({ length: 200 }, (_, index) => event(`${word}${index} `)) },
  meta: { recordedAt: new Date().toISOString(), latencyMs: 5 },
})

function recordWith(file: string, entry: CassetteEntry, mode: 'append' | 'replace'): void {
  const store = new CassetteStore(file, { redact: [], secrets: [] })
  const moved = streamToSidecar(entry, 4096, [], [])
  const token = {}
  store.record(moved.entry, { attempt: token, occurrence: 0, mode }, moved.sidecar, [])
  store.endAttempt(token)
  store.flush({ final: true })
}

test('a replay that loaded the cassette before another process re-recorded the test still replays', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rside-concurrent-')), '__cassettes__', 'bot.test.ts.cassette.json')
  recordWith(file, streamed('first'), 'append')
  // The replaying process has loaded the cassette (its store holds this entry).
  const loaded = readCassette(file).entries[0]!
  // Meanwhile `LLM_EVALS_CASSETTES=record vitest -t streams` in another terminal re-records the test.
  recordWith(file, streamed('second'), 'replace')
  expect(readCassette(file).entries[0]!.response.file).not.toBe(loaded.response.file)
  let outcome = 'replayed'
  try {
    await replayResponse(loaded, file).text()
  } catch (error) {
    outcome = (error as Error).message.slice(0, 200)
  }
  expect(outcome).toBe('replayed')
})
