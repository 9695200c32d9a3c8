import { setTimeout as sleep } from 'node:timers/promises'
import type { TestCase, Vitest } from 'vitest/node'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { lineAndColumn, setCallSites } from '../../matchers/shared/call-site.js'
import { ScoreAnnotationsReporter, scoreAnnotations } from '../../reporters/score-annotations.js'
import { liveSecrets } from '../../src/cassettes/redact.js'
import { MAX_ANNOTATION_REASON, moreScoresText, oneLine, SCORE_ANNOTATION_TYPE, scoreAnnotationText } from '../../matchers/shared/score-annotation-text.js'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import { lazyMatchers } from '../../matchers/lazy.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'
import { registerMatchers } from './support.js'

registerMatchers()
// As the plugin's setup file registers them: the wrapper notes where each matcher was called, from the stack
// the await guard takes.
expect.extend(lazyMatchers)
installAwaitGuard(Object.keys(lazyMatchers))

const attempt = { retry: 0, repeat: 0 }
const record = (extra: Partial<ScoreRecord> = {}): ScoreRecord => ({ metric: 'factuality', score: 0.75, pass: true, threshold: 0.5, attempt, ...extra })

describe('score annotation text', () => {
  test('metric, score, verdict against the threshold, attempt and reason', () => {
    expect(scoreAnnotationText(record({ reason: 'The answer agrees with the reference.' }))).toBe('factuality 0.75 ✓ (≥ 0.5) — The answer agrees with the reference.')
    expect(scoreAnnotationText(record({ score: 1 / 3, pass: false, attempt: { retry: 1, repeat: 2 } }))).toBe('factuality 0.333 ✗ (needs ≥ 0.5) · retry 1, repeat 2')
    expect(scoreAnnotationText({ metric: 'schema', score: 1, pass: true, attempt })).toBe('schema 1 ✓')
    expect(scoreAnnotationText(record({ metric: 'apology', details: { awaitingLabel: true } }))).toBe('apology awaiting a human label (llm-evals review)')
  })

  test('untrusted text becomes one bounded line: no newlines, escape sequences, control or bidi characters', () => {
    const reason = `Line one\r\n\u001b[31mred\u001b[0m\u0007 tab\there \u202eevil\u2066 \u2028next ${'x'.repeat(5000)}`
    const text = scoreAnnotationText(record({ metric: 'fact\nuality\u001b[2J', reason }))
    expect(text).toMatch(/^fact uality 0\.75 ✓ \(≥ 0\.5\) — Line one red tab here evil next x+…$/)
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e\u2066]/)
    expect(Array.from(text.split(' — ')[1] ?? '')).toHaveLength(MAX_ANNOTATION_REASON + 1)
  })

  test('cuts by characters, not UTF-16 units, and bounds the work on huge input', () => {
    expect(oneLine('😀'.repeat(10), 3)).toBe('😀😀😀…')
    expect(oneLine('short', 10)).toBe('short')
    const huge = `${'\n'.repeat(50_000_000)}end`
    expect(huge.endsWith('end')).toBe(true) // a flat string, as parsed JSON is
    const started = performance.now()
    expect(oneLine(huge, 200)).toBe('…')
    expect(performance.now() - started).toBeLessThan(50)
  })
})

describe('where a score was made', () => {
  afterEach(() => setCallSites(true))

  test.concurrent('each record keeps its matcher call line in the test file (a)', async ({ expect, task }) => {
    await sleep(20)
    await expect('alpha beta').toBeSimilarTo('alpha beta', { method: 'dice' })
    // The source line (Vite's transform moved it), for the annotation's location: GitHub Actions shows only those.
    expect(task.meta.evals?.[0]?.location).toEqual({ line: 54, column: expect.any(Number) })
  })

  test.concurrent('each record keeps its matcher call line in the test file (b)', async ({ expect, task }) => {
    await expect('the cat sat').not.toBeSimilarTo('a dog ran', { method: 'rouge-l', threshold: 0.9 })
    await sleep(40)
    expect(task.meta.evals?.map((record) => record.location?.line)).toEqual([60])
  })

  test('a loop calls from one line: every record points at it', async ({ task }) => {
    for (let i = 0; i < 3; i++) await expect('same').toBeSimilarTo('same', { method: 'dice' })
    expect(task.meta.evals?.map((record) => record.location?.line)).toEqual([66, 66, 66])
  })

  test('off (annotations: false): no call site is taken', async ({ task }) => {
    setCallSites(false)
    await expect('same').toBeSimilarTo('same', { method: 'dice' })
    expect(task.meta.evals).toHaveLength(1)
    expect(task.meta.evals?.[0]?.location).toBeUndefined()
  })

  test('a failing matcher still points at its line after the location was read from the same stack', async ({ task }) => {
    const error = await expect('alpha').toBeSimilarTo('omega', { method: 'dice', threshold: 0.9 }).then(() => undefined, (thrown: unknown) => thrown)
    expect(task.meta.evals?.[0]?.location?.line).toBe(78)
    expect((error as Error).stack?.split('\n').slice(1).join('\n')).toMatch(/score-annotations\.test\.ts:78:\d+/)
  })

  test('reads the position of a formatted frame', () => {
    expect(lineAndColumn('    at /app/a.test.ts:14:30')).toEqual({ line: 14, column: 30 })
    expect(lineAndColumn('    at fn (file:///C:/app/a.test.ts:3:7)')).toEqual({ line: 3, column: 7 })
    expect(lineAndColumn('    at <anonymous>')).toBeNull()
  })
})

describe('score annotations (made in the main process)', () => {
  const file = '/app/evals.test.ts'

  test('one per record, at its matcher line, at most 20 and then one note', () => {
    const records = Array.from({ length: 30 }, (_, i) => record({ location: { line: 10 + i, column: 5 } }))
    const annotations = scoreAnnotations(records, file, [])
    expect(annotations).toHaveLength(21)
    expect(annotations[0]).toEqual({ type: SCORE_ANNOTATION_TYPE, message: 'factuality 0.75 ✓ (≥ 0.5)', location: { file, line: 10, column: 5 } })
    expect(annotations.at(-1)).toEqual({ type: SCORE_ANNOTATION_TYPE, message: moreScoresText() })
    // A describeEval scorer's plain record has no call site: no location.
    expect(scoreAnnotations([record()], file, [])[0]).not.toHaveProperty('location')
  })

  test('the reporter adds them to the finished test before other reporters see it, and tells them', async () => {
    const task = { annotations: [] as { type: string; message: string }[] }
    const testCase = { task, meta: () => ({ evals: [record({ location: { line: 3, column: 9 } })] }), module: { moduleId: file } } as unknown as TestCase
    const told: unknown[] = []
    const reporter = new ScoreAnnotationsReporter()
    reporter.onInit({ report: async (event: string, _case: TestCase, annotation: unknown) => void told.push([event, annotation]) } as unknown as Vitest)
    await reporter.onTestCaseResult(testCase)
    expect(task.annotations).toEqual([{ type: SCORE_ANNOTATION_TYPE, message: 'factuality 0.75 ✓ (≥ 0.5)', location: { file, line: 3, column: 9 } }])
    expect(told).toEqual([['onTestCaseAnnotate', task.annotations[0]]])
    // Already annotated (`--merge-reports` replays a shard's tests): nothing added twice.
    await reporter.onTestCaseResult(testCase)
    expect(task.annotations).toHaveLength(1)
    // No records: nothing.
    await reporter.onTestCaseResult({ ...testCase, meta: () => ({}) } as unknown as TestCase)
    expect(told).toHaveLength(1)
  })

  test('the other reporters are told only when one of them listens; the annotations are added either way', async () => {
    const fresh = () => ({ annotations: [] as { type: string; message: string }[] })
    const testCaseOf = (task: ReturnType<typeof fresh>) => ({ task, meta: () => ({ evals: [record()] }), module: { moduleId: file } }) as unknown as TestCase
    const told: unknown[] = []
    const report = async (event: string) => void told.push(event)
    // Vitest's default reporter has no onTestCaseAnnotate: no report per annotation, no promise per test.
    const quiet = new ScoreAnnotationsReporter()
    quiet.onInit({ report, reporters: [{ onTestCaseResult() {} }] } as unknown as Vitest)
    const task = fresh()
    expect(quiet.onTestCaseResult(testCaseOf(task))).toBeUndefined()
    expect(task.annotations).toHaveLength(1)
    expect(told).toEqual([])
    // The GitHub Actions reporter (or the UI's, or a user's) listens: told.
    const listened = new ScoreAnnotationsReporter()
    listened.onInit({ report, reporters: [{ onTestCaseResult() {} }, { onTestCaseAnnotate() {} }] } as unknown as Vitest)
    await listened.onTestCaseResult(testCaseOf(fresh()))
    expect(told).toEqual(['onTestCaseAnnotate'])
  })
})

describe('score annotations and secrets', () => {
  test('a live secret in a reason never reaches an annotation, not even cut in half at the length limit', () => {
    const key = 'sk-live-annotation-0123456789abcdef'
    vi.stubEnv('LLM_EVALS_ANNOTATION_TEST_API_KEY', key)
    let secrets
    try {
      secrets = liveSecrets()
    } finally {
      vi.unstubAllEnvs()
    }
    const [whole, cut] = scoreAnnotations([record({ reason: `The reply quotes the key ${key} verbatim.` }), record({ reason: `${'x'.repeat(MAX_ANNOTATION_REASON - 10)} ${key}` })], '/app/a.test.ts', secrets).map((each) => each.message)
    expect(whole).toBe('factuality 0.75 ✓ (≥ 0.5) — The reply quotes the key [REDACTED LLM_EVALS_ANNOTATION_TEST_API_KEY] verbatim.')
    expect(cut).not.toContain(key.slice(0, 8))
  })

  test('a key of a known shape (not in this environment) is scrubbed from the reason too, as the history scrubs it', () => {
    const openai = 'sk-proj-AbCdEfGh0123456789XyZ'
    const bearer = 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123'
    const [message] = scoreAnnotations([record({ reason: `The app printed ${openai} and sent ${bearer}.` })], '/app/a.test.ts', []).map((each) => each.message)
    expect(message).toBe('factuality 0.75 ✓ (≥ 0.5) — The app printed [REDACTED] and sent Bearer [REDACTED]')
  })
})

describe('one line, fast and slow', () => {
  test('a line that looks plain but is not (spaces at the ends or doubled, a tab, a control, too long) is still made one', () => {
    expect(oneLine('levenshtein score', 80)).toBe('levenshtein score')
    expect(oneLine(' levenshtein  score ', 80)).toBe('levenshtein score')
    expect(oneLine('a\tb\u0000c', 80)).toBe('a b c')
    expect(oneLine('abcdef', 3)).toBe('abc…')
    expect(oneLine('abc', 3)).toBe('abc')
    expect(oneLine('', 3)).toBe('')
  })
})

describe('the annotations reporter never keeps a test from the reporters after it', () => {
  test('a record it cannot annotate is a rejection, not a throw (Vitest calls the reporters in one map, this one first)', async () => {
    const testCase = { task: { annotations: [] }, meta: () => ({ evals: [{ metric: 'hand', score: 'high', pass: true }] }), module: { moduleId: '/app/a.test.ts' } } as unknown as TestCase
    const reporter = new ScoreAnnotationsReporter()
    reporter.onInit({ report: async () => undefined, reporters: [] } as unknown as Vitest)
    let result: unknown
    expect(() => (result = reporter.onTestCaseResult(testCase))).not.toThrow()
    await expect(result).rejects.toThrow(TypeError)
  })
})

