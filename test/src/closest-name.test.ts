import { describe, expect, test } from 'vitest'
import { closestName, shownName } from '../../src/closest-name.js'

describe('closestName', () => {
  const options = ['cassettes', 'judge', 'history', 'report', 'gate', 'labels', 'annotations', 'pricing']

  test('finds a typo: a swap, a missing or extra letter, another case', () => {
    expect(closestName('histroy', options)).toBe('history')
    expect(closestName('cassetes', options)).toBe('cassettes')
    expect(closestName('htlm', ['html', 'json', 'stepSummary', 'live'])).toBe('html')
    expect(closestName('Reports', options)).toBe('report')
    expect(closestName('baseUrl', ['baseURL', 'model'])).toBe('baseURL')
  })

  test('guesses nothing for a name close to none, an empty or a huge one', () => {
    expect(closestName('colour', options)).toBeUndefined()
    expect(closestName('x', options)).toBeUndefined()
    expect(closestName('', options)).toBeUndefined()
    expect(closestName(`history${'y'.repeat(200)}`, options)).toBeUndefined()
    expect(closestName('history', [])).toBeUndefined()
  })

  test('a short name is a typo only one edit or one swap away', () => {
    expect(closestName('foo', ['root', 'run', 'config'])).toBeUndefined()
    expect(closestName('rnu', ['root', 'run'])).toBe('run')
    expect(closestName('rum', ['root', 'run'])).toBe('run')
    expect(closestName('ab', ['ba', 'xyz'])).toBe('ba')
    expect(closestName('ab', ['cd'])).toBeUndefined()
  })

  test('ties go to the first known name', () => {
    expect(closestName('jsn', ['json', 'jsx'])).toBe('json')
  })
})

describe('shownName', () => {
  test('shows a usual name as it is', () => {
    expect(shownName('report.htlm')).toBe('report.htlm')
  })

  test('cuts a long name and escapes control characters, line separators and lone surrogates', () => {
    expect(shownName(`a\u001b[31m\nb\u2028c${'d'.repeat(100)}`, 12)).toMatchInlineSnapshot(`"a\\u001b[31m\\u000ab\\u2028cdd…"`)
    expect(shownName(`x${'😀'.repeat(10)}`, 4)).toMatchInlineSnapshot(`"x😀\\ud83d…"`)
  })
})
