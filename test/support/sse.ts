import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Formats one server-sent event the way OpenAI and Anthropic frame them: an optional `event:` line,
 * one `data:` line with compact JSON (or a bare string such as `[DONE]`), then a blank line.
 *
 * @example
 * formatSseEvent({ type: 'message_stop' }, 'message_stop') // 'event: message_stop\ndata: {"type":"message_stop"}\n\n'
 */
export function formatSseEvent(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data)
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`
}

/**
 * Writes SSE chunks one `write` at a time with a gap between them, so a client's reader really sees
 * several network chunks (and a recorder can capture them as they arrive), then ends the response.
 *
 * @example
 * await writeSse(res, [formatSseEvent({ a: 1 }), 'data: [DONE]\n\n'], 5)
 */
export async function writeSse(
  response: ServerResponse,
  chunks: readonly string[],
  gapMs: number,
  headers: Record<string, string> = {},
): Promise<void> {
  response.writeHead(response.statusCode, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  })
  response.flushHeaders()
  for (const [index, chunk] of chunks.entries()) {
    if (response.destroyed) return
    if (index > 0 && gapMs > 0) await sleep(gapMs)
    response.write(chunk)
  }
  response.end()
}
