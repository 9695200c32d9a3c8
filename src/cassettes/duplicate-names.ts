// Vitest lets two tests of a file share a full name. Their recordings must not read as one test's (the second
// would replay the first's answers, or replace them in `record`), nor as another process's: each test after the
// first of its name is stored under a name of its own, by its place in the file. Pure.
import { relative } from 'node:path'
import { oneLine } from './one-line.js'

/** The parts of a Vitest task read here. */
interface TaskTreeLike {
  type: string
  tasks?: readonly TaskTreeLike[]
}

/**
 * The name a test's recordings are stored under: its own for the first test of that name in the file; for the
 * second and later (`position` 2, 3…), the name with its place.
 *
 * @example
 * storedDuplicateName('answers', 2) // 'answers (duplicate name, test 2)'
 */
export function storedDuplicateName(test: string, position = 1): string {
  return position > 1 ? `${test} (duplicate name, test ${position})` : test
}

/**
 * Each test of `file` whose name as stored (`nameOf`: scrubbed, so names that differ only in what a `redact` rule
 * hides count as one) an earlier test of the file has (in the order they are declared, skipped ones included, so a
 * filter does not change the place), with its place among the tests of that name (2 for the second). A place whose
 * stored name another test of the file has as its own (a test named "x (duplicate name, test 2)") is skipped.
 */
export function duplicatePositions<T extends TaskTreeLike>(file: T, nameOf: (test: T) => string): Map<T, number> {
  const tests: { test: T; name: string }[] = []
  const walk = (task: T) => {
    for (const child of (task.tasks ?? []) as T[]) {
      if (child.type === 'test') tests.push({ test: child, name: nameOf(child) })
      else walk(child)
    }
  }
  walk(file)
  const taken = new Set(tests.map(({ name }) => name))
  const last = new Map<string, number>()
  const positions = new Map<T, number>()
  for (const { test, name } of tests) {
    const previous = last.get(name)
    if (previous === undefined) {
      last.set(name, 1)
      continue
    }
    let position = previous + 1
    while (taken.has(storedDuplicateName(name, position))) position++
    taken.add(storedDuplicateName(name, position))
    last.set(name, position)
    positions.set(test, position)
  }
  return positions
}

/**
 * The warning of a test file with several tests of one name: which, where, how they are stored, and what to do.
 * Printed: the name is shown with `secrets` (live credential values) and key patterns hidden. `position`: the second's place
 * (see {@link duplicatePositions}); `redacted`: the names differ, but not once scrubbed by a `cassettes.redact` rule.
 */
export function duplicateNameWarning(test: string, testFile: string, root: string, secrets: readonly { name: string; value: string }[] = [], position = 2, redacted = false): string {
  const name = oneLine(test, 200, secrets)
  const named = redacted ? `are stored under one name, "${name}" (a \`cassettes.redact\` rule hides what tells their names apart)` : `are named "${name}"`
  const fix = redacted ? 'Give each test a name the rule leaves apart' : 'Give each test a name of its own'
  return (
    `[vitest-llm-evals] Two tests in ${oneLine(relative(root, testFile) || testFile, 200)} ${named}: their recordings are kept apart ` +
    `(the second's under "${storedDuplicateName(name, position)}" in the cassette), and each replays its own as long as the tests keep their order. ` +
    `${fix}, then record the file again.`
  )
}
