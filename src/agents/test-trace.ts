// `testTrace()`: the running test attempt's trace, from the app model calls the cassette session saw
// (replayed, recorded, or passed to the network and recorded), judge and simulator calls left out.
import { readSidecar } from '../cassettes/cassette-file.js'
import { currentTestScope } from '../cassettes/scope.js'
import { ConfigError } from '../errors/index.js'
import { appExchangeSource, type AppExchangeSlot, type AttemptExchanges } from './app-exchanges.js'
import { assembleTrace } from './trace-assemble.js'
import { traceFromExchanges, type TraceExchange } from './trace-exchanges.js'
import type { Trace } from './types.js'

function noTestError(): ConfigError {
  const off = process.env.LLM_EVALS_CASSETTES === 'passthrough'
  const why = off
    ? 'cassettes are off (LLM_EVALS_CASSETTES=passthrough), so no model call of the test is seen'
    : 'no test is running here with cassettes on (it reads the model calls the cassettes saw in the running test attempt)'
  return new ConfigError(
    `testTrace() has no trace to give: ${why}. Call it inside a test of a project that uses the llmEvals() plugin, with cassettes on; ` +
      'anywhere else, build the trace from what your agent returned: traceOf(result).',
  )
}

/** The body a sidecar holds: parsed JSON, else the text. */
function sidecarBody(slot: AppExchangeSlot, cassetteFile: string | undefined): unknown {
  const file = slot.entry?.response.file
  if (!file) return undefined
  const bytes = slot.sidecar ?? (cassetteFile ? readSidecar(cassetteFile, file) : undefined)
  if (!bytes) return undefined
  const text = new TextDecoder().decode(bytes)
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function exchangesOf(attempt: AttemptExchanges): TraceExchange[] {
  const pending = attempt.slots.filter((slot) => slot.state === 'pending')
  if (pending.length > 0) {
    throw new ConfigError(
      `testTrace() was called while ${pending.length} model response(s) of this test were still arriving (${pending[0]?.url}). ` +
        'Await the call (read a stream to its end) before asking for the trace.',
    )
  }
  const exchanges: TraceExchange[] = []
  for (const slot of attempt.slots) {
    if (slot.state !== 'stored' || !slot.entry) continue
    const body = sidecarBody(slot, attempt.cassetteFile)
    exchanges.push(body === undefined ? slot.entry : { ...slot.entry, body })
  }
  return exchanges
}

/**
 * The running test attempt's trace so far: its app's model calls (chat completions, Responses API,
 * Anthropic messages; streamed or not) in call order, as the cassettes recorded or replayed them. Each
 * `test.concurrent` test sees only its own calls. Throws a `ConfigError` outside a test or with
 * cassettes off: use `traceOf(result)` there.
 *
 * @example
 * await agent.run('I want a refund for order 123')
 * await expect(testTrace()).toCallTool('lookup_order', { args: { orderId: '123' } })
 */
export function testTrace(): Trace {
  if (!currentTestScope()) throw noTestError()
  // No session yet: this worker has made no model call, so the test has made none either.
  const attempt = appExchangeSource()?.currentAppExchanges()
  if (!attempt) return assembleTrace([])
  return traceFromExchanges(exchangesOf(attempt), attempt.toolRecords ? { toolRecords: attempt.toolRecords } : {})
}
