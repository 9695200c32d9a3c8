// The bytes a body sidecar (`<hash>.json`, `<hash>.txt`, `<hash>.bin`) is stored with: scrubbed, and still what the
// app can read. Pure.
import { scrubDeep, scrubString, type RedactRule } from './redact.js'

/**
 * The stored bytes of a body too large or binary to inline: a binary one (`bin`) as received (it is only checked for
 * live keys); a text one scrubbed of `rules` as text. A JSON body (or JSON lines) the text scrub would leave
 * unparseable (a rule such as `/(?<=account=)[^"\s]+/` takes the `\` of an escaped `\"`) is scrubbed in its parsed
 * values instead and written again as compact JSON, so its replay parses as the live answer did.
 *
 * @example
 * scrubbedSidecarBytes({ bytes, extension: 'json' }, [{ source: '(?<=account=)[^"\\s]+', flags: '' }])
 */
export function scrubbedSidecarBytes(sidecar: { bytes: Uint8Array; extension: string }, rules: readonly RedactRule[]): Uint8Array {
  if (sidecar.extension === 'bin') return sidecar.bytes
  const text = new TextDecoder().decode(sidecar.bytes)
  const scrubbed = scrubString(text, rules)
  if (scrubbed === text) return sidecar.bytes
  return new TextEncoder().encode(keptJson(text, scrubbed, rules) ?? scrubbed)
}

/**
 * `text` (JSON, or JSON lines) scrubbed in its values, when its text scrub `scrubbed` no longer parses where `text`
 * did; `undefined` when the text scrub is fine (or `text` is no JSON: then it is plain text, scrubbed as text).
 */
function keptJson(text: string, scrubbed: string, rules: readonly RedactRule[]): string | undefined {
  const whole = parsed(text)
  if (whole.ok) return parsed(scrubbed).ok ? undefined : JSON.stringify(scrubDeep(whole.value, rules))
  const lines = text.split('\n')
  const values = lines.map((line) => (line.trim() === '' ? { ok: true as const, value: undefined } : parsed(line)))
  if (!values.every((value) => value.ok) || scrubbed.split('\n').every((line) => line.trim() === '' || parsed(line).ok)) return undefined
  // Line by line: a blank line stays blank, a JSON line is scrubbed in its values.
  return lines.map((line, index) => (line.trim() === '' ? line : JSON.stringify(scrubDeep((values[index] as { value: unknown }).value, rules)))).join('\n')
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}
