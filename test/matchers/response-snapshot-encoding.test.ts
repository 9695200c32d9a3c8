// A snapshot file an editor saved in Latin-1 is refused with its file and line, never read loosely and rewritten
// (U+FFFD would replace another test's characters for good).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, test, vi } from 'vitest'
import { responseSnapshotPath } from '../../matchers/shared/response-snapshot-store.js'
import { errorOf, registerMatchers } from './support.js'

registerMatchers()

const snapshotFile = responseSnapshotPath(import.meta.filename)
const latin1 = Buffer.from(`{\n  "version": 1,\n  "responses": {\n    "another test 1": "Le caf\xe9 est servi."\n  }\n}\n`, 'latin1')

beforeAll(() => {
  mkdirSync(dirname(snapshotFile), { recursive: true })
  writeFileSync(snapshotFile, latin1)
})
afterAll(() => rmSync(dirname(snapshotFile), { recursive: true, force: true }))
beforeEach(() => {
  vi.stubEnv('CI', '')
  return () => vi.unstubAllEnvs()
})

test("storing a new response refuses a Latin-1 file, naming its line, and leaves another test's response as it was", async () => {
  expect.setState({ snapshotState: { snapshotUpdateState: 'new' } as never })
  const error = await errorOf((async () => expect('A brand new answer.').toMatchResponseSnapshot())())
  expect(error.message).toBe(
    `[vitest-llm-evals] Cannot read response snapshots ${snapshotFile}: line 4 is not UTF-8 (an editor saved it in another encoding, such as Latin-1). Nothing was written to it. Save it as UTF-8 again, then run the tests again.`,
  )
  expect(readFileSync(snapshotFile).equals(latin1)).toBe(true)
})
