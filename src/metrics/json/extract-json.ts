/** Where `extractJson` found the JSON. */
export type JsonSource = 'bare' | 'fenced' | 'embedded'

/** The JSON found in a text, or why none was found. */
export type JsonExtraction =
  | { found: true; value: unknown; source: JsonSource; text: string }
  | { found: false; reason: string }

const FENCE = /```[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)```/g

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/** Index just past the bracket that closes the one at `start`, skipping strings; -1 if unbalanced. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = []
  let inString = false
  for (let i = start; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{' || char === '[') stack.push(char === '{' ? '}' : ']')
    else if (char === '}' || char === ']') {
      if (stack.pop() !== char) return -1
      if (stack.length === 0) return i + 1
    }
  }
  return -1
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

  for (const [, language, body] of output.matchAll(FENCE)) {
    if (language !== '' && !/^json[c5]?$/i.test(language ?? '')) continue
    const fenced = tryParse((body ?? '').trim())
    if (fenced.ok) return { found: true, value: fenced.value, source: 'fenced', text: (body ?? '').trim() }
  }

  for (let start = 0; start < output.length; start++) {
    const char = output[start]
    if (char !== '{' && char !== '[') continue
    const end = balancedEnd(output, start)
    if (end === -1) continue
    const text = output.slice(start, end)
    const embedded = tryParse(text)
    if (embedded.ok) return { found: true, value: embedded.value, source: 'embedded', text }
  }
  return { found: false, reason: trimmed === '' ? 'the output is empty' : 'no parsable JSON object or array in the output' }
}
