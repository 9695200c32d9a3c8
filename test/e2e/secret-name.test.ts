// A live secret in a test's name (from a dataset row): the recording is refused, and no message the library
// prints, nor its usage report, holds the value (found by a new user). Vitest's own lines name the test as it is.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'

const TOKEN = 'svc9f8e7d6c5b4a3928'

describe('a live secret in a test name', () => {
  const setup = fixtureWithServer('secret-name')

  test('is hidden in the refusal, the run\'s last line and the usage report', async () => {
    const { project } = setup
    const run = await project.run([], setup.liveEnv({ SERVICE_TOKEN: TOKEN }))
    const library = run.output.split('\n').filter((line) => line.includes('[vitest-llm-evals]') || line.startsWith('LLM evals:'))
    expect(library.join('\n')).toContain('a recording of test "answers Refund order 123 for token [REDACTED SERVICE_TOKEN]"')
    expect(library.filter((line) => line.includes(TOKEN))).toEqual([])
    expect(run.output).not.toContain('Could not save which recordings this run used')
    const dir = project.path('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
    const reports = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'))
    expect(reports.length).toBeGreaterThan(0)
    for (const report of reports) expect(report).not.toContain(TOKEN)
  })
})
