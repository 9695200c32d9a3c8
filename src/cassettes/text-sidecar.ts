// The bytes a body sidecar (`<hash>.json`, `<hash>.txt`, `<hash>.bin`) is stored with: scrubbed, and still what the
// app can read. Pure.
import { scrubString, type RedactRule } from './redact.js'

/**
 * The stored bytes of a body too large or binary to inline: a binary one (`bin`) as received (it is only checked for
 * live keys); a text one scrubbed of `rules`. A JSON body (or JSON lines) is scrubbed inside its string tokens, each
 * as text and as the value it spells (a literal with a `"` is `\"` in the text), and its other bytes (numbers, spacing)
 * are kept as received; a scrub that leaves a token no JSON string (a rule such as `/(?<=account=)[^"\s]+/` takes the
 * `\` of an escaped `\"`) scrubs its value instead. A rule that matches across JSON syntax (`/"session":\s*"[^"]*"/`)
 * scrubs the whole body as text, even if that leaves it unparseable: what a rule removes is never written.
 *
 * @example
 * scrubbedSidecarBytes({ bytes, extension: 'json' }, [{ source: '(?<=account=)[^"\\s]+', flags: '' }])
 */
export function scrubbedSidecarBytes(sidecar: { bytes: Uint8Array; extension: string }, rules: readonly RedactRule[]): Uint8Array {
  if (sidecar.extension === 'bin') return sidecar.bytes
  const text = new TextDecoder().decode(sidecar.bytes)
  const asText = scrubString(text, rules)
  // Without a `\` in it, each string token of JSON text is the value it spells: nothing else to scrub.
  if (asText === text && !text.includes('\\')) return sidecar.bytes
  const scrubbed = isJsonText(text) && !matchesAcrossSyntax(text, rules) ? scrubStringTokens(text, rules) : asText
  return scrubbed === text ? sidecar.bytes : new TextEncoder().encode(scrubbed)
}

/** A JSON string token of JSON text (outside strings, JSON text has no `"`). */
const STRING_TOKEN = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"/g

/** `text` is one JSON value, or JSON lines (blank lines allowed). */
function isJsonText(text: string): boolean {
  if (parses(text)) return true
  return text.includes('\n') && text.split('\n').every((line) => line.trim() === '' || parses(line))
}

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Whether a match of a rule in JSON `text` is not inside one string token (it takes a `"`, a `:`, a number). */
function matchesAcrossSyntax(text: string, rules: readonly RedactRule[]): boolean {
  if (rules.length === 0) return false
  const starts: number[] = []
  const ends: number[] = []
  for (const token of text.matchAll(STRING_TOKEN)) {
    starts.push(token.index + 1)
    ends.push(token.index + token[0].length - 1)
  }
  const inside = (from: number, to: number): boolean => {
    let low = 0
    let high = starts.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (starts[middle]! <= from) low = middle + 1
      else high = middle - 1
    }
    return high >= 0 && to <= ends[high]!
  }
  for (const rule of rules) {
    if ('literal' in rule) {
      if (rule.literal === '') continue
      for (let at = text.indexOf(rule.literal); at !== -1; at = text.indexOf(rule.literal, at + 1)) {
        if (!inside(at, at + rule.literal.length)) return true
      }
      continue
    }
    const regexp = new RegExp(rule.source, rule.flags.includes('g') ? rule.flags : `${rule.flags}g`)
    for (const match of text.matchAll(regexp)) {
      if (match[0].length > 0 && !inside(match.index, match.index + match[0].length)) return true
    }
  }
  return false
}

/** JSON `text` with each string token scrubbed as text and as the value it spells; every other byte as it was. */
function scrubStringTokens(text: string, rules: readonly RedactRule[]): string {
  return text.replace(STRING_TOKEN, (token) => {
    const raw = token.slice(1, -1)
    const asText = `"${scrubString(raw, rules)}"`
    const value = stringValue(asText) ?? scrubString(JSON.parse(token) as string, rules)
    const scrubbed = scrubString(value, rules)
    if (scrubbed !== value) return JSON.stringify(scrubbed)
    return stringValue(asText) === undefined ? JSON.stringify(value) : asText
  })
}

function stringValue(token: string): string | undefined {
  try {
    const value = JSON.parse(token) as unknown
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}
