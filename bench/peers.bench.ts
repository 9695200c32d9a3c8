/**
 * Peers benchmark (issue 17): the same workload in plain Vitest, both styles of vitest-evals 0.16 and both of
 * ours, installed from the registry (and our `npm pack` tarball) into a scratch project, run alternately:
 * N in-memory cases (an async task, a normalised Levenshtein score, a pass mark of 0.8), N in {100, 1000,
 * 5000}, one warm-up run per style, then `rounds` rounds with the style order rotated each round; medians of
 * the wall time of `vitest run` and of the peak RSS of its process tree. Then the replay rows: 1,000 cases
 * with one SDK call each (OpenAI chat completions, Anthropic messages; streamed and not), replayed from a
 * cassette under `llmEvals()` against the floor (the same suite, the real SDK with an in-memory `fetch`
 * serving the bytes the cassette holds), and record mode against the same suite calling the scripted server;
 * then the agent rows (`replayCases` cases, one `recordTool` call each, replayed, checked with `toCallTool`).
 * Prints one table with every target of the issue and exits 0 (it is a report).
 *
 *   npm run build && npm exec -- node --expose-gc bench/peers.bench.ts [rounds=5] [sizes=100,1000,5000] [replayCases=1000]
 *
 * KEEP_BENCH_PROJECT=1 keeps the scratch project (its path is printed). Needs the npm registry.
 */
import { createPeersProject, PEER_PACKAGES } from './support/peers-project.ts'
import { runHarnessRows } from './support/peers-harness.ts'
import { runReplayRows } from './support/peers-replay.ts'
import { runAgentRows } from './support/peers-agent.ts'
import { printTable } from './support/peers-table.ts'

const rounds = Number(process.argv[2] ?? 5)
const sizes = (process.argv[3] ?? '100,1000,5000').split(',').map(Number)
const replayCases = Number(process.argv[4] ?? 1000)

console.log(`Installing ${PEER_PACKAGES.join(' ')} and the packed vitest-llm-evals into a scratch project…`)
const project = createPeersProject()
console.log(`Scratch project: ${project.dir}`)
try {
  const harness = await runHarnessRows(project, sizes, rounds)
  const replay = await runReplayRows(project, replayCases, rounds)
  const agent = await runAgentRows(project, replayCases, rounds)
  printTable({ versions: project.versions, rounds, harness, replay, replayCases, agent })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  if (process.env['KEEP_BENCH_PROJECT'] === '1') console.log(`Kept the scratch project: ${project.dir}`)
  else project.remove()
}
