import { describe, expect, test } from 'vitest'
import { utf8Text } from '../../src/utf8-text.js'

const where = (bytes: Buffer) => {
  try {
    utf8Text(bytes, (found) => Object.assign(new Error('invalid'), { found }))
    return 'valid'
  } catch (error) {
    return (error as Error & { found: unknown }).found
  }
}

describe('utf8Text', () => {
  test('passes when the bytes are UTF-8: text with accents, emoji and a replacement character written on purpose', () => {
    const text = 'café\n🙂 \uFFFD done'
    expect(utf8Text(Buffer.from(text), () => new Error('never'))).toBe(text)
  })

  test('fails at the first byte that is not UTF-8, with its line', () => {
    expect(where(Buffer.from('ok\nline two\ncaf\xe9\n', 'latin1'))).toEqual({ line: 3, offset: 15 })
    expect(where(Buffer.concat([Buffer.from('🙂\n'), Buffer.from([0xc0, 0xaf])]))).toEqual({ line: 2, offset: 5 }) // overlong '/'
    expect(where(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toEqual({ line: 1, offset: 1 }) // a surrogate
    expect(where(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toEqual({ line: 1, offset: 2 }) // cut in the middle of a character
  })
})
