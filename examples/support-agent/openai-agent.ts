import OpenAI from 'openai'
import { runTool, SYSTEM, toolSpecs, type Message, type ShopTools } from './shop.js'

const tools: OpenAI.ChatCompletionTool[] = toolSpecs.map((spec) => ({ type: 'function', function: spec }))

/**
 * The support agent on OpenAI chat completions: the model calls tools until it answers in text (at most 8
 * steps). With `stream`, each step is streamed and put back together by the SDK's stream helper.
 */
export async function openaiAgent(conversation: Message[], shop: ShopTools, { client = new OpenAI(), stream = false } = {}): Promise<string> {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM }, ...conversation]
  for (let step = 0; step < 8; step++) {
    const request = { model: 'gpt-4o-mini', temperature: 0, messages, tools }
    const completion = stream ? await client.chat.completions.stream(request).finalChatCompletion() : await client.chat.completions.create(request)
    const message = completion.choices[0]!.message
    if (!message.tool_calls?.length) return message.content ?? ''
    messages.push({ role: 'assistant', content: message.content, tool_calls: message.tool_calls })
    for (const call of message.tool_calls) {
      if (call.type !== 'function') continue
      const content = await runTool(shop, call.function.name, JSON.parse(call.function.arguments))
      messages.push({ role: 'tool', tool_call_id: call.id, content })
    }
  }
  throw new Error('The support agent made 8 model calls without answering.')
}
