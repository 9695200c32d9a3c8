// A self-hosted judge with its own `apiKeyEnv`: its recorded calls replay in `auto` (the local default) without
// the key, as in `replay`; a call that is not recorded is never sent with the placeholder key, and says to set it.
import { rmSync } from 'node:fs'
import { expect, test } from 'vitest'
import { startModelServer } from '../support/model-server.js'
import { cleanEnv, fixture } from './run-fixture.js'

test('recorded self-hosted judge calls replay in auto without the judge key; an unrecorded one names the key', async () => {
  const server = await startModelServer()
  const project = fixture('judge-providers')
  try {
    server.enqueue({ path: '/v1/chat/completions', content: { reasoning: 'Gives the duration.', verdict: 'relevant' } })
    server.enqueue({ path: '/v1/chat/completions', content: { reasoning: 'About trains.', verdict: 'irrelevant' } })
    const args = ['--config', 'vitest.self-hosted.config.ts']
    const recorded = await project.run(args, cleanEnv({ JUDGE_BASE_URL: `${server.url}/v1`, JUDGE_API_KEY: 'local-key-not-needed', RESULTS_FILE: project.path('r1.jsonl') }))
    expect(recorded.output).toMatch(/cassettes \[auto\]: 0 replayed, 2 recorded/)
    // A teammate's machine: auto (no CI), no JUDGE_API_KEY, the server the calls were recorded from still up.
    const replayed = await project.run(args, cleanEnv({ JUDGE_BASE_URL: `${server.url}/v1`, RESULTS_FILE: project.path('r2.jsonl') }))
    expect(replayed.output).toContain('Tests  2 passed')
    expect(replayed.output).toMatch(/cassettes \[auto\]: 2 replayed, 0 recorded/)
    // Nothing recorded: the calls are refused before the network (the server has no answer queued) and say why.
    rmSync(project.path('__cassettes__'), { recursive: true, force: true })
    const missed = await project.run(args, cleanEnv({ JUDGE_BASE_URL: `${server.url}/v1`, RESULTS_FILE: project.path('r3.jsonl') }))
    expect(missed.output).toContain('Tests  2 failed')
    expect(missed.output).toContain('It could not be recorded: JUDGE_API_KEY is not set. Set it to a real key and run again')
    expect(server.requests.length).toBe(2)
  } finally {
    project.remove()
    await server.close().catch(() => undefined)
  }
}, 120_000)
