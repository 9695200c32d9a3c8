import OpenAI from 'openai'

/** The intents the support inbox is routed by. */
export const INTENTS = ['refund', 'shipping', 'account', 'product'] as const

/** The routing prompt; the fine-tuning example trains on it. */
export const SYSTEM = [
  'Route a customer email of an online coffee shop to one team.',
  `Answer with one word: ${INTENTS.join(', ')}.`,
  'refund: money back, returns, charges. shipping: deliveries, parcels, addresses. account: sign-in, subscriptions, personal data. product: how to use, defects, recommendations.',
].join('\n')

/** The app under test: the intent of a customer email, as one lower-case word. */
export async function classify(message: string, options: { signal?: AbortSignal; client?: OpenAI } = {}): Promise<string> {
  const client = options.client ?? new OpenAI()
  const completion = await client.chat.completions.create(
    {
      model: 'gpt-4o-mini',
      temperature: 0,
      max_tokens: 3,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: message },
      ],
    },
    { signal: options.signal },
  )
  return (completion.choices[0]?.message.content ?? '').trim().toLowerCase()
}
