import { stripVTControlCharacters } from 'node:util'
import { expect } from 'vitest'
import * as matchers from '../../matchers/index.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'

/** What the plugin's worker setup does: register the matchers and guard them against a missing `await`. */
export function registerMatchers(): void {
  expect.extend(matchers)
  installAwaitGuard(Object.keys(matchers))
}

/** The failure message (colors removed) of an assertion expected to fail; throws if it passed. */
export async function failureOf(assertion: PromiseLike<unknown>): Promise<string> {
  try {
    await assertion
  } catch (error) {
    return stripVTControlCharacters((error as Error).message)
  }
  throw new Error('expected the assertion to fail, but it passed')
}
