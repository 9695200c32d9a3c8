import OpenAI from 'openai'

/** The shop's support policy: every prompt variant answers from it. */
export const POLICY = [
  'Refunds are issued when the return arrives and reach the original card within 5 working days.',
  'The delivery address can be changed until the order ships: Orders > choose the order > Edit address.',
  'Subscriptions can be cancelled any time from Account > Subscriptions; the next box is then not charged.',
  'Damaged items: report them under Orders > Report a problem with a photo; a replacement ships free of charge.',
].join('\n')

/** A prompt variant under comparison: its `name` labels it in the report. */
export interface PromptVariant {
  name: 'zero-shot' | 'few-shot' | 'self-explaining'
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam

const BASE = `You are the support assistant of Brewhaus, an online coffee shop. Answer from this policy only:\n${POLICY}`

const FEW_SHOT: Message[] = [
  { role: 'user', content: 'Do you ship to Norway?' },
  { role: 'assistant', content: 'Not yet: we ship within the EU only.' },
  { role: 'user', content: 'Can I pay with PayPal?' },
  { role: 'assistant', content: 'Yes, choose PayPal at checkout.' },
]

/** The messages each variant sends for a question. */
export function promptFor(variant: PromptVariant, question: string): Message[] {
  const user: Message = { role: 'user', content: question }
  switch (variant.name) {
    case 'zero-shot':
      return [{ role: 'system', content: BASE }, user]
    case 'few-shot':
      return [{ role: 'system', content: `${BASE}\nAnswer in one short sentence, like the examples.` }, ...FEW_SHOT, user]
    case 'self-explaining':
      return [
        { role: 'system', content: `${BASE}\nFirst write "Reasoning:" and say which policy line applies and why. Then write "Answer:" and the reply to the customer in one or two sentences.` },
        user,
      ]
  }
}

/** The app under test: answers a customer question with the given prompt variant. Self-explaining answers are cut to the part after "Answer:". */
export async function answer(question: string, variant: PromptVariant, options: { signal?: AbortSignal; client?: OpenAI } = {}): Promise<string> {
  const client = options.client ?? new OpenAI()
  const completion = await client.chat.completions.create(
    { model: 'gpt-4o-mini', temperature: 0, messages: promptFor(variant, question) },
    { signal: options.signal },
  )
  const text = completion.choices[0]?.message.content ?? ''
  const final = text.split(/^Answer:\s*/m)[1]
  return (variant.name === 'self-explaining' && final !== undefined ? final : text).trim()
}
