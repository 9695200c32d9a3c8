// A streamed answer scrubbed as a whole: the network cuts its bytes anywhere (inside a `redact` literal too), and
// a model's tokens cut a value across events, so a stream is never scrubbed only chunk by chunk. Pure.
import { jsonArrayElements, redactJsonArrayChunks } from './json-array-stream.js'
import { scrubDeep, scrubString, type RedactRule } from './redact.js'
import type { SecretFinding } from './secret-scan.js'
import { secretRules, secretValues } from './secret-values.js'
import { redactStreamChunks } from './stream-redaction.js'

/**
 * `chunks` of a streamed response with the known key patterns, the user's `rules` and the secrets `found` replaced by
 * `[REDACTED]`, seen across the chunks' borders: when a match spans two network chunks the stream is cut at its
 * events first ({@link streamEventChunks}), and a literal rule's value or a found secret split across events (as a
 * model's tokens split it) is cut out of the texts the events spell. Chunks no rule touches come back as received.
 *
 * @example
 * scrubStreamChunks(['data: {"t":"acme-44', '71"}\n\n'], [{ literal: 'acme-4471' }], []) // ['data: {"t":"[REDACTED]"}\n\n']
 */
export function scrubStreamChunks(chunks: readonly string[], rules: readonly RedactRule[], found: readonly SecretFinding[]): string[] {
  const redact = [...secretRules(found), ...rules]
  const byChunk = scrubDeep([...chunks], redact)
  // A match across a border is whole in the joined text only: then the stream is scrubbed event by event.
  const crossesBorder = scrubString(chunks.join(''), redact) !== byChunk.join('')
  const scrubbed = crossesBorder ? scrubDeep(streamEventChunks(chunks), redact) : byChunk
  const values = [...new Set([...secretValues(found), ...literalValues(rules)])].sort((a, b) => b.length - a.length)
  if (values.length === 0) return scrubbed
  return redactJsonArrayChunks(scrubbed, values) ?? redactStreamChunks(scrubbed, values)
}

/** The values of the literal rules: what `redactStreamChunks` cuts out of the texts a stream's events spell. */
export function literalValues(rules: readonly RedactRule[]): string[] {
  return rules.flatMap((rule) => ('literal' in rule && rule.literal !== '' ? [rule.literal] : []))
}

/**
 * The chunks of a stream cut where its events end, whatever the network did: an SSE stream at its blank lines, a
 * streamed JSON array before each `,` between its elements and before its closing `]`. The bytes are the same, so
 * the same answer recorded again is cut the same way (SDKs read events, not network chunks).
 *
 * @example
 * streamEventChunks(['data: {"a":1}\n\nda', 'ta: {"a":2}\n\n']) // ['data: {"a":1}\n\n', 'data: {"a":2}\n\n']
 * streamEventChunks(['[{"a":1}\r\n,\r\n{"a', '":2}]']) // ['[{"a":1}\r\n', ',\r\n{"a":2}', ']']
 */
export function streamEventChunks(chunks: readonly string[]): string[] {
  const text = chunks.join('')
  if (jsonArrayElements(chunks)) return jsonArrayPieces(text)
  return text.split(/(?<=\r?\n\r?\n)/).filter((chunk) => chunk !== '')
}

/** A whole JSON array's text (it parses) cut before each top-level `,` and before its closing `]`. */
function jsonArrayPieces(text: string): string[] {
  const cuts: number[] = []
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (inString) {
      if (char === '\\') index++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '[' || char === '{') depth++
    else if (char === ']' || char === '}') {
      depth--
      if (depth === 0) cuts.push(index)
    } else if (char === ',' && depth === 1) cuts.push(index)
  }
  const pieces: string[] = []
  let from = 0
  for (const cut of cuts) {
    if (cut > from) pieces.push(text.slice(from, cut))
    from = cut
  }
  pieces.push(text.slice(from))
  return pieces.filter((piece) => piece !== '')
}
