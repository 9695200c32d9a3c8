/**
 * Benchmark of the lexical similarity methods and of `extractJson` on large and hostile input. A plain
 * script on the built output:
 *
 *   npm run build && npm exec -- node bench/similarity.bench.ts
 *
 * Reports (1) each method on a 1 KB and a 100 KB pair of unrelated texts and on a 100 KB pair that
 * differs in 100 places, (2) how long levenshtein and rouge-l take to refuse two 10 MB texts (over
 * `maxPairs`), (3) `extractJson` on 80,000 unclosed brackets and on 1 MB of JSON inside prose. Target:
 * no input stalls a worker for more than a few seconds. `LLM_EVALS_DIST=<dir>` times another build.
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

type Api = typeof import('../src/metrics/index.js')

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = process.env.LLM_EVALS_DIST ?? join(repo, 'dist')
const api = (await import(pathToFileURL(join(dist, 'src/metrics/index.js')).href)) as Api

/** Median time in ms of one call over `samples` calls (after one warm-up call). */
function timeCall(call: () => unknown, samples: number): number {
  call()
  const times: number[] = []
  for (let sample = 0; sample < samples; sample++) {
    const start = performance.now()
    call()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0
}

/** Time of a call expected to throw, and the start of its message. */
function timeRefusal(call: () => unknown): string {
  const start = performance.now()
  try {
    call()
    return `${(performance.now() - start).toFixed(0)} ms, no error`
  } catch (error) {
    return `${(performance.now() - start).toFixed(0)} ms: ${(error as Error).message.slice(0, 70)}…`
  }
}

let state = 1
const random = (below: number) => Math.floor(((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * below)
// English-like text: 5,000 words drawn with Zipf-like frequencies.
const vocabulary = Array.from({ length: 5_000 }, (_, index) => `w${index.toString(36)}`)
function prose(bytes: number): string {
  const words: string[] = []
  for (let length = 0; length < bytes; length += words.at(-1)!.length + 1) words.push(vocabulary[Math.floor(5_000 ** (random(1_000_000) / 1_000_000)) - 1]!)
  return words.join(' ').slice(0, bytes)
}
function withEdits(text: string, edits: number): string {
  const characters = [...text]
  for (let edit = 0; edit < edits; edit++) characters[random(characters.length)] = '#'
  return characters.join('')
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`
const pairs = {
  '1 KB pair': [prose(1_000), prose(1_000)],
  '100 KB pair': [prose(100_000), prose(100_000)],
  '100 KB pair, 100 edits apart': (() => {
    const text = prose(100_000)
    return [text, withEdits(text, 100)]
  })(),
} as const

for (const method of ['dice', 'levenshtein', 'rouge-l', 'bleu'] as const) {
  const times = Object.entries(pairs).map(([label, [output, expected]]) => {
    const samples = label === '1 KB pair' ? 51 : 3
    return `${label} ${ms(timeCall(() => api.scoreSimilarity(output, expected, { method }), samples))}`
  })
  console.log(`${method.padEnd(11)} ${times.join(' · ')}`)
}

const huge = [prose(10_000_000), prose(10_000_000)] as const
console.log(`levenshtein refuses two 10 MB texts in ${timeRefusal(() => api.levenshteinSimilarity(huge[0], huge[1]))}`)
console.log(`rouge-l refuses two 10 MB texts in ${timeRefusal(() => api.rougeL(huge[0], huge[1]))}`)

const json = JSON.stringify(Array.from({ length: 10_000 }, (_, id) => ({ id, name: `item ${id}`, tags: ['a', 'b'], score: id / 7, ok: true })))
console.log(`extractJson: 80,000 unclosed brackets ${ms(timeCall(() => api.extractJson('['.repeat(80_000)), 3))} · ${Math.round(json.length / 1000)} KB of JSON inside prose ${ms(timeCall(() => api.extractJson(`Here it is: ${json} Anything else?`), 3))}`)
