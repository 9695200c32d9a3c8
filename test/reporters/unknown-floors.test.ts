import { describe, expect, test } from 'vitest'
import { unknownFloorWarnings } from '../../reporters/unknown-floors.js'

describe('unknownFloorWarnings', () => {
  test('names a gate.minScore metric no suite scored, with the name likely meant (a prefix too: factual → factuality)', async () => {
    const warnings = await unknownFloorWarnings({ factual: 0.8, similarty: 0.5, similarity: 0.5 }, ['factuality', 'similarity', 'factuality'])
    expect(warnings).toEqual([
      '[vitest-llm-evals] gate.minScore names the metric "factual", which no suite of this run scored (did you mean "factuality"?): its floor was applied to nothing. Metrics of this run: "factuality", "similarity".',
      '[vitest-llm-evals] gate.minScore names the metric "similarty", which no suite of this run scored (did you mean "similarity"?): its floor was applied to nothing. Metrics of this run: "factuality", "similarity".',
    ])
  })

  test('says nothing for a single floor, known names, or a run with no metric', async () => {
    expect(await unknownFloorWarnings(0.8, ['factuality'])).toEqual([])
    expect(await unknownFloorWarnings({ factuality: 0.8 }, ['factuality'])).toEqual([])
    expect(await unknownFloorWarnings({ factual: 0.8 }, [])).toEqual([])
    expect(await unknownFloorWarnings(undefined, ['factuality'])).toEqual([])
  })

  test('quotes names as JSON (no terminal control) and lists at most ten metrics', async () => {
    const metrics = Array.from({ length: 12 }, (_, index) => `m${index}`)
    const [warning] = await unknownFloorWarnings({ '\u001b[2Jx': 0.5 }, metrics)
    expect(warning).toContain('"\\u001b[2Jx"')
    expect(warning).not.toContain('\u001b')
    expect(warning).toContain('"m9", … (12 in all)')
  })
})
