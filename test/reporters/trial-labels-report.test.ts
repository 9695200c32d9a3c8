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
})
