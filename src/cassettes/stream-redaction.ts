import { REDACTED } from './redact.js'

/** A string of an event's JSON, where it sits in its field's joined text (see `streamTexts`), and where to write it back. */
interface Piece {
  holder: Record<string, unknown> | unknown[]
  key: string | number
  text: string
  start: number
  event: number
}

interface StreamEvent {
  line: number
  prefix: string
  payload: object
  suffix: string
  changed: boolean
}

/**
 * `chunks` of a streamed response with every occurrence of `values` in the texts its events spell (the texts
 * `streamTexts` joins) replaced by `[REDACTED]`: a value split across events, as a model's tokens split it, has
 * its first part replaced by the marker and its other parts removed. The chunks come back as they were when
 * nothing changed, else as one chunk per event (SDKs read events, not network chunks).
 *
 * @example
 * redactStreamChunks(['data: {"t":"key ghp_ab"}\n\n', 'data: {"t":"cd end"}\n\n'], ['ghp_abcd']) // ['data: {"t":"key [REDACTED]"}\n\n', 'data: {"t":" end"}\n\n']
 */
export function redactStreamChunks(chunks: readonly string[], values: readonly string[]): string[] {
  const joined = chunks.join('')
  // A stream that cannot spell a value (most: no match anywhere) is not parsed event by event.
  if (!values.some((value) => maySpell(joined, value))) return [...chunks]
  const lines = joined.split(/(?<=\n)/)
  const events: StreamEvent[] = []
  const fields = new Map<string, Piece[]>()
  lines.forEach((line, index) => {
    const [, prefix = '', data = '', suffix = ''] = /^(\s*(?:data:)?\s*)(.*?)(\s*)$/s.exec(line) ?? []
    // Only an object or array payload holds texts; a blank line or `[DONE]` is skipped without a throwing parse (slow).
    if (data[0] !== '{' && data[0] !== '[') return
    let payload: unknown
    try {
      payload = JSON.parse(data)
    } catch {
      return
    }
    if (payload === null || typeof payload !== 'object') return
    const event = events.push({ line: index, prefix, payload, suffix, changed: false }) - 1
    collectPieces(payload, '', event, fields)
  })
  for (const pieces of fields.values()) {
    for (const [start, end] of occurrences(pieces.map((piece) => piece.text).join(''), values)) cut(pieces, start, end, events)
  }
  const changed = events.filter((event) => event.changed)
  if (changed.length === 0) return [...chunks]
  for (const event of changed) lines[event.line] = event.prefix + JSON.stringify(event.payload) + event.suffix
  return lines.join('').split(/(?<=\r?\n\r?\n)/).filter((chunk) => chunk !== '')
}

/**
 * Whether the texts `raw` (a stream's bytes) spells may hold `value`: false only when they surely do not. Its strings'
 * characters are in `raw` as they are unless escaped; with no `\u` escape in `raw` and no character of `value` JSON
 * escapes, `value` is spelled whole (`raw` holds it) or split, starting at the end of a string that is no key (`raw`
 * holds a proper prefix of it followed by a `"` that no `:` follows).
 */
function maySpell(raw: string, value: string): boolean {
  if (value === '') return false
  if (raw.includes('\\u') || /["\\/\u0000-\u001f\u2028\u2029]/.test(value) || raw.includes(value)) return true
  for (let length = 1; length < value.length; length++) {
    if (endsAString(raw, value.slice(0, length))) return true
  }
  return false
}

/** Whether `raw` holds `prefix` at the end of a string that is no key (its `"` not followed by a `:`). */
function endsAString(raw: string, prefix: string): boolean {
  const needle = `${prefix}"`
  for (let at = raw.indexOf(needle); at !== -1; at = raw.indexOf(needle, at + 1)) {
    let after = at + needle.length
    while (after < raw.length && ' \t\r\n'.includes(raw[after]!)) after++
    if (raw[after] !== ':') return true
  }
  return false
}

function collectPieces(value: object, path: string, event: number, into: Map<string, Piece[]>): void {
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value)
  for (const [key, inner] of entries) {
    // Array positions are not part of the field, as in `streamTexts`.
    const field = Array.isArray(value) ? path : `${path}.${key}`
    if (typeof inner === 'string') {
      const pieces = into.get(field) ?? []
      const last = pieces.at(-1)
      pieces.push({ holder: value as Record<string, unknown>, key, text: inner, start: last ? last.start + last.text.length : 0, event })
      into.set(field, pieces)
    } else if (inner !== null && typeof inner === 'object') collectPieces(inner, field, event, into)
  }
}

/** Where `values` occur in `text`, longest first, as non-overlapping ranges (last first). Linear in the matches. */
function occurrences(text: string, values: readonly string[]): [number, number][] {
  // Sorted by start and not overlapping: a value's match is checked against the one range that could overlap it.
  let ranges: [number, number][] = []
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value === '') continue
    const found: [number, number][] = []
    let next = 0
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      const end = at + value.length
      while (next < ranges.length && ranges[next]![1] <= at) next++
      if (next < ranges.length && ranges[next]![0] < end) continue
      found.push([at, end])
    }
    if (found.length > 0) ranges = [...ranges, ...found].sort((a, b) => a[0] - b[0])
  }
  return ranges.reverse()
}

/** Cuts `[start, end)` of a field's joined text out of its pieces: the first piece gets the marker. Ranges are cut last first. */
function cut(pieces: Piece[], start: number, end: number, events: StreamEvent[]): void {
  // Pieces are in joined-text order: the first that ends after `start` is found by halving, not by a walk from 0.
  let low = 0
  let high = pieces.length
  while (low < high) {
    const middle = (low + high) >> 1
    const piece = pieces[middle]!
    if (piece.start + piece.text.length <= start) low = middle + 1
    else high = middle
  }
  for (let index = low; index < pieces.length && pieces[index]!.start < end; index++) {
    const piece = pieces[index]!
    const from = Math.max(start, piece.start) - piece.start
    const to = Math.min(end, piece.start + piece.text.length) - piece.start
    if (from >= to) continue
    const current = String((piece.holder as Record<string | number, unknown>)[piece.key])
    const marker = piece.start + from === start ? REDACTED : ''
    ;(piece.holder as Record<string | number, unknown>)[piece.key] = current.slice(0, from) + marker + current.slice(to)
    const event = events[piece.event]
    if (event) event.changed = true
  }
}
