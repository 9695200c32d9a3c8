import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../../src/errors/index.js'
import type { VerifiableInstruction } from '../../../../src/metrics/instructions/index.js'
import { checkInstruction, INSTRUCTION_IDS, isVerifiableInstruction } from '../../../../src/metrics/instructions/index.js'

const thrown = (instruction: unknown): unknown => {
  try {
    checkInstruction('Some response.', instruction as VerifiableInstruction)
  } catch (error) {
    return error
  }
  throw new Error('expected checkInstruction to throw')
}

describe('INSTRUCTION_IDS and isVerifiableInstruction', () => {
  test('lists the 25 IFEval ids', () => {
    expect(INSTRUCTION_IDS).toHaveLength(25)
    expect(new Set(INSTRUCTION_IDS).size).toBe(25)
  })
  test('recognises objects with a known id only', () => {
    expect(isVerifiableInstruction({ id: 'punctuation:no_comma' })).toBe(true)
    expect(isVerifiableInstruction({ id: 'punctuation:no_dash' })).toBe(false)
    expect(isVerifiableInstruction('Answer politely')).toBe(false)
    expect(isVerifiableInstruction(null)).toBe(false)
  })
})

describe('strict and loose modes', () => {
  const quotation = { id: 'startend:quotation' } as const
  test('strict checks the response as is', () => {
    expect(checkInstruction('Sure!\n"The answer."', quotation).pass).toBe(false)
  })
  test('loose passes when a variant without the first line passes, and says which', () => {
    expect(checkInstruction('Sure!\n"The answer."', quotation, { loose: true })).toMatchInlineSnapshot(`
      {
        "pass": true,
        "reason": "is wrapped in double quotes (loose: first line removed)",
      }
    `)
  })
  test('loose passes when removing every * makes the check pass', () => {
    const rule = { id: 'startend:end_checker', end_phrase: 'The end.' } as const
    expect(checkInstruction('Story... **The end.**', rule).pass).toBe(false)
    expect(checkInstruction('Story... **The end.**', rule, { loose: true }).reason).toBe('ends with "the end." (loose: without *)')
  })
  test('loose fails when no variant passes', () => {
    expect(checkInstruction('One, two', { id: 'punctuation:no_comma' }, { loose: true }).reason).toBe(
      'found 1 comma, needs none (no loose variant passes either)',
    )
  })
  test('an empty response follows nothing', () => {
    expect(checkInstruction('  \n', { id: 'punctuation:no_comma' })).toEqual({ pass: false, reason: 'response is empty' })
  })
})

describe('errors', () => {
  test('a response that is not a string is a ConfigError saying so (was a TypeError from inside a checker)', () => {
    for (const [response, got] of [[undefined, 'undefined'], [null, 'null'], [{ text: 'x' }, 'object'], [['x'], 'an array']] as const) {
      expect(() => checkInstruction(response as never, { id: 'punctuation:no_comma' })).toThrow(
        `[vitest-llm-evals] checkInstruction(response, instruction) needs the response as a string, got ${got}. Pass the model's text (e.g. \`response.output_text\`).`,
      )
    }
  })

  test('an unknown id throws a ConfigError listing the valid ids', () => {
    const error = thrown({ id: 'punctuation:no_dash' })
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('Unknown verifiable instruction id "punctuation:no_dash"')
    expect((error as Error).message).toContain('Use one of: keywords:existence, keywords:frequency,')
  })
  test('a misspelt id suggests the id it was probably meant as', () => {
    expect((thrown({ id: 'lenght_constraints:number_words' }) as Error).message).toMatchInlineSnapshot(`"[vitest-llm-evals] Unknown verifiable instruction id "lenght_constraints:number_words"; did you mean "length_constraints:number_words"? Use one of: keywords:existence, keywords:frequency, keywords:forbidden_words, keywords:letter_frequency, language:response_language, length_constraints:number_sentences, length_constraints:number_paragraphs, length_constraints:number_words, length_constraints:nth_paragraph_first_word, detectable_content:number_placeholders, detectable_content:postscript, detectable_format:number_bullet_lists, detectable_format:constrained_response, detectable_format:number_highlighted_sections, detectable_format:multiple_sections, detectable_format:json_format, detectable_format:title, combination:two_responses, combination:repeat_prompt, startend:end_checker, startend:quotation, change_case:capital_word_frequency, change_case:english_capital, change_case:english_lowercase, punctuation:no_comma."`)
    expect((thrown({ id: 'Punctuation:No_Comma' }) as Error).message).toContain('did you mean "punctuation:no_comma"?')
  })
  test('an id close to none guesses nothing; a missing, non-string, huge or control-character id is shown bounded', () => {
    expect((thrown({ id: 'formatting:bold' }) as Error).message).toMatch(/^\[vitest-llm-evals\] Unknown verifiable instruction id "formatting:bold"\. Use one of: /)
    expect((thrown({}) as Error).message).toContain('Unknown verifiable instruction id (no `id` field). Use one of:')
    expect((thrown({ id: 7 }) as Error).message).toContain('Unknown verifiable instruction id of type number. Use one of:')
    const huge = (thrown({ id: `\u001b[2J${'x'.repeat(1_000_000)}` }) as Error).message
    expect(huge.length).toBeLessThan(1_000)
    expect(huge).toContain('id "\\u001b[2Jxxx')
    expect(huge).not.toContain('\u001b')
  })
  test('a missing choice parameter says it is missing, not that its value is invalid', () => {
    expect((thrown({ id: 'length_constraints:number_words', num_words: 3 }) as Error).message).toContain('parameter "relation" is missing.')
    expect((thrown({ id: 'length_constraints:number_words', num_words: 3, relation: null }) as Error).message).toContain('parameter "relation" is missing.')
  })
  test('a missing parameter names the id, the parameter and the schema', () => {
    expect((thrown({ id: 'keywords:existence' }) as Error).message).toMatchInlineSnapshot(
      `"[vitest-llm-evals] Instruction "keywords:existence": parameter "keywords" is missing. Expected { keywords: non-empty array of non-empty strings }."`,
    )
  })
  test('a bad parameter value is named with what was expected', () => {
    const error = thrown({ id: 'keywords:frequency', keyword: 'ai', frequency: 2, relation: 'at most' })
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/parameter "relation" .*"less than".*"at least"/u)
    expect((error as Error).message).toContain('Expected { keyword: non-empty string, frequency: integer >= 0, relation: "less than" | "at least" }')
  })
  test('an unknown parameter is an error, not silently ignored', () => {
    expect((thrown({ id: 'detectable_format:title', num_titles: 1 }) as Error).message).toContain('unknown parameter "num_titles"')
  })
  test('a misspelt parameter suggests the one it was meant as; many unknown ones are named a few at a time', () => {
    expect((thrown({ id: 'length_constraints:number_words', num_word: 3, relation: 'less than' }) as Error).message).toMatchInlineSnapshot(`"[vitest-llm-evals] Instruction "length_constraints:number_words": parameter "num_words" is missing; unknown parameter "num_word" (did you mean "num_words"?). Expected { num_words: integer >= 0, relation: "less than" | "at least" }."`)
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`extra_${index}_${'x'.repeat(200)}`, 1]))
    const message = (thrown({ id: 'punctuation:no_comma', ...many }) as Error).message
    expect(message).toContain('(+4990 more)')
    expect(message.length).toBeLessThan(2_000)
  })
  test('nth_paragraph must not exceed num_paragraphs', () => {
    const error = thrown({ id: 'length_constraints:nth_paragraph_first_word', num_paragraphs: 2, nth_paragraph: 3, first_word: 'a' })
    expect((error as Error).message).toContain('parameter "nth_paragraph" must not be greater than num_paragraphs')
  })
  test('null parameters count as absent, as in IFEval data', () => {
    const instruction = { id: 'punctuation:no_comma', keywords: null } as unknown as VerifiableInstruction
    expect(checkInstruction('No commas.', instruction).pass).toBe(true)
  })
  test('letter must be a single character', () => {
    expect((thrown({ id: 'keywords:letter_frequency', letter: 'ab', let_frequency: 1, let_relation: 'at least' }) as Error).message).toContain(
      'parameter "letter" must be a single character',
    )
  })
})
