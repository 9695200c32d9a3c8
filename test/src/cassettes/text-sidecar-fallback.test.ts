// Regression (review repro rside, text-sidecar-fallback): scrubbedSidecarBytes' parsed-values fallback (text-sidecar.ts keptJson).
import { expect, test } from 'vitest'
import { scrubbedSidecarBytes } from '../../../src/cassettes/text-sidecar.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const text = (out: Uint8Array) => new TextDecoder().decode(out)

test('a rule the text scrub applies across JSON syntax still removes the value (it is never written)', () => {
  // As text, the rule removes the session value (main wrote `{[REDACTED],"n":1}`); the text no longer parses, so the
  // branch scrubs the parsed values instead, where no string matches the rule: the value is written as received.
  const out = text(scrubbedSidecarBytes({ bytes: bytes('{"session":"s3cr3t-session-value","n":1}'), extension: 'json' }, [{ source: '"session":\\s*"[^"]*"', flags: '' }]))
  expect(out).not.toContain('s3cr3t-session-value')
})

test('the fallback keeps what the app received beyond the scrub (numbers are not re-serialised)', () => {
  const body = '{"seed": 12345678901234567890, "score": 1.0, "text": "account=a1\\"b"}'
  const out = text(scrubbedSidecarBytes({ bytes: bytes(body), extension: 'json' }, [{ source: '(?<=account=)[^"\\s]+', flags: '' }]))
  expect(out).toContain('12345678901234567890')
})

test('a literal with a `"` (JSON-escaped in the body text) is scrubbed from a .json sidecar, as inline bodies scrub parsed values', () => {
  const out = text(scrubbedSidecarBytes({ bytes: bytes(JSON.stringify({ content: 'code pw"4471zz ok' })), extension: 'json' }, [{ literal: 'pw"4471zz' }]))
  expect(out).not.toContain('4471zz')
})
