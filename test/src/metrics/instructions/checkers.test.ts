import { describe, expect, test } from 'vitest'
import type { VerifiableInstruction } from '../../../../src/metrics/instructions/index.js'
import { checkInstruction } from '../../../../src/metrics/instructions/index.js'

const passes = (response: string, instruction: VerifiableInstruction) => checkInstruction(response, instruction).pass

describe('keywords', () => {
  test('existence passes when every keyword appears, case-insensitively', () => {
    expect(passes('Rain falls mainly in Spain.', { id: 'keywords:existence', keywords: ['SPAIN', 'rain'] })).toBe(true)
  })
  test('existence fails when one keyword is missing', () => {
    expect(checkInstruction('Rain in Spain', { id: 'keywords:existence', keywords: ['rain', 'france'] })).toMatchInlineSnapshot(`
      {
        "pass": false,
        "reason": "missing keywords "france", needs all of "france", "rain"",
      }
    `)
  })
  test('frequency counts occurrences inside words too', () => {
    expect(checkInstruction('AI, ai and Aid', { id: 'keywords:frequency', keyword: 'ai', frequency: 3, relation: 'at least' })).toMatchInlineSnapshot(`
      {
        "pass": true,
        "reason": "found "ai" 3 times, needs at least 3",
      }
    `)
    expect(passes('cat cat', { id: 'keywords:frequency', keyword: 'cat', frequency: 2, relation: 'less than' })).toBe(false)
  })
  test('forbidden_words fails only on whole words', () => {
    expect(passes('A sunny day', { id: 'keywords:forbidden_words', forbidden_words: ['sun'] })).toBe(true)
    expect(passes('The Sun rose.', { id: 'keywords:forbidden_words', forbidden_words: ['sun'] })).toBe(false)
    expect(passes('Über café', { id: 'keywords:forbidden_words', forbidden_words: ['caf'] })).toBe(true)
  })
  test('letter_frequency counts one letter case-insensitively', () => {
    const rule = { id: 'keywords:letter_frequency', letter: 'a', let_frequency: 3, let_relation: 'at least' } as const
    expect(passes('Banana', rule)).toBe(true)
    expect(passes('Bandit', rule)).toBe(false)
    expect(passes('Banana', { ...rule, let_relation: 'less than' })).toBe(false)
  })
})

describe('language', () => {
  const rule = { id: 'language:response_language', language: 'es' } as const
  test('passes when the response is in the language', () => {
    expect(passes('Hoy hace mucho calor y vamos a la playa con nuestros amigos.', rule)).toBe(true)
  })
  test('fails when it is in another language', () => {
    expect(checkInstruction('Today it is very hot and we are going to the beach with our friends.', rule).reason).toBe(
      'detected language "en", needs "es"',
    )
  })
  test('passes when there are no letters to detect, as IFEval does', () => {
    expect(passes('1 + 1 = 2', rule)).toBe(true)
  })
})

describe('length_constraints', () => {
  test('number_sentences compares the sentence count', () => {
    const rule = { id: 'length_constraints:number_sentences', num_sentences: 3, relation: 'less than' } as const
    expect(passes('One. Two.', rule)).toBe(true)
    expect(checkInstruction('One. Two! Three?', rule).reason).toBe('found 3 sentences, needs fewer than 3')
  })
  test('number_words compares the word count', () => {
    const rule = { id: 'length_constraints:number_words', num_words: 5, relation: 'at least' } as const
    expect(passes('It is state-of-the-art.', rule)).toBe(true)
    expect(passes('Too short.', rule)).toBe(false)
  })
  test('number_paragraphs counts *** dividers and rejects empty middle paragraphs', () => {
    const rule = { id: 'length_constraints:number_paragraphs', num_paragraphs: 2 } as const
    expect(passes('First\n***\nSecond', rule)).toBe(true)
    expect(passes('***\nFirst\n***\nSecond\n***', rule)).toBe(true)
    expect(passes('First\n***\n***\nSecond', rule)).toBe(false)
    expect(checkInstruction('Only one', rule).reason).toBe('found 1 paragraph separated by ***, needs exactly 2')
  })
  test('nth_paragraph_first_word checks the count and the first word', () => {
    const rule = { id: 'length_constraints:nth_paragraph_first_word', num_paragraphs: 2, nth_paragraph: 2, first_word: 'Summary' } as const
    expect(passes('Intro here.\n\n"Summary, all good.', rule)).toBe(true)
    // As in IFEval, only . , ? ! ' " end the first word: "Summary:" is not "summary".
    expect(passes('Intro here.\n\nSummary: all good.', rule)).toBe(false)
    expect(checkInstruction('Intro here.\n\nIn short: fine.', rule).reason).toBe(
      'found 2 paragraphs, needs exactly 2; paragraph 2 starts with "in", needs "summary"',
    )
    expect(passes('Intro.\n\nSummary.\n\nExtra.', rule)).toBe(false)
  })
})

describe('detectable_content', () => {
  test('number_placeholders counts [bracketed] placeholders', () => {
    const rule = { id: 'detectable_content:number_placeholders', num_placeholders: 2 } as const
    expect(passes('Dear [name], meet me at [place].', rule)).toBe(true)
    expect(checkInstruction('Dear [name],', rule).reason).toBe('found 1 placeholder in square brackets, needs at least 2')
  })
  test('postscript finds the marker, tolerating spacing for P.S. and P.P.S', () => {
    expect(passes('Bye.\n\nP.S. Call me.', { id: 'detectable_content:postscript', postscript_marker: 'P.S.' })).toBe(true)
    expect(passes('Bye.\n\np. p. s. again', { id: 'detectable_content:postscript', postscript_marker: 'P.P.S' })).toBe(true)
    expect(passes('Bye.', { id: 'detectable_content:postscript', postscript_marker: 'Note:' })).toBe(false)
  })
})

describe('detectable_format', () => {
  test('number_bullet_lists counts * and - bullets exactly', () => {
    const rule = { id: 'detectable_format:number_bullet_lists', num_bullets: 3 } as const
    expect(passes('Intro\n* one\n* two\n- three', rule)).toBe(true)
    expect(passes('* one\n**bold line**\n* two', rule)).toBe(false)
  })
  test('constrained_response needs one of the three answers', () => {
    const rule = { id: 'detectable_format:constrained_response' } as const
    expect(passes('Well... My answer is maybe.', rule)).toBe(true)
    expect(passes('My answer is yes', rule)).toBe(false)
  })
  test('number_highlighted_sections counts non-empty *spans*', () => {
    const rule = { id: 'detectable_format:number_highlighted_sections', num_highlights: 3 } as const
    expect(checkInstruction('*one* and *two*', rule)).toMatchInlineSnapshot(`
      {
        "pass": false,
        "reason": "found 2 highlighted sections, needs at least 3",
      }
    `)
    expect(passes('*one* *two* **three**', rule)).toBe(true)
    expect(passes('* * and ** **', { ...rule, num_highlights: 1 })).toBe(false)
  })
  test('multiple_sections counts splitter + number markers, case-sensitively', () => {
    const rule = { id: 'detectable_format:multiple_sections', section_spliter: 'SECTION', num_sections: 2 } as const
    expect(passes('SECTION 1\nIntro\nSECTION 2\nBody', rule)).toBe(true)
    expect(passes('Section 1\nIntro\nSection 2\nBody', rule)).toBe(false)
  })
  test('json_format accepts bare or fenced JSON only', () => {
    const rule = { id: 'detectable_format:json_format' } as const
    expect(passes('```json\n{"ok": true}\n```', rule)).toBe(true)
    expect(passes(' [1, 2] ', rule)).toBe(true)
    expect(passes('Here it is: {"ok": true}', rule)).toBe(false)
  })
  test('title needs a non-empty <<title>>', () => {
    const rule = { id: 'detectable_format:title' } as const
    expect(passes('<<Poem of Joy>>\nRoses', rule)).toBe(true)
    expect(passes('<< >>\nRoses', rule)).toBe(false)
  })
})

describe('combination', () => {
  test('two_responses needs two different parts around ******', () => {
    const rule = { id: 'combination:two_responses' } as const
    expect(passes('Tea.\n******\nCoffee.', rule)).toBe(true)
    expect(passes('Tea.\n******\nTea.', rule)).toBe(false)
    expect(passes('Tea.\n******\n******\nCoffee.', rule)).toBe(false)
  })
  test('repeat_prompt needs the prompt first, case-insensitively', () => {
    const rule = { id: 'combination:repeat_prompt', prompt_to_repeat: 'Write a haiku.' } as const
    expect(passes('  write a HAIKU. Moon over water', rule)).toBe(true)
    expect(passes('Sure! Write a haiku.', rule)).toBe(false)
  })
})

describe('startend', () => {
  test('end_checker ignores case, whitespace and wrapping quotes', () => {
    const rule = { id: 'startend:end_checker', end_phrase: 'Any other questions?' } as const
    expect(passes('"Done. any other questions?"\n', rule)).toBe(true)
    expect(passes('Any other questions? Bye.', rule)).toBe(false)
  })
  test('quotation needs the whole response in double quotes', () => {
    const rule = { id: 'startend:quotation' } as const
    expect(passes(' "All of it." ', rule)).toBe(true)
    expect(passes('"', rule)).toBe(false)
    expect(passes('“Curly”', rule)).toBe(false)
  })
})

describe('change_case', () => {
  test('capital_word_frequency counts all-capital tokens', () => {
    const rule = { id: 'change_case:capital_word_frequency', capital_frequency: 4, capital_relation: 'at least' } as const
    expect(passes("I'M SO HAPPY today", rule)).toBe(true)
    expect(checkInstruction('THIS IS news', rule).reason).toBe('found 2 all-capital words, needs at least 4')
  })
  test('english_capital needs English in capitals', () => {
    const rule = { id: 'change_case:english_capital' } as const
    expect(passes('THIS IS MY WHOLE ANSWER, WRITTEN IN CAPITAL LETTERS AS YOU ASKED.', rule)).toBe(true)
    expect(passes('THIS IS MY ANSWER, mostly.', rule)).toBe(false)
    expect(passes('ESTA ES MI RESPUESTA COMPLETA, ESCRITA EN MAYÚSCULAS COMO PEDISTE.', rule)).toBe(false)
  })
  test('english_lowercase needs English in lowercase', () => {
    const rule = { id: 'change_case:english_lowercase' } as const
    expect(passes('this whole answer is written in lowercase english, as you asked.', rule)).toBe(true)
    expect(passes('this whole answer is written in lowercase, except Here.', rule)).toBe(false)
  })
})

describe('punctuation', () => {
  test('no_comma fails on any comma', () => {
    expect(checkInstruction('No commas here.', { id: 'punctuation:no_comma' })).toEqual({ pass: true, reason: 'found no commas' })
    expect(checkInstruction('One, two, three', { id: 'punctuation:no_comma' }).reason).toBe('found 2 commas, needs none')
  })
})
