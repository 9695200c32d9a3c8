// `record` re-records a test as a whole: a try that fails part-way (here Anthropic's key is missing after two
// OpenAI calls) must not leave its calls beside the later calls of an older recording, a mix never made together
// that a replay would pass on. The test keeps the failed try's recording alone, and its replay misses loudly.
import { describe, expect, test } from 'vitest'
import { runCheck, type CassettesCommandOptions } from '../../src/cli/cassettes-command.js'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type FixtureProject } from './run-fixture.js'

interface Entry { call: number; request: { path: string }; meta: { recordedAt: string } }
const entries = (project: FixtureProject) => (JSON.parse(project.read('__cassettes__', 'multi.test.ts.cassette.json')) as { entries: Entry[] }).entries

describe('a failed try in record mode', () => {
  const setup = fixtureWithServer('failed-record')
  const anthropicEnv = () => ({ ANTHROPIC_BASE_URL: setup.server.anthropicBaseURL, ANTHROPIC_API_KEY: 'sk-ant-api03-livekey0123456789abcdef' })

  test('replaces the test\'s recording with its own, whole: no older call stays beside it', async () => {
    const { project } = setup
    const first = await project.run([], setup.liveEnv(anthropicEnv()))
    expect(first.code, first.output).toBe(0)
    expect(entries(project).map((entry) => entry.request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions', '/v1/messages', '/v1/messages'])

    const startedAt = new Date().toISOString()
    const failed = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(failed.code).toBe(1)
    const kept = entries(project)
    expect(kept.map((entry) => entry.request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions'])
    expect(kept.every((entry) => entry.meta.recordedAt >= startedAt)).toBe(true)

    const options: CassettesCommandOptions = { root: project.dir, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: cleanEnv() }
    const checked: string[] = []
    await runCheck(options, (line) => checked.push(line))
    expect(checked.join('\n')).toContain('1 test failed while recorded ("asks both providers")')

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code).toBe(1)
    expect(replay.output).toContain('No recording for POST')
    expect(replay.output).toContain('/v1/messages')
  })
})
