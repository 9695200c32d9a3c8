import OpenAI from 'openai'
import { z } from 'zod'

/** What the support bot returns for a customer message. */
export const Triage = z.object({
  intent: z.enum(['refund', 'shipping', 'account', 'other']),
  reply: z.string().min(1),
})

const SYSTEM = [
  'You triage customer messages for an online shop.',
  'Answer with JSON only: {"intent": "refund" | "shipping" | "account" | "other", "reply": string}.',
  'The reply speaks to the customer in at most 40 words and uses no commas.',
].join('\n')

/** The app under test: classifies a message and drafts a reply. */
export async function triage(message: string, client = new OpenAI()): Promise<string> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: message },
    ],
  })
  return completion.choices[0]?.message.content ?? ''
}
