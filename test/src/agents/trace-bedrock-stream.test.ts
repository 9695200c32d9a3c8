import { describe, expect, test } from 'vitest'
import { traceFromExchanges } from '../../../src/agents/trace-exchanges.js'
import { encodeEventMessage } from '../../../src/cassettes/event-stream.js'
import { storedEvents } from '../../../src/cassettes/event-stream-store.js'
import { renderConverseEvents, renderInvokeChunks } from '../../support/bedrock-wire.js'
import type { ReplyContent } from '../../support/reply-content.js'

/** The events as the cassette stores them: framed as Bedrock sends them, then decoded by the store. */
function stored(events: [string, Record<string, unknown>][]) {
  const frames = events.map(([type, json]) =>
    encodeEventMessage({
      headers: [
        [':event-type', { type: 'string', value: type }],
        [':content-type', { type: 'string', value: 'application/json' }],
        [':message-type', { type: 'string', value: 'event' }],
      ],
      payload: new TextEncoder().encode(JSON.stringify(json)),
    }),
  )
  const body = new Uint8Array(Buffer.concat(frames))
  const decoded = storedEvents(body)
  if (!decoded) throw new Error('the store could not decode the stream')
  return decoded
}

const reply: ReplyContent = {
  text: 'Let me look that up for you.',
  toolCalls: [{ id: 'tooluse_1', name: 'lookup_order', arguments: '{"orderId":"123","details":true}' }],
  model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  counter: 1,
  inputTokens: 31,
  outputTokens: 17,
}

describe('traces of streamed Bedrock calls (stored AWS event streams)', () => {
  test('ConverseStream: text deltas joined, a toolUse input joined from its deltas, the metadata usage', () => {
    const path = '/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream'
    const trace = traceFromExchanges([{ request: { path, body: { messages: [] } }, response: { status: 200, events: stored(renderConverseEvents(reply)) } }])
    expect(trace.steps).toHaveLength(1)
    expect(trace.steps[0]).toMatchObject({ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0', text: 'Let me look that up for you.', usage: { inputTokens: 31, outputTokens: 17 } })
    expect(trace.toolCalls).toEqual([{ id: 'tooluse_1', name: 'lookup_order', args: { orderId: '123', details: true } }])
  })

  test('InvokeModelWithResponseStream of an Anthropic model: its chunks read as the Anthropic message they spell', () => {
    const path = '/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke-with-response-stream'
    const chunks = renderInvokeChunks(reply).map((chunk): [string, Record<string, unknown>] => ['chunk', chunk])
    const trace = traceFromExchanges([{ request: { path, body: { messages: [] } }, response: { status: 200, events: stored(chunks) } }])
    expect(trace.steps[0]).toMatchObject({ provider: 'anthropic', text: 'Let me look that up for you.' })
    expect(trace.toolCalls).toEqual([{ id: 'tooluse_1', name: 'lookup_order', args: { orderId: '123', details: true } }])
  })

  test('an event stream of another kind is no step', () => {
    const trace = traceFromExchanges([{ request: { path: '/x', body: null }, response: { status: 200, events: stored([['somethingElse', { a: 1 }]]) } }])
    expect(trace.steps).toEqual([])
  })
})
