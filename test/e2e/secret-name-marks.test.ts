// A recording refused because its test's NAME holds a secret leaves a mark in the cassette (the name redacted, so
// the secret is not written), and a replay where the run's usage report is absent (CI, a fresh clone) finds that mark
// under the test's real name and gives the same advice as the run that refused it: rename the test or add a redact
// pattern. The mark holds no secret.
import { rmSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { recordOnce } from './record-once.js'

const TOKEN = 'svc9f8e7d6c5b4a3928'
const GITHUB_TOKEN_SHAPE = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`

describe('a secret in a test name, replayed where the usage report is absent', () => {
  const once = recordOnce('secret-name-marks', () => undefined, { SERVICE_TOKEN: TOKEN })

  test('the cassette keeps a mark of each refused call, with the name redacted and no secret', () => {
    const text = once.cassetteText()
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(GITHUB_TOKEN_SHAPE)
    const { unrecorded } = JSON.parse(text) as { unrecorded?: { test: string; reason: string }[] }
    expect(unrecorded?.map((mark) => [mark.test, mark.reason])).toEqual([
      ['answers Deploy with [REDACTED]', 'refused'],
      ['answers Refund order 123 for token [REDACTED]', 'refused'],
    ])
  })

  test('the replay finds the marks and says the test name held a secret, with the fix', async () => {
    // As in CI or a fresh clone: no usage report of the recording run.
    rmSync(once.project.path('node_modules', '.cache'), { recursive: true, force: true })
    const { run } = await once.replay()
    const advice = run.output.split('\n').filter((line) => line.includes("The test's name held a secret: the recording was refused"))
    expect(advice, run.output).toHaveLength(2)
    expect(run.output).toContain('rename the test (or keep the value out of the dataset field its name is built from)')
    // Vitest's own lines name the test as it is; the library's hide the token.
    const library = run.output.split('\n').filter((line) => line.includes('[vitest-llm-evals]') || line.includes('It was not recorded'))
    expect(library.filter((line) => line.includes(GITHUB_TOKEN_SHAPE) || line.includes(TOKEN))).toEqual([])
  })
})
