import { describe, expect, test } from 'vitest'
import * as matchers from '../../matchers/index.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'

expect.extend(matchers)
installAwaitGuard(Object.keys(matchers))

describe('.toBeSimilarTo', () => {
  test('passes when the output is similar enough', async () => {
    await expect('the cat sat on the mat').toBeSimilarTo('the cat is on the mat', { method: 'rouge-l', threshold: 0.8 })
  })

  test('fails when the output is not similar enough', async () => {
    const error = await expect('a dog barked').toBeSimilarTo('the cat is on the mat', { method: 'rouge-l' }).catch((e: Error) => e)
    expect(String((error as Error).message)).toMatchInlineSnapshot(`
      "[2mexpect([22m[31moutput[39m[2m).toBeSimilarTo([22m[32mexpected[39m[2m)[22m

      Expected output to be similar to the expected text (rouge-l >= 0.80).

      Score:     0.00 (rouge-l)
      Threshold: 0.80
      Reasons:
        - compared with: "the cat is on the mat"
      Output:
        a dog barked"
    `)
  })

  test('records', async ({ task }) => {
    await expect('the cat sat on the mat').toBeSimilarTo('the cat is on the mat')
    expect(task.meta).toMatchInlineSnapshot(`
      {
        "evals": [
          {
            "attempt": {
              "repeat": 0,
              "retry": 0,
            },
            "details": {
              "method": "rouge-l",
            },
            "metric": "similarity:rouge-l",
            "pass": true,
            "score": 0.8333333333333334,
            "threshold": 0.8,
          },
        ],
      }
    `)
  })
})
