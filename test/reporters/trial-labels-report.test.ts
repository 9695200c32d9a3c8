// The HTML report of a case run several times (`repeats`): each kept trial is shown with its own output, verdict
// and the human label given on it (not only the case's label), and the kept trace with the last trial, whose it is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildReportData } from '../../reporters/report-model.js'
import { renderHtml } from '../../reporters/render-html.js'
import { MAX_REPORT_TRIAL_OUTPUT_CHARS } from '../../reporters/report-outputs.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { appendLabel, outputHash } from '../../src/review/labels-file.js'
import type { CaseScore, CaseTrace, CaseTrial } from '../../src/history/run-record.js'
import { caseTrace } from '../../reporters/case-trajectory.js'
import { refundTrace } from './trajectory-fixtures.js'
import { chromiumFor, launchChromium } from '../support/chromium.js'
import { reportInput, runOf, score, SUITE } from './report-fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'trial-labels-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MARKUP = '"><img src=x onerror="window.hacked=1"><script>window.hacked=1</script></template>'
const outputs = ['Refunds take 5 days.', `I cannot help${MARKUP}`, 'Refunds take 5 days; start on the orders page.']
const trialsOf = (scores: number[], extra: (at: number) => Partial<CaseTrial> = () => ({})): CaseTrial[] =>
  scores.map((value, at) => ({ trial: at + 1, score: value, pass: value >= 0.5, output: outputs[at] as string, outputHash: outputHash(outputs[at] as string), ...extra(at) }))

/** A case run 3 times, trial 2 failing, with a trace (the last trial's). */
function repeatedCase(extra: Partial<CaseScore> = {}): CaseScore {
  return score('refund', 'mentions-refund', 2 / 3, { trials: 3, passes: 2, pass: false, output: outputs[2], outputHash: outputHash(outputs[2] as string), trialResults: trialsOf([1, 0, 1]), trace: caseTrace(refundTrace(), 2000) as CaseTrace, ...extra })
}

/** 40 cases × 10 trials × 20,000 characters (the kept bounds): 8,000,000 characters of trial outputs. */
function largeCases(): CaseScore[] {
  const long = (at: number) => `${String(at).padStart(4, '0')}${'x'.repeat(19_996)}`
  return Array.from({ length: 40 }, (_, at) => score(`case-${at}`, 'exact', 1, { trials: 10, passes: 10, output: long(at * 10 + 9), trialResults: Array.from({ length: 10 }, (__, trial) => ({ trial: trial + 1, score: 1, pass: true, output: long(at * 10 + trial) })) }))
}

let file = 0
function labelsWith(lines: Parameters<typeof appendLabel>[1][]): string {
  const path = join(dir, `labels-${file++}.jsonl`)
  writeFileSync(path, '')
  for (const line of lines) appendLabel(path, line)
  return path
}

describe('report data of a repeated case', () => {
  test("each trial carries the label given on it: a trial's own, and an untrialled one on the trial whose output it was given on", () => {
    const run = runOf('r1', [repeatedCase()])
    const labels = labelsWith([
      { suite: SUITE, caseId: 'refund', metric: 'mentions-refund', trial: 2, label: `fail${MARKUP}`, outputHash: outputHash(outputs[1] as string) },
      // Written before trials were kept: given on trial 1's output.
      { suite: SUITE, caseId: 'refund', metric: 'mentions-refund', label: 'pass', outputHash: outputHash(outputs[0] as string) },
    ])
    const data = buildReportData(reportInput([], run, { agreement: measureAgreement(run.cases, labels) }))
    const cell = data.rows[0]?.cells[0]
    expect(cell?.trialResults?.map((trial) => [trial.trial, trial.score, trial.pass, trial.humanLabel ?? null])).toEqual([
      [1, 1, true, 'pass'],
      [2, 0, false, `fail${MARKUP}`],
      [3, 1, true, null],
    ])
    expect(data.rows[0]?.outputs[0]?.trials).toEqual(outputs.map((output, at) => ({ trial: at + 1, output })))
  })

  test("a label: metric's trial shows the grader's label and the human label its matcher compared with", () => {
    const run = runOf('r1', [repeatedCase({ metric: 'label:intent', trialResults: trialsOf([1, 0, 1], (at) => ({ automatedLabel: at === 1 ? 'billing' : 'refund', humanLabel: 'refund' })) })])
    const data = buildReportData(reportInput([], run, { agreement: measureAgreement(run.cases, labelsWith([])) }))
    // The case's label counts once, on the last trial; the others show it and say so.
    expect(data.rows[0]?.cells[0]?.trialResults?.map((trial) => [trial.trial, trial.automatedLabel, trial.humanLabel, trial.disagree ?? false])).toEqual([
      [1, 'refund', "refund (the case's label, counted on another trial)", false],
      [2, 'billing', "refund (the case's label, counted on another trial)", false],
      [3, 'refund', 'refund', false],
    ])
  })

  test("the page's trial outputs are bounded, all rows together: past the budget a trial's output is left out and said so, the case's output kept", () => {
    const data = buildReportData(reportInput([], runOf('r1', largeCases())))
    const trials = data.rows.flatMap((row) => row.outputs.flatMap((output) => output.trials ?? []))
    expect(trials).toHaveLength(400)
    const kept = trials.filter((trial) => trial.output !== undefined)
    expect(kept.reduce((sum, trial) => sum + (trial.output as string).length, 0)).toBeLessThanOrEqual(MAX_REPORT_TRIAL_OUTPUT_CHARS)
    expect(kept.length).toBeGreaterThan(0)
    expect(trials.filter((trial) => trial.omitted)).toHaveLength(400 - kept.length)
    expect(data.rows.every((row) => row.outputs[0]?.output?.length === 20_000)).toBe(true)
  })

  test('a case run once has no trials in the report data', () => {
    const data = buildReportData(reportInput([], runOf('r1', [score('a', 'exact', 1, { output: 'x' })])))
    expect(data.rows[0]?.cells[0]).not.toHaveProperty('trialResults')
    expect(data.rows[0]?.outputs[0]).not.toHaveProperty('trials')
  })
})

const browser = chromiumFor('the report page of trial labels')

describe.skipIf(!browser)('report page of a repeated case', () => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await launchChromium(browser, join(dir, 'profile'))
  })
  afterAll(async () => context?.close())

  test("the opened case shows each trial's output and label as text, and the trace with the last trial", async () => {
    const run = runOf('r1', [repeatedCase()])
    const labels = labelsWith([{ suite: SUITE, caseId: 'refund', metric: 'mentions-refund', trial: 2, label: `fail${MARKUP}`, outputHash: outputHash(outputs[1] as string) }])
    const path = join(dir, 'page.html')
    writeFileSync(path, renderHtml(reportInput([], run, { agreement: measureAgreement(run.cases, labels) })))
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(pathToFileURL(path).href)
    await page.waitForFunction("document.documentElement.dataset.ready === 'true'")
    await page.locator('tr.case').first().click()
    const trials = page.locator('.trial')
    expect(await trials.count()).toBe(3)
    expect(await trials.nth(1).locator('h5').innerText()).toBe('trial 2 of 3')
    expect(await trials.nth(1).innerText()).toContain(`mentions-refund: score 0.000 fail · human label fail${MARKUP}`)
    expect(await trials.nth(1).locator('pre.text').innerText()).toBe(outputs[1])
    expect(await trials.nth(0).innerText()).not.toContain('human label')
    // The kept trace is the last trial's: shown there, not after the case's output.
    expect(await trials.nth(2).locator('details.trace').count()).toBe(1)
    expect(await page.locator('details.trace').count()).toBe(1)
    expect(await page.locator('.detail img, .detail script').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined()
    expect(problems).toEqual([])
    await page.close()
  })

  test("a trial output left out of a large page says so where it would be", async () => {
    const path = join(dir, 'large.html')
    writeFileSync(path, renderHtml(reportInput([], runOf('r1', largeCases()))))
    const page = await context.newPage()
    await page.goto(pathToFileURL(path).href)
    await page.waitForFunction("document.documentElement.dataset.ready === 'true'")
    await page.locator('tr.case', { hasText: 'case-39' }).click()
    const trial = page.locator('.trial').first()
    expect(await trial.innerText()).toContain('(output left out of this page, which keeps up to 4,000,000 characters of trial outputs: llm-evals review shows it)')
    expect(await trial.locator('pre.text').count()).toBe(0)
    await page.close()
  })
})
