import { connect, createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

/** A TCP server that counts what it is sent (any first bytes) and answers "answered". */
async function countingServer(): Promise<{ server: Server; port: number; requests: () => number }> {
  let count = 0
  const server = createServer((socket) => {
    socket.on('error', () => undefined)
    socket.once('data', () => {
      count++
      socket.end('answered')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as { port: number }).port, requests: () => count }
}

/** A minimal HTTP CONNECT proxy, as a CI job's HTTPS_PROXY is. */
async function connectProxy(): Promise<{ server: Server; port: number }> {
  const server = createServer((client) => {
    client.on('error', () => undefined)
    client.once('data', (head) => {
      const [, host, port] = /^CONNECT ([^:\s]+):(\d+) /.exec(head.toString()) ?? []
      const upstream = connect({ host: host === 'localhost' ? '127.0.0.1' : host, port: Number(port) }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        client.pipe(upstream).pipe(client)
      })
      upstream.on('error', () => client.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as { port: number }).port }
}

describe('replay never sends an HTTP request to a model host, whatever HTTP stack the client brings', () => {
  let project: FixtureProject
  let model: Awaited<ReturnType<typeof countingServer>>
  let other: Awaited<ReturnType<typeof countingServer>>
  let proxy: Awaited<ReturnType<typeof connectProxy>>
  const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ MODEL_URL: `http://localhost:${model.port}`, OTHER_URL: `http://127.0.0.1:${other.port}`, PROXY_URL: `http://127.0.0.1:${proxy.port}`, ...extra })
  beforeAll(async () => {
    project = fixture('socket-guard')
    model = await countingServer()
    other = await countingServer()
    proxy = await connectProxy()
  })
  afterAll(() => {
    project?.remove()
    model?.server.close()
    other?.server.close()
    proxy?.server.close()
  })

  test('in replay, HTTP and WebSocket requests to an owned host, direct or through a proxy, are refused with a CassetteError; its database and another host are not', async () => {
    const run = await project.run([], env({ CI: 'true' }))
    // Only the database's PING reached the owned host.
    expect(model.requests()).toBe(1)
    expect(other.requests()).toBe(1)
    expect(run.output).toContain('Tests  3 failed | 2 passed')
    const refused = /CassetteError: \[vitest-llm-evals\] An HTTP request to localhost:\d+ \(a host cassettes own\) was sent around the cassettes while replaying: refused before it was sent\..*Give the client Node's global fetch/
    expect(run.output).toMatch(new RegExp(`FAIL .*> an HTTP request over a socket of its own to the model host\\n${refused.source}`))
    expect(run.output).toMatch(/FAIL .*> Node's WebSocket to the model host\nCassetteError: \[vitest-llm-evals\] An HTTP request to localhost:\d+ \(a host cassettes own\)/)
    expect(run.output).toMatch(/FAIL .*> an HTTP request through a CONNECT proxy to the model host\nCassetteError: \[vitest-llm-evals\] An HTTP request to localhost:\d+ \(a host cassettes own, through a proxy\)/)
  })

  test('in auto (recording), the same requests go through', async () => {
    const before = model.requests()
    const run = await project.run([], env())
    expect(run.output).toContain('Tests  5 passed')
    expect(model.requests()).toBeGreaterThan(before + 2)
  })

  test('a VM pool (a new global object per test file) patches the sockets once', async () => {
    const run = await project.run(['--config', 'vitest.vm.config.ts'], cleanEnv({ CI: 'true' }))
    expect(run.output).toContain('Tests  3 passed')
  })
})
