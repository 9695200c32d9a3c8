/** A tool call the scripted model makes: rendered as `tool_calls`, a `function_call` item or a `tool_use` block. */
export interface ScriptedToolCall {
  name: string
  /** An object (serialized as JSON) or the raw argument string, which may be deliberately malformed. */
  arguments: string | Record<string, unknown>
  id?: string
}

/** What the model "says" in one reply, independent of the wire format it is rendered in. */
export interface ReplyContent {
  text: string | null
  toolCalls: { id: string; name: string; arguments: string }[]
  model: string
  /** 1-based count of requests to this path since start or `reset()`; makes ids and default text unique. */
  counter: number
  inputTokens: number
  outputTokens: number
}

type Json = Record<string, unknown>

/** Which API family a path belongs to: decides wire formats, id prefixes and error shapes. */
export type Provider = 'openai' | 'anthropic'

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Counts whitespace-separated words: a deterministic, dependency-free stand-in for a tokenizer. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}

/** Keys whose string values are structure, not prompt text. */
const STRUCTURAL_KEYS = new Set(['role', 'type', 'id', 'call_id', 'cache_control', 'media_type'])

/** Every prompt string under the given value, depth first: the text used for input token counts. */
function collectStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value)
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into)
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) if (!STRUCTURAL_KEYS.has(key)) collectStrings(item, into)
  }
  return into
}

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .filter(isRecord)
    .filter((part) => typeof part['text'] === 'string')
    .map((part) => part['text'] as string)
    .join('\n')
}

/** The text of the last user turn in a chat completions, responses or messages request body. */
export function lastUserText(body: Json): string {
  const input = body['input']
  if (typeof input === 'string') return input
  const turns = Array.isArray(input) ? input : Array.isArray(body['messages']) ? body['messages'] : []
  const lastUser = turns.filter(isRecord).findLast((turn) => turn['role'] === 'user')
  return lastUser === undefined ? '' : textOfContent(lastUser['content'])
}

/** A value that fits a JSON schema, with every string set to `text`: lets unscripted structured calls parse. */
export function sampleFromSchema(schema: unknown, text: string): unknown {
  if (!isRecord(schema)) return text
  if ('const' in schema) return schema['const']
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0]
  const alternatives = schema['anyOf'] ?? schema['oneOf'] ?? schema['allOf']
  if (Array.isArray(alternatives) && alternatives.length > 0) return sampleFromSchema(alternatives[0], text)
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type']
  switch (type) {
    case 'object': {
      const properties = isRecord(schema['properties']) ? schema['properties'] : {}
      return Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, sampleFromSchema(sub, text)]))
    }
    case 'array':
      return [sampleFromSchema(schema['items'], text)]
    case 'number':
    case 'integer':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0
    case 'boolean':
      return true
    case 'null':
      return null
    default:
      return text
  }
}

interface ToolDefinition {
  name: string
  schema: unknown
}

/** Tools offered by the request, in any of the three providers' shapes. */
function offeredTools(body: Json): ToolDefinition[] {
  const tools = Array.isArray(body['tools']) ? body['tools'].filter(isRecord) : []
  return tools.flatMap((tool) => {
    const fn = isRecord(tool['function']) ? tool['function'] : tool
    const name = fn['name']
    return typeof name === 'string' ? [{ name, schema: fn['parameters'] ?? fn['input_schema'] }] : []
  })
}

/** The tool the request forces the model to call (`required`/`any` means the first one), if any. */
export function forcedTool(body: Json): ToolDefinition | undefined {
  const choice = body['tool_choice']
  const tools = offeredTools(body)
  if (choice === 'required' || (isRecord(choice) && choice['type'] === 'any')) return tools[0]
  if (!isRecord(choice)) return undefined
  const named = isRecord(choice['function']) ? choice['function']['name'] : choice['name']
  return typeof named === 'string' ? tools.find((tool) => tool.name === named) : undefined
}

/** The JSON schema a structured-output request asks for (`true` for schemaless JSON mode), if any. */
function requestedOutputSchema(body: Json): unknown {
  const responseFormat = body['response_format']
  const textFormat = isRecord(body['text']) ? body['text']['format'] : undefined
  const outputConfig = isRecord(body['output_config']) ? body['output_config']['format'] : undefined
  for (const format of [responseFormat, textFormat, outputConfig, body['output_format']]) {
    if (!isRecord(format)) continue
    if (format['type'] === 'json_object') return true
    if (format['type'] !== 'json_schema') continue
    const nested = isRecord(format['json_schema']) ? format['json_schema']['schema'] : undefined
    return nested ?? format['schema'] ?? true
  }
  return undefined
}

/** What an unscripted model answers: `echo #N: <last user text>`, shaped to fit forced tools and schemas. */
export function defaultContent(provider: Provider, body: Json, counter: number): Pick<ReplyContent, 'text' | 'toolCalls'> {
  const echo = `echo #${counter}: ${lastUserText(body)}`
  const tool = forcedTool(body)
  if (tool !== undefined) {
    const args = JSON.stringify(sampleFromSchema(tool.schema ?? { type: 'object' }, echo))
    return { text: null, toolCalls: [{ id: toolCallId(provider, counter, 0), name: tool.name, arguments: args }] }
  }
  const schema = requestedOutputSchema(body)
  if (schema === true) return { text: JSON.stringify({ echo }), toolCalls: [] }
  if (schema !== undefined) return { text: JSON.stringify(sampleFromSchema(schema, echo)), toolCalls: [] }
  return { text: echo, toolCalls: [] }
}

/** Ids look like each provider's (`call_…` / `toolu_…`) and depend only on the counter and position. */
export function toolCallId(provider: Provider, counter: number, index: number): string {
  return `${provider === 'anthropic' ? 'toolu_' : 'call_'}${String(counter).padStart(6, '0')}_${index}`
}

/** Puts together the content, model and usage of one reply from the request and an optional script. */
export function resolveReplyContent(
  provider: Provider,
  body: Json,
  counter: number,
  script: { content?: string | Record<string, unknown> | unknown[]; toolCall?: ScriptedToolCall | ScriptedToolCall[] },
): ReplyContent {
  const scriptedText =
    script.content === undefined ? undefined : typeof script.content === 'string' ? script.content : JSON.stringify(script.content)
  const scriptedTools = script.toolCall === undefined ? [] : [script.toolCall].flat()
  const scripted = scriptedText !== undefined || scriptedTools.length > 0
  const { text, toolCalls } = scripted
    ? {
        text: scriptedText ?? null,
        toolCalls: scriptedTools.map((call, index) => ({
          id: call.id ?? toolCallId(provider, counter, index),
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        })),
      }
    : defaultContent(provider, body, counter)
  const outputText = [text ?? '', ...toolCalls.map((call) => call.arguments)].join(' ')
  const promptText = collectStrings([body['system'], body['instructions'], body['messages'], body['input']]).join(' ')
  return {
    text,
    toolCalls,
    model: typeof body['model'] === 'string' ? body['model'] : 'unknown-model',
    counter,
    inputTokens: Math.max(1, countTokens(promptText)),
    outputTokens: Math.max(1, countTokens(outputText)),
  }
}

/** Splits text into word-sized deltas (whitespace kept), so a stream carries several content chunks. */
export function splitIntoDeltas(text: string): string[] {
  const pieces = text.match(/\s*\S+\s*/g) ?? []
  return pieces.length > 0 ? pieces : [text]
}
