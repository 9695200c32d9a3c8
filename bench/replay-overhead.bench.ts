/**
 * Replay overhead: a 1,000-case suite where each case makes one replayed OpenAI SDK call and one
 * deterministic matcher (`toBeSimilarTo`, levenshtein), against the same suite in plain Vitest with an
 * in-memory stub client and a plain `expect`. Alternating runs, medians of wall time; target ratio <= 1.25.
 * Also reports the cassette size per exchange. The library is installed in `node_modules` as users have it.
 *
 *   npm run build && npm exec -- node bench/replay-overhead.bench.ts [cases=1000] [rounds=5]
 */
import { spawn } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { installedProject, repo } from './support/installed-project.ts'

const cases = Number(process.argv[2] ?? 1000)
const rounds = Number(process.argv[3] ?? 5)
const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs')

const { dir, remove } = installedProject('replay')
const answer = (question: string) => `The answer to ${question} is in the help centre.`

const suite = (client: string, check: string) => `import { expect, test } from 'vitest'
${client}
const ids = Array.from({ length: ${cases} }, (_, i) => 'q' + i)
test.for(ids)('case %s', async (id) => {
  const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }] })
  const text = completion.choices[0]?.message.content ?? ''
  ${check}
})
`
writeFileSync(join(dir, 'replayed.test.ts'), suite(`import OpenAI from 'openai'\nconst client = new OpenAI()`, `await expect(text).toBeSimilarTo('The answer to ' + id + ' is in the help centre.', { method: 'levenshtein', threshold: 0.9 })`))
writeFileSync(
  join(dir, 'plain.test.ts'),
  suite(
    `import { distance } from 'fastest-levenshtein'
const answer = ${answer.toString()}
const client = { chat: { completions: { create: async (request: { messages: { content: string }[] }) => ({ choices: [{ message: { content: answer(request.messages[0]?.content ?? '') } }] }) } } }`,
    `const expected = 'The answer to ' + id + ' is in the help centre.'
  expect(1 - distance(text, expected) / Math.max(text.length, expected.length)).toBeGreaterThanOrEqual(0.9)`,
  ),
)
// The floor for any replay through the real SDK: the same client with an in-memory \`fetch\` (no interception,
// no cassette). What the SDK itself costs per call (building the request, parsing the response) is in it.
writeFileSync(
  join(dir, 'sdk.test.ts'),
  suite(
    `import OpenAI from 'openai'
import { distance } from 'fastest-levenshtein'
const answer = ${answer.toString()}
const client = new OpenAI({ apiKey: 'sk-bench', fetch: async (_url, init) => {
  const question = JSON.parse(String(init?.body)).messages[0]?.content ?? ''
  return new Response(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: answer(question) }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } }), { headers: { 'content-type': 'application/json' } })
} })`,
    `const expected = 'The answer to ' + id + ' is in the help centre.'
  expect(1 - distance(text, expected) / Math.max(text.length, expected.length)).toBeGreaterThanOrEqual(0.9)`,
  ),
)
writeFileSync(join(dir, 'sdk.config.ts'), `import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { include: ['sdk.test.ts'] } })\n`)
writeFileSync(join(dir, 'replayed.config.ts'), `import { defineConfig } from 'vitest/config'\nimport { llmEvals } from 'vitest-llm-evals/plugin'\nexport default defineConfig({ plugins: [llmEvals()], test: { include: ['replayed.test.ts'] } })\n`)
writeFileSync(join(dir, 'quiet.config.ts'), `import { defineConfig } from 'vitest/config'\nimport { llmEvals } from 'vitest-llm-evals/plugin'\nexport default defineConfig({ plugins: [llmEvals({ history: false, report: false })], test: { include: ['replayed.test.ts'] } })\n`)
writeFileSync(join(dir, 'plain.config.ts'), `import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { include: ['plain.test.ts'] } })\n`)

const server = createServer(async (request, response) => {
  let body = ''
  for await (const chunk of request) body += chunk
  const question = (JSON.parse(body) as { messages: { content: string }[] }).messages[0]?.content ?? ''
  response.writeHead(200, { 'content-type': 'application/json' })
  response.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: answer(question) }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } }))
})
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
const port = (server.address() as AddressInfo).port

const clean: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' }
for (const name of ['CI', 'LLM_EVALS_CASSETTES', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete clean[name]

// Asynchronous, so the recording server in this process keeps answering while Vitest runs.
async function run(config: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, [vitest, 'run', '--config', config], { cwd: dir, env })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  if (code !== 0) throw new Error(`${config} failed:\n${output}`)
  return performance.now() - started
}

await run('replayed.config.ts', { ...clean, LLM_EVALS_CASSETTES: 'record', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_API_KEY: 'sk-bench-0000000000000000' })
server.close()
const cassette = statSync(join(dir, '__cassettes__', 'replayed.test.ts.cassette.json')).size

const times = { replayed: [] as number[], quiet: [] as number[], plain: [] as number[], sdk: [] as number[] }
for (let round = 0; round < rounds; round++) {
  times.plain.push(await run('plain.config.ts', clean))
  times.replayed.push(await run('replayed.config.ts', { ...clean, CI: 'true' }))
  times.quiet.push(await run('quiet.config.ts', { ...clean, CI: 'true' }))
  times.sdk.push(await run('sdk.config.ts', clean))
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
const plain = median(times.plain)
const replayed = median(times.replayed)
const quiet = median(times.quiet)
const sdk = median(times.sdk)
console.log(`Replay overhead, ${cases} cases, ${rounds} alternating rounds (wall time of \`vitest run\`, medians)`)
console.log(`  plain Vitest + in-memory stub:        ${(plain / 1000).toFixed(2)} s`)
console.log(`  plain Vitest + OpenAI SDK, in-memory fetch: ${(sdk / 1000).toFixed(2)} s (${(sdk / plain).toFixed(2)}x: the SDK's own cost, a floor for any replay through it)`)
console.log(`  llmEvals + replayed OpenAI SDK call:  ${(replayed / 1000).toFixed(2)} s (${(replayed / sdk).toFixed(2)}x the floor)`)
console.log(`  the same without history and report:  ${(quiet / 1000).toFixed(2)} s`)
console.log(`  ratio: ${(replayed / plain).toFixed(2)}x (target <= 1.25); without history and report ${(quiet / plain).toFixed(2)}x`)
console.log(`  cassette: ${(cassette / 1024).toFixed(0)} KB, ${(cassette / cases).toFixed(0)} bytes per exchange`)
remove()
