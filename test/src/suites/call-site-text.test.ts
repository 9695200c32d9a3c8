// Where a suite or an evalEach was defined, as the `file:line` its errors print: the first frame of a stack
// captured at the call, relative to the working directory.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { callSiteText } from '../../../src/suites/call-site-text.js'

const stackAt = (frame: string) => `Error\n    at ${frame}\n    at runTest (/repo/node_modules/vitest/dist/index.js:1:1)`

describe('callSiteText', () => {
  test('gives the first frame\'s file, relative to the working directory, and line', () => {
    expect(callSiteText(stackAt(`Object.<anonymous> (${join(process.cwd(), 'evals', 'bot.test.ts')}:12:3)`))).toBe('evals/bot.test.ts:12')
    expect(callSiteText(stackAt(`${pathToFileURL(join(process.cwd(), 'evals', 'bot.test.ts')).href}:7:1`))).toBe('evals/bot.test.ts:7')
  })

  test('keeps a path with spaces whole (a folder such as "My Drive" or "Application Support")', () => {
    expect(callSiteText(stackAt(`Object.<anonymous> (${join(process.cwd(), 'my evals', 'bot.test.ts')}:12:3)`))).toBe('my evals/bot.test.ts:12')
    expect(callSiteText(stackAt(`${join(process.cwd(), 'my evals', 'bot.test.ts')}:4:1`))).toBe('my evals/bot.test.ts:4')
  })

  test('is undefined for a stack without a position', () => {
    expect(callSiteText(undefined)).toBeUndefined()
    expect(callSiteText('Error\n    at <anonymous>')).toBeUndefined()
  })
})
