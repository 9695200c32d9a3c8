/**
 * Benchmark of the verifiable-instruction checkers. Not a Vitest bench file: a plain script on the
 * built output, run the same way as the conformance script:
 *
 *   npm run build && npm exec -- node bench/instructions.bench.ts
 *
 * Reports (1) the median time per instruction over the 540 IFEval GPT-4 responses (their own
 * instructions, and all 25 checks on each response), strict and loose, and (2) all 25 checks on a
 * 1 KB and a 100 KB response, to show the cost is linear in length. Target: < 0.2 ms median per
 * instruction. Uses `<repo>/../shared/conformance/ifeval` (or `IFEVAL_CONFORMANCE_DIR`) when present.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { VerifiableInstruction } from '../src/metrics/instructions/index.js'

type Api = typeof import('../src/metrics/index.js')

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = process.env.IFEVAL_CONFORMANCE_DIR ?? join(repo, '..', 'shared', 'conformance', 'ifeval')
const api = (await import(pathToFileURL(join(repo, 'dist/src/metrics/index.js')).href)) as Api

/** One instance of each of the 25 instructions, with typical parameters. */
const ALL: VerifiableInstruction[] = [
  { id: 'keywords:existence', keywords: ['data', 'model'] },
  { id: 'keywords:frequency', keyword: 'the', frequency: 3, relation: 'at least' },
  { id: 'keywords:forbidden_words', forbidden_words: ['clearly', 'obviously'] },
  { id: 'keywords:letter_frequency', letter: 'e', let_frequency: 10, let_relation: 'at least' },
  { id: 'language:response_language', language: 'en' },
  { id: 'length_constraints:number_sentences', num_sentences: 10, relation: 'less than' },
  { id: 'length_constraints:number_paragraphs', num_paragraphs: 3 },
  { id: 'length_constraints:number_words', num_words: 300, relation: 'at least' },
  { id: 'length_constraints:nth_paragraph_first_word', num_paragraphs: 3, nth_paragraph: 2, first_word: 'the' },
  { id: 'detectable_content:number_placeholders', num_placeholders: 2 },
  { id: 'detectable_content:postscript', postscript_marker: 'P.S.' },
  { id: 'detectable_format:number_bullet_lists', num_bullets: 4 },
  { id: 'detectable_format:constrained_response' },
  { id: 'detectable_format:number_highlighted_sections', num_highlights: 2 },
  { id: 'detectable_format:multiple_sections', section_spliter: 'Section', num_sections: 3 },
  { id: 'detectable_format:json_format' },
  { id: 'detectable_format:title' },
  { id: 'combination:two_responses' },
  { id: 'combination:repeat_prompt', prompt_to_repeat: 'Write a short story about a lighthouse.' },
  { id: 'startend:end_checker', end_phrase: 'Is there anything else I can help with?' },
  { id: 'startend:quotation' },
  { id: 'change_case:capital_word_frequency', capital_frequency: 5, capital_relation: 'less than' },
  { id: 'change_case:english_capital' },
  { id: 'change_case:english_lowercase' },
  { id: 'punctuation:no_comma' },
]

/** Median time in ms of one call, each sample averaging `repeat` calls. */
function timeCall(call: () => void, repeat: number, samples = 5): number {
  const times: number[] = []
  for (let sample = 0; sample < samples; sample++) {
    const start = performance.now()
    for (let index = 0; index < repeat; index++) call()
    times.push((performance.now() - start) / repeat)
  }
  return median(times)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const ms = (value: number) => `${value.toFixed(4)} ms`
const readJsonl = (file: string) => readFileSync(join(dataDir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)

let corpus = 'The lighthouse keeper, Mara, watched the storm roll in. She had kept the light for thirty years; ' +
  'the sea had never once been kind. *Tonight* felt different.\n\nShe climbed the stairs. The lamp flickered.\n\n'
if (existsSync(join(dataDir, 'input_data.jsonl'))) {
  const inputs = readJsonl('input_data.jsonl')
  const responses = new Map(readJsonl('input_response_data_gpt4_20231107_145030.jsonl').map((row) => [row.prompt, String(row.response)]))
  for (const loose of [false, true]) {
    const own: number[] = []
    const perResponse: number[] = []
    const allChecks: number[] = []
    for (const input of inputs) {
      const response = responses.get(input.prompt) ?? ''
      const ids = input.instruction_id_list as string[]
      const kwargs = input.kwargs as Record<string, unknown>[]
      ids.forEach((id, index) => {
        const instruction = { id, ...kwargs[index] }
        if (api.isVerifiableInstruction(instruction)) own.push(timeCall(() => api.checkInstruction(response, instruction, { loose }), 5))
      })
      const all = timeCall(() => ALL.forEach((instruction) => api.checkInstruction(response, instruction, { loose })), 1)
      perResponse.push(all)
      allChecks.push(all / ALL.length)
    }
    const mode = loose ? 'loose ' : 'strict'
    console.log(`${mode}: median per instruction (own instructions, ${own.length}): ${ms(median(own))}`)
    console.log(`${mode}: median per instruction (all 25 on each of ${inputs.length} responses): ${ms(median(allChecks))}`)
    console.log(`${mode}: median per response (all 25 checks): ${ms(median(perResponse))}`)
  }
  corpus = [...responses.values()].join('\n\n')
} else {
  console.log(`IFEval data not found at ${dataDir}: skipping the 540-response benchmark, using a built-in text.`)
}

const sized = (bytes: number) => corpus.repeat(Math.ceil(bytes / corpus.length)).slice(0, bytes)
const small = sized(1024)
const large = sized(100 * 1024)
const smallTime = timeCall(() => ALL.forEach((instruction) => api.checkInstruction(small, instruction)), 50)
const largeTime = timeCall(() => ALL.forEach((instruction) => api.checkInstruction(large, instruction)), 2)
console.log(`all 25 checks, strict: 1 KB ${ms(smallTime)}, 100 KB ${ms(largeTime)} (x${(largeTime / smallTime).toFixed(1)} for x100 the text)`)
