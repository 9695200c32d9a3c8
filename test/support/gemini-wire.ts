// Gemini's wire format (`generativelanguage.googleapis.com` and Vertex AI's `…/publishers/google/models/…`):
// `:generateContent`, `:streamGenerateContent` (SSE with `alt=sse`, else one JSON array written over time)
// and `:countTokens`, as the real `@google/genai` and `@ai-sdk/google` clients read them.
import type { ReceivedRequest, Reply, ReplyContext, ScriptedReply } from './replies.js'
import { countTokens, sampleFromSchema, splitIntoDeltas, type ScriptedToolCall } from './reply-content.js'

type Json = Record<string, unknown>

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

const GEMINI_PATH = /\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/

/** Whether a request is a Gemini / Vertex AI model call (`…/models/<model>:<method>`). */
export function isGeminiRequest(received: ReceivedRequest): boolean {
  return GEMINI_PATH.test(received.path)
}

/** A key in `x-goog-api-key`, in the `?key=` query, or a Bearer token (Vertex AI with credentials); only presence is checked. */
export function hasGeminiKey(received: ReceivedRequest): boolean {
  const query = new URLSearchParams(received.url.split('?')[1] ?? '')
  return (received.headers['x-goog-api-key'] ?? '') !== '' || (query.get('key') ?? '') !== '' || /^Bearer \S+/i.test(received.headers['authorization'] ?? '')
}

const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' }

/** A Google API error body: `{ error: { code, message, status } }`. */
export function geminiErrorReply(status: number, message = `Scripted error ${status}.`): Reply {
  const body = { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }
  return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) }
}

/** The reply to an authenticated Gemini request: raw scripted bodies as-is, else the method's reply in Gemini's shape. */
export function geminiReplyTo(received: ReceivedRequest, script: ScriptedReply | undefined, context: ReplyContext): Reply {
  const status = script?.status ?? 200
  const headers = { ...(script?.retryAfter === undefined ? {} : { 'retry-after': String(script.retryAfter) }), ...script?.headers }
  const raw = rawReply(script, status)
  if (raw !== undefined) return { ...raw, headers: { ...raw.headers, ...headers } }
  const [, model = 'unknown-model', method] = GEMINI_PATH.exec(received.path) ?? []
  if (received.method !== 'POST') return geminiErrorReply(404, `Method ${received.method} not allowed on ${received.path}`)
  const body = received.body
  if (!isRecord(body) || !Array.isArray(body['contents'])) return geminiErrorReply(400, '* GenerateContentRequest.contents: contents is not specified')
  const promptTokens = Math.max(1, countTokens(promptText(body)))
  if (method === 'countTokens') return json(200, { totalTokens: promptTokens })
  const content = geminiContent(body, context.counter, script ?? {})
  const usage = { promptTokenCount: promptTokens, candidatesTokenCount: content.outputTokens, totalTokenCount: promptTokens + content.outputTokens }
  const meta = { modelVersion: decodeURIComponent(model), responseId: `gemini-${String(context.counter).padStart(6, '0')}` }
  if (method === 'generateContent') return { ...json(status, { candidates: [candidate(content.parts, 'STOP')], usageMetadata: usage, ...meta }), headers: { 'content-type': 'application/json; charset=UTF-8', ...headers } }
  const events = streamEvents(content.parts).map((event, index, all) => ({
    candidates: [candidate(event, index === all.length - 1 ? 'STOP' : undefined)],
    usageMetadata: index === all.length - 1 ? usage : { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
    ...meta,
  }))
  const sse = new URLSearchParams(received.url.split('?')[1] ?? '').get('alt') === 'sse'
  return sse
    ? { status, headers, sse: events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`) }
    : { status, headers: { 'content-type': 'application/json; charset=UTF-8', ...headers }, sse: jsonArrayChunks(events) }
}

/**
 * A streamed JSON array as the REST API writes it without `alt=sse`: pretty-printed elements, one write each,
 * `[` before the first, `,` between them and `]` at the end.
 */
export function jsonArrayChunks(events: readonly unknown[]): string[] {
  return [...events.map((event, index) => `${index === 0 ? '[' : '\r\n,\r\n'}${JSON.stringify(event, null, 2)}`), '\r\n]']
}

function rawReply(script: ScriptedReply | undefined, status: number): Reply | undefined {
  if (script === undefined) return undefined
  if (script.sse !== undefined) return { status, headers: {}, sse: script.sse }
  if (script.json !== undefined) return json(status, script.json)
  if (script.text !== undefined) return { status, headers: { 'content-type': 'application/json' }, body: script.text }
  if (status >= 400) return geminiErrorReply(status, script.error?.message)
  return undefined
}

const json = (status: number, body: unknown): Reply => ({ status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) })

type Part = { text: string } | { functionCall: { name: string; args: unknown; id?: string } }

const candidate = (parts: Part[], finishReason: string | undefined): Json => ({
  content: { parts, role: 'model' },
  ...(finishReason === undefined ? {} : { finishReason }),
  index: 0,
})

/** Text deltas first, word by word, then each function call in an event of its own. */
function streamEvents(parts: Part[]): Part[][] {
  const events = parts.flatMap((part): Part[][] => ('text' in part ? splitIntoDeltas(part.text).map((text) => [{ text }]) : [[part]]))
  return events.length > 0 ? events : [[{ text: '' }]]
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function textsOf(value: unknown, into: string[] = []): string[] {
  if (isRecord(value)) {
    if (typeof value['text'] === 'string') into.push(value['text'])
    for (const inner of Object.values(value)) if (typeof inner === 'object') textsOf(inner, into)
  } else if (Array.isArray(value)) for (const item of value) textsOf(item, into)
  return into
}

/** Every `text` of the contents and the system instruction: what input tokens are counted on. */
function promptText(body: Json): string {
  return textsOf([body['systemInstruction'], body['contents']]).join(' ')
}

function lastUserText(body: Json): string {
  const turns = (body['contents'] as unknown[]).filter(isRecord)
  const last = turns.findLast((turn) => turn['role'] === undefined || turn['role'] === 'user')
  return last === undefined ? '' : textsOf(last['parts']).join('\n')
}

/** JSON schema type names in lower case: `responseSchema` uses OpenAPI's `OBJECT`, `STRING`… */
function lowerTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerTypes)
  if (!isRecord(schema)) return schema
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'type' && typeof value === 'string' ? value.toLowerCase() : lowerTypes(value)]))
}

function forcedFunction(body: Json): { name: string; parameters: unknown } | undefined {
  const config = isRecord(body['toolConfig']) && isRecord(body['toolConfig']['functionCallingConfig']) ? body['toolConfig']['functionCallingConfig'] : undefined
  if (config?.['mode'] !== 'ANY') return undefined
  const declarations = (Array.isArray(body['tools']) ? body['tools'] : []).filter(isRecord).flatMap((tool) => (Array.isArray(tool['functionDeclarations']) ? tool['functionDeclarations'].filter(isRecord) : []))
  const allowed = Array.isArray(config['allowedFunctionNames']) ? (config['allowedFunctionNames'] as unknown[]) : []
  const chosen = declarations.find((declaration) => allowed.length === 0 || allowed.includes(declaration['name']))
  return chosen === undefined ? undefined : { name: String(chosen['name']), parameters: chosen['parametersJsonSchema'] ?? chosen['parameters'] }
}

/** What the model says: the script's content and function calls, else `echo #N: <last user text>` shaped to the requested schema. */
function geminiContent(body: Json, counter: number, script: { content?: ScriptedReply['content']; toolCall?: ScriptedToolCall | ScriptedToolCall[] }): { parts: Part[]; outputTokens: number } {
  const parts: Part[] = []
  const calls = script.toolCall === undefined ? [] : [script.toolCall].flat()
  if (script.content !== undefined) parts.push({ text: typeof script.content === 'string' ? script.content : JSON.stringify(script.content) })
  for (const call of calls) {
    const args = typeof call.arguments === 'string' ? parseOrKeep(call.arguments) : call.arguments
    parts.push({ functionCall: { name: call.name, args, ...(call.id === undefined ? {} : { id: call.id }) } })
  }
  if (parts.length === 0) {
    const echo = `echo #${counter}: ${lastUserText(body)}`
    const forced = forcedFunction(body)
    const config = isRecord(body['generationConfig']) ? body['generationConfig'] : {}
    const schema = config['responseJsonSchema'] ?? config['responseSchema']
    if (forced !== undefined) parts.push({ functionCall: { name: forced.name, args: sampleFromSchema(lowerTypes(forced.parameters ?? { type: 'object' }), echo) } })
    else if (schema !== undefined) parts.push({ text: JSON.stringify(sampleFromSchema(lowerTypes(schema), echo)) })
    else if (config['responseMimeType'] === 'application/json') parts.push({ text: JSON.stringify({ echo }) })
    else parts.push({ text: echo })
  }
  const output = parts.map((part) => ('text' in part ? part.text : JSON.stringify(part.functionCall.args))).join(' ')
  return { parts, outputTokens: Math.max(1, countTokens(output)) }
}
