import { describe, expect, test } from 'vitest'
import type { GroupComparison } from '../../reporters/compare.js'
import { gateOffNote } from '../../reporters/gate-off-note.js'

const rows = (...regressed: boolean[]) => ({ rows: regressed.map((each) => ({ regressed: each }) as GroupComparison) })
const docs = 'node_modules/vitest-llm-evals/docs/configuration.md'

describe('gateOffNote', () => {
  test('says the gate is off and how to turn it on when a regression is shown and no gate is set', () => {
    expect(gateOffNote(rows(false, true), undefined, { color: false, docs })).toMatchInlineSnapshot(`" gate off: the regression above does not fail the run. To fail it, add \`gate: { failOnRegression: true }\` to the llmEvals() options (see node_modules/vitest-llm-evals/docs/configuration.md)."`)
    expect(gateOffNote(rows(true, true), undefined, { color: false, docs })).toMatchInlineSnapshot(`" gate off: the 2 regressions above do not fail the run. To fail it, add \`gate: { failOnRegression: true }\` to the llmEvals() options (see node_modules/vitest-llm-evals/docs/configuration.md)."`)
  })

  test('says nothing with a gate set (even one that does not fail on regressions) or without a regression', () => {
    expect(gateOffNote(rows(true), {}, { color: false, docs })).toBeUndefined()
    expect(gateOffNote(rows(true), { failOnRegression: false }, { color: false, docs })).toBeUndefined()
    expect(gateOffNote(rows(false, false), undefined, { color: false, docs })).toBeUndefined()
  })

  test('names the docs page of this package by default', () => {
    expect(gateOffNote(rows(true), undefined, { color: false })).toContain('(see docs/configuration.md).')
  })
})
