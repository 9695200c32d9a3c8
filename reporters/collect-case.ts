import { relative } from 'node:path'
import type { TestCase } from 'vitest/node'
import type { CollectedCase } from './summarize.js'

/**
 * Test files relative to the root, made once per file: `path.relative` per finished test was ~5 µs of the main
 * process's CPU per test in a run (issue 17).
 */
export class RelativePaths {
  private root: string | undefined
  private readonly paths = new Map<string, string>()

  of(root: string, file: string): string {
    if (root !== this.root) {
      this.root = root
      this.paths.clear()
    }
    let path = this.paths.get(file)
    if (path === undefined) {
      path = relative(root, file)
      this.paths.set(file, path)
    }
    return path
  }
}

/** What the reporter keeps of a finished test: where it is, its state and meta, and a dataset case's failure message. */
export function collectCase(testCase: TestCase, root: string, paths: RelativePaths): CollectedCase {
  let describe: string | undefined
  for (let parent = testCase.parent; parent.type === 'suite'; parent = parent.parent) describe = parent.name
  const result = testCase.result()
  const state = result.state
  // A file run by two of `test.projects` (one project per model, say) is one suite per project, not one mixed
  // suite. The project's name, as the worker sees it (`task.file.projectName`: see matchers/shared/test-suite.ts).
  const project = testCase.project.name
  const meta = testCase.meta()
  const collected: CollectedCase = { module: paths.of(root, testCase.module.moduleId), test: testCase.fullName, name: testCase.name, state, flaky: testCase.diagnostic()?.flaky ?? false, meta }
  // Assigned, not spread in: no objects made per test for them. (Nothing reads a case's fields in order.)
  if (describe !== undefined) collected.describe = describe
  if (project !== '') collected.project = project
  // A dataset case Vitest failed before it was scored (its timeout: no case error, or an unfinished try's) is listed
  // with this error (errored-cases.ts); kept for those only: an ordinary failed test's message is never shown.
  const { caseId, caseError } = meta as CollectedCase['meta']
  if (state === 'failed' && caseId !== undefined && (caseError === undefined || (caseError as { unfinishedFrom?: unknown }).unfinishedFrom !== undefined)) {
    const message = result.errors?.[0]?.message
    if (message !== undefined) collected.error = message
  }
  return collected
}
