import { stripVTControlCharacters } from 'node:util'
import { describe, expect, test, type TestContext } from 'vitest'
import { isAwaitGuarded } from '../../matchers/shared/await-guard.js'
import { registerMatchers } from './support.js'

registerMatchers()

const reported: string[][] = []

/** Registered before the matcher call, so (hooks run in stack order) it sees the guard's error. */
function captureErrors({ onTestFinished, task }: TestContext): void {
  onTestFinished(() => {
    reported.push((task.result?.errors ?? []).map((error) => stripVTControlCharacters(error.message)))
  })
}

describe('await guard', () => {
  test('is installed on every matcher by registerMatchers', () => {
    for (const name of ['toBeSimilarTo', 'toMatchSchema', 'toRetrieve', 'toMatchResponseSnapshot']) expect(isAwaitGuarded(name)).toBe(true)
  })

  test.fails('fails a test whose matcher is not awaited, even when it passes (fails on purpose)', (context) => {
    captureErrors(context)
    void expect('same').toBeSimilarTo('same')
  })

  test.fails('fails a test whose failing matcher is not awaited, with its failure (fails on purpose)', (context) => {
    captureErrors(context)
    void expect('cat').not.toBeSimilarTo('cat')
  })

  test.fails('fails a test whose expect.soft matcher is not awaited (fails on purpose)', (context) => {
    captureErrors(context)
    void expect.soft('cat').toBeSimilarTo('cat')
  })

  test('the errors name the call and the fix', () => {
    expect(reported).toMatchInlineSnapshot(`
      [
        [
          "[vitest-llm-evals] \`expect(output).toBeSimilarTo(…)\` was not awaited. vitest-llm-evals matchers are asynchronous; without \`await\` their verdict may arrive after the test ends. Write:

      await expect(output).toBeSimilarTo(…)",
        ],
        [
          "[vitest-llm-evals] \`expect(output).not.toBeSimilarTo(…)\` was not awaited. vitest-llm-evals matchers are asynchronous; without \`await\` their verdict may arrive after the test ends. Write:

      await expect(output).not.toBeSimilarTo(…)

      It failed on its own as well:
      expect(output).not.toBeSimilarTo(expected)

      Expected output not to be similar to the expected text (rouge-l >= 0.80).

      Score:     1.00 (rouge-l)
      Threshold: 0.80
      Reasons:
        - compared with: "cat"
      Output:
        cat",
        ],
        [
          "[vitest-llm-evals] \`expect.soft(output).toBeSimilarTo(…)\` was not awaited. vitest-llm-evals matchers are asynchronous; without \`await\` their verdict may arrive after the test ends. Write:

      await expect.soft(output).toBeSimilarTo(…)",
        ],
      ]
    `)
  })

  test("a failing async matcher's error points at the line that called it (Vitest shows that file and line)", async () => {
    const error = await expect([{ name: 'a', args: {} }]).toCallTool('b').then(() => undefined, (thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).stack?.split('\n').slice(1).join('\n')).toContain('await-guard.test.ts')
  })

  test('passes when the matcher is awaited through then, Promise.all or a later await', async () => {
    const pending = expect('a').toBeSimilarTo('a')
    await Promise.all([expect('b').toBeSimilarTo('b'), pending])
    await expect('c').toBeSimilarTo('c').then(() => 'done')
  })
})
