import { readFileSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cliProject, entry } from './cassette-cli-fixtures.js'

const { cassette, writeUsage, options } = cliProject()

test('a mark written by the very run the report describes (an app-aborted call in a passing auto run) is not stale: check lists it, prune keeps it', async () => {
  const mark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'app-abort' as const, at: '2026-11-28T09:59:00.000Z', mode: 'auto' }
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0)], unrecorded: [mark] }))
  // What fileUsageReport writes for that run: its fingerprint is taken after the mark is written, and `unfinished` names the call.
  writeUsage({ mode: 'auto', used: [{ test: 'kept', repeat: 0, call: 0 }], unfinished: [{ test: 'kept', key: 'k1', method: 'POST', url: 'https://api.openai.com/v1/chat/completions', reason: 'app-abort' }] })
  const checked = await capture((print) => runCheck(options(), print))
  expect(checked.text).not.toContain('stale:')
  expect(checked.text).toContain('not stored when recorded: POST /v1/chat/completions (test "kept"): the app under test cancelled it')
  await capture((print) => runPrune(options(), print))
  expect(JSON.parse(readFileSync(cassette(), 'utf8'))).toMatchObject({ unrecorded: [mark] })
})
