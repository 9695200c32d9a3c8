import { describe, expect, test } from 'vitest'
import { groupThousands } from '../../src/format-number.js'

describe('groupThousands', () => {
  test('writes integers as en-US does', () => {
    for (const value of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, -1234, -999, Number.MAX_SAFE_INTEGER]) {
      expect(groupThousands(value)).toBe(value.toLocaleString('en-US'))
    }
  })

  test('keeps a fraction as it is, and non-finite values as text', () => {
    expect(groupThousands(1234.5)).toBe('1,234.5')
    expect(groupThousands(-0.25)).toBe('-0.25')
    expect(groupThousands(Number.NaN)).toBe('NaN')
    expect(groupThousands(Number.POSITIVE_INFINITY)).toBe('Infinity')
  })
})
