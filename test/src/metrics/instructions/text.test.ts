import { describe, expect, test } from 'vitest'
import { detectLanguage } from '../../../../src/metrics/instructions/language.js'
import { looseVariants } from '../../../../src/metrics/instructions/loose.js'
import { countSentences } from '../../../../src/metrics/instructions/sentences.js'
import { countWords, isLowerCase, isUpperCase, pySplit, pyStrip } from '../../../../src/metrics/instructions/text.js'
import { tokenizeWords } from '../../../../src/metrics/instructions/word-tokens.js'

describe('countWords', () => {
  test('counts runs of Unicode letters, digits and underscores', () => {
    expect(countWords('Hello, wörld! 42 times.')).toBe(4)
    expect(countWords('state-of-the-art snake_case')).toBe(5)
    expect(countWords('')).toBe(0)
  })
})

describe('countSentences (Punkt rules)', () => {
  test('splits on . ? ! followed by a new token', () => {
    expect(countSentences('One. Two! Three? Four')).toBe(4)
  })
  test('does not split on line breaks alone', () => {
    expect(countSentences('A title\n\n- a bullet\n- another bullet')).toBe(1)
  })
  test('splits before a lowercase word, as Punkt does', () => {
    expect(countSentences('i went home. it was late.')).toBe(2)
  })
  test('keeps abbreviations, initials and decimals inside the sentence', () => {
    expect(countSentences('Dr. Smith met J. Jones in the U.S. at 3.30 today. They talked.')).toBe(2)
  })
  test('splits after an abbreviation followed by a sentence starter', () => {
    expect(countSentences('We sell apples, pears, etc. The shop opens at nine.')).toBe(2)
  })
  test('keeps closing quotes with their sentence', () => {
    expect(countSentences('She said "Hi." Then she left.')).toBe(2)
  })
  test('treats a numbered list item "1." as a sentence end before a capital', () => {
    expect(countSentences('Steps:\n1. Mix flour.\n2. Bake it.')).toBe(4)
  })
  test('counts nothing in an empty or blank text', () => {
    expect(countSentences('')).toBe(0)
    expect(countSentences(' \n ')).toBe(0)
  })
})

describe('tokenizeWords (NLTK word_tokenize rules)', () => {
  test('splits punctuation, clitics and fused forms, keeps hyphenated words', () => {
    expect(tokenizeWords("I'M SURE, WE CANNOT STOP STATE-OF-THE-ART U.S. (WORK)!")).toEqual([
      'I', "'M", 'SURE', ',', 'WE', 'CAN', 'NOT', 'STOP', 'STATE-OF-THE-ART', 'U.S.', '(', 'WORK', ')', '!',
    ])
  })
  test('keeps a comma inside a number', () => {
    expect(tokenizeWords('1,000 PEOPLE')).toEqual(['1,000', 'PEOPLE'])
  })
})

describe('Python string rules', () => {
  test('pyStrip strips Python whitespace or the given characters', () => {
    expect(pyStrip('\u3000 "hi"\n')).toBe('"hi"')
    expect(pyStrip('**bold**', '*')).toBe('bold')
  })
  test('pySplit splits on whitespace runs', () => {
    expect(pySplit(' a  b\nc ')).toEqual(['a', 'b', 'c'])
  })
  test('isUpperCase and isLowerCase need a cased letter', () => {
    expect(isUpperCase("I'M 42!")).toBe(true)
    expect(isUpperCase('123')).toBe(false)
    expect(isLowerCase('déjà vu 2')).toBe(true)
    expect(isLowerCase('Déjà')).toBe(false)
  })
})

describe('looseVariants', () => {
  test("produces IFEval's 8 variants in order", () => {
    expect(looseVariants('Sure!\n**Answer**\nBye').map((variant) => variant.text)).toEqual([
      'Sure!\n**Answer**\nBye', 'Sure!\nAnswer\nBye', '**Answer**\nBye', 'Sure!\n**Answer**', '**Answer**', 'Answer\nBye', 'Sure!\nAnswer', 'Answer',
    ])
  })
})

describe('detectLanguage', () => {
  test('returns ISO 639-1 codes', () => {
    expect(detectLanguage('Le chat est assis sur le tapis et regarde tomber la pluie.')).toEqual({ kind: 'language', code: 'fr' })
    expect(detectLanguage('Der Hund spielt im Garten mit einem roten Ball.')).toEqual({ kind: 'language', code: 'de' })
    expect(detectLanguage('Это очень интересная книга о истории России.')).toEqual({ kind: 'language', code: 'ru' })
  })
  test('tells too-short texts from texts without letters', () => {
    expect(detectLanguage('ok')).toEqual({ kind: 'too-short' })
    expect(detectLanguage('123 - 456')).toEqual({ kind: 'no-letters' })
  })
})
