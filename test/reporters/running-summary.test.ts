import { describe, expect, test, vi } from 'vitest'
import { RunningSummary, writtenText } from '../../reporters/running-summary.js'
import { summarizeRun, type CollectedCase } from '../../reporters/summarize.js'
import { scrubForSharing } from '../../src/cassettes/redact.js'
import { collected, record } from './fixtures.js'

const options = { pricing: {}, maxTextChars: 2000 }
const withOutput = (each: CollectedCase, output: string): CollectedCase => ({ ...each, meta: { ...each.meta, output } })
/** A GitHub token built at run time, so no key-shaped literal sits in the repository. */
const token = () => `ghp_${Array.from({ length: 36 }, (_, i) => 'A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz'[(i * 7) % 36]).join('')}`

describe('RunningSummary (the summary built as tests finish)', () => {
  test('equals the summary of the whole run made at the end', async () => {
    const cases = Array.from({ length: 300 }, (_, i) =>
      withOutput(collected(`case ${i}`, [record('similarity', (i % 10) / 10, { caseId: `c${i}` }), record('tone', i % 2, { caseId: `c${i}` })]), `answer ${i}`),
    )
    const running = new RunningSummary(options)
    for (const each of cases) running.add(each)
    const summary = running.finish()
    expect(summary.cases).toHaveLength(600)
    expect(summary).toEqual(scrubForSharing(summarizeRun(cases, options)))
    expect(await running.secrets()).toEqual([])
  })

  test("scrubs live secret values from each case as it is added, and the scan finds a key in any batch's text", async () => {
    const key = token()
    vi.stubEnv('LLM_EVALS_RUNNING_SUMMARY_API_KEY', 'live-secret-value-0123456789')
    let running: RunningSummary
    try {
      running = new RunningSummary(options)
    } finally {
      vi.unstubAllEnvs()
    }
    const filler = 'x'.repeat(2000)
    // > 512 KB of text: several scan batches; the key is in the last case.
    for (let i = 0; i < 400; i++) running.add(withOutput(collected(`case ${i}`, [record('m', 1)]), `${i === 0 ? 'live-secret-value-0123456789' : ''} ${filler}`))
    running.add(withOutput(collected('leaky', [record('m', 1)]), `the key is ${key}`))
    const summary = running.finish()
    expect(summary.cases).toHaveLength(401)
    expect(JSON.stringify(summary)).not.toContain('live-secret-value-0123456789')
    expect((await running.secrets()).map((found) => found.value)).toContain(key)
  })

  test('tests without scores or model calls are summarized (skipped) but not scanned', async () => {
    const running = new RunningSummary(options)
    running.add(withOutput(collected('plain', []), token()))
    expect(running.finish().cases).toEqual([])
    expect(await running.secrets()).toEqual([])
  })

  test('the scan reads every field a written file can hold: names, ids, texts, reasons, judges, traces, conversations', async () => {
    const key = token()
    const fields: [string, (each: CollectedCase) => CollectedCase][] = [
      ['test name', (each) => ({ ...each, test: `t ${key}` })],
      ['describe', (each) => ({ ...each, describe: `d ${key}` })],
      ['module', (each) => ({ ...each, module: `m/${key}.test.ts` })],
      ['case id', (each) => ({ ...each, meta: { ...each.meta, caseId: key } })],
      ['variant', (each) => ({ ...each, meta: { ...each.meta, variant: key } })],
      ['input', (each) => ({ ...each, meta: { ...each.meta, input: `i ${key}` } })],
      ['expected', (each) => ({ ...each, meta: { ...each.meta, expected: `e ${key}` } })],
      ['output', (each) => withOutput(each, `o ${key}`)],
      ['human label', (each) => ({ ...each, meta: { ...each.meta, humanLabel: key } })],
      ['trace', (each) => ({ ...each, meta: { ...each.meta, trace: { steps: [{ tool: 'search', args: { q: key } }] } } })],
      ['conversation', (each) => ({ ...each, meta: { ...each.meta, conversation: { turns: [{ role: 'user', content: key }] } } })],
      ['reason', () => collected('r', [record('m', 1, { reason: `because ${key}` })])],
      ['metric', () => collected('r', [record(`metric ${key}`, 1)])],
      ['judge', () => collected('r', [record('m', 1, { judge: { provider: 'openai', model: key } } as never)])],
      ['automated label', () => collected('r', [record('label:intent', 1, { details: { automated: key } } as never)])],
    ]
    for (const [field, withKey] of fields) {
      const running = new RunningSummary(options)
      running.add(withKey(collected('case', [record('m', 1)])))
      expect((await running.secrets()).map((found) => found.value), field).toContain(key)
    }
  })

  test("the scan reads a case's error (describeEval's caseError, Vitest's first error of a dataset case): the report lists it", async () => {
    const key = token()
    const failed = (meta: CollectedCase['meta'], error?: string): CollectedCase => ({ ...collected('case', []), state: 'failed', meta, ...(error === undefined ? {} : { error }) })
    const cases: [string, CollectedCase][] = [
      ['task error', failed({ caseId: 'b', caseError: { kind: 'task', message: `upstream refused ${key}`, trials: 1 } })],
      ['scorer error', failed({ caseId: 'b', evals: [record('m', 1)], caseError: { kind: 'scorer', message: `scorer #2: ${key}`, trials: 1 } })],
      ["Vitest's error", failed({ caseId: 'b' }, `Test timed out ${key}`)],
    ]
    for (const [field, each] of cases) {
      const running = new RunningSummary(options)
      running.add(each)
      expect(running.finish().cases?.some((score) => score.error !== undefined), field).toBe(true)
      expect((await running.secrets()).map((found) => found.value), field).toContain(key)
    }
  })

  test('the scanned text leaves out what is never written as text: scores, attempts, call sites, cassette counts', () => {
    const each = collected('case', [record('m', 0.5, { caseId: 'c1', location: { line: 8, column: 42 } } as never)])
    const text = writtenText({ ...each, meta: { ...each.meta, cassette: { replayed: 1, recorded: 0, calls: [{ role: 'app', model: 'gpt-x', source: 'replayed' }] } } as never })
    expect(text).toContain('c1')
    expect(text).not.toContain('0.5')
    expect(text).not.toContain('gpt-x')
    expect(text).not.toContain('42')
  })
})
