// A cassette whose text cannot be parsed: an empty file says it is empty (not "not valid JSON (Unexpected end of
// JSON input)" with merge-conflict advice), and the parser's quote of a damaged file is shown on one line without
// the control characters a terminal would act on.
import { describe, expect, test } from 'vitest'
import { parseCassette } from '../../../src/cassettes/cassette-file.js'
import { CassetteError } from '../../../src/errors/index.js'

const file = '/repo/__cassettes__/bot.test.ts.cassette.json'
function messageOf(text: string): string {
  let error: unknown
  try {
    parseCassette(text, file)
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(CassetteError)
  return (error as Error).message
}

describe('a cassette that is not JSON', () => {
  test('an empty file says it is empty and how to get it back', () => {
    expect(messageOf('')).toBe(
      `[vitest-llm-evals] Cannot read cassette ${file}: it is empty (0 bytes), so it holds no recording. ` +
        `Restore it with \`git checkout -- ${file}\`, or delete it and record again: \`LLM_EVALS_CASSETTES=auto npx vitest run <its test file>\`.`,
    )
    expect(messageOf('\n  \n')).toContain('it is empty (only white space)')
  })

  test('damaged text: the quote of it is on one line, its control characters escaped', () => {
    const message = messageOf('\u001b[2J\u001b[Hnot json\nsecond line')
    expect(message).toContain('it is not valid JSON (')
    expect(message).toContain('merge conflict')
    expect(message).not.toContain('\u001b')
    expect(message).not.toContain('\n')
  })
})
