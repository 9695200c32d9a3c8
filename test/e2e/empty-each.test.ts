// `evalEach` over no rows (an empty file, a filter that drops every row) defined no test, and its file passed
// silently. It now defines one failing test, named from its template, that says where and how to fix it; the
// file's other tests still run, and `skip` / `only` / `concurrent` keep their meaning. Needs the build.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

/** The line of the `// site` marker in the fixture file. */
function siteLine(file: string): number {
  return readFileSync(join(import.meta.dirname, 'fixtures', 'empty-each', file), 'utf8').split('\n').findIndex((line) => line.endsWith('// site')) + 1
}

describe('evalEach over no rows', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('empty-each')
  })
  afterAll(() => project?.remove())

  test('defines one failing test per evalEach, named from its template, while the other tests run', async () => {
    const run = await project.run(['empty.test.ts', '--reporter=verbose'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain(`DatasetError: [vitest-llm-evals] evalEach(rows)("answers $question", …) at empty.test.ts:${siteLine('empty.test.ts')} got no rows, so it defines no test of its own.`)
    expect(run.output).toContain('Check the rows it is given: an empty dataset file, or a filter that drops every row.')
    for (const name of ['answers $question (no rows)', 'concurrently answers $id (no rows)', 'a concurrent block > in the block $id (no rows)']) expect(run.stdout).toContain(`× empty.test.ts > ${name}`)
    expect(run.stdout).toContain('✓ empty.test.ts > another test of the file')
    // The code frame points at the evalEach call in the test file.
    expect(run.output).toContain(`❯ empty.test.ts:${siteLine('empty.test.ts')}:`)
    expect(run.stdout).toMatch(/Tests\s+3 failed \| 1 passed \(4\)/)
  })

  test('skipped stays skipped: by option or in a skipped block', async () => {
    const run = await project.run(['skipped.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Tests\s+1 passed \| 2 skipped \(3\)/)
  })

  test('fails: true (cases expected to fail) does not turn the no-rows failure into a pass', async () => {
    const run = await project.run(['fails.test.ts', '--reporter=verbose'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('× fails.test.ts > known failures $id (no rows)')
    expect(run.output).toContain('got no rows, so it defines no test of its own.')
  })

  test('only keeps its meaning: the empty evalEach runs alone, and fails', async () => {
    const run = await project.run(['only.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Tests\s+1 failed \| 1 skipped \(2\)/)
  })
})
