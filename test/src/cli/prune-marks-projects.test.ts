import { readFileSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cliProject, entry } from './cassette-cli-fixtures.js'

const { cassette, writeUsage, options } = cliProject()


const tag = (e: CassetteEntry, project?: string) => (project === undefined ? e : { ...e, project })

test('prune: a mark of a project the last run did not run (run under another config) is kept by prune', async () => {
  const mark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-11-28T09:59:00.000Z', mode: 'record', project: 'B' }
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [tag(entry('kept', 0), 'A'), tag(entry('kept', 1), 'B')], unrecorded: [mark] } as never))
  // A run under another config that defines project A only: B's entry is kept, as the merged branch intends.
  writeUsage({ mode: 'replay', config: 'vitest.a.config.ts', projects: ['A'], used: [{ test: 'kept', repeat: 0, call: 0 }] } as never)
  await capture((print) => runCheck(options(), print))
  
  await capture((print) => runPrune(options(), print))

  const after = JSON.parse(readFileSync(cassette(), 'utf8'))
  expect(after.entries.map((e: CassetteEntry) => e.project)).toEqual(['A', 'B'])
  expect(after.unrecorded ?? []).toEqual([mark])
})

test('prune: untagged entries (recorded under a config without projects) after a run under a config with projects', async () => {
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [tag(entry('kept', 0), 'A'), entry('plain', 0)] }))
  writeUsage({ mode: 'replay', config: 'vitest.projects.config.ts', projects: ['A'], used: [{ test: 'kept', repeat: 0, call: 0 }] } as never)
  await capture((print) => runPrune(options(), print))

  const after = JSON.parse(readFileSync(cassette(), 'utf8'))
  expect(after.entries.map((e: CassetteEntry) => e.test)).toEqual(['kept', 'plain'])
})

test('prune: a --project A run; project B has only a mark (its one call timed out while recorded)', async () => {
  const mark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-11-28T09:59:00.000Z', mode: 'record', project: 'B' }
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [tag(entry('kept', 0), 'A')], unrecorded: [mark] } as never))
  writeUsage({ mode: 'replay', projects: ['A'], projectFilter: true, used: [{ test: 'kept', repeat: 0, call: 0 }] } as never)
  await capture((print) => runPrune(options(), print))

  expect(JSON.parse(readFileSync(cassette(), 'utf8')).unrecorded ?? []).toEqual([mark])
})
