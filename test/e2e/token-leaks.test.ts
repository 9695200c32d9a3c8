// Tokens only secretlint's patterns knew (GitHub, Slack, AWS key ids, Google, Stripe, npm, private key blocks; later
// GitLab, SendGrid, Shopify, Hugging Face and the preset's other families, passwords in URLs) reached Vitest's JUnit,
// JSON and GitHub Actions output and the terminal from the worker, where secretlint does not run (found by an outside tester). The worker's own patterns hide them now; model text and names show their
// terminal controls as escapes. Runs the build (`npm run build` first).
import { describe, expect, test } from 'vitest'
import { FAKE_SECRET_TEXTS, FAKE_TOKENS } from '../support/fake-tokens.js'
import { cleanEnv, fixture } from './run-fixture.js'

// Every token, then the secrets known by their surroundings (a password in a URL…), which keep those surroundings.
const TOKENS = [...Object.values(FAKE_TOKENS), ...Object.values(FAKE_SECRET_TEXTS).map(({ text }) => text)]
const SHOWN = [...Object.values(FAKE_TOKENS).map(() => '[REDACTED]'), ...Object.values(FAKE_SECRET_TEXTS).map(({ shown }) => shown)]
const LIVE_VALUE = 'tokZZsecretVALUE98765'
const REPORTS = ['--reporter=default', '--reporter=junit', '--outputFile.junit=junit.xml', '--reporter=json', '--outputFile.json=report.json', '--reporter=github-actions']
const env = () => cleanEnv({ FAKE_TOKEN_LIST: JSON.stringify(TOKENS), MY_SERVICE_TOKEN: LIVE_VALUE, GITHUB_ACTIONS: 'true' })

/** Parts of each token (start, middle, end): none may be left in a text, whole or cut. */
const pieces = [
  ...Object.values(FAKE_TOKENS).flatMap((token) => [token.slice(0, 24), token.slice(token.length / 2 - 8, token.length / 2 + 8), token.slice(-16)]),
  // The secret part of the others: what the shown form leaves out of the text.
  ...Object.values(FAKE_SECRET_TEXTS).map(({ text, shown }) => secretPart(text, shown)),
]

function secretPart(text: string, shown: string): string {
  const [before, after] = shown.split('[REDACTED]') as [string, string]
  return text.slice(before.length, text.length - after.length)
}

describe('well-known tokens in model output', () => {
  test("are hidden from the test's meta in Vitest's JSON and JUnit reports, annotations, matcher messages and GitHub errors", async () => {
    const project = fixture('token-leaks')
    try {
      const run = await project.run(['leak.test.ts', ...REPORTS], env())
      expect(run.code, run.output).toBe(1)
      const junit = project.read('junit.xml')
      const json = project.read('report.json')
      for (const [name, text] of [['terminal', run.output], ['junit.xml', junit], ['report.json', json]] as const) {
        for (const piece of pieces) expect(text.includes(piece), `${name} holds ${piece}`).toBe(false)
      }
      type Result = { title: string; meta: { output?: string; evals?: { reason?: string }[] }; failureMessages: string[] }
      const results = (JSON.parse(json) as { testResults: { assertionResults: Result[] }[] }).testResults.flatMap((file) => file.assertionResults)
      const cases = results.filter((result) => /^t\d+$/.test(result.title))
      expect(cases).toHaveLength(TOKENS.length)
      for (const result of cases) {
        const said = `the model said ${SHOWN[Number(result.title.slice(1))]} ok`
        expect(result.meta.output).toBe(said)
        expect(result.meta.evals?.[0]?.reason).toBe(said)
        expect(result.failureMessages.join('\n')).toContain(said)
      }
      expect(junit).toContain('<property name="llm-evals" value="echo 0 ✗ (needs ≥ 0.5) — the model said [REDACTED] ok"')
      expect(run.output).toContain('Received: "the model said [REDACTED] ok"')
      expect(run.output).toContain('↳ echo 0 ✗ (needs ≥ 0.5) — the model said [REDACTED] ok')
    } finally {
      project.remove()
    }
  }, 120_000)

  test('a received value and a suite name in the summary table show their control characters as escapes', async () => {
    const project = fixture('token-leaks')
    try {
      const run = await project.run(['leak.test.ts', '--reporter=default'], env())
      expect(run.output).toContain('Received: "\\u001b[31mRED\\u001b[0m \\u001b]8;;http://evil\\u0007link\\u001b]8;;\\u0007 \\u0000nul"')
      const header = run.output.split('\n').find((line) => line.includes('leak.test.ts > tokens'))
      expect(header).toBe(' leak.test.ts > tokens \\u001b]8;;http://evil\\u0007suite\\u001b]8;;\\u0007')
    } finally {
      project.remove()
    }
  }, 120_000)
})

describe("the suite gate's message quoting a task's error", () => {
  test('hides a live key value and a token and escapes controls, in the terminal and JUnit', async () => {
    const project = fixture('token-leaks')
    try {
      const run = await project.run(['gate.test.ts', ...REPORTS], env())
      expect(run.code, run.output).toBe(1)
      const quoted = `(first, case "k2": upstream said: [REDACTED MY_SERVICE_TOKEN] [REDACTED] \\u001b[2J\\u001b]8;;http://e\\u0007)`
      expect(run.output).toContain(quoted)
      const junit = project.read('junit.xml')
      const gate = /<testcase [^>]*name="gate &gt; suite threshold"[^>]*>([\s\S]*?)<\/testcase>/.exec(junit)?.[1] ?? ''
      expect(gate).toContain('upstream said: [REDACTED MY_SERVICE_TOKEN] [REDACTED] \\u001b[2J')
      expect(gate).not.toContain(LIVE_VALUE)
      expect(gate).not.toContain(TOKENS[0]!.slice(0, 24))
      const gateLines = run.output.split('\n').filter((line) => line.includes('first, case') || line.includes('errored:'))
      expect(gateLines.length).toBeGreaterThan(0)
      for (const line of gateLines) expect(line).not.toMatch(/tokZZ|ghp_|[\u0007\u001b](?!\[[0-9;]*m)/)
    } finally {
      project.remove()
    }
  }, 120_000)
})
