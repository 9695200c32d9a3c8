// Regression (review repro rside, projects-existing-tests): a `record` run of test.projects whose test names differ by project (a name built from the
// project's env, e.g. the model). Each project's final flush keeps only entries of the tests it collected
// (store.ts write: `exists` ignores `project`), so it drops the other project's entries, and now (this branch) removes
// their sidecar files at once too (removeReplacedSidecars).
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { readCassette, sidecarDir } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { streamToSidecar } from '../../../src/cassettes/stream-sidecar.js'

const event = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`
const streamed = (name: string, word: string): CassetteEntry => ({
  test: name, repeat: 0, call: 0, role: 'app',
  request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: word, stream: true } },
  response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: Array.from({ length: 200 }, (_, index) => event(`${word}${index} `)) },
  meta: { recordedAt: new Date().toISOString(), latencyMs: 5 },
})

function recordRun(file: string, project: string, name: string, runStartedAt: number): void {
  const store = new CassetteStore(file, { redact: [], secrets: [], project, runStartedAt })
  const moved = streamToSidecar(streamed(name, project), 4096, [], [])
  const token = {}
  store.record(moved.entry, { attempt: token, occurrence: 0, mode: 'replace' }, moved.sidecar, [])
  store.endAttempt(token)
  // endFile of a complete record run: existingTests = the tests this project collected.
  store.flush({ final: true, existingTests: new Set([name]) })
}

test('two projects recording the same file keep each other\'s recordings and sidecars', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rside-projects-')), '__cassettes__', 'bot.test.ts.cassette.json')
  const started = Date.now() - 1000
  recordRun(file, 'gpt', 'answers with gpt', started)
  recordRun(file, 'claude', 'answers with claude', started)
  const entries = readCassette(file).entries
  expect(entries.map((entry) => `${entry.project}: ${entry.test}`).sort()).toEqual(['claude: answers with claude', 'gpt: answers with gpt'])
  expect(entries.every((entry) => existsSync(join(sidecarDir(file), entry.response.file!)))).toBe(true)
  expect(readdirSync(sidecarDir(file)).length).toBe(2)
})
