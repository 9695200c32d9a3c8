// What the library keeps on a test's `meta` (output, input, expected, score reasons) is written by Vitest's own
// JSON and blob reporters as it is. A key the model echoed must not reach them: live key values are named
// (`[REDACTED OPENAI_API_KEY]`), key-looking text is `[REDACTED]`, whichever way each try ends (the library's
// runner, or the setup file's hook under a runner of the project's own). The library's history and summary still work.
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'

/** The live key: 40 characters, not of a known key shape, so only its value can find it. */
const FAKE_KEY = 'live-' + 'T9x'.repeat(11) + 'zz'
const KEY_SHAPED = 'sk-proj-' + 'Qe4'.repeat(8)
const ANSWER = `Your key is ${FAKE_KEY}; the old one was ${KEY_SHAPED}.`
const REDACTED_ANSWER = 'Your key is [REDACTED OPENAI_API_KEY]; the old one was [REDACTED].'

const runners = [
  { name: "the library's runner", env: {} },
  { name: "a project's own runner (the setup file's hook)", env: { OWN_RUNNER: './plain-runner.ts' } },
]

describe.each(runners)('$name', ({ env }) => {
  const setup = fixtureWithServer('meta-secrets')

  test("keeps an echoed key out of Vitest's JSON, JUnit and blob reports; history and summary still hold the case", async () => {
    setup.server.enqueue({ path: '/v1/chat/completions', content: ANSWER })
    setup.server.enqueue({ path: '/v1/chat/completions', content: ANSWER })
    const args = ['--reporter=json', '--reporter=junit', '--reporter=blob', '--outputFile.json=report.json', '--outputFile.junit=junit.xml', '--outputFile.blob=blob.json']
    const run = await setup.project.run(args, setup.liveEnv({ ...env, OPENAI_API_KEY: FAKE_KEY, LLM_EVALS_CASSETTES: 'passthrough' }))
    expect(run.code, run.output).toBe(0)

    for (const file of ['report.json', 'junit.xml', 'blob.json']) {
      const text = setup.project.read(file)
      expect(text, file).not.toContain(FAKE_KEY.slice(5))
      expect(text, file).not.toContain(KEY_SHAPED.slice(3))
    }
    const report = JSON.parse(setup.project.read('report.json')) as { testResults: { assertionResults: { title: string; meta: Record<string, unknown> }[] }[] }
    const metas = new Map(report.testResults.flatMap((file) => file.assertionResults.map((result) => [result.title, result.meta])))
    expect(metas.get('key')).toMatchObject({
      caseId: 'key',
      input: 'Repeat [REDACTED OPENAI_API_KEY]',
      expected: '[REDACTED OPENAI_API_KEY]',
      output: REDACTED_ANSWER,
      evals: [expect.objectContaining({ metric: 'echo', reason: `the model said: ${REDACTED_ANSWER}` })],
    })
    expect(metas.get('a matcher keeps the output')).toMatchObject({ output: REDACTED_ANSWER, evals: [expect.objectContaining({ score: 1 })] })

    const history = setup.project.read('.evals', 'history.jsonl')
    const summary = setup.project.read('.evals', 'summary.json')
    for (const text of [history, summary]) {
      expect(text).not.toContain(FAKE_KEY.slice(5))
      expect(text).toContain('Your key is [REDACTED')
    }
    const cases = (JSON.parse(summary) as { run: { cases: { test: string; output?: string }[] } }).run.cases
    expect(cases.map((each) => each.test).sort()).toEqual(['a matcher keeps the output', 'echo > key'])
  }, 120_000)
})
