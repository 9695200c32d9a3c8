import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { annotateScore, settleScoreAnnotations, setScoreAnnotations } from '../../matchers/shared/annotate-score.js'
import { MAX_ANNOTATION_REASON, moreScoresText, oneLine, SCORE_ANNOTATION_TYPE, scoreAnnotationText } from '../../matchers/shared/score-annotation-text.js'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import { lazyMatchers } from '../../matchers/lazy.js'
import { registerMatchers } from './support.js'

registerMatchers()
// As the plugin's setup file registers them: the wrapper notes where each matcher was called.
expect.extend(lazyMatchers)

const attempt = { retry: 0, repeat: 0 }
const record = (extra: Partial<ScoreRecord> = {}): ScoreRecord => ({ metric: 'factuality', score: 0.75, pass: true, threshold: 0.5, attempt, ...extra })
const texts = (task: { annotations: readonly { type: string; message: string }[] }) => task.annotations.filter((each) => each.type === SCORE_ANNOTATION_TYPE).map((each) => each.message)

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

describe('score annotations', () => {
  afterEach(() => setScoreAnnotations(true))

  test.concurrent('land on the test whose context expect made them (a)', async ({ expect, task }) => {
    await sleep(20)
    await expect('alpha beta').toBeSimilarTo('alpha beta', { method: 'dice' })
    await settleScoreAnnotations(task)
    expect(texts(task)).toEqual(['similarity:dice 1 ✓ (≥ 0.8)'])
    // Placed at the matcher call's line (GitHub Actions shows only annotations with a location).
    expect(task.annotations[0]?.location).toMatchObject({ file: task.file.filepath, line: 49 })
  })

  test.concurrent('land on the test whose context expect made them (b)', async ({ expect, task }) => {
    await expect('the cat sat').not.toBeSimilarTo('a dog ran', { method: 'rouge-l', threshold: 0.9 })
    await sleep(40)
    await settleScoreAnnotations(task)
    expect(texts(task)).toEqual(['similarity:rouge-l 0 ✗ (needs ≥ 0.9)'])
  })

  test('at most 20 per test, then one note', async ({ task }) => {
    for (let i = 0; i < 30; i++) await expect('same').toBeSimilarTo('same', { method: 'dice' })
    await settleScoreAnnotations(task)
    expect(texts(task)).toHaveLength(21)
    expect(texts(task).at(-1)).toBe(moreScoresText())
    expect(task.meta.evals).toHaveLength(30)
  })

  test('each repeat adds its own, labelled', { repeats: 2 }, async ({ task }) => {
    await expect('same').toBeSimilarTo('same', { method: 'dice' })
    await settleScoreAnnotations(task)
    const repeat = task.result?.repeatCount ?? 0
    expect(texts(task)).toEqual(['similarity:dice 1 ✓ (≥ 0.8)', 'similarity:dice 1 ✓ (≥ 0.8) · repeat 1', 'similarity:dice 1 ✓ (≥ 0.8) · repeat 2'].slice(0, repeat + 1))
  })

  test('off: records are kept, nothing is annotated', async ({ task }) => {
    setScoreAnnotations(false)
    await expect('same').toBeSimilarTo('same', { method: 'dice' })
    expect(settleScoreAnnotations(task)).toBeUndefined()
    expect(texts(task)).toEqual([])
    expect(task.meta.evals).toHaveLength(1)
  })

  test('a task that cannot be annotated (no context, finished, annotate throws or rejects) is left alone', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const finished = { context: { annotate: vi.fn() }, result: { state: 'pass' } }
    annotateScore({ result: { state: 'run' } } as never, record())
    annotateScore(finished as never, record())
    expect(finished.context.annotate).not.toHaveBeenCalled()

    const rejected = Promise.reject(new Error('runner without annotations'))
    const failing = { context: { annotate: () => rejected }, result: { state: 'run' }, promises: [rejected] as Promise<unknown>[] }
    annotateScore(failing as never, record())
    // Vitest would fail the test on a rejected promise in task.promises: it is swapped for one that cannot reject.
    expect(failing.promises).not.toContain(rejected)
    await settleScoreAnnotations(failing as never)
    await Promise.allSettled(failing.promises).then((results) => expect(results.every((each) => each.status === 'fulfilled')).toBe(true))
    expect(failing.promises).toEqual([])
    annotateScore({ context: { annotate: () => { throw new Error('refused') } }, result: { state: 'run' } } as never, record())
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]?.[0]).toContain('[vitest-llm-evals] Scores could not be added as test annotations (runner without annotations)')
    warn.mockRestore()
  })
})

describe('score annotations and secrets', () => {
  test('a live secret in a reason never reaches an annotation, not even cut in half at the length limit', async ({ task }) => {
    const key = 'sk-live-annotation-0123456789abcdef'
    vi.stubEnv('LLM_EVALS_ANNOTATION_TEST_API_KEY', key)
    try {
      annotateScore(task, record({ reason: `The reply quotes the key ${key} verbatim.` }))
      annotateScore(task, record({ reason: `${'x'.repeat(MAX_ANNOTATION_REASON - 10)} ${key}` }))
      await settleScoreAnnotations(task)
    } finally {
      vi.unstubAllEnvs()
    }
    const [whole, cut] = texts(task)
    expect(whole).toBe('factuality 0.75 ✓ (≥ 0.5) — The reply quotes the key [REDACTED LLM_EVALS_ANNOTATION_TEST_API_KEY] verbatim.')
    expect(cut).not.toContain(key.slice(0, 8))
  })
})
