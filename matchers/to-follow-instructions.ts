import type { MatcherState } from 'vitest'
import { lazyZodSchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { checkInstruction, type VerifiableInstruction } from '../src/metrics/instructions/index.js'
import type { JsonValue } from '../src/metrics/score-record.js'
import { judgeRecordFields, judgedOptionsShape, quoteJudgeText, type JudgedOptions } from '../src/judge/options.js'
import { scoreFreeTextInstructions } from '../src/judge/scorers/instructions.js'
import type { JudgeRun } from '../src/judge/run-judge.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/**
 * One instruction: a verifiable IFEval instruction (`{ id: 'punctuation:no_comma', ...kwargs }`,
 * checked in code) or free text (checked by the judge model, all free-text items in one call).
 */
export type Instruction = VerifiableInstruction | string

/** Options of `toFollowInstructions`. */
export interface FollowInstructionsOptions extends JudgedOptions {
  /** IFEval's loose mode: pass if any of the 8 loose variants of the response passes. Default false. */
  loose?: boolean
}

/** The verdict on one instruction, as stored in the score record's `details.verdicts`. */
export type InstructionVerdict = {
  instruction: string
  kind: 'verifiable' | 'free-text'
  parameters?: { [name: string]: JsonValue }
  /** For free-text items: the judge's verdict (`not-applicable` counts as followed). */
  verdict?: 'followed' | 'not-followed' | 'not-applicable'
  pass: boolean
  reason: string
}

export const OptionsSchema = lazyZodSchema((z) => z.strictObject({ ...judgedOptionsShape(), loose: z.boolean().default(false) }))

/** The options as the schema gives them for the usual ones (none, or only `loose`), else undefined: zod checks the rest. */
export function usualInstructionsOptions(options: unknown): { loose: boolean } | undefined {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype) return undefined
  const keys = Object.keys(options)
  if (keys.length === 0) return { loose: false }
  const { loose } = options as { loose?: unknown }
  return keys.length === 1 && typeof loose === 'boolean' ? { loose } : undefined
}

function checkVerifiable(response: string, instruction: VerifiableInstruction, loose: boolean): InstructionVerdict {
  const { id, ...parameters } = instruction as { id: string } & Record<string, JsonValue>
  const { pass, reason } = checkInstruction(response, instruction, { loose })
  return { instruction: id, kind: 'verifiable', parameters, pass, reason }
}

function instructionText(item: unknown): string | undefined {
  return typeof item === 'string' ? item : undefined
}

function checkFreeText(instructions: readonly unknown[]): string[] {
  const texts = instructions.flatMap((item) => (typeof item === 'string' ? [item] : []))
  const blank = texts.findIndex((text) => text.trim() === '')
  if (blank >= 0) throw new ConfigError('toFollowInstructions() got an empty free-text instruction. Write what the output must do, e.g. "Be polite.".')
  return texts
}

/**
 * Passes when the output follows every instruction. Verifiable items are checked in code; free-text items
 * are judged by the judge model, all in one call. Each instruction's verdict (what was counted and
 * required, or the judge's verdict and reasoning) goes into `details.verdicts`; the score is the share followed.
 *
 * @example
 * await expect(reply).toFollowInstructions([{ id: 'punctuation:no_comma' }, { id: 'length_constraints:number_words', num_words: 50, relation: 'less than' }])
 * @see docs/matchers.md#tofollowinstructions
 */
export function toFollowInstructions(
  this: MatcherState,
  output: unknown,
  instructions: readonly Instruction[],
  options: FollowInstructionsOptions = {},
): Promise<MatcherOutcome> {
  const response = requireString('toFollowInstructions', 'output', output)
  if (!Array.isArray(instructions) || instructions.length === 0) {
    throw new ConfigError("toFollowInstructions() needs a non-empty array of instructions, e.g. [{ id: 'punctuation:no_comma' }].")
  }
  const parsed = parseMatcherOptions('toFollowInstructions', OptionsSchema, options, 'options', usualInstructionsOptions)
  const { loose } = parsed
  const freeText = checkFreeText(instructions)
  const judging = freeText.length === 0 ? undefined : judgingFor(this, 'toFollowInstructions', parsed)
  const verifiable = instructions.map((item) => (instructionText(item) === undefined ? checkVerifiable(response, item as VerifiableInstruction, loose) : undefined))
  const judged = judging ? scoreFreeTextInstructions(response, freeText, judging) : Promise.resolve(undefined)
  return judged.then((result) => {
    const fromJudge = (result?.verdicts ?? []).map(
      (item): InstructionVerdict => ({ instruction: item.instruction, kind: 'free-text', verdict: item.verdict, pass: item.pass, reason: item.reasoning }),
    )
    const verdicts = verifiable.map((verdict) => verdict ?? fromJudge.shift()!)
    return instructionsResult(this, response, verdicts, loose, result?.run)
  })
}

function instructionsResult(state: MatcherState, response: string, verdicts: InstructionVerdict[], loose: boolean, run: JudgeRun<unknown> | undefined): MatcherOutcome {
  const followed = verdicts.filter((verdict) => verdict.pass).length
  const pass = followed === verdicts.length
  const describe = (verdict: InstructionVerdict) =>
    verdict.kind === 'free-text'
      ? `${verdict.pass ? '✓' : '✗'} ${JSON.stringify(verdict.instruction)}: ${verdict.verdict} — judge: ${quoteJudgeText(verdict.reason, 200)}`
      : `${verdict.pass ? '✓' : '✗'} ${verdict.instruction}: ${verdict.reason}`
  return toMatcherResult(state, {
    record: {
      metric: 'instructions',
      score: followed / verdicts.length,
      pass,
      threshold: 1,
      ...(pass ? {} : { reason: verdicts.find((verdict) => !verdict.pass)?.reason }),
      details: { loose, verdicts },
      ...(run ? judgeRecordFields([run]) : {}),
    },
    report: {
      matcherName: 'toFollowInstructions',
      expectedLabel: 'instructions',
      expectation: `${verdicts.length === 1 ? 'to follow the instruction' : `to follow all ${verdicts.length} instructions`}${loose ? ' (loose)' : ''}`,
      scoreLabel: `${followed} of ${verdicts.length} followed`,
      reasons: verdicts.map(describe),
      output: response,
    },
  })
}
