/**
 * IFEval conformance: runs `checkInstruction` over the 540 reference prompts and GPT-4 responses
 * and compares its verdicts with the reference implementation's, strict and loose.
 *
 * Run: `npm run conformance` (builds, then runs this file on Node 22, which strips the types).
 * Data: `<repo>/../shared/conformance/ifeval`, or the folder in `IFEVAL_CONFORMANCE_DIR`.
 * Exits 1 when instruction-level agreement is below 99.5% in either mode.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { InstructionResult } from '../src/metrics/instructions/index.js'

type Api = typeof import('../src/metrics/instructions/index.js')
interface Input { key: number; prompt: string; instruction_id_list: string[]; kwargs: Record<string, unknown>[] }
interface Verdicts { prompt: string; follow_instruction_list: boolean[]; follow_all_instructions: boolean }
interface Tally { total: number; agree: number }

const EXCLUDED_KEYS = new Set([1122, 1129])
const TARGET = 0.995
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = process.env.IFEVAL_CONFORMANCE_DIR ?? join(repo, '..', 'shared', 'conformance', 'ifeval')

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(dataDir, file), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T)
}

const percent = (tally: Tally) => `${((100 * tally.agree) / Math.max(tally.total, 1)).toFixed(2)}%`
const count = (tally: Tally) => `${tally.agree}/${tally.total}`

function compareMode(api: Api, inputs: Input[], responses: Map<string, string>, reference: Map<string, Verdicts>, loose: boolean) {
  const perId = new Map<string, Tally>()
  const instructions: Tally = { total: 0, agree: 0 }
  const prompts: Tally = { total: 0, agree: 0 }
  const followed = { ours: 0, reference: 0 }
  const disagreements: string[] = []
  for (const input of inputs) {
    const response = responses.get(input.prompt)
    const expected = reference.get(input.prompt)
    if (response === undefined || expected === undefined) throw new Error(`no response or verdict for key ${input.key}`)
    const got = input.instruction_id_list.map((id, index) => {
      const instruction = { id, ...input.kwargs[index] }
      if (!api.isVerifiableInstruction(instruction)) throw new Error(`key ${input.key}: unknown id ${id}`)
      return api.checkInstruction(response, instruction, { loose })
    })
    got.forEach((result: InstructionResult, index) => {
      const id = input.instruction_id_list[index] ?? ''
      const want = expected.follow_instruction_list[index] ?? false
      const tally = perId.get(id) ?? { total: 0, agree: 0 }
      perId.set(id, tally)
      for (const t of [tally, instructions]) { t.total++; if (result.pass === want) t.agree++ }
      if (result.pass === want) return
      disagreements.push(`  ${input.key}  ${id}  expected ${want}, got ${result.pass}: ${result.reason}`)
    })
    prompts.total++
    if (got.every((result) => result.pass) === expected.follow_all_instructions) prompts.agree++
    followed.ours += got.filter((result) => result.pass).length
    followed.reference += expected.follow_instruction_list.filter(Boolean).length
  }
  return { perId, instructions, prompts, followed, disagreements }
}

async function main(): Promise<void> {
  if (!existsSync(join(dataDir, 'input_data.jsonl'))) {
    console.log(`IFEval conformance data not found at ${dataDir}: nothing compared.`)
    console.log('Put the data there or set IFEVAL_CONFORMANCE_DIR to its folder.')
    return
  }
  const api = (await import(pathToFileURL(join(repo, 'dist/src/metrics/index.js')).href)) as Api
  const inputs = readJsonl<Input>('input_data.jsonl').filter((input) => !EXCLUDED_KEYS.has(input.key))
  const responses = new Map(readJsonl<{ prompt: string; response: string }>('input_response_data_gpt4_20231107_145030.jsonl').map((row) => [row.prompt, row.response]))
  const byPrompt = (file: string) => new Map(readJsonl<Verdicts>(file).map((row) => [row.prompt, row]))
  const strict = compareMode(api, inputs, responses, byPrompt('eval_results_strict.jsonl'), false)
  const loose = compareMode(api, inputs, responses, byPrompt('eval_results_loose.jsonl'), true)

  console.log(`IFEval conformance (${dataDir}), keys ${[...EXCLUDED_KEYS].join(', ')} excluded\n`)
  console.log(`${'instruction id'.padEnd(48)}${'strict'.padEnd(20)}loose`)
  for (const id of api.INSTRUCTION_IDS) {
    const s = strict.perId.get(id) ?? { total: 0, agree: 0 }
    const l = loose.perId.get(id) ?? { total: 0, agree: 0 }
    console.log(`${id.padEnd(48)}${`${count(s)} ${percent(s)}`.padEnd(20)}${count(l)} ${percent(l)}`)
  }
  for (const [mode, result] of [['strict', strict], ['loose', loose]] as const) {
    console.log(`\n${mode}: instruction-level ${count(result.instructions)} (${percent(result.instructions)}), prompt-level ${count(result.prompts)} (${percent(result.prompts)})`)
    console.log(`  instructions followed: ours ${result.followed.ours}, reference ${result.followed.reference}`)
    console.log(result.disagreements.length === 0 ? '  no disagreements' : `  disagreements (key, id, expected, got, reason):\n${result.disagreements.join('\n')}`)
  }
  const below = [strict, loose].some((result) => result.instructions.agree / result.instructions.total < TARGET)
  console.log(`\n${below ? 'BELOW' : 'meets'} the ${TARGET * 100}% instruction-level target in ${below ? 'at least one mode' : 'both modes'}.`)
  if (below) process.exitCode = 1
}

await main()
