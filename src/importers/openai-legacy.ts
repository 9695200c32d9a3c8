import { parse } from 'yaml'
import { asRecord, importError, type ImportedCheck, type ImportResult } from './checks.js'
import type { OpenAIItemRecord } from './openai-eval.js'

/** The eval a legacy openai/evals registry file defines: its name, class, arguments and samples file. */
export interface LegacyEvalSpec {
  name: string
  /** The class's short name, e.g. `Match` from `evals.elsuite.basic.match:Match`. */
  className: string
  args: Record<string, unknown>
  samples: string
}

/**
 * Reads an openai/evals registry YAML (`name: { id }` pointing at `name.dev.v0: { class, args }`) and
 * returns its first eval; anything else is an ImportError naming the file.
 *
 * @example
 * legacyEvalSpec('evals/arithmetic.yaml', text).samples // 'arithmetic/samples.jsonl'
 */
export function legacyEvalSpec(file: string, text: string): LegacyEvalSpec {
  let registry: Record<string, unknown> | undefined
  try {
    registry = asRecord(parse(text))
  } catch (error) {
    importError(file, `not valid YAML (${(error as Error).message.split('\n')[0]})`, 'Fix the YAML')
  }
  const entries = Object.entries(registry ?? {})
  const alias = entries.find(([, value]) => typeof asRecord(value)?.id === 'string')
  const target = alias ? entries.find(([key]) => key === asRecord(alias[1])?.id) : entries.find(([, value]) => typeof asRecord(value)?.class === 'string')
  const spec = asRecord(target?.[1])
  const args = asRecord(spec?.args) ?? {}
  if (!target || typeof spec?.class !== 'string' || typeof args.samples_jsonl !== 'string') {
    importError(file, 'is not an OpenAI Evals eval (no entry with `class` and `args.samples_jsonl`)', 'Pass a registry/evals/*.yaml file, or the eval JSON of the Evals API')
  }
  return { name: alias?.[0] ?? target[0], className: spec.class.split(':').pop() ?? spec.class, args, samples: args.samples_jsonl as string }
}

function promptText(input: unknown): string {
  if (typeof input === 'string') return input
  const messages = Array.isArray(input) ? input : []
  return messages.map((message) => `${String(asRecord(message)?.role ?? 'user')}: ${String(asRecord(message)?.content ?? '')}`).join('\n')
}

/** The check a sample gets from the eval class, or undefined when the class has none here. */
function checkFor(spec: LegacyEvalSpec, ideals: string[]): ImportedCheck | undefined {
  const name = spec.className
  if (spec.className === 'Match') return { type: 'text', name, operation: 'starts-with', value: ideals[0] ?? '', ignoreCase: false, negate: false }
  if (spec.className === 'Includes') return { type: 'text', name, operation: 'contains-any', value: ideals, ignoreCase: spec.args.ignore_case === true, negate: false }
  if (spec.className === 'FuzzyMatch') return { type: 'text', name, operation: 'contains-any', value: ideals, ignoreCase: true, negate: false }
  if (spec.className === 'ModelBasedClassify' && spec.args.modelgraded_spec === 'fact' && ideals[0]) return { type: 'factual', name, reference: ideals[0] }
  return undefined
}

/**
 * Imports a legacy openai/evals eval: the registry YAML and its samples (`{ input, ideal }` per line).
 * `Match`, `Includes`, `FuzzyMatch` and `ModelBasedClassify` with the `fact` spec are mapped.
 *
 * @example
 * const result = importLegacyOpenAIEval(legacyEvalSpec(file, text), file, 'samples.jsonl', records)
 */
export function importLegacyOpenAIEval(spec: LegacyEvalSpec, file: string, samplesFile: string, samples: readonly OpenAIItemRecord[]): ImportResult {
  const result: ImportResult = { source: 'openai-evals', name: spec.name, inputField: 'item', prompts: [], providers: [], rows: [], notImported: [], notes: [] }
  if (samples.length === 0) importError(samplesFile, 'has no samples', 'Each line must be { "input": …, "ideal": … }')
  samples.forEach(({ line, value }, index) => {
    const sample = asRecord(value)
    if (!sample || sample.input === undefined) importError(`${samplesFile}:${line ?? index + 1}`, 'is not a sample (no `input`)', 'Each line must be { "input": [messages] or "text", "ideal": … }')
    const ideals = (Array.isArray(sample.ideal) ? sample.ideal : sample.ideal === undefined ? [] : [sample.ideal]).map(String)
    const check = checkFor(spec, ideals)
    const { input, ideal: _ideal, ...rest } = sample
    result.rows.push({ id: `sample-${index + 1}`, input: { prompt: promptText(input), ...rest }, ...(ideals[0] === undefined ? {} : { expected: ideals[0] }), checks: check ? [check] : [] })
  })
  const mapped = checkFor(spec, ['x'])
  if (!mapped) {
    const graded = spec.args.modelgraded_spec === undefined ? '' : ` (modelgraded_spec: ${String(spec.args.modelgraded_spec)})`
    result.notImported.push({ type: spec.className, where: `${file} ${spec.name}`, why: `the ${spec.className}${graded} eval class has no counterpart here`, todo: 'write a scorer with the matching matcher (toSatisfyRubric for model-graded specs)', code: JSON.stringify(spec.args, null, 2) })
  }
  if (spec.className === 'Match' && samples.some(({ value }) => Array.isArray(asRecord(value)?.ideal))) result.notes.push('Match samples with several ideal answers keep only the first (starts-with)')
  if (spec.className === 'FuzzyMatch') result.notes.push('FuzzyMatch became a case-insensitive "contains any ideal" check (the original also normalises punctuation and articles)')
  return result
}
