import { relative } from 'node:path'
import type { CanonicalRequest, NormalizeRequest } from './canonical.js'
import type { CassetteEntry } from './entry.js'
import type { CassetteMode } from './mode.js'
import { nearestRequest } from './request-diff.js'

/** Everything known about a request that had no recording. */
export interface MissContext {
  mode: CassetteMode
  url: string
  request: CanonicalRequest
  test: string
  repeat: number
  /** How many earlier identical requests this test attempt made. */
  occurrence: number
  /** How many recordings of this exact request the attempt has. */
  recordedOccurrences: number
  cassetteFile: string
  testFile: string
  root: string
  entries: readonly CassetteEntry[]
  normalize?: NormalizeRequest
  /** Set when recording was impossible because no API key was configured. */
  missingKeyFor?: string
}

/** The command that records a missing request for one test file. */
export function recordCommand(testFile: string, root: string): string {
  return `LLM_EVALS_CASSETTES=auto npx vitest run ${relative(root, testFile) || testFile}`
}

/**
 * The message of a replay miss: the request, the test, the cassette, the nearest recording and
 * what differs, and the command that records it.
 */
export function missMessage(context: MissContext): string {
  const lines = [`No recording for ${context.request.method} ${context.url} (cassette mode: ${context.mode}).`]
  lines.push(`  Test:     ${context.test}${context.repeat ? ` (repeat ${context.repeat})` : ''}`)
  lines.push(`  Cassette: ${relative(context.root, context.cassetteFile) || context.cassetteFile}`)
  if (context.recordedOccurrences > 0) {
    lines.push(
      `  This exact request was recorded ${context.recordedOccurrences} time(s) for this test; this is call ${context.occurrence + 1}. ` +
        'The test now makes it more often than when it was recorded.',
    )
  } else {
    lines.push(...nearestLines(context))
  }
  if (context.missingKeyFor) {
    lines.push(`  It could not be recorded: ${context.missingKeyFor} is not set. Set it to a real key and run again.`)
  } else {
    lines.push(`  To record it: ${recordCommand(context.testFile, context.root)}  (needs a real API key; then commit the cassette)`)
  }
  return lines.join('\n')
}

function nearestLines(context: MissContext): string[] {
  const sameTest = context.entries.filter((entry) => entry.test === context.test)
  const found = nearestRequest(sameTest, context.request, context.normalize) ?? nearestRequest(context.entries, context.request, context.normalize)
  if (!found) return [`  Nothing was recorded for ${context.request.method} ${context.request.path} in this cassette.`]
  const where = found.candidate.test === context.test ? 'this test' : `test "${found.candidate.test}"`
  const shown = found.differences.slice(0, 6).map((d) => `    - ${d.path}: recorded ${d.recorded}, received ${d.received}`)
  const more = found.differences.length > shown.length ? [`    … and ${found.differences.length - shown.length} more`] : []
  const sameRequest = found.differences.length === 0 ? [`    (identical request; it was recorded for ${where} only)`] : []
  return [`  Nearest recording (${where}, call ${found.candidate.call}) differs in:`, ...shown, ...more, ...sameRequest]
}
