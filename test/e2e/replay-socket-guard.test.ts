import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

/** A TCP server that counts the connections it gets (and closes them). */
async function countingServer(): Promise<{ server: Server; url: string; connections: () => number }> {
  let count = 0
  const server = createServer((socket) => {
    count++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { server, url: `http://127.0.0.1:${port}`, connections: () => count }
}

describe('replay never reaches a model host, whatever HTTP stack the client brings', () => {
  let project: FixtureProject
  let model: Awaited<ReturnType<typeof countingServer>>
  let other: Awaited<ReturnType<typeof countingServer>>
  beforeAll(async () => {
    project = fixture('socket-guard')
    model = await countingServer()
    other = await countingServer()
  })
  afterAll(() => {
    project?.remove()
    model?.server.close()
    other?.server.close()
  })

  test('in replay, a raw socket and a WebSocket to an owned host are refused with a CassetteError; another host connects', async () => {
    const run = await project.run([], cleanEnv({ CI: 'true', OPENAI_BASE_URL: `${model.url}/v1`, OTHER_URL: other.url }))
    expect(model.connections()).toBe(0)
    expect(other.connections()).toBe(1)
    expect(run.output).toContain('Tests  2 failed | 1 passed')
    // The socket's own error, and the test's (a client that swallows the error still fails its test).
    expect(run.output).toContain("AssertionError: expected '[vitest-llm-evals] A connection to 12…' to be 'connected'")
    expect(run.output.match(/CassetteError: \[vitest-llm-evals\] A connection to 127\.0\.0\.1 \(a model API host cassettes own\) was opened around the cassettes while replaying: refused, nothing was sent\..*Give the client Node's global fetch/g)).toHaveLength(2)
  })

  test('in auto (recording), the same connections go through', async () => {
    const before = model.connections()
    const run = await project.run([], cleanEnv({ OPENAI_BASE_URL: `${model.url}/v1`, OTHER_URL: other.url }))
    expect(run.output).toContain('Tests  3 passed')
    expect(model.connections()).toBeGreaterThan(before)
  })
})
