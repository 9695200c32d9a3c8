import { describe, expect, test, vi } from 'vitest'
import { RunningSummary } from '../../reporters/running-summary.js'
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
})
