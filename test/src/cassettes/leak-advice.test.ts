// A refused write says where the secret came from and how to keep it out, fitting the file: a cassette's value came
// through a recorded call (a prompt, a response, a tool), every other file's through a run's results or the user's own
// data. Before, every file but a recording's cassette was told "keep the key out of prompts, or add a pattern to
// cassettes.redact", which is wrong for a history line, a report, a label or an import (redact changes none of them).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { writeFileAtomic } from '../../../src/atomic-files.js'
import { assertNoSecrets, guardWrite, liveSecrets } from '../../../src/cassettes/redact.js'
import { SecretLeakError } from '../../../src/errors/index.js'
import { appendRun } from '../../../src/history/history-file.js'
import { historyRun } from '../../reporters/fixtures.js'

const VALUE = 'live-advice-token-0123456789'
const secrets = liveSecrets({ ADVICE_TEST_TOKEN: VALUE })
const refusal = (write: () => void): string => {
  try {
    write()
  } catch (error) {
    expect(error).toBeInstanceOf(SecretLeakError)
    return (error as Error).message
  }
  throw new Error('the write was not refused')
}

describe('the advice of a refused write fits the file', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leak-advice-'))
    vi.stubEnv('ADVICE_TEST_TOKEN', VALUE)
  })
  afterEach(() => {
    vi.unstubAllEnvs()
    rmSync(dir, { recursive: true, force: true })
  })

  test("a history line: the run's results hold it, not a prompt's recording; redact is not the fix", () => {
    const message = refusal(() => appendRun(join(dir, 'history.jsonl'), historyRun('r1', { [`metric-${VALUE}`]: 0.7 })))
    expect(message).toMatch(/^\[vitest-llm-evals\] Refused to write .*history\.jsonl: it would contain the value of ADVICE_TEST_TOKEN \(line 1\)\. The file on disk was left as it was\. /)
    expect(message).toContain("This run's results hold it (a model's or a judge's text, a test, suite, case or metric name, a dataset row), not a cassette's recording")
    expect(message).toContain('`cassettes.redact` applies to cassettes only.')
    expect(message).not.toContain('keep the key out of prompts, or add a pattern')
    expect(message).not.toContain(VALUE)
  })

  test('a report or summary written whole: the same', () => {
    const message = refusal(() => writeFileAtomic(join(dir, 'report.html'), `<p>${VALUE}</p>`, { durable: false }))
    expect(message).toContain("This run's results hold it")
    expect(message).not.toContain('add a pattern that matches it to `llmEvals({ cassettes: { redact')
  })

  test("a label: the label's note holds it; an import: the imported file holds it", () => {
    expect(refusal(() => guardWrite(join(dir, 'labels.jsonl'), `{"note":"${VALUE}"}`, secrets, 'labels'))).toContain("A label's note (or the case or output it labels) holds it: remove the key from it and save the label again.")
    expect(refusal(() => guardWrite(join(dir, 'suite.evals.ts'), `const key = '${VALUE}'`, secrets, 'import'))).toContain('The file being imported holds it (in a prompt, a variable or an example): remove the key from that file')
  })

  test('a cassette merged with what is on disk: a recording already there holds it', () => {
    const message = refusal(() => assertNoSecrets(`{\n  "a": "${VALUE}"\n}`, join(dir, 'a.test.ts.cassette.json'), secrets))
    expect(message).toContain('(line 2)')
    expect(message).toContain('A recording already in the file (stored by another process or an earlier version) holds it: find it at that line, then remove that entry or record its test again')
  })

  test("a new recording: still the prompt's or response's advice, and redact", () => {
    const message = refusal(() => assertNoSecrets(`{"a":"${VALUE}"}`, 'a.test.ts.cassette.json', secrets, 'answers'))
    expect(message).toContain('Usually the prompt or the API response contains the key; keep the key out of prompts, or add a pattern that matches it to `llmEvals({ cassettes: { redact: [...] } })` so it is scrubbed before writing.')
  })
})
