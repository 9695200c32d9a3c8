// The cassette settings of the Vitest worker a judge runs in, read from where the worker setup keeps them
// (`globalThis`, see cassettes/worker.ts) without loading the cassette code.
import type { WorkerCassetteOptions } from '../cassettes/worker-options.js'
import type { WorkerState } from '../cassettes/worker.js'

const STATE = Symbol.for('vitest-llm-evals.cassettes')

/**
 * This worker's cassette settings; `undefined` outside a Vitest worker with the plugin.
 *
 * @example
 * workerCassetteOptions()?.mode // 'replay' in CI
 */
export function workerCassetteOptions(): WorkerCassetteOptions | undefined {
  return (globalThis as { [STATE]?: WorkerState })[STATE]?.options
}
