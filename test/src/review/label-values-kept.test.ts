import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { findHumanLabel } from '../../../src/review/human-label.js'
import { appendLabel, readLabels } from '../../../src/review/labels-file.js'

// A label value is matched to a grader's category: only its note and reviewer are free text to scrub of token shapes.
const CATEGORY = 'sk-positive-sentiment-category-long'

test('a category that looks like a token is read and stored as it is, so the human label still matches the case', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'labels-values-')), 'labels.jsonl')
  writeFileSync(file, `${JSON.stringify({ caseId: 'q1', metric: 'intent', label: CATEGORY, note: 'see ghp_0123456789abcdefghijABCDEFGHIJ012345', at: '2026-01-01T00:00:00.000Z' })}\n`)
  const [read] = readLabels(file, []).labels
  expect(read?.label).toBe(CATEGORY)
  expect(read?.note).toBe('see [REDACTED]')
  expect(findHumanLabel(file, { suite: 's', caseId: 'q1', metric: 'intent' }).label?.label).toBe(CATEGORY)
  // The review page saves a label (and re-saves it with a note) through appendLabel: the value is not lost.
  appendLabel(file, { caseId: 'q2', metric: 'intent', label: CATEGORY, note: 'ok' })
  expect(JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[1]!).label).toBe(CATEGORY)
})

test('a live credential value used as a label value is still hidden where labels are read', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'labels-values-')), 'labels.jsonl')
  const live = 'live-value-0123456789abcdef'
  writeFileSync(file, `${JSON.stringify({ caseId: 'q1', metric: 'intent', label: `x ${live}`, at: '2026-01-01T00:00:00.000Z' })}\n`)
  expect(readLabels(file, [{ name: 'MY_API_KEY', value: live }]).labels[0]?.label).toBe('x [REDACTED]')
})
