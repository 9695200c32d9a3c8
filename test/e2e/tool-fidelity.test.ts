// recordTool end to end: what a replay hands the app is what the tool answered when it was recorded, for the cases a
// tester found replaying something else (a result the app changed, a thrown plain object or string, a connection
// string, a `__proto__` key in the arguments), and `cassettes check` sizes tool recordings like model entries.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

describe('recordTool: a replay gives the app what the tool answered live', () => {
  let project: FixtureProject
  let recorded: { code: number | null; output: string }
  const seen = (file: string) => Object.fromEntries(project.read(file).trim().split('\n').map((line) => { const { name, value } = JSON.parse(line) as { name: string; value: unknown }; return [name, value] }))

  beforeAll(async () => {
    project = fixture('tool-fidelity')
    recorded = await project.run([], cleanEnv({ RESULTS_FILE: project.path('recorded.jsonl') }))
  }, 120_000)
  afterAll(() => project?.remove())

  test('recording passes, and stores each result as the tool returned it, with secrets scrubbed', () => {
    expect(recorded.output).toContain('Tests  5 passed')
    expect(recorded.output).not.toContain('SecretLeakError')
    const text = project.read('__cassettes__', 'agent.test.ts.cassette.json')
    expect(text).not.toContain('s3cretPassw0rd')
    const tools = (JSON.parse(text) as { tools: { name: string; args: unknown; result?: unknown; error?: unknown }[] }).tools
    expect(tools.find((record) => record.name === 'list_orders')?.result).toEqual({ orders: [{ id: 1 }, { id: 2 }] })
    expect(tools.find((record) => record.name === 'config')?.result).toEqual({ dsn: '[REDACTED]' })
    expect(tools.filter((record) => record.name === 'lookup').map((record) => Object.keys(record.args as object))).toEqual([['__proto__'], []])
  })

  test('replay with the backend gone hands the app the same values', async () => {
    const replayed = await project.run([], cleanEnv({ CI: 'true', BACKEND_DOWN: '1', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  5 passed')
    const live = seen('recorded.jsonl')
    expect(live.orders).toEqual({ orders: [{ id: 1 }, { id: 2 }] })
    expect(live.thrown).toEqual({ isError: false, message: 'user not found', code: 'E404', string: 'user not found' })
    expect(live.proto).toEqual(['with a __proto__ key', 'without'])
    const replay = seen('replayed.jsonl')
    // The connection string is scrubbed from the recording: the replay hands the app the redacted text.
    expect(replay.dsn).toEqual({ result: { dsn: '[REDACTED]' }, message: 'connect failed for [REDACTED]' })
    expect({ ...replay, dsn: undefined }).toEqual({ ...live, dsn: undefined })
  }, 120_000)

  test('cassettes check --max-entry-kb lists an oversized tool recording', async () => {
    const check = await new Promise<string>((done) => {
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), 'cassettes', 'check', '--max-entry-kb', '2'], { cwd: project.dir, env: cleanEnv() })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.on('close', () => done(output))
    })
    expect(check).toContain('oversized: "a large tool result" tool export_rows (tool call 0) is 3 KB')
    expect(check.match(/oversized:/g)).toHaveLength(1)
  }, 60_000)
})
