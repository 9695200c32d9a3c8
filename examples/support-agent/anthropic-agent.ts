import Anthropic from '@anthropic-ai/sdk'
import { runTool, SYSTEM, toolSpecs, type Message, type ShopTools } from './shop.js'

const tools: Anthropic.Tool[] = toolSpecs.map(({ name, description, parameters }) => ({ name, description, input_schema: parameters }))

/** The support agent on Anthropic messages: the model calls tools until it answers in text (at most 8 steps). */
export async function anthropicAgent(conversation: Message[], shop: ShopTools, { client = new Anthropic() } = {}): Promise<string> {
  const messages: Anthropic.MessageParam[] = [...conversation]
  for (let step = 0; step < 8; step++) {
    const response = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, system: SYSTEM, messages, tools })
    const calls = response.content.filter((block) => block.type === 'tool_use')
    if (calls.length === 0) return response.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
    messages.push({ role: 'assistant', content: response.content })
    const results: Anthropic.ToolResultBlockParam[] = []
    for (const call of calls) results.push({ type: 'tool_result', tool_use_id: call.id, content: await runTool(shop, call.name, call.input) })
    messages.push({ role: 'user', content: results })
  }
  throw new Error('The support agent made 8 model calls without answering.')
}
