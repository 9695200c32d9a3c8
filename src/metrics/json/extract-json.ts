import { findEmbeddedJson } from './embedded-json.js'

/** Where `extractJson` found the JSON. */
export type JsonSource = 'bare' | 'fenced' | 'embedded'

/** The JSON found in a text, or why none was found. */
export type JsonExtraction =
  | { found: true; value: unknown; source: JsonSource; text: string }
  | { found: false; reason: string }

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/**
 * The fenced blocks of a text: "```" and an info string up to the end of its line, then everything up
 * to the next "```". Found with `indexOf` (a regular expression backtracks quadratically on a long line
 * of backticks); the language is the first word of the info string.
 */
function* fencedBlocks(text: string): Generator<{ language: string; body: string }> {
  let from = 0
  for (;;) {
    const open = text.indexOf('```', from)
    const newline = open === -1 ? -1 : text.indexOf('\n', open + 3)
    const close = newline === -1 ? -1 : text.indexOf('```', newline + 1)
    if (close === -1) return
    const language = /^[ \t]*([\w-]*)/.exec(text.slice(open + 3, newline))?.[1] ?? ''
    yield { language, body: text.slice(newline + 1, close) }
    from = close + 3
  }
}

/**
 * Finds the JSON in a model's output: the whole text when it parses, else the first ```json (or
 * unlabelled) fenced block that parses, else the first balanced `{...}` / `[...]` in the prose that parses.
 *
 * @example
 * extractJson('Here you go: {"ok": true}. Anything else?') // { found: true, value: { ok: true }, source: 'embedded', ... }
 */
export function extractJson(output: string): JsonExtraction {
  const trimmed = output.trim()
  const bare = tryParse(trimmed)
  if (bare.ok && trimmed !== '') return { found: true, value: bare.value, source: 'bare', text: trimmed }

  for (const { language, body } of fencedBlocks(output)) {
    if (language !== '' && !/^json[c5]?$/i.test(language)) continue
    const fenced = tryParse(body.trim())
    if (fenced.ok) return { found: true, value: fenced.value, source: 'fenced', text: body.trim() }
  }

  const span = findEmbeddedJson(output)
  if (span !== undefined) {
    const text = output.slice(span.start, span.end)
    return { found: true, value: JSON.parse(text), source: 'embedded', text }
  }
  return { found: false, reason: trimmed === '' ? 'the output is empty' : 'no parsable JSON object or array in the output' }
}
