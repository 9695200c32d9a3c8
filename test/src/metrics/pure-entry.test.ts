import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const entry = join(import.meta.dirname, '../../../dist/src/metrics/index.js')

test('vitest-llm-evals/metrics loads in plain Node without Vitest', () => {
  // A resolve hook makes any import of `vitest` throw, as it would where Vitest is not installed.
  const script = `
    import { registerHooks } from 'node:module'
    registerHooks({ resolve(specifier, context, next) {
      if (specifier === 'vitest' || specifier.startsWith('vitest/') || specifier.startsWith('@vitest/')) throw new Error('imports vitest: ' + context.parentURL)
      return next(specifier, context)
    } })
    const metrics = await import(${JSON.stringify(entry)})
    console.log(JSON.stringify([
      metrics.checkInstruction('No commas here.', { id: 'punctuation:no_comma' }).pass,
      metrics.rougeL('the cat sat', 'the cat sat'),
      metrics.recallAtK(['a', 'b'], ['b'], 1),
      metrics.passAtK(5, 1, 5),
      metrics.signTest(9, 1).n,
    ]))
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  expect(run.stderr).toBe('')
  expect(JSON.parse(run.stdout)).toEqual([true, 1, 0, 1, 10])
})
