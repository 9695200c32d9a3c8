// A test with `retry: 1` whose first try made a live call and failed: Vitest retries it, the failed try's
// recording is dropped (the retry's is stored), but its call was sent all the same: it is counted as sent live,
// in the test's calls (tokens, cost) and in the file's usage report, not lost.
import { readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'

type Call = { source: string; attempt?: { repeat: number; retry: number } }
type JsonReport = { testResults: { assertionResults: { title: string; meta?: { cassette?: { recorded: number; calls: Call[] } } }[] }[] }

describe('a retried try that made a live call', () => {
  const setup = fixtureWithServer('tries')

  test('auto: the failed try\'s call counts as sent live and discarded, the retry\'s as recorded', async () => {
    const { project, server } = setup
    for (const content of ['warm', 'Lyon', 'Paris']) server.enqueue({ content })
    const run = await project.run(['vitest-retry.test.ts', '--reporter=default', '--reporter=json', '--outputFile.json=results.json'], setup.liveEnv())
    expect(run.output).toContain('Tests  2 passed')
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3)

    const json = JSON.parse(project.read('results.json')) as JsonReport
    const flaky = json.testResults.flatMap((file) => file.assertionResults).find((result) => result.title === 'flaky')
    expect(flaky?.meta?.cassette?.recorded).toBe(1)
    expect(flaky?.meta?.cassette?.calls.map((call) => [call.source, call.attempt?.retry])).toEqual([['live', 0], ['recorded', 1]])

    const dir = project.path('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
    const reports = readdirSync(dir).map((name) => JSON.parse(project.read('node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage', name)) as { testFile: string; written?: number; discardedOnRetry?: unknown })
    const report = reports.find((each) => each.testFile === 'vitest-retry.test.ts')
    expect(report?.written).toBe(2)
    expect(report?.discardedOnRetry).toEqual({ entries: 1, tools: 0 })
    // The run's last line counts it too: spent, though not stored.
    expect(run.output).toContain("2 recorded, 1 sent live in a failed try (dropped for the retry's recording)")
  })
})
