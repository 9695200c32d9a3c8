// describeEval's errors (options, threshold, data) and its failing `suite threshold` test show the test file's
// line of the describeEval call, on the package as npm installs it (dist/ under node_modules), where a new user
// saw only frames in dist/chunks. Needs the build (`npm run build` first).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixture, installBuiltPackage, type FixtureProject, type RunResult } from './run-fixture.js'

const fixtureDir = join(import.meta.dirname, 'fixtures', 'suite-call-sites')

/** `file:line` of the `// site` marker of `file`: the line of its describeEval call. */
function expectedSite(file: string): string {
  const index = readFileSync(join(fixtureDir, file), 'utf8').split('\n').findIndex((line) => line.endsWith('// site'))
  if (index < 0) throw new Error(`no // site marker in ${file}`)
  return `${file}:${index + 1}`
}

/** The error block the default reporter prints under ` FAIL  <header>` (up to the next separator). */
function failureBlock(output: string, header: string): string {
  const start = output.indexOf(` FAIL  ${header}\n`)
  if (start < 0) throw new Error(`no failure reported for ${header}:\n${output}`)
  const end = output.indexOf('⎯⎯⎯', start)
  return output.slice(start, end < 0 ? undefined : end)
}

/** `file:line` of the first stack location Vitest printed in `block`. */
function reportedSite(block: string): string | undefined {
  return /^\s*❯ (\S+:\d+):\d+\s*$/m.exec(block)?.[1]
}

describe('describeEval errors point at the line of the describeEval call', () => {
  let project: FixtureProject
  let run: RunResult
  beforeAll(async () => {
    project = fixture('suite-call-sites')
    installBuiltPackage(project, 'suite-call-sites-app')
    run = await project.run(['--reporter=default'])
    run = { ...run, output: stripVTControlCharacters(run.output) }
  }, 120_000)
  afterAll(() => project.remove())

  test('an option, threshold or data error (a failed suite) at the describeEval line, without the library frames', () => {
    const files = ['misspelt.test.ts', 'threshold.test.ts', 'empty.test.ts', 'repeats.test.ts']
    expect(readdirSync(fixtureDir).filter((file) => file.endsWith('.test.ts')).sort()).toEqual([...files, 'gate.test.ts'].sort())
    const reported = Object.fromEntries(files.map((file) => [file, reportedSite(failureBlock(run.output, `${file} [ ${file} ]`))]))
    expect(reported).toEqual(Object.fromEntries(files.map((file) => [file, expectedSite(file)])))
    for (const file of files) expect(failureBlock(run.output, `${file} [ ${file} ]`), file).not.toContain('node_modules/vitest-llm-evals/dist')
    const message = (file: string) => failureBlock(run.output, `${file} [ ${file} ]`).split('\n')[1]
    expect(message('misspelt.test.ts')).toMatchInlineSnapshot(`"ConfigError: [vitest-llm-evals] describeEval("misspelt option") has an unknown option "repeat"; did you mean "repeats"? Options: data, task, scorers, threshold, repeats, k, passOn, caseFailures, concurrency, timeout, name, idField, confirmFailures, input, expected."`)
  })

  test('a failing suite threshold at the describeEval line', () => {
    const block = failureBlock(run.output, 'gate.test.ts > low scores > suite threshold')
    expect(reportedSite(block)).toBe(expectedSite('gate.test.ts'))
    expect(block).not.toContain('node_modules/vitest-llm-evals/dist')
    expect(run.code).toBe(1)
  })
})
