// A replay miss in one of two `test.projects` that share a cassette names the project, and the command it prints
// (and `llm-evals cassettes check`'s) runs only that project: the user re-records what missed, nothing else.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, repoRoot, type FixtureProject } from './run-fixture.js'

const CASSETTE = join('__cassettes__', 'answer.test.ts.cassette.json')
const bin = join(repoRoot, 'dist', 'src', 'cli', 'bin.js')

interface Stored { project?: string }
type Cassette = { version: number; entries: Stored[]; tools?: Stored[] }

/** Runs `llm-evals <args>` in the project, as a user would after their test run. */
function llmEvals(project: FixtureProject, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: project.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, output }))
  })
}

describe('a replay miss in one of two projects sharing a cassette', () => {
  const setup = fixtureWithServer('record-projects')
  const liveEnv = setup.liveEnv

  test('names the project, and the printed command re-records only that project', async () => {
    const { project, server } = setup
    expect((await project.run([], liveEnv())).code).toBe(0)
    // The `big` project's recordings are lost (e.g. its model changed and the entries were deleted).
    const cassette = JSON.parse(project.read(CASSETTE)) as Cassette
    const kept = (items: Stored[] = []) => items.filter((item) => item.project !== 'big')
    writeFileSync(project.path(CASSETTE), JSON.stringify({ ...cassette, entries: kept(cassette.entries), tools: kept(cassette.tools) }, null, 2))

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code).toBe(1)
    expect(replay.output).toContain('Tests  1 failed | 1 passed')
    expect(replay.output).toMatch(/Cassette: __cassettes__\/answer\.test\.ts\.cassette\.json\n {2}Project: {2}big\n/)
    // The miss is one test's: its command selects that test (-t); `cassettes check` lists files, not tests.
    const command = 'LLM_EVALS_CASSETTES=auto npx vitest run --project big answer.test.ts'
    const pattern = '(?:^| )answers with its project model$'
    expect(replay.output).toContain(`To record it: ${command} -t '${pattern}'  (needs a real API key`)
    expect(replay.output).not.toContain('--project mini')

    const check = await llmEvals(project, ['cassettes', 'check'])
    expect(check.code).toBe(1)
    expect(check.output).toContain('(test "answers with its project model", project big)')
    expect(check.output).toContain(`Record it: \`${command}\``)

    // What the message says to run: only `big` runs, and only its call goes to the API.
    server.reset()
    const rerecord = await project.run(['--project', 'big', 'answer.test.ts', '-t', pattern], liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(rerecord.code, rerecord.output).toBe(0)
    expect(rerecord.output).toContain('Tests  1 passed')
    expect(server.requests.map((request) => (request.body as { model?: string } | undefined)?.model)).toEqual(['gpt-4o'])
    const again = await project.run([], cleanEnv({ CI: 'true' }))
    expect(again.code, again.output).toBe(0)
  })
})
