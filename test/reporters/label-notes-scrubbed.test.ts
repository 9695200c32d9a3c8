// Notes of human labels are typed or pasted by people: a key in one must not reach report.html, summary.json or an
// export, and must not make the end of the run fail (issue: a live key in a note threw SecretLeakError on report.html).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { finishRun } from '../../reporters/history-store.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { historyRun } from './fixtures.js'

const LIVE = 'svc-live-note-0123456789abcdef'
const GITHUB = 'ghp_0123456789abcdefghijABCDEFGHIJ012345'
const NOTE = `quoted ${LIVE} and ${GITHUB} \u001b[2K\u001b[1A✓ fine`

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'label-notes-'))
  vi.stubEnv('NOTE_TEST_TOKEN', LIVE)
})
afterEach(() => {
  vi.unstubAllEnvs()
  rmSync(dir, { recursive: true, force: true })
})

function labelledRun() {
  const run = historyRun('r1', { rouge: 1 })
  const labels = join(dir, 'labels.jsonl')
  // Written by hand (or by an older version), as the tester's was: nothing scrubbed it on the way in.
  writeFileSync(labels, `${JSON.stringify({ caseId: 'a', metric: 'rouge', label: 'fail', note: NOTE, by: `ana ${GITHUB}`, at: '2026-12-07T15:00:00.000Z', suite: 'bot.test.ts > bot' })}\n`)
  return { run, labels }
}

describe('label notes in reports', () => {
  test('a live key, a token and control characters in a note are scrubbed from the disagreements', () => {
    const { run, labels } = labelledRun()
    const [example] = measureAgreement(run.cases, labels).disagreements
    expect(example?.note).toBe('quoted [REDACTED] and [REDACTED] \\u001b[2K\\u001b[1A✓ fine')
    expect(measureAgreement(run.cases, labels).labels?.get('bot.test.ts > bot\u0000a\u0000rouge')?.by).toBe('ana [REDACTED]')
  })

  test("a project's own credential values (the run's secrets) are scrubbed too", () => {
    const { run, labels } = labelledRun()
    vi.unstubAllEnvs()
    expect(measureAgreement(run.cases, labels).disagreements[0]?.note).toContain(LIVE)
    expect(measureAgreement(run.cases, labels, [{ name: 'PROJECT_API_KEY', value: LIVE }]).disagreements[0]?.note).toBe('quoted [REDACTED] and [REDACTED] \\u001b[2K\\u001b[1A✓ fine')
  })

  test('the run ends and writes report.html and summary.json without the key', () => {
    const { run, labels } = labelledRun()
    const files = { root: dir, history: join(dir, 'h.jsonl'), baseline: join(dir, 'baseline.json'), retention: { caseScores: 10, caseDetails: 10 }, html: join(dir, 'report.html'), json: join(dir, 'summary.json') }
    const finished = finishRun(run, { time: new Date('2026-12-07T16:00:00Z'), env: {} }, files, { tolerance: 0.05, write: true, agreement: measureAgreement(run.cases, labels) }, { warn: () => {} })
    expect(finished.written).toEqual([files.history, files.html, files.json])
    for (const file of [files.html, files.json]) {
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain(LIVE)
      expect(text).not.toContain(GITHUB)
      expect(text).not.toContain('\u001b')
      expect(text).toContain('quoted [REDACTED] and [REDACTED]')
    }
    expect(JSON.parse(readFileSync(files.json, 'utf8')).agreement.disagreements[0].note).toBe('quoted [REDACTED] and [REDACTED] \\u001b[2K\\u001b[1A✓ fine')
  })
})
