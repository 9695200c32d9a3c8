/**
 * The agent rows of the peers benchmark (issue 17: "everything above with the agent features in use"): N cases,
 * each running a tiny agent step that calls one tool and checking the tool call. Ours wraps the tool with
 * `recordTool` (recorded once in `auto`, then replayed with `CI=true`: the tool is never called) and checks the
 * trace with `traceOf` + `toCallTool`; plain Vitest calls the same tool function and checks the same call with
 * `expect`. Alternating rounds, order rotated; medians of wall time.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanEnv, writeConfig, type PeersProject } from './peers-project.ts'
import { median, timedVitestRun } from './peers-run.ts'

export interface AgentRow {
  cases: number
  /** Median ms: plain Vitest calling the tool, ours replaying it. */
  ms: { plain: number; ours: number }
}

const tool = `async ({ orderId }: { orderId: string }) => ({ orderId, status: 'delivered', total: 30 })`

/** The suite's source, ours (recordTool, traceOf, toCallTool) or plain (the same tool and check with expect). */
export function agentSuite(cases: number, ours: boolean): string {
  return ours
    ? `import { expect, test } from 'vitest'
import { recordTool, traceOf } from 'vitest-llm-evals'
const lookup = recordTool('lookup_order', ${tool})
const ids = Array.from({ length: ${cases} }, (_, i) => 'o' + i)
test.for(ids)('case %s', async (orderId) => {
  const order = await lookup({ orderId })
  await expect(traceOf([{ name: 'lookup_order', args: { orderId } }])).toCallTool('lookup_order', { args: { orderId }, times: 1 })
  expect(order.status).toBe('delivered')
})
`
    : `import { expect, test } from 'vitest'
const lookup = ${tool}
const ids = Array.from({ length: ${cases} }, (_, i) => 'o' + i)
test.for(ids)('case %s', async (orderId) => {
  const order = await lookup({ orderId })
  const calls = [{ name: 'lookup_order', args: { orderId } }]
  expect(calls.filter((call) => call.name === 'lookup_order' && call.args.orderId === orderId)).toHaveLength(1)
  expect(order.status).toBe('delivered')
})
`
}

export async function runAgentRows(project: PeersProject, cases: number, rounds: number): Promise<AgentRow> {
  const { dir, vitest } = project
  const configs = { plain: '', ours: '' }
  for (const kind of ['plain', 'ours'] as const) {
    const file = `agent-${kind}-${cases}.test.ts`
    writeFileSync(join(dir, file), agentSuite(cases, kind === 'ours'))
    configs[kind] = writeConfig(dir, `agent-${kind}-${cases}`, file, kind === 'ours')
  }
  // Recorded once (tools only: no key needed), then replayed.
  const record = cleanEnv({ LLM_EVALS_CASSETTES: 'auto' })
  delete record['CI']
  await timedVitestRun(vitest, dir, configs.ours, record, cases)
  const times = { plain: [] as number[], ours: [] as number[] }
  const order = ['plain', 'ours'] as const
  for (let round = 0; round <= rounds; round++) {
    for (let index = 0; index < order.length; index++) {
      const kind = order[(index + round) % order.length]!
      const { ms } = await timedVitestRun(vitest, dir, configs[kind], cleanEnv(), cases)
      if (round > 0) times[kind].push(ms) // round 0 warms up
    }
  }
  return { cases, ms: { plain: median(times.plain), ours: median(times.ours) } }
}
