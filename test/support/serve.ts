/**
 * Runs the scripted model server as a standalone process for consumer-project checks and end-to-end tests.
 * Prints `OPENAI_BASE_URL=…` and `ANTHROPIC_BASE_URL=…` lines (then `READY`) and runs until SIGTERM/SIGINT.
 * Runs directly on Node 22.18+ (built-in type stripping), no build step:
 *
 * @example
 * // npm exec -- node test/support/serve.ts --port 4010 --latency 20
 * // spawn(process.execPath, ['test/support/serve.ts']) from a test, then read the first lines of stdout
 */
import './ts-specifiers.ts'
import { parseArgs } from 'node:util'

// Node's type stripping does not map the `.js` specifiers TypeScript wants back to `.ts` files: do it here,
// before the dynamic import below loads the server.
const { startModelServer } = await import('./model-server.js')

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    latency: { type: 'string' },
    'sse-gap': { type: 'string' },
  },
  allowPositionals: true,
})

const toNumber = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number < 0) throw new Error(`[model-server] --${name} must be a non-negative number, got "${value}"`)
  return number
}

const server = await startModelServer({
  port: toNumber(values.port ?? process.env['MODEL_SERVER_PORT'], 'port'),
  latencyMs: toNumber(values.latency, 'latency'),
  sseGapMs: toNumber(values['sse-gap'], 'sse-gap'),
})
process.stdout.write(`OPENAI_BASE_URL=${server.openaiBaseURL}\nANTHROPIC_BASE_URL=${server.anthropicBaseURL}\nREADY\n`)

let closing = false
const shutdown = (signal: NodeJS.Signals): void => {
  if (closing) return
  closing = true
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[model-server] error while closing after ${signal}: ${String(error)}\n`)
      process.exit(1)
    },
  )
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
