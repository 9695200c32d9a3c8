// Where a `recordTool` call finds the worker's cassette session. Light on purpose (the main API imports it):
// the worker's state is read from `globalThis`, and the session code loads only when a tool is first called.
import type { ToolCall } from '../agents/types.js'
import type { CassetteSession } from './session.js'
import type { WorkerState } from './worker.js'

const STATE = Symbol.for('vitest-llm-evals.cassettes')

/** Loads the session for tool calls made before any model call: one promise, so calls keep their order. */
let loading: Promise<CassetteSession> | undefined

function workerState(): WorkerState | undefined {
  return (globalThis as { [STATE]?: WorkerState })[STATE]
}

/**
 * The session a tool call goes through: the session itself when it is loaded (so the call takes its place in
 * order at once), a promise of it otherwise, or `undefined` when the tool is simply called: outside a Vitest
 * worker with the plugin, and in `passthrough` mode.
 */
export function toolSession(): CassetteSession | Promise<CassetteSession> | undefined {
  const state = workerState()
  if (!state || state.options.mode === 'passthrough') return undefined
  if (state.session) return state.session
  loading ??= import('./worker.js').then(({ loadSession }) => loadSession(state))
  return loading
}

/**
 * The tool calls (of tools wrapped with `recordTool`) the running test attempt has finished so far, in the
 * order they were made: `{ name, args, result? , error? }` (recorded, replayed or live). Empty outside a test
 * worker with the plugin, in `passthrough`, and before the first tool call.
 *
 * @example
 * await agent.run('refund order 123')
 * currentToolCalls() // [{ name: 'lookup_order', args: { orderId: '123' }, result: { status: 'delivered' } }]
 */
export function currentToolCalls(): ToolCall[] {
  return workerState()?.session?.currentToolCalls() ?? []
}
