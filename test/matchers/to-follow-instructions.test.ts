import { describe, expect, test } from 'vitest'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()

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

  test('throws a ConfigError for a free-text instruction when no judge is configured', () => {
    expect(() => expect('x').toFollowInstructions([noComma, 'Answer politely'])).toThrow(/toFollowInstructions\(\) needs a judge model, and none is configured/)
  })

  test('throws a ConfigError for an unknown id, a bad parameter or an empty list', () => {
    expect(() => expect('x').toFollowInstructions([{ id: 'punctuation:no_dash' } as never])).toThrow(/Unknown verifiable instruction id "punctuation:no_dash"/)
    expect(() => expect('x').toFollowInstructions([{ id: 'detectable_format:number_highlighted_sections', num_highlights: 'two' } as never])).toThrow(/num_highlights/)
    expect(() => expect('x').toFollowInstructions([])).toThrow(/non-empty array/)
  })

  test('throws a ConfigError that suggests the id a misspelt one was meant as', () => {
    expect(() => expect('x').toFollowInstructions([{ id: 'lenght_constraints:number_words' } as never])).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] Unknown verifiable instruction id "lenght_constraints:number_words"; did you mean "length_constraints:number_words"? Use one of: keywords:existence, keywords:frequency, keywords:forbidden_words, keywords:letter_frequency, language:response_language, length_constraints:number_sentences, length_constraints:number_paragraphs, length_constraints:number_words, length_constraints:nth_paragraph_first_word, detectable_content:number_placeholders, detectable_content:postscript, detectable_format:number_bullet_lists, detectable_format:constrained_response, detectable_format:number_highlighted_sections, detectable_format:multiple_sections, detectable_format:json_format, detectable_format:title, combination:two_responses, combination:repeat_prompt, startend:end_checker, startend:quotation, change_case:capital_word_frequency, change_case:english_capital, change_case:english_lowercase, punctuation:no_comma.]`)
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

describe.each(PROVIDERS)('.toFollowInstructions with free-text items (%s as judge)', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)
  const verdict = (index: number, value: string, reasoning = `instruction ${index}`) => ({ index, reasoning, verdict: value })

  test('mixed arrays: verifiable items in code, all free-text items in one judge call, verdicts in order', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'instructions_verdict', { verdicts: [verdict(1, 'followed'), verdict(2, 'not-applicable')] })
    await expect('Thank you for waiting. Your order ships today.').toFollowInstructions(['Be polite.', noComma, 'Apologise if the order is late.'], { judge: judge() })
    expect(scripted.server.requests).toHaveLength(1)
    expect(JSON.stringify(scripted.server.requests[0]?.body)).toContain('1. Be polite.\\n2. Apologise if the order is late.')
    const [record] = recordsOf(task)
    expect(record).toMatchObject({
      metric: 'instructions',
      score: 1,
      pass: true,
      judge: { provider, promptVersion: expect.stringMatching(/^instructions@/) },
      details: {
        verdicts: [
          { instruction: 'Be polite.', kind: 'free-text', verdict: 'followed', pass: true, reason: 'instruction 1' },
          { instruction: 'punctuation:no_comma', kind: 'verifiable', pass: true },
          { instruction: 'Apologise if the order is late.', kind: 'free-text', verdict: 'not-applicable', pass: true },
        ],
      },
    })
  })

  test('fails when a free-text instruction is not followed, quoting the judge', async () => {
    enqueueVerdict(scripted.server, provider, 'instructions_verdict', { verdicts: [verdict(1, 'not-followed', 'It is curt.')] })
    expect(await failureOf(expect('No.').toFollowInstructions(['Be polite.', noComma], { judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toFollowInstructions(instructions)

      Expected output to follow all 2 instructions.

      Score:     0.50 (1 of 2 followed)
      Threshold: 1.00
      Reasons:
        - ✗ "Be polite.": not-followed — judge: "It is curt."
        - ✓ punctuation:no_comma: found no commas
      Output:
        No."
    `)
  })
})

describe('.toFollowInstructions without free text', () => {
  test('makes no judge call and records no judge', async ({ task }) => {
    await expect('no commas here').toFollowInstructions([noComma])
    expect(scripted.server.requests).toHaveLength(0)
    expect(recordsOf(task)[0]).not.toHaveProperty('judge')
  })
})
