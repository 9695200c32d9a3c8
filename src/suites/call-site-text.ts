// Where a suite or a set of cases was defined, as `file:line` text for messages: the first frame of a stack
// captured at the call (describeEval's, evalEach's). Pure: no Vitest.
import { isAbsolute, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `file:line` of the first frame of a captured stack, the file relative to the working directory (absolute
 * when outside it); undefined when the stack has no frame with a position.
 *
 * @example
 * callSiteText(callSite.stack) // 'evals/support.test.ts:12'
 */
export function callSiteText(stack: string | undefined): string | undefined {
  const frame = (stack ?? '').split('\n').find((line) => /^\s+at /.test(line))
  // `at fn (file:line:column)` or `at file:line:column`; the file may hold spaces ("My Drive") and parentheses.
  const match = frame ? (/ \((.+):(\d+):\d+\)\s*$/.exec(frame) ?? /^\s+at (.+):(\d+):\d+\s*$/.exec(frame)) : null
  if (!match) return undefined
  let file = match[1] as string
  try {
    if (file.startsWith('file://')) file = fileURLToPath(file)
  } catch {
    return undefined
  }
  const near = isAbsolute(file) ? relative(process.cwd(), file) : file
  return `${near.startsWith('..') ? file : near}:${match[2]}`
}
