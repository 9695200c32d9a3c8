// A snapshot file an older version wrote holds tokens (responses were stored unscrubbed): they are scrubbed when the
// file is read, so no message shows them and any write of the file (a new response, or `-u`) leaves none.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { responseSnapshotPath } from '../../matchers/shared/response-snapshot-store.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const snapshotFile = responseSnapshotPath(import.meta.filename)
const suite = 'stored tokens'
const TOKEN = 'ghp_aaaaBBBBccccDDDDeeeeFFFFgggg01234567'
const LIVE = 'live-credential-value-5f3a9c'
const answer = `Deploy with ${TOKEN} from the release branch, then tag it.`

beforeEach(() => {
  mkdirSync(dirname(snapshotFile), { recursive: true })
  writeFileSync(
    snapshotFile,
    JSON.stringify({
      version: 1,
      responses: {
        [`${suite} > -u rewrites a stored response that still holds a token 1`]: answer,
        [`${suite} > a mismatch does not print the token of the stored response 1`]: answer,
        'another test 1': `Use ${LIVE} to sign in.`,
      },
    }),
  )
})
afterAll(() => rmSync(dirname(snapshotFile), { recursive: true, force: true }))
beforeEach(() => {
  vi.stubEnv('CI', '')
  vi.stubEnv('SHOP_API_KEY', LIVE)
  return () => vi.unstubAllEnvs()
})

function setUpdateMode(mode: 'all' | 'new' | 'none'): void {
  expect.setState({ snapshotState: { snapshotUpdateState: mode } as never })
}

describe(suite, () => {
  test('a mismatch does not print the token of the stored response', async () => {
    setUpdateMode('none')
    const message = await failureOf(expect('Something else entirely.').toMatchResponseSnapshot())
    expect(message).toContain('stored response: "Deploy with [REDACTED] from the release branch')
    expect(message).not.toContain(TOKEN)
  })

  test('-u rewrites a stored response that still holds a token', async ({ expect }) => {
    setUpdateMode('all')
    const before = readFileSync(snapshotFile, 'utf8')
    await expect(answer).toMatchResponseSnapshot()
    const after = readFileSync(snapshotFile, 'utf8')
    expect(after).not.toBe(before)
    // The file is committed like a cassette: after `vitest -u` it holds no token and no live credential value.
    expect(after).not.toContain(TOKEN)
    expect(after).not.toContain(LIVE)
    expect(JSON.parse(after).responses['another test 1']).toBe('Use [REDACTED] to sign in.')
  })

  test('storing a new response rewrites the file without the tokens other tests stored before', async ({ expect }) => {
    setUpdateMode('new')
    await expect('A brand new answer.').toMatchResponseSnapshot()
    const after = readFileSync(snapshotFile, 'utf8')
    expect(JSON.parse(after).responses[`${suite} > storing a new response rewrites the file without the tokens other tests stored before 1`]).toBe('A brand new answer.')
    expect(after).not.toContain(TOKEN)
    expect(after).not.toContain(LIVE)
  })
})
