// The message of a tool call with no recording: the same shape as a model call's (see miss-message.ts), so
// `parseMissMessages` and `llm-evals cassettes check` read it too (as method `tool`). Pure.
import type { ToolRecord } from './entry.js'
import { differenceLines, placeLines, refusedLines, type MissPlace } from './miss-message.js'
import { recordCommand } from './record-command.js'
import { oneLine } from './one-line.js'
import { hideSecretText, scrubDeep } from './redact.js'
import { diffValues, type RequestDifference } from './request-diff.js'
import { describeToolCall, storedArgs } from './tool-key.js'

/** Everything known about a tool call that had no recording. */
export interface ToolMissContext extends MissPlace {
  name: string
  args: unknown
  records: readonly ToolRecord[]
}

const SHOWN_DIFFERENCES = 6

/**
 * The message of a tool call with no recording: the call, the test, the cassette, the nearest recorded call of
 * the same tool and how its arguments differ, and the command that records it.
 *
 * @example
 * toolMissMessage(context) // 'No recording for tool lookup_order({"orderId":"124"}) (cassette mode: replay).\n  Test: …'
 */
export function toolMissMessage(context: ToolMissContext): string {
  const { secrets = [] } = context
  // The arguments are shown as windows (cut): their secrets are hidden in the whole values first.
  const args = scrubDeep(context.args, secrets.map(({ value }) => ({ literal: value })))
  const lines = [`No recording for tool ${oneLine(describeToolCall(context.name, args), 240, secrets)} (cassette mode: ${context.mode}).`]
  lines.push(`  Test:     ${oneLine(context.test, 200, secrets)}${context.repeat ? ` (repeat ${context.repeat})` : ''}`)
  lines.push(...placeLines(context))
  if (context.recordedOccurrences > 0) {
    lines.push(
      `  This exact call was recorded ${context.recordedOccurrences} time(s) for this test; this is call ${context.occurrence + 1}. ` +
        'The test now makes it more often than when it was recorded.',
    )
  } else {
    lines.push(...nearestLines({ ...context, args }))
  }
  if (context.refusedBefore) lines.push(...refusedLines(context, context.refusedBefore))
  else lines.push(`  To record it: ${recordCommand(context.testFile, context.root, context.project, hideSecretText(context.test, context.secrets))}  (calls the tool for real; then commit the cassette)`)
  return lines.join('\n')
}

function nearestLines(context: ToolMissContext): string[] {
  const own = context.storedTest ?? context.test
  const sameTool = context.records.filter((record) => record.name === context.name)
  const found = nearest(sameTool.filter((record) => record.test === own), context.args) ?? nearest(sameTool, context.args)
  if (!found) return [`  Nothing was recorded for tool ${oneLine(context.name, 200, context.secrets)} in this cassette.`]
  const where = found.record.test === own ? 'this test' : `test "${oneLine(found.record.test, 200, context.secrets)}"`
  const shown = found.differences.slice(0, SHOWN_DIFFERENCES).flatMap(differenceLines)
  const hidden = found.differences.length - Math.min(found.differences.length, SHOWN_DIFFERENCES)
  const more = hidden > 0 ? [`    … and ${hidden} more`] : []
  const same = found.differences.length === 0 ? [`    (identical arguments; it was recorded for ${where} only)`] : []
  return [`  Nearest recording (${where}, tool call ${found.record.call}) differs in:`, ...shown, ...more, ...same]
}

/** The record whose arguments differ from `args` in the fewest places, with those places. */
function nearest(records: readonly ToolRecord[], args: unknown): { record: ToolRecord; differences: RequestDifference[] } | undefined {
  let best: { record: ToolRecord; differences: RequestDifference[] } | undefined
  for (const record of records) {
    const differences = diffValues('args', record.args, storedArgs(args))
    if (!best || differences.length < best.differences.length) best = { record, differences }
  }
  return best
}
