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
}

/**
 * The price of `model`: an exact entry, else the longest entry that is a prefix of it; a name with a vendor
 * (OpenRouter's and the AI Gateway's `openai/gpt-4o-mini`) is priced without it when it has no entry of its own.
 */
export function priceOf(model: string | undefined, table: PriceTable): ModelPrice | undefined {
  if (!model) return undefined
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
