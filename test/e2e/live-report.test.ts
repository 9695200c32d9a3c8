import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { embeddedData } from '../reporters/report-page-fixtures.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
let child: ChildProcess | undefined
beforeEach(() => {
  project = fixture('live')
})
afterEach(() => {
  child?.kill('SIGKILL')
  child = undefined
  project.remove()
})

/** Starts `vitest` in watch mode on the fixture; `output()` is what it printed so far. */
function watch(env: NodeJS.ProcessEnv) {
  const started = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'watch', '--root', project.dir], { cwd: project.dir, env, stdio: ['pipe', 'pipe', 'pipe'] })
  child = started
  let output = ''
  started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { process: started, output: () => output }
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A GET with a chosen Host header (fetch does not let a caller set it). */
function get(url: string, host?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const req = request({ agent: false, host: '127.0.0.1', port: target.port, path: target.pathname + target.search, headers: host ? { host } : {} }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('live report in watch mode', () => {
  test('serves the newest run on 127.0.0.1 behind a token, updates after a rerun, writes no history, and goes away with Vitest', async () => {
    const vitest = watch(cleanEnv())
    const url = await until(() => /live report: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+) \(reloads after each rerun\)/.exec(vitest.output())?.[1], 'the live report address')
    const { origin, searchParams } = new URL(url)
    const token = searchParams.get('token') ?? ''
    expect(token).toMatch(/^[\w-]{22}$/)

    const shell = await get(url)
    expect(shell.status).toBe(200)
    expect(shell.headers['content-security-policy']).toContain("default-src 'none'; script-src 'self'")
    expect(shell.body).toContain(`<script src="/live.js?token=${token}"></script>`)
    expect((await get(`${origin}/live.js?token=${token}`)).body).toContain("fetch('/version?token='")
    expect(JSON.parse((await get(`${origin}/version?token=${token}`)).body)).toEqual({ version: 1 })
    const first = await get(`${origin}/report?token=${token}`)
    expect(first.headers['content-security-policy']).toContain("frame-ancestors 'self'")
    // Model text is escaped: the answer's script tag is shown, never run.
    // (The case data is embedded gzipped in base64, which has no '<': read it as the page does.)
    expect(embeddedData(first.body).rows.flatMap((row) => row.outputs.map((output) => output.output))).toContain('first answer <script>window.hacked = 1</script>')
    expect(first.body).not.toContain('<script>window.hacked')

    // Protections: no token, a wrong token, another Host (DNS rebinding), another method.
    expect((await get(`${origin}/report`)).status).toBe(403)
    expect((await get(`${origin}/version?token=${token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`)).status).toBe(403)
    expect((await get(`${origin}/report?token=${token}`, 'evil.example:80')).status).toBe(421)
    expect((await get(`${origin}/report?token=${token}`, `attacker.example:${new URL(origin).port}`)).status).toBe(421)

    writeFileSync(project.path('answer.ts'), "export const answer = 'second answer'\n")
    await until(async () => (JSON.parse((await get(`${origin}/version?token=${token}`)).body).version === 2 ? true : undefined), 'the rerun')
    expect(embeddedData((await get(`${origin}/report?token=${token}`)).body).rows.flatMap((row) => row.outputs.map((output) => output.output))).toContain('second answer')
    // Printed once, when the watch started.
    expect(vitest.output().match(/live report:/g)).toHaveLength(1)
    expect(project.exists('.evals', 'history.jsonl')).toBe(false)

    vitest.process.kill('SIGTERM')
    await until(() => (vitest.process.exitCode !== null || vitest.process.signalCode !== null ? true : undefined), 'Vitest to exit', 10_000)
    await expect(get(`${origin}/version?token=${token}`)).rejects.toThrow(/ECONNREFUSED/)
  })

  test('history.watch: true keeps history in watch mode; vitest run starts no live report', async () => {
    const vitest = watch(cleanEnv({ EVAL_WATCH_HISTORY: '1' }))
    await until(() => (vitest.output().includes('live report:') ? true : undefined), 'the first run')
    expect(vitest.output()).toContain(' written: .evals/history.jsonl, .evals/report.html, .evals/summary.json')
    expect(project.read('.evals', 'history.jsonl').trim().split('\n')).toHaveLength(1)
    vitest.process.kill('SIGKILL')

    const run = await project.run([], cleanEnv())
    expect(run.code).toBe(0)
    expect(run.output).not.toContain('live report')
  })
})
