// `recordTool`: an agent's tool (a database read, a search, an internal API: any code) recorded into the test
// file's cassette and replayed from it, so an agent run is deterministic offline end to end.
import { ConfigError } from '../errors/index.js'
import { currentTestScope } from '../cassettes/scope.js'
import { toolSession } from '../cassettes/tool-worker.js'
import { trackTrialTool } from './trial-calls.js'

/** A tool function: its first argument is the tool's arguments (JSON); any further ones are only passed on. */
export type ToolFunction = (...args: never[]) => unknown

/** What `recordTool` returns: the same function, always async. */
export type RecordedTool<F extends ToolFunction> = (this: ThisParameterType<F>, ...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>

/**
 * Wraps a tool function so that its calls are recorded into the test file's cassette and replayed from it,
 * like model calls: matched by the tool's name, its first argument as canonical JSON (keys sorted) and the
 * occurrence of that call in the test; answered with the recorded result (exactly as recorded) or error. In
 * `replay` the function is never called. The wrapper always returns a promise, for a sync `fn` too.
 * Results must be JSON. Outside a Vitest run with the plugin, and in `passthrough`, it just calls `fn`.
 *
 * @example
 * const lookupOrder = recordTool('lookup_order', async ({ orderId }: { orderId: string }) => db.order(orderId))
 * await agent.run('Refund order 123', { tools: { lookupOrder } })
 * @see docs/agents.md#tool-replay-recordtool
 */
export function recordTool<F extends ToolFunction>(name: string, fn: F): RecordedTool<F> {
  if (typeof name !== 'string' || name.trim() === '') throw new ConfigError(`recordTool needs the tool's name as its first argument (a non-empty string), got ${JSON.stringify(name) ?? String(name)}.`)
  if (typeof fn !== 'function') throw new ConfigError(`recordTool("${name}", fn) needs the tool's function as its second argument, got ${typeof fn}.`)
  return function recorded(this: ThisParameterType<F>, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
    const session = toolSession()
    if (!session) return (async () => fn.apply(this, args))() as Promise<Awaited<ReturnType<F>>>
    // The test is the one running when the call starts (the session may load later).
    const scope = currentTestScope()
    const invocation = { name, fn, thisArg: this, args }
    const result = 'callTool' in session ? session.callTool(invocation, scope) : session.then((loaded) => loaded.callTool(invocation, scope))
    // Inside a describeEval trial, the call is the trial's too: its testTrace() takes the result from there.
    return trackTrialTool(name, args[0], result) as Promise<Awaited<ReturnType<F>>>
  }
}
