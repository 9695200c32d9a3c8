/**
 * The library's CPU per replayed model call (issue 17), in process: the worker's cassette hooks (as the setup file
 * installs them) around real SDK calls (OpenAI chat completions, Anthropic messages; streamed and not), replayed from a
 * cassette recorded once against the scripted server of `test/support`, against the floor (the same SDK client with an
 * in-memory `fetch` serving the bytes the cassette holds). Each variant runs in its own process, floor and replay
 * blocks alternating; CPU time (`process.cpuUsage`) per call, medians over the blocks. With `before=<dir>`, a copy of
 * `src/` taken earlier (`git archive HEAD src | tar -x -C <dir>`) runs alternately with this tree's, for a before/after.
 *
 *   npm exec -- node bench/replay-calls.bench.ts [calls=1000] [blocks=5] [before=<dir holding src/>]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(fileURLToPath(import.meta.url), '..', '..')
const VARIANTS = ['openai-json', 'openai-sse', 'anthropic-json', 'anthropic-sse'] as const
type Variant = (typeof VARIANTS)[number]

const [phase] = process.argv.slice(2)
if (phase === 'record' || phase === 'replay') await child(phase, process.argv[3] as Variant, Number(process.argv[4]), Number(process.argv[5]), process.argv[6] as string, process.argv[7] as string)
else parent()

function parent(): void {
  const args = process.argv.slice(2)
  const calls = Number(args[0] ?? 1000)
  const blocks = Number(args[1] ?? 5)
  const before = args.find((arg) => arg.startsWith('before='))?.slice('before='.length)
  const only = args.find((arg) => arg.startsWith('variants='))?.slice('variants='.length).split(',')
  const trees = { ...(before ? { before: resolve(before, 'src') } : {}), after: join(repo, 'src') }
  const dir = mkdtempSync(join(tmpdir(), 'replay-calls-'))
  const run = (...rest: string[]) => execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', fileURLToPath(import.meta.url), ...rest], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    for (const variant of VARIANTS.filter((name) => !only || only.includes(name))) {
      run('record', variant, String(calls), '1', dir, trees.after)
      const results: Record<string, { floor: number[]; replay: number[] }> = {}
      for (let round = 0; round < 2; round++) {
        for (const [name, src] of Object.entries(trees)) {
          const out = JSON.parse(run('replay', variant, String(calls), String(blocks), dir, src)) as { floor: number[]; replay: number[] }
          const mine = (results[name] ??= { floor: [], replay: [] })
          mine.floor.push(...out.floor)
          mine.replay.push(...out.replay)
        }
      }
      const line = Object.entries(results).map(([name, { floor, replay }]) => {
        const f = median(floor)
        const r = median(replay)
        return `${name}: floor ${f.toFixed(1)} µs, replay ${r.toFixed(1)} µs, ours ${(r - f).toFixed(1)} µs/call, ratio ${(r / f).toFixed(2)}x`
      })
      console.log(`${variant.padEnd(15)} ${line.join(' | ')}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

interface Task {
  name: string
  type: string
  mode?: string
  meta: object
  file?: Task
  filepath?: string
  tasks?: Task[]
  result?: { state: string }
}

async function child(mode: 'record' | 'replay', variant: Variant, calls: number, blocks: number, dir: string, src: string): Promise<void> {
  await import(join(repo, 'test', 'support', 'ts-specifiers.ts'))
  const server = mode === 'record' ? await (await import(join(repo, 'test', 'support', 'model-server.ts')) as typeof import('../test/support/model-server.ts')).startModelServer({ sseGapMs: 0 }) : undefined
  // Replayed from the default hosts, as a suite without base URLs is (the paths, and so the keys, are the server's).
  delete process.env.OPENAI_BASE_URL
  delete process.env.ANTHROPIC_BASE_URL
  delete process.env.OPENAI_API_KEY
  delete process.env.ANTHROPIC_API_KEY
  delete process.env.CI
  if (server) {
    process.env.OPENAI_BASE_URL = server.openaiBaseURL
    process.env.ANTHROPIC_BASE_URL = server.anthropicBaseURL
    process.env.OPENAI_API_KEY = 'sk-bench-0000000000000000'
    process.env.ANTHROPIC_API_KEY = 'sk-ant-bench-0000000000000000'
  }
  const { installCassettes } = (await import(join(src, 'cassettes', 'worker.ts'))) as typeof import('../src/cassettes/worker.ts')
  const testFile = join(dir, `${variant}.test.ts`)
  const hooks = installCassettes({ root: dir, cassettes: { mode, hosts: [], redact: [], maxInlineBytes: 1 << 20, runStartedAt: Date.now() } } as never, testFile)
  const provider = variant.startsWith('openai') ? 'openai' : 'anthropic'
  const stream = variant.endsWith('sse')
  const sdk = provider === 'openai' ? (await import('openai')).default : (await import('@anthropic-ai/sdk')).default
  const makeClient = (fetch?: typeof globalThis.fetch) => new (sdk as new (options: object) => unknown)({ ...(fetch ? { fetch, apiKey: 'sk-bench' } : {}), }) as { chat: { completions: { create(request: object): Promise<unknown> } }; messages: { create(request: object): Promise<unknown> } }
  const call = async (client: ReturnType<typeof makeClient>, id: string): Promise<string> => {
    const request = provider === 'openai' ? { model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }], ...(stream ? { stream: true } : {}) } : { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: id }], ...(stream ? { stream: true } : {}) }
    const result = await (provider === 'openai' ? client.chat.completions.create(request) : client.messages.create(request))
    let text = ''
    if (!stream) return JSON.stringify(result)
    for await (const event of result as AsyncIterable<unknown>) text += JSON.stringify(event).length
    return text
  }
  const ids = Array.from({ length: calls }, (_, index) => `q${index}`)
  const client = makeClient()
  // One run of the test file: fresh tasks, each test's hooks around its call, and the end of the file.
  const runTests = async () => {
    const file: Task = { name: `${variant}.test.ts`, type: 'suite', filepath: testFile, meta: {}, tasks: [] }
    const tasks = ids.map((id): Task => ({ name: `case ${id}`, type: 'test', mode: 'run', meta: {}, file, result: { state: 'pass' } }))
    file.tasks = tasks
    hooks.beginFile(testFile, file)
    for (const [index, task] of tasks.entries()) {
      hooks.beginTest(task as never)
      await call(client, ids[index] as string)
      await hooks.endTest(task as never)
    }
    await hooks.endFile()
  }
  if (mode === 'record') {
    await runTests()
    await server?.close()
    return
  }
  const cassette = JSON.parse(readFileSync(join(dir, '__cassettes__', `${variant}.test.ts.cassette.json`), 'utf8')) as { entries: { request: { body: { messages: { content: string }[] } }; response: { headers: Record<string, string>; json?: unknown; chunks?: string[] } }[] }
  const canned = new Map(cassette.entries.map(({ request, response }) => [request.body.messages[0]?.content, response]))
  const encoder = new TextEncoder()
  const floorClient = makeClient((async (_url: unknown, init?: { body?: unknown }) => {
    const reply = canned.get((JSON.parse(String(init?.body)) as { messages: { content: string }[] }).messages[0]?.content)!
    const body = reply.chunks === undefined ? JSON.stringify(reply.json) : new ReadableStream({ start(controller) { for (const chunk of reply.chunks!) controller.enqueue(encoder.encode(chunk)); controller.close() } })
    return new Response(body, { status: 200, headers: reply.headers })
  }) as typeof fetch)
  const runFloor = async () => {
    for (const id of ids) await call(floorClient, id)
  }
  const cpu = async (work: () => Promise<void>) => {
    const start = process.cpuUsage()
    await work()
    const used = process.cpuUsage(start)
    return (used.user + used.system) / calls
  }
  await runTests()
  await runFloor()
  const floor: number[] = []
  const replay: number[] = []
  for (let block = 0; block < blocks; block++) {
    floor.push(await cpu(runFloor))
    replay.push(await cpu(runTests))
  }
  process.stdout.write(JSON.stringify({ floor, replay }))
}
