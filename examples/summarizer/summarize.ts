import Anthropic from '@anthropic-ai/sdk'

/** The app under test: streams a three-bullet summary of a support ticket thread. */
export async function summarize(thread: string, client = new Anthropic()): Promise<string> {
  const stream = client.messages.stream({
    model: 'claude-sonnet-5-5',
    max_tokens: 300,
    system: 'Summarise the support thread in exactly 3 markdown bullet points ("* "). No other text.',
    messages: [{ role: 'user', content: thread }],
  })
  const message = await stream.finalMessage()
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
}
