// The error path of utf8Text on a large file must cost about one native pass over it, not one isUtf8 call per
// character (a 52 MB cassette took ~18 s to report its bad line). Counted in isUtf8 calls and bytes, not in time.
import { beforeEach, describe, expect, test, vi } from 'vitest'

const calls = vi.hoisted(() => ({ count: 0, bytes: 0 }))
vi.mock('node:buffer', async (original) => {
  const actual = await original<typeof import('node:buffer')>()
  return {
    ...actual,
    isUtf8: (input: Buffer) => {
      calls.count++
      calls.bytes += input.byteLength
      return actual.isUtf8(input)
    },
  }
})
const { utf8Text } = await import('../../src/utf8-text.js')

const where = (bytes: Buffer) => {
  try {
    utf8Text(bytes, (found) => Object.assign(new Error('invalid'), { found }))
    return 'valid'
  } catch (error) {
    return (error as Error & { found: unknown }).found
  }
}

describe('utf8Text on a large file', () => {
  beforeEach(() => {
    calls.count = 0
    calls.bytes = 0
  })

  test('finds a Latin-1 byte near the end of 8 MB of JSON lines in a few native passes', () => {
    const line = Buffer.from(`${JSON.stringify({ role: 'assistant', content: `caf\u00e9 🙂 ${'x'.repeat(200)}` })}\n`)
    const count = Math.ceil((8 * 1024 * 1024) / line.length)
    const bytes = Buffer.concat([...Array(count).fill(line), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])])
    expect(where(bytes)).toEqual({ line: count + 1, offset: bytes.length - 2 })
    expect(calls.bytes).toBeLessThan(bytes.length * 2 + 70_000)
    expect(calls.count).toBeLessThan(bytes.length / 1024)
  })

  test('finds it on one long line of multi-byte characters too (no newline to split on)', () => {
    const bytes = Buffer.concat([Buffer.from('é'.repeat(3 * 1024 * 1024)), Buffer.from([0xe9]), Buffer.from('é\n')])
    expect(where(bytes)).toEqual({ line: 1, offset: 6 * 1024 * 1024 })
    expect(calls.bytes).toBeLessThan(bytes.length * 2 + 70_000)
    expect(calls.count).toBeLessThan(bytes.length / 1024)
  })

  test('a character cut by a chunk boundary is not reported', () => {
    // 65535 ASCII bytes, then a 4-byte emoji across the 64 KB boundary, then a bad byte.
    const bytes = Buffer.concat([Buffer.from('a'.repeat(65_535)), Buffer.from('🙂\n'), Buffer.from([0xff])])
    expect(where(bytes)).toEqual({ line: 2, offset: 65_540 })
  })
})
