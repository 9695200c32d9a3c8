import { jsonArrayElements } from './json-array-stream.js'

/**
 * The texts a streamed response spells once its events are put together: for each field of the events'
 * JSON (array positions ignored, so `choices.0.delta.content` and `choices.1.delta.content` are one field),
 * its string values joined in order. A model's answer streamed token by token is one of them, so a secret
 * split across tokens is whole here. Lines that are not JSON events are joined as they are.
 *
 * @example
 * streamTexts(['data: {"delta":{"text":"sk-ab"}}\n\n', 'data: {"delta":{"text":"cd"}}\n\n']) // includes 'sk-abcd'
 */
export function streamTexts(chunks: readonly string[]): string[] {
  const fields = new Map<string, string>()
  const raw: string[] = []
  // A streamed JSON array (Gemini without `alt=sse`): each element is one event.
  const elements = jsonArrayElements(chunks)
  for (const line of elements ? elements.map((element) => JSON.stringify(element)) : chunks.join('').split('\n')) {
    const data = line.startsWith('data:') ? line.slice(5).trim() : line.trim()
    if (data === '') continue
    let event: unknown
    try {
      event = JSON.parse(data)
    } catch {
      raw.push(data)
      continue
    }
    collectStrings(event, '', fields)
  }
  return [...fields.values(), raw.join('')]
}

function collectStrings(value: unknown, path: string, into: Map<string, string>): void {
  if (typeof value === 'string') into.set(path, (into.get(path) ?? '') + value)
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, path, into)
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) collectStrings(inner, `${path}.${key}`, into)
  }
}
