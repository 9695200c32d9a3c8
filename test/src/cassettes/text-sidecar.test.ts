import { describe, expect, test } from 'vitest'
import { scrubbedSidecarBytes } from '../../../src/cassettes/text-sidecar.js'

const rule = [{ source: '(?<=account=)[^"\\s]+', flags: '' }]
const scrub = (text: string, extension: string) => new TextDecoder().decode(scrubbedSidecarBytes({ bytes: new TextEncoder().encode(text), extension }, rule))

describe('scrubbedSidecarBytes', () => {
  test('scrubs a JSON body as text when that keeps it JSON (its bytes otherwise as received)', () => {
    expect(scrub('{ "t": "account=acme-77 ok" }', 'json')).toBe('{ "t": "account=[REDACTED] ok" }')
  })

  test('scrubs a JSON body in its values when the text scrub would break it', () => {
    const text = JSON.stringify({ t: 'account=acme-77"quoted" end' })
    expect(JSON.parse(scrub(text, 'json'))).toEqual({ t: 'account=[REDACTED]"quoted" end' })
  })

  test('scrubs JSON lines line by line when the text scrub would break one', () => {
    const text = `${JSON.stringify({ t: 'account=acme-77"q"' })}\n\n${JSON.stringify({ t: 'fine' })}\n`
    expect(scrub(text, 'json').split('\n').map((line) => (line ? JSON.parse(line) : line))).toEqual([{ t: 'account=[REDACTED]"q"' }, '', { t: 'fine' }, ''])
  })

  test('scrubs plain text as text, and leaves binary bodies as received', () => {
    expect(scrub('account=acme-77"x', 'txt')).toBe('account=[REDACTED]"x')
    expect(scrub('account=acme-77"x', 'bin')).toBe('account=acme-77"x')
  })
})
