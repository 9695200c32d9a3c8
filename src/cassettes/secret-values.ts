// The values a secret scan found, as the strings to redact: apart from found-secrets.ts (which reads
// recordings, so loads the cassette file code) for the reporter, which redacts a run's files in the main process.
import type { RedactRule } from './redact.js'
import type { SecretFinding } from './secret-scan.js'

/**
 * The strings to redact for `found`, longest first: each value as found and, when it was found inside JSON text
 * (a private key's `\n`), the string it decodes to, as the parsed JSON holds it. A value that runs past the end of
 * the JSON string it starts in (a connection string ending a string: the rule's match takes the closing quote and
 * what follows) is redacted up to that end too, as the parsed string holds it.
 */
export function secretValues(found: readonly SecretFinding[]): string[] {
  const values = new Set<string>()
  for (const { value } of found) {
    for (const text of [value, inJsonString(value)]) {
      if (!text) continue
      values.add(text)
      const decoded = decodeJsonString(text)
      if (decoded) values.add(decoded)
    }
  }
  return [...values].sort((a, b) => b.length - a.length)
}

/** `text` up to its first unescaped `"` (where a JSON string it starts in ends), or undefined when it has none. */
function inJsonString(text: string): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '\\') index++
    else if (char === '"') return index > 0 ? text.slice(0, index) : undefined
  }
  return undefined
}

function decodeJsonString(text: string): string | undefined {
  if (!text.includes('\\')) return undefined
  for (const candidate of [text, text.replace(/\\$/, '')]) {
    try {
      return JSON.parse(`"${candidate}"`) as string
    } catch {
      // Not a whole JSON string body (a value cut inside an escape): try without its last backslash.
    }
  }
  return undefined
}

/**
 * The redaction rule (see `scrubDeep`) that replaces every value of `found`: one alternation of the literal values,
 * longest first, so a run with many findings still compiles one expression per scrubbed string.
 */
export function secretRules(found: readonly SecretFinding[]): RedactRule[] {
  const values = secretValues(found)
  return values.length ? [{ source: values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), flags: 'g' }] : []
}
