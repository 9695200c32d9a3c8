/**
 * The cassette session's own CPU per replayed call, in one process (issue 17): the requests a real SDK client makes
 * (captured by its `fetch`), each answered by `CassetteSession.answer` from a cassette recorded by
 * `replay-calls.bench.ts`, the replayed body read to the end. With `before=<dir holding src/>`, that tree's session
 * runs in alternating blocks with this one's. CPU time (`process.cpuUsage`) per call, medians over the blocks.
 *
 *   npm exec -- node --experimental-transform-types bench/replay-answer.bench.ts <recording dir> <variant> [blocks=9] [before=<dir>]
 */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(fileURLToPath(import.meta.url), '..', '..')
await import(join(repo, 'test', 'support', 'ts-specifiers.ts'))
const [dir = '', variant = 'anthropic-sse', blocksArg = '9'] = process.argv.slice(2)
const before = process.argv.find((arg) => arg.startsWith('before='))?.slice('before='.length)
const trees: Record<string, string> = { ...(before ? { before: resolve(before, 'src') } : {}), after: join(repo, 'src') }
delete process.env.OPENAI_BASE_URL
delete process.env.ANTHROPIC_BASE_URL

// The SDK's requests, as its `fetch` receives them.
const provider = variant.startsWith('openai') ? 'openai' : 'anthropic'
const stream = variant.endsWith('sse')
const sdk = provider === 'openai' ? (await import('openai')).default : (await import('@anthropic-ai/sdk')).default
const captured: { url: URL; init: RequestInit }[] = []
const client = new (sdk as unknown as new (options: object) => { chat: { completions: { create(request: object): Promise<unknown> } }; messages: { create(request: object): Promise<unknown> } })({
  apiKey: 'sk-llm-evals-placeholder',
  fetch: async (url: string | URL, init: RequestInit) => {
    captured.push({ url: new URL(url), init })
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })
  },
})
const ids = Array.from({ length: 1000 }, (_, index) => `q${index}`)
for (const id of ids) {
  const request = provider === 'openai' ? { model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }], ...(stream ? { stream: true } : {}) } : { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: id }], ...(stream ? { stream: true } : {}) }
  await (provider === 'openai' ? client.chat.completions.create(request) : client.messages.create(request)).catch(() => undefined)
}

const sessions: Record<string, { run: () => Promise<void> }> = {}
for (const [name, src] of Object.entries(trees)) {
  const { CassetteSession } = (await import(join(src, 'cassettes', 'session.ts'))) as typeof import('../src/cassettes/session.ts')
  const { enterTestScope } = (await import(join(src, 'cassettes', 'scope.ts'))) as typeof import('../src/cassettes/scope.ts')
  const { fetchParts } = (await import(join(src, 'cassettes', 'direct-fetch.ts'))) as typeof import('../src/cassettes/direct-fetch.ts')
  const session = new CassetteSession({ mode: 'replay', root: dir, hosts: [], redact: [], maxInlineBytes: 1 << 20, runStartedAt: 0 })
  session.useTestFile(join(dir, `${variant}.test.ts`))
  sessions[name] = {
    run: async () => {
      for (const [index, { url, init }] of captured.entries()) {
        const scope = { test: `case ${ids[index]}`, repeat: 0, active: true }
        enterTestScope(scope)
        const response = await session.answer(fetchParts(init, url))
        if (!response) throw new Error(`no recording for ${ids[index]}`)
        await response.arrayBuffer()
        scope.active = false
      }
    },
  }
}

const times: Record<string, number[]> = {}
for (const { run } of Object.values(sessions)) await run()
for (let block = 0; block < Number(blocksArg); block++) {
  for (const [name, { run }] of Object.entries(sessions)) {
    const start = process.cpuUsage()
    await run()
    const used = process.cpuUsage(start)
    ;(times[name] ??= []).push((used.user + used.system) / captured.length)
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
console.log(`${variant}: ${Object.entries(times).map(([name, values]) => `${name} ${median(values).toFixed(1)} µs/call`).join(', ')}`)
