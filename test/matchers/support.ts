import { stripVTControlCharacters } from 'node:util'
import { expect } from 'vitest'
import * as matchers from '../../matchers/index.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'

/** What the plugin's worker setup does: register the matchers and guard them against a missing `await`. */
export function registerMatchers(): void {
  expect.extend(matchers)
  installAwaitGuard(Object.keys(matchers))
}

/** The error an assertion (or a case run) expected to fail rejects with; throws if it passed. */
export async function errorOf(assertion: PromiseLike<unknown>): Promise<Error & { actual?: unknown; expected?: unknown }> {
  try {
    await assertion
  } catch (error) {
    return error as Error & { actual?: unknown; expected?: unknown }
  }
  throw new Error('expected it to fail, but it passed')
}

/** The failure message (colors removed) of an assertion expected to fail; throws if it passed. */
export async function failureOf(assertion: PromiseLike<unknown>): Promise<string> {
  return stripVTControlCharacters((await errorOf(assertion)).message)
}
