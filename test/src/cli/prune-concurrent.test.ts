// `llm-evals cassettes prune` while other processes record into the same cassette: what they recorded after the
// run whose report prune reads began, or while prune ran, is never removed.
import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { readCassette, serializeCassette } from '../../../src/cassettes/cassette-file.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cliProject, entry } from './cassette-cli-fixtures.js'

// Another process's write, run when prune takes the cassette's lock (after it inspected the cassette).
const beforeLock = vi.hoisted(() => ({ write: undefined as (() => void) | undefined }))
vi.mock('../../../src/atomic-files.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/atomic-files.js')>()
  return {
    ...actual,
    withFileLock: <T>(path: string, action: () => T, waitMs?: number): T => {
      const write = beforeLock.write
      beforeLock.write = undefined
      write?.()
      return actual.withFileLock(path, action, waitMs)
    },
  }
})
afterEach(() => {
  beforeLock.write = undefined
})

const BEFORE_RUN = '2026-11-28T09:00:00.000Z'
const RUN_STARTED = '2026-11-28T09:30:00.000Z'
const DURING_RUN = '2026-11-28T09:45:00.000Z'

const { cassette, writeUsage, options } = cliProject(({ cassette }) =>
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0, BEFORE_RUN), entry('unused', 0, BEFORE_RUN)] })),
)
const tests = () => readCassette(cassette()).entries.map((each) => each.test)

describe('prune beside a parallel record run', () => {
  test("keeps what another process recorded after the run began: the run's report fingerprints the cassette with it", async () => {
    // The other run appends its recording while this run goes on; this run ends and reports over the cassette as it is then.
    const document = readCassette(cassette())
    writeFileSync(cassette(), serializeCassette({ ...document, entries: [...document.entries, entry('theirs', 0, DURING_RUN, 'other prompt')] }))
    writeUsage({ startedAt: RUN_STARTED, used: [{ test: 'kept', repeat: 0, call: 0 }] })

    const checked = await capture((print) => runCheck(options(), print))
    expect(checked.text).toContain('unused: 1 entries ("unused")')
    expect(checked.text).toContain('1 recording the last run did not use was made after it began, by another process (a parallel `record` run)')
    const pruned = await capture((print) => runPrune(options(), print))
    expect(pruned.code).toBe(0)
    expect(pruned.text).toContain('Removed 1 entry.')
    expect(tests()).toEqual(['kept', 'theirs'])
  })

  test('a report without the start of its run (an older version) prunes as before', async () => {
    const document = readCassette(cassette())
    writeFileSync(cassette(), serializeCassette({ ...document, entries: [...document.entries, entry('theirs', 0, DURING_RUN, 'other prompt')] }))
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    expect((await capture((print) => runPrune(options(), print))).text).toContain('Removed 2 entries.')
    expect(tests()).toEqual(['kept'])
  })

  test('leaves the cassette alone when another process wrote to it between inspection and lock', async () => {
    writeUsage({ startedAt: RUN_STARTED, used: [{ test: 'kept', repeat: 0, call: 0 }] })
    // A record run stores a new answer in the place of the unused entry, dated before the run's start (its own clock).
    beforeLock.write = () => {
      const document = readCassette(cassette())
      writeFileSync(cassette(), serializeCassette({ ...document, entries: [document.entries[0]!, entry('unused', 0, BEFORE_RUN, 'new answer')] }))
    }
    const written = () => readFileSync(cassette(), 'utf8')
    const pruned = await capture((print) => runPrune(options(), print))
    expect(pruned.code).toBe(1)
    expect(pruned.text).toContain('✗ test/__cassettes__/bot.test.ts.cassette.json: not pruned: it changed while prune ran (another process wrote to it).')
    expect(pruned.text).toContain('Removed 0 entries. 1 cassette not pruned (see above).')
    expect(written()).toContain('new answer')
  })
})
