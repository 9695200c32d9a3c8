// Every failure of a matcher, misuse or failed assertion, shows the test file's line that made the call: on a
// matcher's first call in a worker (which loads it) as on later ones, in concurrent tests and with expect.soft.
// Runs on the package as npm installs it (dist/ under node_modules), where a new user found later calls
// pointing into dist/chunks. Needs the build (`npm run build` first).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixture, installBuiltPackage, type FixtureProject, type RunResult } from './run-fixture.js'

const fixtureDir = join(import.meta.dirname, 'fixtures', 'call-sites')

/** Each test of `file` with the `file:line:column` of its call, from the `// <kind>: <test name>` markers. */
function expectedSites(file: string, kind: 'misuse' | 'failure'): Map<string, string> {
  const sites = new Map<string, string>()
  readFileSync(join(fixtureDir, file), 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const marker = new RegExp(`// ${kind}: (.+)$`).exec(line)
      const matcher = /\.(to[A-Z]\w*)\(/.exec(line)
      if (marker?.[1] && matcher) sites.set(marker[1], `${file}:${index + 1}:${matcher.index + 2}`)
    })
  return sites
}

/** The error block the default reporter prints under ` FAIL  <file> > <test>` (up to the next separator). */
function failureBlock(output: string, file: string, name: string): string {
  const start = output.indexOf(` FAIL  ${file} > ${name}\n`)
  if (start < 0) throw new Error(`no failure reported for ${file} > ${name}:\n${output}`)
  const end = output.indexOf('⎯⎯⎯', start)
  return output.slice(start, end < 0 ? undefined : end)
}

/** The first stack location Vitest printed in `block` (not a score annotation's `❯ file:line llm-evals`). */
function reportedSite(block: string): string | undefined {
  return /^\s*❯ (\S+:\d+:\d+)\s*$/m.exec(block)?.[1]
}

describe('failures point at the line of the matcher call', () => {
  let project: FixtureProject
  let run: RunResult
  beforeAll(async () => {
    project = fixture('call-sites')
    installBuiltPackage(project, 'call-sites-app')
    run = await project.run(['--reporter=default'])
    run = { ...run, output: stripVTControlCharacters(run.output) }
  }, 120_000)
  afterAll(() => project.remove())

  test('a misuse (ConfigError) at its own line, on the first, second and third call, concurrent or soft', () => {
    const sites = expectedSites('misuse.test.ts', 'misuse')
    expect(sites.size).toBe(11)
    const reported = new Map([...sites.keys()].map((name) => [name, reportedSite(failureBlock(run.output, 'misuse.test.ts', name))]))
    expect(reported).toEqual(sites)
    for (const name of sites.keys()) {
      const block = failureBlock(run.output, 'misuse.test.ts', name)
      expect(block, name).toMatch(/^ConfigError: \[vitest-llm-evals\] /m)
      // The library's own frames are not shown for its errors: the message says what to fix.
      expect(block, name).not.toContain('node_modules/vitest-llm-evals/dist')
    }
  })

  test('a failed assertion at its own line, when it is the first call in the worker and later, concurrent or soft', () => {
    const sites = expectedSites('failures.test.ts', 'failure')
    expect(sites.size).toBe(6)
    const reported = new Map([...sites.keys()].map((name) => [name, reportedSite(failureBlock(run.output, 'failures.test.ts', name))]))
    expect(reported).toEqual(sites)
    expect(run.output).toContain('Tests  17 failed (17)')
  })
})
