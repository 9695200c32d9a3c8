/**
 * The replay and record rows of the peers benchmark. Each variant's suite is recorded once under
 * `llmEvals()` against the scripted server of `test/support`; the floor's canned bodies are taken from that
 * cassette (the same bytes). Then, alternating with the order rotated each round: the floor (plain Vitest,
 * real SDK, in-memory `fetch`), ours replaying (`CI=true`, no key, no server address), the plain suite
 * calling the scripted server directly, and ours recording against it (`LLM_EVALS_CASSETTES=record`).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { repo } from './installed-project.ts'
import { cleanEnv, writeConfig, type PeersProject } from './peers-project.ts'
import { median, timedVitestRun, type RunResult } from './peers-run.ts'
import { REPLAY_VARIANTS, replaySuite, type ReplayVariant } from './peers-replay-suites.ts'

// Node's type stripping does not map `.js` specifiers back to `.ts`: the hook must load before the server.
await import(join(repo, 'test', 'support', 'ts-specifiers.ts'))
const { startModelServer } = (await import(join(repo, 'test', 'support', 'model-server.ts'))) as typeof import('../../test/support/model-server.ts')

export interface ReplayRow {
  variant: ReplayVariant
  /** Median ms per run kind: floor, replay (ours), direct (plain, live server), record (ours, live server). */
  ms: { floor: number; replay: number; direct: number; record: number }
  cassetteBytes: number
}

interface StoredEntry {
  request: { body: { messages: { content: string }[] } }
  response: { headers: Record<string, string>; json?: unknown; text?: string; chunks?: string[] }
}

/** The floor's canned replies, question -> the body bytes (or SSE chunks) and headers the cassette holds. */
function writeCanned(dir: string, cassetteFile: string, cannedFile: string): number {
  const raw = readFileSync(join(dir, cassetteFile), 'utf8')
  const entries = (JSON.parse(raw) as { entries: StoredEntry[] }).entries
  const canned: Record<string, { headers: Record<string, string>; body?: string; chunks?: string[] }> = {}
  for (const { request, response } of entries) {
    const question = request.body.messages[0]?.content ?? ''
    const body = response.chunks === undefined ? { body: response.text ?? JSON.stringify(response.json) } : { chunks: response.chunks }
    canned[question] = { headers: response.headers, ...body }
  }
  writeFileSync(join(dir, cannedFile), JSON.stringify(canned))
  return raw.length
}

export async function runReplayRows(project: PeersProject, cases: number, rounds: number): Promise<ReplayRow[]> {
  const { dir, vitest } = project
  const server = await startModelServer({ sseGapMs: 1 })
  const live = cleanEnv({
    OPENAI_BASE_URL: server.openaiBaseURL,
    ANTHROPIC_BASE_URL: server.anthropicBaseURL,
    OPENAI_API_KEY: 'sk-bench-0000000000000000',
    ANTHROPIC_API_KEY: 'sk-ant-bench-0000000000000000',
  })
  delete live['CI']
  const replay = cleanEnv()
  const runs: { variant: ReplayVariant; kind: keyof ReplayRow['ms']; go: () => Promise<RunResult> }[] = []
  const cassetteBytes: Record<string, number> = {}
  try {
    for (const variant of REPLAY_VARIANTS) {
      const file = (kind: string) => `${kind}-${variant.key}.test.ts`
      const canned = `canned-${variant.key}.json`
      writeFileSync(join(dir, file('replay')), replaySuite(variant, cases))
      writeFileSync(join(dir, file('record')), replaySuite(variant, cases))
      writeFileSync(join(dir, file('direct')), replaySuite(variant, cases))
      writeFileSync(join(dir, file('floor')), replaySuite(variant, cases, canned))
      const config = (kind: string, plugin: boolean) => writeConfig(dir, `${kind}-${variant.key}`, file(kind), plugin)
      const configs = { replay: config('replay', true), record: config('record', true), direct: config('direct', false), floor: config('floor', false) }
      await timedVitestRun(vitest, dir, configs.replay, { ...live, LLM_EVALS_CASSETTES: 'record' }, cases)
      cassetteBytes[variant.key] = writeCanned(dir, join('__cassettes__', `${file('replay')}.cassette.json`), canned)
      const envs = { floor: replay, replay, direct: live, record: { ...live, LLM_EVALS_CASSETTES: 'record' } }
      for (const kind of ['floor', 'replay', 'direct', 'record'] as const) {
        runs.push({ variant, kind, go: () => timedVitestRun(vitest, dir, configs[kind], envs[kind], cases) })
      }
    }
    for (const run of runs) await run.go() // warm-up
    const times = new Map(runs.map((run) => [run, [] as number[]]))
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < runs.length; index++) {
        const run = runs[(index + round) % runs.length]!
        times.get(run)!.push((await run.go()).ms)
      }
      process.stdout.write(`  replay/record: round ${round + 1}/${rounds} done\n`)
    }
    return REPLAY_VARIANTS.map((variant) => {
      const ms = (kind: keyof ReplayRow['ms']) => median(times.get(runs.find((run) => run.variant === variant && run.kind === kind)!)!)
      return { variant, ms: { floor: ms('floor'), replay: ms('replay'), direct: ms('direct'), record: ms('record') }, cassetteBytes: cassetteBytes[variant.key]! }
    })
  } finally {
    await server.close()
  }
}
