import OpenAI from 'openai'
import type { Chunk } from './retriever.js'

/** The generation step of the RAG app: answers from the retrieved chunks only. */
export async function answerFrom(question: string, chunks: readonly Chunk[], options: { signal?: AbortSignal; client?: OpenAI } = {}): Promise<string> {
  const client = options.client ?? new OpenAI()
  const context = chunks.map((chunk, index) => `[${index + 1}] ${chunk.text}`).join('\n')
  const completion = await client.chat.completions.create(
    {
      model: 'gpt-4o-mini',
      temperature: 0,
      messages: [
        { role: 'system', content: 'Answer the customer in one or two sentences, using only the numbered help-centre passages. If they do not say, say you do not know.' },
        { role: 'user', content: `Passages:\n${context}\n\nQuestion: ${question}` },
      ],
    },
    { signal: options.signal },
  )
  return completion.choices[0]?.message.content?.trim() ?? ''
}
