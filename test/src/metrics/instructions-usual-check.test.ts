// checkInstruction checks usual instructions by hand, so toFollowInstructions loads no zod (issue 17): the hand
// check must accept only what each id's zod schema accepts.
import { describe, expect, test } from 'vitest'
import { INSTRUCTION_IDS } from '../../../src/metrics/instructions/index.js'
import { INSTRUCTION_PARAMETERS, instructionSchemas, isUsualInstruction } from '../../../src/metrics/instructions/schemas.js'
import { singleDamages } from '../../support/mutations.js'

const SAMPLE: Record<string, unknown> = { relation: 'at least', count: 3, positive: 2, text: 'ai', words: ['a', 'b'], letter: 'é', language: 'en' }

function validInstruction(id: string): Record<string, unknown> {
  const parameters = Object.entries(INSTRUCTION_PARAMETERS[id] ?? {}).map(([name, kind]) => [name, SAMPLE[kind]])
  return { id, ...Object.fromEntries(parameters) }
}

describe('the hand check of IFEval instructions', () => {
  test('knows every id, and accepts a valid instruction of each', () => {
    expect(Object.keys(INSTRUCTION_PARAMETERS).sort()).toEqual([...INSTRUCTION_IDS].sort())
    for (const id of INSTRUCTION_IDS) {
      const instruction = validInstruction(id)
      expect(isUsualInstruction(instruction), id).toBe(true)
      expect(instructionSchemas()[id].safeParse(instruction).success, id).toBe(true)
    }
  })

  test('never accepts what the schema refuses, for every single damage of every id', () => {
    const wrong = INSTRUCTION_IDS.flatMap((id) =>
      singleDamages(validInstruction(id)).flatMap(([name, value]) => {
        const record = value as Record<string, unknown>
        const schema = instructionSchemas()[id]
        return isUsualInstruction(record) && !schema.safeParse(record).success ? [`${id}: ${name}`] : []
      }),
    )
    expect(wrong).toEqual([])
  })

  test('refuses the cases zod refuses that a loose check would miss', () => {
    expect(isUsualInstruction({ id: 'keywords:existence', keywords: [, 'b'] })).toBe(false) // a hole
    expect(isUsualInstruction({ id: 'length_constraints:nth_paragraph_first_word', num_paragraphs: 2, nth_paragraph: 3, first_word: 'a' })).toBe(false)
    expect(isUsualInstruction({ id: 'length_constraints:number_words', num_words: 2 ** 53, relation: 'at least' })).toBe(false)
    expect(isUsualInstruction({ id: 'language:response_language', language: 'en\n' })).toBe(false)
    expect(isUsualInstruction({ id: 'keywords:letter_frequency', letter: 'ab', let_frequency: 1, let_relation: 'at least' })).toBe(false)
    expect(isUsualInstruction({ id: 'toString' })).toBe(false)
  })
})
