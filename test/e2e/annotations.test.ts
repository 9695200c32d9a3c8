import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('annotations')
})
afterEach(() => project.remove())

/** The `<property>` values of each test case of a JUnit report, by test name. */
function junitProperties(xml: string): Record<string, string[]> {
  const cases: Record<string, string[]> = {}
  for (const match of xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)) {
    const values = [...(match[2] ?? '').matchAll(/<property name="llm-evals" value="([^"]*)">/g)].map((property) => property[1] ?? '')
    cases[match[1] ?? ''] = values
  }
  return cases
}

describe('scores as Vitest annotations', () => {
  test('the JUnit reporter lists every score of a test in its <properties>, and GitHub Actions gets notices at the matcher lines', async () => {
    const result = await project.run(['--reporter=default', '--reporter=junit', '--outputFile.junit=junit.xml', '--reporter=github-actions'], cleanEnv())
    expect(result.code, result.output).toBe(0)
    const cases = junitProperties(project.read('junit.xml'))
    // Every score of the test, the afterEach hook's too.
    const hook = 'similarity:dice 1 ✓ (≥ 0.8)'
    expect(cases['matchers &gt; similar']).toEqual(['similarity:rouge-l 0.833 ✓ (≥ 0.7)', 'similarity:dice 0 ✗ (needs ≥ 0.5)', hook])
    // Concurrent tests keep their own records.
    expect(cases['matchers &gt; first of two']).toEqual(['similarity:rouge-l 1 ✓ (≥ 0.8)', hook])
    expect(cases['matchers &gt; second of two']).toEqual(['retrieval:recall@2 1 ✓ (≥ 1)', hook])
    // Bounded: 20, then one note.
    expect(cases['matchers &gt; many scores']).toHaveLength(21)
    expect(cases['matchers &gt; many scores']?.at(-1)).toBe('more scores not annotated (at most 20 per test): all are in task.meta.evals and the llm-evals report')
    expect(cases['matchers &gt; retried']).toEqual([hook, hook, 'similarity:dice 1 ✓ (≥ 0.8) · retry 1', 'similarity:dice 1 ✓ (≥ 0.8) · retry 1'])
    expect(cases['matchers &gt; not awaited']).toEqual([hook, hook])
    // A describeEval scorer's reason: one line, control characters and escape codes gone, cut, XML-escaped.
    const [judged] = cases['suite &gt; c-1'] ?? []
    expect(judged).toMatch(/^judged 0\.25 ✓ \(≥ 0\.1\) — Line one red &lt;b&gt;&amp;amp;&lt;\/b&gt; x+…$/)
    expect(Array.from(judged ?? '').length).toBeLessThan(300)
    // GitHub Actions: a notice titled llm-evals at the line of the matcher call.
    expect(result.stdout).toMatch(/::notice file=.*scores\.test\.ts,line=18,column=\d+,title=llm-evals::similarity:rouge-l 0\.833 ✓ \(≥ 0\.7\)/)
    // The records stay whole in the report, annotations or not.
    expect(result.stdout).toContain('LLM evals: 38 scores (1 below threshold: matchers > similar · similarity:dice 0.50)')
  })

  test('annotations: false adds none', async () => {
    const result = await project.run(['--reporter=default', '--reporter=junit', '--outputFile.junit=junit.xml'], cleanEnv({ EVAL_ANNOTATIONS: 'off' }))
    expect(result.code, result.output).toBe(0)
    expect(project.read('junit.xml')).not.toContain('<property')
    expect(result.stdout).toContain('LLM evals: 38 scores (1 below threshold: matchers > similar · similarity:dice 0.50)')
  })
})

describe('a key only the test workers have (Vitest `test.env`)', () => {
  test('is hidden from score annotations and from the history and reports', async () => {
    const secrets = fixture('annotations-secrets')
    try {
      const result = await secrets.run(['--reporter=default', '--reporter=junit', '--outputFile.junit=junit.xml', '--reporter=github-actions'], cleanEnv())
      expect(result.code, result.output).toBe(0)
      const junit = secrets.read('junit.xml')
      expect(junit).toContain('judged 1 ✓ (≥ 0.5) — The app printed [REDACTED SERVICE_API_KEY]')
      for (const text of [junit, result.output, secrets.read('.evals', 'history.jsonl'), secrets.read('.evals', 'summary.json')]) expect(text).not.toContain('svc-live-7f3a9c2e5b1d4086')
    } finally {
      secrets.remove()
    }
  })
})

describe('score annotation lines in harder places', () => {
  test('helper modules, the global expect in concurrent tests and a user Error.prepareStackTrace: notices and failures at the test file lines', async () => {
    const hostile = fixture('annotations-hostile')
    try {
      const result = await hostile.run(['--reporter=default', '--reporter=junit', '--outputFile.junit=junit.xml', '--reporter=github-actions'], cleanEnv())
      // Two tests fail on purpose: a failing matcher and an un-awaited one.
      expect(result.code, result.output).toBe(1)
      const notices = [...result.stdout.matchAll(/::notice file=.*?([a-z]+\.test\.ts),line=(\d+),column=\d+,title=llm-evals::/g)].map((match) => `${match[1]}:${match[2]}`)
      // A helper one call deep points at the test's call of the helper; each concurrent test at its own line.
      expect(notices).toEqual(expect.arrayContaining(['helper.test.ts:7', 'helper.test.ts:16', 'helper.test.ts:19', 'helper.test.ts:24', 'helper.test.ts:28', 'prepare.test.ts:7']))
      // The await guard's failures still point at the caller.
      expect(result.stdout).toMatch(/::error file=.*helper\.test\.ts,title=helper\.test\.ts > fails at the caller,line=24,column=25::/)
      expect(result.stdout).toMatch(/::error file=.*helper\.test\.ts,title=helper\.test\.ts > not awaited,line=28,column=23::Error: \[vitest-llm-evals\] `expect\(output\)\.toBeSimilarTo\(…\)` was not awaited/)
      // Every test keeps its score annotation, located or not (a helper four calls deep is past the frames kept).
      expect(junitProperties(hostile.read('junit.xml'))).toEqual({
        helper: ['similarity:dice 1 ✓ (≥ 0.8)'],
        'deep helper': ['similarity:dice 1 ✓ (≥ 0.8)'],
        'global a': ['similarity:dice 1 ✓ (≥ 0.8)'],
        'global b': ['similarity:dice 1 ✓ (≥ 0.8)'],
        'fails at the caller': ['similarity:dice 0 ✗ (needs ≥ 0.9)'],
        'not awaited': ['similarity:dice 1 ✓ (≥ 0.8)'],
        'own prepareStackTrace': ['similarity:dice 1 ✓ (≥ 0.8)'],
      })
    } finally {
      hostile.remove()
    }
  })
})
