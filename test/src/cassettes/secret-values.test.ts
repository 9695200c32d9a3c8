import { describe, expect, test } from 'vitest'
import { secretValues } from '../../../src/cassettes/secret-values.js'

const finding = (value: string) => ({ rule: 'r', value, index: 0, line: 1, column: 1 })

describe('secretValues', () => {
  test('a value that runs past the end of its JSON string is redacted up to that end too', () => {
    // secretlint's connection-string match of `"dsn": "postgres://…/app"\n` takes the closing quote.
    const url = ['postgres://app:', 's3cretPassw0rd', '@db:5432/app'].join('')
    expect(secretValues([finding(`${url}",`)])).toEqual([`${url}",`, url])
  })

  test('an escaped quote does not end the string; the decoded form is redacted too', () => {
    expect(secretValues([finding('pa\\"ss"x')])).toEqual(['pa\\"ss"x', 'pa\\"ss', 'pa"ss'])
    expect(secretValues([finding('"starts-with-a-quote')])).toEqual(['"starts-with-a-quote'])
  })
})
