/** Price of a model in USD per 1 million tokens. */
export interface ModelPrice {
  input: number
  output: number
}

/** Price table: model name (or name prefix, so dated snapshots match) to USD per 1M tokens. */
export type PriceTable = Record<string, ModelPrice>

/**
 * List prices (USD per 1M tokens) of common models when this version was released. Prices change:
 * pass `pricing` to the plugin to correct or extend them; your entries win.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-opus-4': { input: 15, output: 75 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'mistral-large': { input: 2, output: 6 },
  'mistral-small': { input: 0.1, output: 0.3 },
  'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
  'deepseek-chat': { input: 0.28, output: 0.42 },
  'grok-4': { input: 3, output: 15 },
  'grok-4-fast': { input: 0.2, output: 0.5 },
  'grok-3': { input: 3, output: 15 },
  'grok-3-mini': { input: 0.3, output: 0.5 },
  // On AWS Bedrock (on-demand, us-east-1); ids are read without their provider and region prefixes, see priceOf.
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'nova-micro': { input: 0.035, output: 0.14 },
  'nova-lite': { input: 0.06, output: 0.24 },
  'nova-pro': { input: 0.8, output: 3.2 },
  'llama3-1-8b-instruct': { input: 0.22, output: 0.22 },
  'llama3-1-70b-instruct': { input: 0.72, output: 0.72 },
  'llama3-3-70b-instruct': { input: 0.72, output: 0.72 },
}

/** A Bedrock ARN's model part, then a cross-region inference profile prefix, then the model provider prefix. */
const BEDROCK_PREFIXES = [/^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile)\//, /^(?:us|eu|apac|jp|au|ca|us-gov|global)\./, /^(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\./]

/**
 * The price of `model`: an exact entry, else the longest entry that is a prefix of it; a Bedrock id is also
 * tried without its ARN, cross-region (`us.`, `eu.`, `global.`…) and provider (`anthropic.`…) prefixes, and a
 * name with a vendor (OpenRouter's and the AI Gateway's `openai/gpt-4o-mini`) without it when it has no entry of its own.
 *
 * @example
 * priceOf('us.anthropic.claude-3-5-haiku-20241022-v1:0', DEFAULT_PRICES) // { input: 0.8, output: 4 }
 */
export function priceOf(model: string | undefined, table: PriceTable): ModelPrice | undefined {
  if (!model) return undefined
  let name = model
  for (const prefix of BEDROCK_PREFIXES) {
    const price = priceByName(name, table)
    if (price) return price
    name = name.replace(prefix, '')
  }
  return priceByName(name, table)
}

function priceByName(model: string, table: PriceTable): ModelPrice | undefined {
  if (table[model]) return table[model]
  let best: string | undefined
  for (const name of Object.keys(table)) if (model.startsWith(name) && (!best || name.length > best.length)) best = name
  if (best) return table[best]
  return model.includes('/') ? priceOf(model.slice(model.indexOf('/') + 1), table) : undefined
}

/**
 * Cost in USD of a call, or 0 when the model has no price.
 *
 * @example
 * costOf('gpt-4o-mini-2024-07-18', 1000, 200, DEFAULT_PRICES) // 0.00027
 */
export function costOf(model: string | undefined, inputTokens: number, outputTokens: number, table: PriceTable): number {
  const price = priceOf(model, table)
  return price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : 0
}
