// The zod schema of a cassette document: the reference for what a cassette may hold, and what explains a bad
// one. zod is loaded on first use, not with the worker's session: well-formed cassettes are checked by hand
// (`cassette-shape.ts`), and loading zod costs every replaying worker more than the check itself.
import { createRequire } from 'node:module'
import type * as Zod from 'zod'

const require = createRequire(import.meta.url)

let schema: ReturnType<typeof build> | undefined

/** The schema of a cassette document (`version`, `entries`, optional `tools` and `unrecorded`), built once. */
export function cassetteSchema(): ReturnType<typeof build> {
  return (schema ??= build())
}

function build() {
  const { z } = require('zod') as typeof Zod
  const entrySchema = z.object({
    test: z.string(),
    project: z.string().optional(),
    repeat: z.number().int().min(0),
    call: z.number().int().min(0),
    role: z.enum(['app', 'judge', 'simulator']),
    key: z.string().optional(),
    request: z.object({
      url: z.string(),
      method: z.string(),
      path: z.string(),
      query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      headers: z.record(z.string(), z.string()),
      body: z.unknown(),
    }),
    response: z.object({
      status: z.number().int(),
      statusText: z.string().optional(),
      headers: z.record(z.string(), z.string()),
      json: z.unknown().optional(),
      text: z.string().optional(),
      chunks: z.array(z.string()).optional(),
      aborted: z.literal(true).optional(),
      events: z.array(z.object({
        headers: z.record(z.string(), z.union([z.string(), z.object({ type: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) })])),
        json: z.unknown().optional(),
        text: z.string().optional(),
        base64: z.string().optional(),
        bytesJson: z.literal(true).optional(),
      })).optional(),
      file: z.string().optional(),
    }),
    meta: z.object({
      recordedAt: z.string(),
      latencyMs: z.number(),
      usage: z.object({ inputTokens: z.number().optional(), outputTokens: z.number().optional() }).optional(),
    }),
  })

  const toolSchema = z.object({
    test: z.string(),
    project: z.string().optional(),
    repeat: z.number().int().min(0),
    call: z.number().int().min(0),
    name: z.string(),
    key: z.string(),
    occurrence: z.number().int().min(0),
    args: z.unknown(),
    result: z.unknown().optional(),
    // A thrown `Error` (`value` beside its text: cassettes written before a thrown value was stored once), or a thrown value.
    error: z.union([
      z.object({ name: z.string(), message: z.string(), code: z.union([z.string(), z.number()]).optional(), value: z.unknown().optional() }),
      z.object({ value: z.unknown() }).strict().refine((error) => 'value' in error, 'a thrown value needs its `value`'),
    ]).optional(),
    meta: z.object({ recordedAt: z.string(), latencyMs: z.number() }),
  })

  const unrecordedSchema = z.object({
    test: z.string(),
    project: z.string().optional(),
    repeat: z.number().int().min(0),
    key: z.string(),
    occurrence: z.number().int().min(0),
    method: z.string(),
    path: z.string(),
    reason: z.enum(['test-timeout', 'app-abort', 'test-ended', 'refused']),
    detail: z.string().optional(),
    at: z.string(),
    mode: z.string(),
  })

  // `tools` is optional: cassettes written before tool replay (or without tool calls) have none. `unrecorded` too:
  // it explains a miss (a call the recording run sent but did not store) and answers none.
  return z.object({ version: z.literal(1), entries: z.array(entrySchema), tools: z.array(toolSchema).optional(), unrecorded: z.array(unrecordedSchema).optional() })
}
