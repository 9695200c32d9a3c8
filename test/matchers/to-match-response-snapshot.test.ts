import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { responseSnapshotPath } from '../../matchers/shared/response-snapshot-store.js'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

// This file's response snapshots live in a scratch file that exists only while it runs: the fixture
// below plays the responses stored by an earlier run.
const snapshotFile = responseSnapshotPath(import.meta.filename)
const suite = '.toMatchResponseSnapshot'
const earlierRun: Record<string, string> = {
  [`${suite} > passes without rewriting the file when the output is similar enough 1`]: 'The capital of France is Paris.',
  [`${suite} > fails when the output drifted from the stored response 1`]: 'The capital of France is Paris.',
  [`${suite} > with -u, rewrites a response that is no longer similar 1`]: 'The capital of France is Paris.',
  [`${suite} > with -u, keeps a response that is still similar 1`]: 'The capital of France is Paris.',
  [`${suite} > compares by the chosen method, e.g. embeddings 1`]: 'kitten',
  [`${suite} > an output holding a token matches its stored (scrubbed) form exactly 1`]: 'Use [REDACTED] to deploy.',
}

function storedResponses(): Record<string, string> {
  return existsSync(snapshotFile) ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { responses: Record<string, string> }).responses : {}
}

function lastRecord(task: { meta: { evals?: ScoreRecord[] } }): ScoreRecord | undefined {
  return task.meta.evals?.at(-1)
}

/**
 * What `vitest -u` (`all`), a plain run (`new`) or `vitest --ci` (`none`) give the matcher: matchers read
 * the state of the `expect` they were registered on (the global one), which the runner resets per test.
 */
function setUpdateMode(mode: 'all' | 'new' | 'none'): void {
  expect.setState({ snapshotState: { snapshotUpdateState: mode } as never })
}

beforeAll(() => {
  mkdirSync(dirname(snapshotFile), { recursive: true })
  writeFileSync(snapshotFile, JSON.stringify({ version: 1, responses: earlierRun }))
})
afterAll(() => {
  rmSync(snapshotFile, { force: true })
  rmSync(dirname(snapshotFile), { recursive: true, force: true }) // only this file's scratch snapshots live there
})
beforeEach(() => {
  vi.stubEnv('CI', '')
  return () => vi.unstubAllEnvs()
})

describe(suite, () => {
  test('passes and stores the output beside the test file on the first run', async ({ expect, task }) => {
    setUpdateMode('new')
    await expect('Paris is the capital of France.').toMatchResponseSnapshot()
    expect(storedResponses()[`${task.fullTestName} 1`]).toBe('Paris is the capital of France.')
    expect(lastRecord(task)).toEqual({
      metric: 'snapshot:rouge-l',
      score: 1,
      pass: true,
      threshold: 0.8,
      details: { method: 'rouge-l', action: 'stored', key: `${task.fullTestName} 1`, file: snapshotFile },
      attempt: { retry: 0, repeat: 0 },
    })
  })

  test('stores no token and no live credential value in the snapshot file', async ({ expect, task }) => {
    setUpdateMode('new')
    vi.stubEnv('SERVICE_API_KEY', 'svc-live-7f3a9c1e5b2d8046aa')
    const output = 'The deploy used ghp_aaaaBBBBccccDDDDeeeeFFFFgggg01234567, AKIAIOSFODNN7EXAMPLF and svc-live-7f3a9c1e5b2d8046aa yesterday.'
    await expect(output).toMatchResponseSnapshot()
    const text = readFileSync(snapshotFile, 'utf8')
    for (const secret of ['ghp_aaaaBBBBccccDDDDeeeeFFFFgggg01234567', 'AKIAIOSFODNN7EXAMPLF', 'svc-live-7f3a9c1e5b2d8046aa']) expect(text).not.toContain(secret)
    expect(storedResponses()[`${task.fullTestName} 1`]).toBe('The deploy used [REDACTED], [REDACTED] and [REDACTED] yesterday.')
  })

  test('an output holding a token matches its stored (scrubbed) form exactly', async ({ expect, task }) => {
    setUpdateMode('new')
    await expect('Use ghp_aaaaBBBBccccDDDDeeeeFFFFgggg01234567 to deploy.').toMatchResponseSnapshot({ threshold: 1 })
    expect(lastRecord(task)).toMatchObject({ score: 1, details: { action: 'matched' } })
  })

  test('keys several calls in one test by their order', async ({ expect, task }) => {
    setUpdateMode('new')
    await expect('first answer').toMatchResponseSnapshot()
    await expect('second answer').toMatchResponseSnapshot()
    expect(storedResponses()).toMatchObject({ [`${task.fullTestName} 1`]: 'first answer', [`${task.fullTestName} 2`]: 'second answer' })
  })

  test('passes without rewriting the file when the output is similar enough', async ({ expect, task }) => {
    setUpdateMode('new')
    await expect('The capital of France is Paris!').toMatchResponseSnapshot({ method: 'rouge-l', threshold: 0.9 })
    expect(storedResponses()[`${task.fullTestName} 1`]).toBe('The capital of France is Paris.')
    expect(lastRecord(task)?.details).toMatchObject({ action: 'matched' })
  })

  test('fails when the output drifted from the stored response', async ({ expect, task }) => {
    setUpdateMode('new')
    expect(await failureOf(expect('Berlin is a city in Germany.').toMatchResponseSnapshot())).toMatchInlineSnapshot(`
      "expect(output).toMatchResponseSnapshot()

      Expected output to be similar to its stored response (rouge-l >= 0.80).

      Score:     0.167 (rouge-l)
      Threshold: 0.80
      Reasons:
        - stored response: "The capital of France is Paris."
        - if the new response is right, run \`vitest -u\` to replace the stored one
      Output:
        Berlin is a city in Germany."
    `)
    expect(storedResponses()[`${task.fullTestName} 1`]).toBe('The capital of France is Paris.')
    expect(lastRecord(task)).toMatchObject({ pass: false, details: { action: 'mismatch' } })
  })

  test('a new response another process stored first (a parallel run) is compared with, not written over', async ({ expect, task }) => {
    setUpdateMode('new')
    const key = `${task.fullTestName} 1`
    // This worker read the file before; another process stores its response for this test meanwhile.
    writeFileSync(snapshotFile, JSON.stringify({ version: 1, responses: { ...storedResponses(), [key]: 'Rome is the capital of Italy.' } }))
    const message = await failureOf(expect('Berlin is a city in Germany.').toMatchResponseSnapshot())
    expect(message).toContain(`- another process stored a different response for "${key}" first (a parallel run, or another project over this test file): "Rome is the capital of Italy."`)
    expect(storedResponses()[key]).toBe('Rome is the capital of Italy.')
    expect(lastRecord(task)).toMatchObject({ pass: false, details: { action: 'mismatch' } })
    // A similar one passes: both runs agree.
    const second = `${task.fullTestName} 2`
    writeFileSync(snapshotFile, JSON.stringify({ version: 1, responses: { ...storedResponses(), [second]: 'Rome is the capital of Italy!' } }))
    await expect('Rome is the capital of Italy.').toMatchResponseSnapshot()
    expect(lastRecord(task)).toMatchObject({ pass: true, details: { action: 'matched' } })
    expect(storedResponses()[second]).toBe('Rome is the capital of Italy!')
  })

  test('with -u, rewrites a response that is no longer similar', async ({ expect, task }) => {
    setUpdateMode('all')
    await expect('Berlin is a city in Germany.').toMatchResponseSnapshot()
    expect(storedResponses()[`${task.fullTestName} 1`]).toBe('Berlin is a city in Germany.')
    expect(lastRecord(task)).toMatchObject({ pass: true, details: { action: 'updated' } })
  })

  test('with -u, keeps a response that is still similar', async ({ expect, task }) => {
    setUpdateMode('all')
    await expect('The capital of France is Paris!').toMatchResponseSnapshot()
    expect(storedResponses()[`${task.fullTestName} 1`]).toBe('The capital of France is Paris.')
  })

  test('fails on CI when no response is stored, and writes nothing', async ({ expect, task }) => {
    vi.stubEnv('CI', 'true')
    setUpdateMode('new')
    const message = await failureOf(expect('Paris.').toMatchResponseSnapshot())
    expect(message.replace(snapshotFile, '<snapshot file>')).toMatchInlineSnapshot(`
      "expect(output).toMatchResponseSnapshot()

      Expected output to be similar to its stored response (rouge-l >= 0.80).

      Score:     0.00 (rouge-l)
      Threshold: 0.80
      Reasons:
        - no stored response for ".toMatchResponseSnapshot > fails on CI when no response is stored, and writes nothing 1" in <snapshot file>
        - run the tests locally (or \`vitest -u\`) to store it; CI never writes response snapshots
      Output:
        Paris."
    `)
    expect(storedResponses()).not.toHaveProperty(`${task.fullTestName} 1`)
    expect(lastRecord(task)).toMatchObject({ score: 0, pass: false, details: { action: 'missing' } })
  })

  test('fails when Vitest does not write snapshots (--ci) and none is stored', async ({ expect, task }) => {
    setUpdateMode('none')
    await expect(failureOf(expect('Paris.').toMatchResponseSnapshot())).resolves.toContain('no stored response')
    expect(storedResponses()).not.toHaveProperty(`${task.fullTestName} 1`)
  })

  test('compares by the chosen method, e.g. embeddings', async ({ expect }) => {
    setUpdateMode('new')
    const embedder = { embed: async (texts: string[]) => texts.map((text) => (text === 'cat' ? [3, 4] : [4, 3])) }
    await expect('cat').toMatchResponseSnapshot({ method: 'embedding', threshold: 0.95, embedder })
  })
})

describe(`.not${suite.slice(1)}`, () => {
  test('throws a ConfigError: a snapshot cannot be negated', () => {
    expect(() => expect('x').not.toMatchResponseSnapshot()).toThrow(/cannot be used with `.not`/)
  })
})
