import stringSimilarity from 'string-similarity'
import { describe, expect, test } from 'vitest'
import { caseIdOf } from '../../../src/datasets/case-id.js'
import { inspectDataset } from '../../../src/datasets/inspect-dataset.js'
import { oversample } from '../../../src/datasets/oversample.js'

const rows = [
  { id: 'r1', task: 'intent', label: 'refund', text: 'I want my money back for the broken kettle' },
  { id: 'r2', task: 'intent', label: 'refund', text: 'I want my money back for the broken kettle!' },
  { id: 'r3', task: 'intent', label: 'refund', text: 'Refund please, the order never came' },
  { id: 'r4', task: 'intent', label: 'refund', text: 'refund  please, the ORDER never came' },
  { id: 's1', task: 'intent', label: 'shipping', text: 'Where is my parcel?' },
  { id: 'x1', task: 'summary', label: 'ok', text: '' },
  { id: 'x2', task: 'summary', label: 'ok', text: 'y'.repeat(50) },
]

describe('inspectDataset', () => {
  test('counts per task and label; warns on small tasks and class imbalance', () => {
    const report = inspectDataset(rows, { label: 'label', task: 'task', minPerTask: 3, imbalanceRatio: 3 })
    expect(report.rows).toBe(7)
    expect(report.tasks).toEqual([
      { task: 'intent', rows: 5, labels: { refund: 4, shipping: 1 } },
      { task: 'summary', rows: 2, labels: { ok: 2 } },
    ])
    expect(report.warnings).toContain('labels in task "intent" are imbalanced: "refund" 4 vs "shipping" 1 (ratio 4.0 > 3); see oversample()')
    expect(report.warnings).toContain('task "summary" has 2 examples; at least 3 per task are recommended for evals (a pass rate over 2 cases is known only to about ±50 points)')
    expect(report.warnings.some((warning) => warning.startsWith('task "intent" has'))).toBe(false)
  })

  test('eval sets (the default) are warned under 30 cases per task with how roughly a pass rate is known; training data under 1,000', () => {
    expect(inspectDataset(rows, { task: 'task' }).warnings.filter((warning) => warning.includes('recommended'))).toEqual([
      'task "intent" has 5 examples; at least 30 per task are recommended for evals (a pass rate over 5 cases is known only to about ±44 points)',
      'task "summary" has 2 examples; at least 30 per task are recommended for evals (a pass rate over 2 cases is known only to about ±50 points)',
    ])
    expect(inspectDataset(rows, { task: 'task', purpose: 'training' }).warnings).toContain('task "intent" has 5 examples; at least 1,000 per task are recommended for training data')
    const thirty = Array.from({ length: 30 }, (_, index) => ({ id: `r${index}`, text: `question number ${index} ${'x'.repeat(index)}` }))
    expect(inspectDataset(thirty).warnings.some((warning) => warning.includes('recommended'))).toBe(false)
  })

  test('a label, task or text field that no row has is a warning naming it (a typo would only make the counts look odd)', () => {
    const report = inspectDataset(rows, { label: 'lable', task: 'task', text: ['text', 'txet'] })
    expect(report.warnings.slice(0, 2)).toEqual(['no row has the field "lable" (given as label): check its name', 'no row has the field "txet" (given as text): check its name'])
    expect(inspectDataset(rows, { label: 'label', task: 'task' }).warnings.some((warning) => warning.startsWith('no row has'))).toBe(false)
  })

  test('exact duplicates ignore case and spacing; near duplicates use the Dice coefficient', () => {
    const report = inspectDataset(rows, { label: 'label', task: 'task' })
    expect(report.exactDuplicates).toEqual([['r3', 'r4']])
    const similarity = stringSimilarity.compareTwoStrings(rows[0]!.text, rows[1]!.text)
    expect(report.nearDuplicates).toEqual([{ ids: ['r1', 'r2'], similarity }])
    expect(similarity).toBeGreaterThan(0.9)
  })

  test('empty and over-long fields', () => {
    const report = inspectDataset(rows, { maxFieldChars: 40, text: 'text' })
    expect(report.emptyFields).toEqual([{ id: 'x1', field: 'text' }])
    expect(report.longFields).toEqual([{ id: 'r1', field: 'text', chars: 42 }, { id: 'r2', field: 'text', chars: 43 }, { id: 'x2', field: 'text', chars: 50 }])
    expect(report.warnings).toContain('3 fields over 40 characters')
  })

  test('leakage: eval rows found exactly or nearly in the training set', () => {
    const training = [{ text: 'where is my parcel?' }, { text: 'I want my money back for the broken kettle.' }, { text: 'totally unrelated' }]
    const report = inspectDataset(rows.slice(0, 5), { text: 'text', against: training })
    expect(report.leakage).toEqual(
      expect.arrayContaining([
        { id: 's1', trainingId: caseIdOf(training[0]), similarity: 1 },
        { id: 'r1', trainingId: caseIdOf(training[1]), similarity: expect.any(Number) },
        { id: 'r2', trainingId: caseIdOf(training[1]), similarity: expect.any(Number) },
      ]),
    )
    expect(report.leakage).toHaveLength(3)
    expect(report.warnings).toContain('3 rows also in the training set (leakage)')
  })

  test('the length bound prunes without losing pairs, and the comparison cap is reported', () => {
    const many = Array.from({ length: 300 }, (_, index) => ({ id: `t${index}`, text: `${'ab'.repeat(index + 5)} tail ${index}` }))
    const report = inspectDataset(many, { nearDuplicate: 0.95 })
    const brute: string[] = []
    for (let i = 0; i < many.length; i++) for (let j = i + 1; j < many.length; j++) if (stringSimilarity.compareTwoStrings(many[i]!.text, many[j]!.text) >= 0.95) brute.push(`${many[i]!.id}-${many[j]!.id}`)
    expect(report.nearDuplicates.map((pair) => pair.ids.join('-')).sort()).toEqual(brute.sort())
    expect(brute.length).toBeGreaterThan(0)
    expect(report.comparisonsCapped).toBe(false)
    expect(inspectDataset(many, { maxComparisons: 10 }).warnings).toContain('stopped after 10 comparisons: near-duplicate and leakage lists may be incomplete (raise maxComparisons)')
  })
})

describe('oversample', () => {
  test('balances every class to the largest, the same way on every run', () => {
    const balanced = oversample(rows.slice(0, 5), 'label')
    const counts = (list: typeof rows) => list.reduce<Record<string, number>>((all, row) => ({ ...all, [row.label]: (all[row.label] ?? 0) + 1 }), {})
    expect(counts(balanced)).toEqual({ refund: 4, shipping: 4 })
    expect(balanced.slice(0, 5)).toEqual(rows.slice(0, 5))
    expect(oversample(rows.slice(0, 5), 'label')).toEqual(balanced)
    const mixed = [...rows.slice(0, 4), ...rows.slice(4, 5), { ...rows[4]!, id: 's2', text: 'Late delivery' }]
    const seeds = new Set([1, 2, 3, 4, 5, 6].map((seed) => oversample(mixed, (row) => row.label, { seed }).slice(6).map((row) => row.id).join(',')))
    expect(seeds.size).toBeGreaterThan(1)
  })
})
