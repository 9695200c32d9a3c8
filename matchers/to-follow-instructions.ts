import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { ConfigError } from '../src/errors/index.js'
import { checkInstruction, type VerifiableInstruction } from '../src/metrics/instructions/index.js'
import type { JsonValue } from '../src/metrics/score-record.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/**
 * One instruction: a verifiable IFEval instruction (`{ id: 'punctuation:no_comma', ...kwargs }`,
 * checked in code) or free text (checked by a judge model; not available yet).
 */
export type Instruction = VerifiableInstruction | string

/** Options of `toFollowInstructions`. */
export interface FollowInstructionsOptions {
  /** IFEval's loose mode: pass if any of the 8 loose variants of the response passes. Default false. */
  loose?: boolean
}

/** The verdict on one instruction, as stored in the score record's `details.verdicts`. */
export type InstructionVerdict = {
  instruction: string
  kind: 'verifiable' | 'free-text'
  parameters?: { [name: string]: JsonValue }
  pass: boolean
  reason: string
}

const OptionsSchema = z.strictObject({ loose: z.boolean().default(false) })

function checkVerifiable(response: string, instruction: VerifiableInstruction, loose: boolean): InstructionVerdict {
  const { id, ...parameters } = instruction as { id: string } & Record<string, JsonValue>
  const { pass, reason } = checkInstruction(response, instruction, { loose })
  return { instruction: id, kind: 'verifiable', parameters, pass, reason }
}

// Free-text instructions will be judged asynchronously by a model (the judge issue); until then they
// are rejected up front, before anything is checked or recorded.
function rejectFreeText(instructions: readonly unknown[]): void {
  const text = instructions.find((item) => typeof item === 'string')
  if (text === undefined) return
  throw new ConfigError(
    `toFollowInstructions() got the free-text instruction ${JSON.stringify(text)}, which needs a judge model. ` +
      'Free-text instructions are coming with judge support; for now use verifiable instructions such as ' +
      "`{ id: 'punctuation:no_comma' }` (the 25 IFEval ids), or move free text to a separate assertion later.",
  )
}

/**
 * Passes when the output follows every instruction. Each instruction's verdict (with what was counted
 * and what was required) goes into the score record; the score is the share followed.
 *
 * @example
 * await expect(reply).toFollowInstructions([{ id: 'punctuation:no_comma' }, { id: 'length_constraints:number_words', num_words: 50, relation: 'less than' }])
 * @see README.md#tofollowinstructions
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
  const { loose } = parseMatcherOptions('toFollowInstructions', OptionsSchema, options)
  rejectFreeText(instructions)
  const verdicts = (instructions as VerifiableInstruction[]).map((instruction) => checkVerifiable(response, instruction, loose))
  const followed = verdicts.filter((verdict) => verdict.pass).length
  const pass = followed === verdicts.length
  return Promise.resolve(
    toMatcherResult(this, {
      record: {
        metric: 'instructions',
        score: followed / verdicts.length,
        pass,
        threshold: 1,
        ...(pass ? {} : { reason: verdicts.find((verdict) => !verdict.pass)?.reason }),
        details: { loose, verdicts },
      },
      report: {
        matcherName: 'toFollowInstructions',
        expectedLabel: 'instructions',
        expectation: `${verdicts.length === 1 ? 'to follow the instruction' : `to follow all ${verdicts.length} instructions`}${loose ? ' (loose)' : ''}`,
        scoreLabel: `${followed} of ${verdicts.length} followed`,
        reasons: verdicts.map((verdict) => `${verdict.pass ? '✓' : '✗'} ${verdict.instruction}: ${verdict.reason}`),
        output: response,
      },
    }),
  )
}
