import { describe, expect, test } from 'vitest'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const noComma = { id: 'punctuation:no_comma' } as const
const highlights = { id: 'detectable_format:number_highlighted_sections', num_highlights: 2 } as const

describe('.toFollowInstructions', () => {
  test('passes when every verifiable instruction is followed', async () => {
    await expect('Two parts: *first* and *second*.').toFollowInstructions([noComma, highlights])
  })

  test('passes in loose mode when a loose variant follows the instruction', async () => {
    const reply = 'Sure, here it is:\nno commas below this line'
    await expect(reply).not.toFollowInstructions([noComma])
    await expect(reply).toFollowInstructions([noComma], { loose: true })
  })

  test('records each verdict in details and the share followed as the score', async ({ task }) => {
    await expect('One, two *three*.').not.toFollowInstructions([noComma, highlights])
    expect(task.meta.evals).toEqual([
      {
        metric: 'instructions',
        score: 0,
        pass: false,
        threshold: 1,
        reason: expect.any(String),
        details: {
          loose: false,
          verdicts: [
            { instruction: 'punctuation:no_comma', kind: 'verifiable', parameters: {}, pass: false, reason: expect.any(String) },
            { instruction: 'detectable_format:number_highlighted_sections', kind: 'verifiable', parameters: { num_highlights: 2 }, pass: false, reason: expect.any(String) },
          ],
        },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
  })

  test('fails when one instruction is not followed, listing every verdict', async () => {
    expect(await failureOf(expect('Hello, *world* and *you*.').toFollowInstructions([noComma, highlights]))).toMatchInlineSnapshot(`
      "expect(output).toFollowInstructions(instructions)

      Expected output to follow all 2 instructions.

      Score:     0.50 (1 of 2 followed)
      Threshold: 1.00
      Reasons:
        - ✗ punctuation:no_comma: found 1 comma, needs none
        - ✓ detectable_format:number_highlighted_sections: found 2 highlighted sections, needs at least 2
      Output:
        Hello, *world* and *you*."
    `)
  })

  test('throws a ConfigError for a free-text instruction, explaining that a judge is needed', () => {
    expect(() => expect('x').toFollowInstructions([noComma, 'Answer politely'])).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] toFollowInstructions() got the free-text instruction "Answer politely", which needs a judge model. Free-text instructions are coming with judge support; for now use verifiable instructions such as \`{ id: 'punctuation:no_comma' }\` (the 25 IFEval ids), or move free text to a separate assertion later.]`)
  })

  test('throws a ConfigError for an unknown id, a bad parameter or an empty list', () => {
    expect(() => expect('x').toFollowInstructions([{ id: 'punctuation:no_dash' } as never])).toThrow(/Unknown verifiable instruction id "punctuation:no_dash"/)
    expect(() => expect('x').toFollowInstructions([{ id: 'detectable_format:number_highlighted_sections', num_highlights: 'two' } as never])).toThrow(/num_highlights/)
    expect(() => expect('x').toFollowInstructions([])).toThrow(/non-empty array/)
  })
})

describe('.not.toFollowInstructions', () => {
  test('passes when an instruction is not followed', async () => {
    await expect('a, b').not.toFollowInstructions([noComma])
  })

  test('fails when all are followed', async () => {
    expect(await failureOf(expect('no commas here').not.toFollowInstructions([noComma]))).toMatchInlineSnapshot(`
      "expect(output).not.toFollowInstructions(instructions)

      Expected output not to follow the instruction.

      Score:     1.00 (1 of 1 followed)
      Threshold: 1.00
      Reasons:
        - ✓ punctuation:no_comma: found no commas
      Output:
        no commas here"
    `)
  })
})
