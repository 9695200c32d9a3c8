import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { startModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, repoRoot } from './run-fixture.js'

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await sleep(50)
  }
}

describe('a killed run', () => {
  const project = fixture('killed')
  afterAll(() => project.remove())

  test('keeps every recording of the tests that finished, and the cassette stays valid JSON', async () => {
    const server = await startModelServer()
    const cassette = project.path('__cassettes__', 'slow.test.ts.cassette.json')
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project.dir], {
      cwd: project.dir,
      env: cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef' }),
      stdio: 'ignore',
      detached: true,
    })
    try {
      await waitFor(() => existsSync(cassette) && server.requests.length >= 2, 30_000)
      process.kill(-(child.pid ?? 0), 'SIGKILL')
      await new Promise((done) => child.once('close', done))
    } finally {
      await server.close()
    }
    const stored = JSON.parse(readFileSync(cassette, 'utf8')) as { entries: { test: string }[] }
    expect(stored.entries.map((entry) => entry.test)).toEqual(['recorded before the kill'])
  })

  test.each([
    { fakeTimers: false, tests: 'with real timers' },
    { fakeTimers: true, tests: 'that fake timers and the date' },
  ])('keeps the recording of a test that ended less than a second after the last write, held back while the next test runs (tests $tests)', async ({ fakeTimers }) => {
    const held = fixture('killed-held')
    const server = await startModelServer()
    const cassette = held.path('__cassettes__', 'held.test.ts.cassette.json')
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', held.dir], {
      cwd: held.dir,
      env: cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', FAKE_TIMERS: fakeTimers ? '1' : '' }),
      stdio: 'ignore',
      detached: true,
    })
    try {
      await waitFor(() => server.requests.length >= 3, 30_000)
      // The held-back write is due at most a second after 'second' ended; the last test hangs meanwhile.
      await sleep(1_500)
      process.kill(-(child.pid ?? 0), 'SIGKILL')
      await new Promise((done) => child.once('close', done))
      const stored = JSON.parse(readFileSync(cassette, 'utf8')) as { entries: { test: string }[] }
      expect(stored.entries.map((entry) => entry.test)).toEqual(['first', 'second'])
    } finally {
      await server.close()
      held.remove()
    }
  })

  test('an atomic write killed at any moment leaves the old file or the new one, never a mix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const file = join(dir, 'big.cassette.json')
    const versions = ['a', 'b'].map((letter) => JSON.stringify({ version: 1, entries: [], pad: letter.repeat(4_000_000) }))
    writeFileSync(file, versions[0] ?? '')
    // The source is TypeScript imported with .js specifiers: resolve them to the .ts files beside them.
    const script = `
      const { registerHooks } = await import('node:module')
      registerHooks({ resolve: (specifier, context, next) => { try { return next(specifier, context) } catch { return next(specifier.replace(/\\.js$/, '.ts'), context) } } })
      const { writeFileAtomic } = await import(${JSON.stringify(join(repoRoot, 'src/atomic-files.ts'))})
      const versions = ${JSON.stringify(versions.map((v) => v.length))}.map((n, i) => JSON.stringify({ version: 1, entries: [], pad: (i ? 'b' : 'a').repeat(4_000_000) }))
      process.send?.('ready')
      for (let i = 0; ; i++) writeFileAtomic(${JSON.stringify(file)}, versions[i % 2])
    `
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
      const started = await new Promise((done) => {
        child.once('message', () => done(true))
        child.once('close', () => done(false))
      })
      expect(started, 'the writer script did not start').toBe(true)
      await sleep(50 + round * 37)
      child.kill('SIGKILL')
      await new Promise((done) => child.once('close', done))
      expect(versions).toContain(readFileSync(file, 'utf8'))
    }
  })
})
