// `testTrace()`: the running test attempt's trace, from the app model calls the cassette session saw
// (replayed, recorded, or passed to the network and recorded), judge and simulator calls left out.
import { stableStringify } from '../cassettes/canonical.js'
import { readSidecar } from '../cassettes/cassette-file.js'
import { isStreamSidecar, readStreamSidecar } from '../cassettes/stream-sidecar.js'
import type { CassetteEntry } from '../cassettes/entry.js'
import { currentTestScope } from '../cassettes/scope.js'
import { ConfigError } from '../errors/index.js'
import { appExchangeSource, type AppExchangeSlot, type AttemptExchanges } from './app-exchanges.js'
import { assembleTrace, type ToolRecord } from './trace-assemble.js'
import { traceFromExchanges, type TraceExchange } from './trace-exchanges.js'
import { currentTrial, trialToolRecords } from './trial-calls.js'
import type { Trace } from './types.js'
import { realClearTimeout, realSetTimeout } from '../real-clock.js'

function noTestError(): ConfigError {
  const off = process.env.LLM_EVALS_CASSETTES === 'passthrough'
  const why = off
    ? 'cassettes are off (LLM_EVALS_CASSETTES=passthrough), so no model call of the test is seen'
    : 'no test is running here with cassettes on (it reads the model calls the cassettes saw in the running test attempt: is `llmEvals()` in the plugins of this project\'s Vitest config?)'
  return new ConfigError(
    `testTrace() has no trace to give: ${why}. Call it inside a test of a project that uses the llmEvals() plugin, with cassettes on; ` +
      'anywhere else, build the trace from what your agent returned: traceOf(result).',
  )
}

/** The body a sidecar holds: parsed JSON, else the text (a stream sidecar is read by {@link withSidecarStream}). */
function sidecarBody(slot: AppExchangeSlot, cassetteFile: string | undefined): unknown {
  const file = slot.entry?.response.file
  if (!file || isStreamSidecar(file)) return undefined
  const bytes = slot.sidecar ?? (cassetteFile ? readSidecar(cassetteFile, file) : undefined)
  if (!bytes) return undefined
  const text = new TextDecoder().decode(bytes)
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** `entry` with the chunks of its stream sidecar, when its response is one (a replayed stream larger than `maxInlineBytes`). */
function withSidecarStream(entry: CassetteEntry, cassetteFile: string | undefined): CassetteEntry {
  const file = entry.response.file
  if (!file || !isStreamSidecar(file) || !cassetteFile) return entry
  const { chunks } = readStreamSidecar(cassetteFile, entry)
  return { ...entry, response: { ...entry.response, chunks } }
}

const canonicalEntries = new WeakMap<CassetteEntry, CassetteEntry>()

/**
 * The entry with its request body and JSON response in canonical key order. A cassette stores JSON with sorted
 * keys, so a replayed exchange reads back in another order than the live one: the trace is the same either way.
 */
function canonicalEntry(entry: CassetteEntry): CassetteEntry {
  let canonical = canonicalEntries.get(entry)
  if (!canonical) {
    const sorted = (value: unknown) => JSON.parse(stableStringify(value)) as unknown
    canonical = {
      ...entry,
      request: { ...entry.request, body: sorted(entry.request.body) },
      response: entry.response.json === undefined ? entry.response : { ...entry.response, json: sorted(entry.response.json) },
    }
    canonicalEntries.set(entry, canonical)
  }
  return canonical
}

function exchangesOf(slots: readonly AppExchangeSlot[], cassetteFile: string | undefined): TraceExchange[] {
  const exchanges: TraceExchange[] = []
  for (const slot of slots) {
    if (slot.state !== 'stored' || !slot.entry) continue
    const entry = withSidecarStream(canonicalEntry(slot.entry), cassetteFile)
    const body = sidecarBody(slot, cassetteFile)
    exchanges.push(body === undefined ? entry : { ...entry, body: JSON.parse(stableStringify(body)) as unknown })
  }
  return exchanges
}

/** How long the matchers wait for responses still being recorded when `testTrace()` was called. */
export const SETTLE_WAIT_MS = 60_000

const SETTLE = Symbol.for('vitest-llm-evals.trace-settle')

/** The calls a trace is built from: the test attempt's, or those of the describeEval trial running. */
interface Calls {
  slots: readonly AppExchangeSlot[]
  cassetteFile: string | undefined
  toolRecords: readonly ToolRecord[] | undefined
}

type Settle = () => Promise<Trace>

function settleLater(calls: Calls, waitMs: number): Settle {
  const { slots } = calls
  return async () => {
    const pending = slots.filter((slot) => slot.state === 'pending')
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((done) => (timer = realSetTimeout(() => done('timeout'), waitMs)))
    try {
      if ((await Promise.race([Promise.all(pending.map((slot) => slot.settled)), timedOut])) === 'timeout') {
        throw new ConfigError(
          `testTrace() was called while ${pending.length} model call(s) of this test were unanswered (${pending[0]?.url}), and they still were ${waitMs / 1000} s later. ` +
            'Await the app\'s calls (read streams to their end) before asking for the trace.',
        )
      }
    } finally {
      realClearTimeout(timer)
    }
    return buildTrace(calls)
  }
}

function buildTrace({ slots, cassetteFile, toolRecords }: Calls): Trace {
  return traceFromExchanges(exchangesOf(slots, cassetteFile), toolRecords ? { toolRecords } : {})
}

/** The attempt's calls, or, inside a describeEval trial (a test that runs several), that trial's only. */
function callsOf(attempt: AttemptExchanges): Calls {
  const trial = currentTrial()
  if (!trial) return { slots: [...attempt.slots], cassetteFile: attempt.cassetteFile, toolRecords: attempt.toolRecords }
  return { slots: attempt.slots.filter((slot) => slot.trial === trial), cassetteFile: attempt.cassetteFile, toolRecords: trialToolRecords(trial) }
}

/**
 * The running test attempt's trace so far: its app's model calls (chat completions, Responses API,
 * Anthropic messages; streamed or not) in call order, as the cassettes recorded or replayed them. Each
 * `test.concurrent` test sees only its own calls, and inside a `describeEval` trial (its task and its scorers)
 * only that trial's calls (with `repeats`, one test runs several trials). A response still being recorded (a
 * raw `fetch` can return before its recording is stored) is left out here, and the trace matchers wait for
 * it. Throws a `ConfigError` outside a test or with cassettes off: use `traceOf(result)` there.
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
  const calls = callsOf(attempt)
  const trace = buildTrace(calls)
  if (calls.slots.some((slot) => slot.state === 'pending')) Object.defineProperty(trace, SETTLE, { value: settleLater(calls, SETTLE_WAIT_MS) })
  return trace
}

/**
 * `value` itself, unless it is a `testTrace()` taken while responses were still being recorded: then
 * the same calls' trace once they are stored. The trace matchers (and `describeEval`) call it.
 *
 * @example
 * const trace = await settledTrace(testTrace())
 */
export async function settledTrace<T>(value: T): Promise<T | Trace> {
  return settling(value) ? (value as { [SETTLE]: Settle })[SETTLE]() : value
}

/** True when `value` is a `testTrace()` whose calls are still being recorded ({@link settledTrace} waits for them). */
export function settling(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Boolean((value as { [SETTLE]?: Settle })[SETTLE])
}
