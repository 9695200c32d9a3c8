/**
 * The model a request asks for: the body's `model` field (OpenAI, Anthropic, Mistral and every
 * OpenAI-compatible API), else the model in the path — Gemini / Vertex AI (`…/models/gemini-2.5-flash:generateContent`),
 * Bedrock (`/model/anthropic.claude-3-haiku-20240307-v1:0/converse`), Azure OpenAI (`/openai/deployments/<deployment>/…`).
 *
 * @example
 * requestModel({ path: '/v1beta/models/gemini-2.5-flash:generateContent', body: {} }) // 'gemini-2.5-flash'
 */
export function requestModel(request: { path: string; body: unknown; headers?: Record<string, string> }): string | undefined {
  const { body, path } = request
  if (body !== null && typeof body === 'object' && typeof (body as { model?: unknown }).model === 'string') return (body as { model: string }).model
  // The Vercel AI Gateway (`@ai-sdk/gateway`) names the model in a header, e.g. `openai/gpt-4o-mini`.
  const gateway = request.headers?.['ai-language-model-id']
  if (gateway) return gateway
  const gemini = /\/models\/([^/:]+):[A-Za-z]+$/.exec(path)
  if (gemini?.[1]) return decodePart(gemini[1])
  const bedrock = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/.exec(path)
  if (bedrock?.[1]) return decodePart(bedrock[1])
  const azure = /\/openai\/deployments\/([^/]+)\//.exec(path)
  if (azure?.[1]) return decodePart(azure[1])
  return undefined
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}
