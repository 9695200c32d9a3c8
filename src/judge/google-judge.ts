import { coverBaseUrl } from '../cassettes/hosts.js'
import { resolveCassetteMode } from '../cassettes/mode.js'
import { ConfigError } from '../errors/index.js'
import { judgeSettings, type Judge, type JudgeConfig, type JudgeRequest, type JudgeResponse, type JsonSchema } from './judge.js'
import { importSdk } from './load-sdk.js'

interface GenerateContentResponseLike {
  text?: string
  candidates?: Array<{ finishReason?: string }>
  promptFeedback?: { blockReason?: string }
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number }
}

/** The part of the `@google/genai` client the judge uses. */
export interface GoogleGenAIClient {
  models: { generateContent(params: Record<string, unknown>): Promise<unknown> }
}

function checkClient(client: unknown): GoogleGenAIClient {
  if (typeof (client as GoogleGenAIClient | null)?.models?.generateContent !== 'function') {
    throw new ConfigError('`judge.client` for provider `google` must be a `GoogleGenAI` client (with `models.generateContent`).')
  }
  return client as GoogleGenAIClient
}

async function defaultClient(config: JudgeConfig): Promise<GoogleGenAIClient> {
  const { GoogleGenAI } = await importSdk('@google/genai', () => import('@google/genai'))
  // The SDK reads GOOGLE_API_KEY / GEMINI_API_KEY (and Vertex AI settings) itself; a replay needs no key.
  const hasKey = Boolean(process.env['GOOGLE_API_KEY'] || process.env['GEMINI_API_KEY'])
  const replaying = resolveCassetteMode(process.env) === 'replay'
  return new GoogleGenAI({
    ...(hasKey || !replaying ? {} : { apiKey: 'replay-without-key' }),
    httpOptions: { ...(config.baseURL === undefined ? {} : { baseUrl: config.baseURL }), retryOptions: { attempts: (config.maxRetries ?? 6) + 1 } },
  }) as unknown as GoogleGenAIClient
}

/**
 * `schema` with `propertyOrdering` on every object, in the order its properties are declared: Gemini writes the
 * keys in that order, so the reasoning fields come before the verdict.
 *
 * @example
 * withPropertyOrdering({ type: 'object', properties: { reasoning: {}, verdict: {} } }) // { …, propertyOrdering: ['reasoning', 'verdict'] }
 */
export function withPropertyOrdering(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withPropertyOrdering)
  if (schema === null || typeof schema !== 'object') return schema
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withPropertyOrdering(value)])) as JsonSchema
  const properties = copy['properties']
  if (properties !== null && typeof properties === 'object' && !Array.isArray(properties)) copy['propertyOrdering'] = Object.keys(properties)
  return copy
}

/**
 * The `generateContent` parameters of a judge request: JSON output fitting the verdict schema, temperature 0.
 *
 * @example
 * await client.models.generateContent(googleJudgeParams(config, request, signal))
 */
export function googleJudgeParams(config: JudgeConfig, request: JudgeRequest, signal?: AbortSignal): Record<string, unknown> {
  return {
    model: config.model,
    contents: [{ role: 'user', parts: [{ text: request.user }] }],
    config: {
      systemInstruction: request.system,
      temperature: config.temperature ?? 0,
      ...(config.maxTokens === undefined ? {} : { maxOutputTokens: config.maxTokens }),
      responseMimeType: 'application/json',
      responseJsonSchema: withPropertyOrdering(request.schema),
      ...(signal ? { abortSignal: signal } : {}),
    },
  }
}

function parseResponse(response: GenerateContentResponseLike): JudgeResponse {
  const meta = response.usageMetadata
  const outputs = [meta?.candidatesTokenCount, meta?.thoughtsTokenCount].filter((count): count is number => typeof count === 'number')
  const usage = meta ? { inputTokens: meta.promptTokenCount, outputTokens: outputs.length ? outputs.reduce((sum, count) => sum + count, 0) : undefined } : undefined
  const base = usage ? { usage } : {}
  const text = response.text ?? ''
  if (text === '') {
    const reason = response.promptFeedback?.blockReason ?? response.candidates?.[0]?.finishReason ?? 'unknown'
    return { ...base, output: `(no text; finishReason ${reason})` }
  }
  try {
    return { ...base, output: JSON.parse(text) as unknown }
  } catch {
    // Left as text: validation reports what came back (e.g. a reply cut at MAX_TOKENS).
    return { ...base, output: text }
  }
}

/**
 * A judge over Gemini (the Gemini API, or Vertex AI with `GOOGLE_GENAI_USE_VERTEXAI`) with JSON structured output.
 * `@google/genai` is imported on the first call. Gemini returns no top token probabilities here, so rubric scores are
 * the single score the judge gives.
 *
 * @example
 * const judge = createGoogleJudge({ provider: 'google', model: 'gemini-2.5-flash' })
 */
export function createGoogleJudge(config: JudgeConfig): Judge {
  // Owned from now on, not from its first call: an app call to the same server made before is recorded too.
  if (config.baseURL !== undefined && config.client === undefined) coverBaseUrl(config.baseURL)
  let client: Promise<GoogleGenAIClient> | undefined = config.client === undefined ? undefined : Promise.resolve(checkClient(config.client))
  return {
    provider: 'google',
    ...judgeSettings(config),
    async complete(request, options) {
      client ??= defaultClient(config)
      const response = (await (await client).models.generateContent(googleJudgeParams(config, request, options?.signal))) as GenerateContentResponseLike
      return parseResponse(response)
    },
  }
}
