// The suite of the running test as the reporter names it in the history (its file relative to the root, its
// Vitest project when it has a name, plus its top-level describe): human labels are scoped by it, so a matcher must find the suite the review page labelled.
import { relative } from 'node:path'
import type { MatcherState } from 'vitest'
import { suiteName } from '../../src/review/labels-file.js'

type RunningTest = NonNullable<MatcherState['task']>

interface SuiteLike {
  name: string
  type: string
  filepath?: string
  suite?: SuiteLike
}

/**
 * The history's suite name of `task` (`evals/tickets.test.ts > tickets`), or undefined outside a test file.
 *
 * @example
 * suiteOfTest(runningTest(this), provided.root)
 */
export function suiteOfTest(task: RunningTest | undefined, root: string): string | undefined {
  const file = task?.file?.filepath
  if (!task || !file) return undefined
  let describe: string | undefined
  // The outermost suite below the file, as the reporter's `collect` walks it (an unnamed one names no describe).
  for (let parent = task.suite as SuiteLike | undefined; parent && parent.type === 'suite' && parent.filepath === undefined; parent = parent.suite) describe = parent.name
  const project = (task.file as { projectName?: string }).projectName ?? ''
  return suiteName({ module: relative(root, file), ...(describe === undefined ? {} : { describe }), ...(project === '' ? {} : { project }) })
}
