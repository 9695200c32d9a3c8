/**
 * Judge throughput under a rate limit: 500 concurrent judge verdicts (real `openai` SDK, the library's
 * judge layer, public API of dist/) against a local endpoint that allows `limit` requests per second and answers
 * the rest with 429 + `retry-after-ms`. Reports failures, 429s, and throughput against the limit.
 *
 *   npm run build && npm exec -- node bench/judge-throughput.bench.ts [calls=500] [limit=100] [latencyMs=20]
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import OpenAI from 'openai'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const calls = Number(process.argv[2] ?? 500)
const limit = Number(process.argv[3] ?? 100)
const latencyMs = Number(process.argv[4] ?? 20)

// The public API of the built library, as a script would use it.
const judgeLayer = (await import(pathToFileURL(join(repo, 'dist/src/index.js')).href)) as typeof import('../src/index.js')

// Sliding one-second window: at most `limit` accepted requests in any second.
const accepted: number[] = []
let rejected = 0
let served = 0
const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    const now = performance.now()
    while (accepted.length > 0 && accepted[0]! <= now - 1000) accepted.shift()
    if (accepted.length >= limit) {
      rejected += 1
      const waitMs = Math.ceil(accepted[0]! + 1000 - now)
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': String(waitMs) })
      response.end(JSON.stringify({ error: { message: 'Rate limit reached (bench)', type: 'requests', code: 'rate_limit_exceeded' } }))
      return
    }
    accepted.push(now)
    setTimeout(() => {
      served += 1
      const content = JSON.stringify({ reasoning: 'Same facts.', category: 'same' })
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          id: `chatcmpl-${served}`,
          object: 'chat.completion',
          created: 0,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null }, logprobs: null }],
          usage: { prompt_tokens: 200, completion_tokens: 12, total_tokens: 212 },
        }),
      )
    }, latencyMs)
  })
})
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
const { port } = server.address() as AddressInfo

const client = new OpenAI({ apiKey: 'bench', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 6 }) // the built-in judge default
const judge = judgeLayer.createJudge({ provider: 'openai', model: 'gpt-4o-mini', client })
const started = performance.now()
const results = await Promise.allSettled(
  Array.from({ length: calls }, (_, index) =>
    judgeLayer.scoreReferenceFactuality('o', { question: `q${index}`, reference: 'r' }, { judge, matcherName: 'bench' }),
  ),
)
const seconds = (performance.now() - started) / 1000
server.close()

const failures = results.filter((result) => result.status === 'rejected')
const throughput = calls / seconds
console.log(`judge calls:    ${calls} (${failures.length} failed)`)
console.log(`endpoint limit: ${limit} req/s, ${latencyMs} ms latency; 429s sent: ${rejected}`)
console.log(`wall time:      ${seconds.toFixed(2)} s`)
console.log(`throughput:     ${throughput.toFixed(1)} verdicts/s = ${((throughput / limit) * 100).toFixed(0)}% of the limit`)
if (failures.length > 0) {
  console.log(String((failures[0] as PromiseRejectedResult).reason))
  process.exitCode = 1
}
