import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test, vi } from 'vitest'
import { LabelsError, SecretLeakError } from '../../../src/errors/index.js'
import { findHumanLabel, humanLabel, isHumanLabelReference } from '../../../src/review/human-label.js'
import { appendLabel, describeProblems, latestLabels, outputHash, readLabels } from '../../../src/review/labels-file.js'

const scratch = () => join(mkdtempSync(join(tmpdir(), 'labels-')), 'evals', 'labels.jsonl')

describe('labels file', () => {
  test('appends one JSON line per label, creating the folder, with a stable field order', () => {
    const file = scratch()
    const stored = appendLabel(file, { suite: 's', outputHash: outputHash('Paris'), at: '2025-01-01T00:00:00.000Z', by: 'ana', note: 'wrong city', label: 'fail', metric: 'factual', caseId: 'q1' })
    appendLabel(file, { caseId: 'q2', metric: 'tone', label: 4 })
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines[0]).toBe('{"caseId":"q1","metric":"factual","label":"fail","note":"wrong city","by":"ana","at":"2025-01-01T00:00:00.000Z","outputHash":"sha256:5dd272b4f316b776","suite":"s"}')
    expect(JSON.parse(lines[1] as string)).toMatchObject({ caseId: 'q2', metric: 'tone', label: 4, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
    expect(lines[2]).toBe('')
    expect(readLabels(file).labels).toEqual([stored, JSON.parse(lines[1] as string)])
  })

  test('a later label of the same suite, case and metric wins; earlier lines stay in the file', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail' })
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass' })
    appendLabel(file, { caseId: 'q1', metric: 'tone', label: 2 })
    const latest = latestLabels(readLabels(file).labels)
    expect([...latest.values()].map((label) => [label.metric, label.label])).toEqual([
      ['factual', 'pass'],
      ['tone', 2],
    ])
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3)
  })

  test('a trial\'s label is its own line and key: it replaces neither the case\'s label nor another trial\'s', () => {
    const file = scratch()
    mkdirSync(dirname(file), { recursive: true })
    // A line written before labels had trials, as an older version wrote it, is read as it was.
    appendFileSync(file, '{"caseId":"q1","metric":"factual","label":"fail","at":"2025-01-01T00:00:00.000Z","suite":"s"}\n')
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass', suite: 's', trial: 2, at: '2025-01-02T00:00:00.000Z' })
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail', suite: 's', trial: 3 })
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines[1]).toBe('{"caseId":"q1","metric":"factual","label":"pass","at":"2025-01-02T00:00:00.000Z","suite":"s","trial":2}')
    const { labels, problems } = readLabels(file)
    expect(problems).toEqual([])
    expect([...latestLabels(labels).values()].map((label) => [label.trial ?? null, label.label])).toEqual([[null, 'fail'], [2, 'pass'], [3, 'fail']])
    expect(() => appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass', trial: 0 })).toThrow(LabelsError)
  })

  test('reports malformed lines with their line numbers and keeps reading the rest', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass' })
    appendFileSync(file, '<<<<<<< HEAD\n{"caseId":"q2"}\n{oops\n')
    appendLabel(file, { caseId: 'q3', metric: 'factual', label: 'fail' })
    const { labels, problems } = readLabels(file)
    expect(labels.map((label) => label.caseId)).toEqual(['q1', 'q3'])
    expect(problems).toEqual([
      { file, line: 2, message: "a merge conflict marker; keep both sides' lines and delete the markers" },
      { file, line: 3, message: 'metric: Invalid input: expected string, received undefined; label: Invalid input; at: Invalid input: expected string, received undefined' },
      { file, line: 4, message: 'not valid JSON' },
    ])
  })

  test('a line left without its newline does not swallow the next label', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass' })
    appendFileSync(file, '{"caseId":"q2","metric":"factual","label":"fail","at":"2025-01-01T00:00:00Z"}')
    appendLabel(file, { caseId: 'q3', metric: 'factual', label: 'fail' })
    expect(readLabels(file).labels.map((label) => label.caseId)).toEqual(['q1', 'q2', 'q3'])
  })

  test('a labels file an editor saved as Latin-1 is a clear error naming its line, never read through replacement characters', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass', note: 'ok' })
    appendLabel(file, { caseId: 'q2', metric: 'factual', label: 'fail', note: 'café' })
    const latin1 = Buffer.from(readFileSync(file, 'utf8'), 'latin1')
    writeFileSync(file, latin1)
    expect(() => readLabels(file)).toThrowError(LabelsError)
    expect(() => readLabels(file)).toThrowError(/labels\.jsonl: line 2 is not UTF-8 .*Latin-1.*Save it as UTF-8/)
    expect(readFileSync(file).equals(latin1)).toBe(true)
  })

  test('refuses an invalid label with a message naming the case and field', () => {
    const file = scratch()
    expect(() => appendLabel(file, { caseId: 'q1', metric: 'factual', label: '  ' })).toThrowError(LabelsError)
    expect(() => appendLabel(file, { caseId: 'q1', metric: 'factual', label: '  ' })).toThrow('Cannot save the label for case "q1" (factual): `label`')
    expect(existsSync(file)).toBe(false)
  })

  test('refuses a label holding the value of a live credential variable, naming the field and variable; the file stays as it was', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass' })
    const before = readFileSync(file, 'utf8')
    vi.stubEnv('REVIEW_TEST_API_KEY', 'sk-live-review-0123456789')
    try {
      const save = () => appendLabel(file, { caseId: 'q2', metric: 'factual', label: 'fail', note: 'the app printed sk-live-review-0123456789 to the user' })
      expect(save).toThrowError(SecretLeakError)
      expect(() => save()).toThrowError(/^\[vitest-llm-evals\] Refused to save the label for case "q2" \(factual\) in .*labels\.jsonl: its `note` contains the value of REVIEW_TEST_API_KEY\. The labels file was left as it was\. Remove the key from it and save the label again\.$/)
      expect(() => appendLabel(file, { caseId: 'sk-live-review-0123456789', metric: 'factual', label: 'fail' })).toThrowError('case "[REVIEW_TEST_API_KEY]" (factual)')
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  test('concurrent writers in separate processes never lose a label', async () => {
    const file = scratch()
    const child = fileURLToPath(new URL('./append-labels.child.ts', import.meta.url))
    const writers = ['a', 'b', 'c', 'd', 'e', 'f']
    await Promise.all(
      writers.map(
        (writer) =>
          new Promise<void>((resolve, reject) => {
            const process_ = spawn(process.execPath, [child, file, writer, '60'], { stdio: ['ignore', 'ignore', 'pipe'] })
            let errors = ''
            process_.stderr.on('data', (chunk) => (errors += chunk))
            process_.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${writer} exited ${code}: ${errors}`))))
          }),
      ),
    )
    const { labels, problems } = readLabels(file)
    expect(problems).toEqual([])
    expect(labels).toHaveLength(360)
    expect(new Set(labels.map((label) => label.caseId)).size).toBe(360)
    expect(existsSync(`${file}.lock`)).toBe(false)
  })
})

describe('humanLabel', () => {
  test('is a reference resolved later from the labels file, newest line first', () => {
    const file = scratch()
    const reference = humanLabel('q1', 'factual', { file })
    expect(isHumanLabelReference(reference)).toBe(true)
    const target = { suite: 'a.test.ts', caseId: 'q1', metric: 'factual' }
    expect(findHumanLabel(file, target)).toEqual({})
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail', suite: 'a.test.ts' })
    expect(findHumanLabel(file, target).label?.label).toBe('fail')
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass', note: 'changed my mind', suite: 'a.test.ts' })
    expect(findHumanLabel(file, target).label).toMatchObject({ label: 'pass', note: 'changed my mind' })
  })

  test('a label given on one trial is found by the output it judged, when the case has no current label of its own', () => {
    const file = scratch()
    const target = { suite: 'a.test.ts > a', caseId: 'q1', metric: 'intent' }
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'refund', suite: 'a.test.ts > a', trial: 2, outputHash: outputHash('money back please') })
    expect(findHumanLabel(file, target, undefined, { outputHash: outputHash('money back please') }).label).toMatchObject({ label: 'refund', trial: 2 })
    // Another output, or no output to compare: no label (as before trials had labels).
    expect(findHumanLabel(file, target, undefined, { outputHash: outputHash('where is my parcel') })).toEqual({})
    expect(findHumanLabel(file, target)).toEqual({})
    // The case's own label on this output wins; one on another output gives way to the trial's.
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'billing', suite: 'a.test.ts > a', outputHash: outputHash('where is my parcel') })
    expect(findHumanLabel(file, target, undefined, { outputHash: outputHash('money back please') }).label?.label).toBe('refund')
    expect(findHumanLabel(file, target, undefined, { outputHash: outputHash('where is my parcel') }).label?.label).toBe('billing')
  })

  test('between a case label and a trial label on the same output, the newer line wins', () => {
    const file = scratch()
    const target = { suite: 'a.test.ts > a', caseId: 'q1', metric: 'intent' }
    const said = { outputHash: outputHash('money back please') }
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'billing', suite: 'a.test.ts > a', ...said })
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'refund', suite: 'a.test.ts > a', trial: 3, ...said })
    expect(findHumanLabel(file, target, undefined, said).label).toMatchObject({ label: 'refund', trial: 3 })
    // A newer case label wins again; so does a trial label newer than a case label given without a hash.
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'other', suite: 'a.test.ts > a', ...said })
    expect(findHumanLabel(file, target, undefined, said).label?.label).toBe('other')
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'any' , suite: 'a.test.ts > a' })
    appendLabel(file, { caseId: 'q1', metric: 'intent', label: 'refund', suite: 'a.test.ts > a', trial: 1, ...said })
    expect(findHumanLabel(file, target, undefined, said).label).toMatchObject({ label: 'refund', trial: 1 })
  })

  test('finds the label of the suite asked for: the same case id in another suite has none', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail', suite: 'a.test.ts > a' })
    expect(findHumanLabel(file, { suite: 'a.test.ts > a', caseId: 'q1', metric: 'factual' }).label?.label).toBe('fail')
    expect(findHumanLabel(file, { suite: 'b.test.ts > b', caseId: 'q1', metric: 'factual' })).toEqual({})
  })

  test('a legacy label (no suite) applies when the case id is in this suite only, and to none when it is in several', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail' })
    const target = { suite: 'a.test.ts', caseId: 'q1', metric: 'factual' }
    expect(findHumanLabel(file, target).label?.label).toBe('fail')
    expect(findHumanLabel(file, target, () => new Set(['a.test.ts'])).label?.label).toBe('fail')
    expect(findHumanLabel(file, target, () => new Set(['a.test.ts', 'b.test.ts']))).toEqual({
      ambiguousLegacy: { label: expect.objectContaining({ label: 'fail' }), suites: ['a.test.ts', 'b.test.ts'] },
    })
  })

  test('a damaged labels file is an error listing the bad lines', () => {
    const file = scratch()
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail' })
    appendFileSync(file, 'not json\n')
    expect(() => findHumanLabel(file, { suite: 'a.test.ts', caseId: 'q1', metric: 'factual' })).toThrow(`The labels file has lines that cannot be read:\n  ${file}:2: not valid JSON\nFix or remove those lines`)
  })

  test('needs a case id and a metric', () => {
    expect(() => humanLabel('', 'factual')).toThrow('humanLabel(caseId, metric) needs two non-empty strings, got "" and "factual".')
  })

  test('outputHash is a short sha256 of the exact text', () => {
    expect(outputHash('Paris')).toBe('sha256:5dd272b4f316b776')
    expect(outputHash('Paris ')).not.toBe(outputHash('Paris'))
  })
})

describe('describeProblems of a labels file of garbage', () => {
  test('lists the first 20 lines that cannot be read, then how many more', () => {
    const problems = Array.from({ length: 1_000_000 }, (_, index) => ({ file: 'evals/labels.jsonl', line: index + 1, message: 'not valid JSON' }))
    const text = describeProblems(problems)
    expect(text.split('\n')).toHaveLength(21)
    expect(text).toContain('  evals/labels.jsonl:20: not valid JSON\n  … and 999980 more lines that cannot be read')
    expect(describeProblems(problems.slice(0, 2))).toBe('  evals/labels.jsonl:1: not valid JSON\n  evals/labels.jsonl:2: not valid JSON')
  })
})
