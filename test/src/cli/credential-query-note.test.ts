// The advice `cassettes check` gives for credential query parameters an earlier version stored: record the tests
// that hold them again (new recordings never store one), with one exact command per test file.
import { describe, expect, test } from 'vitest'
import { credentialQueryNote } from '../../../src/cli/credential-query-findings.js'

describe('credentialQueryNote', () => {
  test('one command per test file: -t for the one test that holds them, the whole file for several', () => {
    const note = credentialQueryNote([
      { testFile: 'test/bot.test.ts', cassette: 'test/__cassettes__/bot.test.ts.cassette.json', test: 'azure' },
      { testFile: 'test/bot.test.ts', cassette: 'test/__cassettes__/bot.test.ts.cassette.json', test: 'azure' },
      { testFile: "test/it's.test.ts", cassette: "test/__cassettes__/it's.test.ts.cassette.json", test: 'a' },
      { testFile: "test/it's.test.ts", cassette: "test/__cassettes__/it's.test.ts.cassette.json", test: 'b' },
      { testFile: undefined, cassette: 'recordings/x.test.ts.cassette.json', test: '(file)' },
    ])
    expect(note).toMatch(/^5 credential query parameters were stored by an earlier version/)
    expect(note).toContain('record the tests holding them again')
    expect(note).toContain("`LLM_EVALS_CASSETTES=record npx vitest run test/bot.test.ts -t '(?:^| )azure$'`")
    expect(note).toContain("`LLM_EVALS_CASSETTES=record npx vitest run 'test/it'\\''s.test.ts'`")
    expect(note).toContain('`LLM_EVALS_CASSETTES=record npx vitest run <the test file of recordings/x.test.ts.cassette.json>`')
    expect(note).not.toContain('[REDACTED] by hand')
  })

  test('lists at most 5 commands, then how many more test files', () => {
    const found = Array.from({ length: 8 }, (_, index) => ({ testFile: `t${index}.test.ts`, cassette: `c${index}`, test: 'x' }))
    const note = credentialQueryNote(found)
    expect(note.match(/LLM_EVALS_CASSETTES=record/g)).toHaveLength(5)
    expect(note).toContain('(+3 more test files: run them the same way)')
  })
})
