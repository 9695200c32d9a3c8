// Tells a model API call from other traffic, for requests to hosts cassettes do not cover: such a call goes
// live and unrecorded, which a user who set a base URL in code (not through OPENAI_BASE_URL) must be told.
// Pure: no I/O, no Vitest. Checked only for uncovered requests, never on the replay path.

/** What is read of a request to tell whether it is a model API call. */
export interface RequestSigns {
  method: string
  /** The URL's path, without its query. */
  path: string
  /** Header values by lowercase name (only `user-agent`, `x-stainless-*`, `anthropic-version`, `x-goog-api-client` are read). */
  header(name: string): string | null | undefined
  /** The body when it is text at hand (a JSON string); `undefined` when it is not (a stream, not read). */
  body?: string | undefined
}

// User agents that only model SDKs send: OpenAI, Anthropic, Google Gen AI, the Vercel AI SDK.
const MODEL_SDK_AGENT = /^(?:OpenAI|Anthropic|AzureOpenAI)\/|google-genai-sdk\/|ai-sdk-provider-utils\/|\bai-sdk\//i

// The endpoints model SDKs call (OpenAI and compatible APIs, Anthropic, Gemini, Bedrock runtime). Generic
// words (`/messages`, `/responses`) count only under a version segment, or with a model SDK's headers.
const MODEL_PATH = new RegExp(
  [
    String.raw`/chat/completions$`,
    String.raw`/v\d[\w.-]*/(?:messages|messages/count_tokens|responses|completions|embeddings|moderations|images/generations|audio/(?:speech|transcriptions|translations))$`,
    String.raw`/models/[^/]+:(?:generateContent|streamGenerateContent|embedContent|batchEmbedContents|countTokens|predict)$`,
    String.raw`/model/[^/]+/(?:invoke|invoke-with-response-stream|converse|converse-stream)$`,
  ].join('|'),
)

/** Longest body read for its fields: a larger one is judged by its path and headers. */
const MAX_BODY_CHARS = 2_000_000

/** True when a model SDK's own headers are on the request (its user agent, or Anthropic's version header). */
function sentByModelSdk(request: RequestSigns): boolean {
  const agent = request.header('user-agent') ?? ''
  if (MODEL_SDK_AGENT.test(agent)) return true
  if (request.header('anthropic-version')) return true
  return /genai/i.test(request.header('x-goog-api-client') ?? '')
}

/** True when the body is a JSON object that names a model or holds a conversation (`model`, `messages`, `contents`). */
function bodyNamesModel(body: string | undefined): boolean {
  if (body === undefined || body.length > MAX_BODY_CHARS || !body.trimStart().startsWith('{')) return false
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>
    return typeof parsed.model === 'string' || Array.isArray(parsed.messages) || Array.isArray(parsed.contents) || typeof parsed.anthropic_version === 'string'
  } catch {
    return false
  }
}

/**
 * True when a request looks like a call to a model API: a POST sent by a model SDK (its user agent or
 * headers say so: OpenAI, Anthropic, Google Gen AI, the AI SDK), or a POST to a model endpoint's path
 * (`…/chat/completions`, `/v1/messages`, `/v1/responses`, `/v1/embeddings`, Gemini's `:generateContent`,
 * Bedrock's `/model/…/converse`) sent by a Stainless-built SDK or with a body that names a model.
 *
 * @example
 * looksLikeModelCall({ method: 'POST', path: '/v1/chat/completions', header: () => undefined, body: '{"model":"gpt-4o-mini","messages":[]}' }) // true
 */
export function looksLikeModelCall(request: RequestSigns): boolean {
  if (request.method.toUpperCase() !== 'POST') return false
  if (sentByModelSdk(request)) return true
  if (!MODEL_PATH.test(request.path)) return false
  return Boolean(request.header('x-stainless-lang')) || bodyNamesModel(request.body)
}
