// The HTML report in a real browser: headless Chromium (test/support/chromium.ts finds it) driven by playwright-core.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compareRuns } from '../../reporters/compare.js'
import { renderHtml } from '../../reporters/render-html.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { appendLabel } from '../../src/review/labels-file.js'
import { chromiumFor, launchChromium } from '../support/chromium.js'
import { historyRun } from './fixtures.js'

const browser = chromiumFor('the HTML report')

const SUITE = 'bot.test.ts > bot'
const runs = [historyRun('r1', { rouge: 0.9, bleu: 0.5 }), historyRun('r2', { rouge: 0.8, bleu: 0.6 })]
const current = historyRun('r3', { rouge: 0.5, bleu: 0.7 })
current.cases = [
  { suite: SUITE, test: 'bot > a', caseId: 'a', metric: 'rouge', score: 0.5, pass: false, trials: 1, output: '<script>window.hacked = true</script><img src=x onerror="window.hacked = true">', reason: '<b>not bold</b>' },
  { suite: SUITE, test: 'bot > b', caseId: 'b', metric: 'bleu', score: 0.7, pass: true, trials: 3, passes: 2, flaky: true, humanLabel: 'pass' },
]

describe.skipIf(!browser)('HTML report in headless Chromium', () => {
  let dir: string
  let context: BrowserContext
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'html-report-'))
    context = await launchChromium(browser, join(dir, 'profile'))
  })
  afterAll(async () => {
    await context?.close()
    if (dir && !process.env.KEEP_REPORT_SCREENSHOT) rmSync(dir, { recursive: true, force: true })
  })

  test('renders charts and case rows, shows model output as text, and filters cases', async () => {
    const file = join(dir, 'report.html')
    // A reviewer failed case a (the grader failed it too) and b (the grader passed it): one disagreement.
    const labelsFile = join(dir, 'labels.jsonl')
    appendLabel(labelsFile, { caseId: 'a', metric: 'rouge', label: 'fail' })
    appendLabel(labelsFile, { caseId: 'b', metric: 'bleu', label: 'fail', note: '<i>wrong</i>' })
    const agreement = measureAgreement(current.cases, labelsFile)
    writeFileSync(file, renderHtml({ runs: [...runs, current], comparison: compareRuns(current, runs, undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [], agreement }))
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    await page.goto(pathToFileURL(file).href)

    const chart = page.locator('figure.chart svg')
    await expect.poll(() => chart.count()).toBe(1)
    const box = await chart.boundingBox()
    expect(box?.width).toBeGreaterThan(300)
    expect(await page.locator('polyline.series').evaluateAll((lines) => lines.map((line) => [line.getAttribute('data-series'), line.getAttribute('points')?.split(' ').length]))).toEqual([
      ['rouge', 3],
      ['bleu', 3],
    ])

    const rows = page.locator('#cases tr.case')
    expect(await rows.count()).toBe(2)
    await page.locator('#cases details.output summary').first().click()
    expect(await page.locator('#cases details.output pre').first().innerText()).toBe('<script>window.hacked = true</script><img src=x onerror="window.hacked = true">')
    expect(await page.locator('#cases img, #cases script, #cases b').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: boolean }).hacked)).toBeUndefined()

    await page.getByRole('button', { name: 'flaky' }).click()
    expect(await rows.evaluateAll((all) => all.filter((row) => !(row as unknown as { hidden: boolean }).hidden).map((row) => row.querySelector('td:nth-child(2)')?.firstChild?.textContent))).toEqual(['b'])
    await page.getByRole('button', { name: 'failing' }).click()
    expect(await page.locator('#shown').innerText()).toBe('1 of 2 cases')
    await page.getByRole('button', { name: 'all' }).click()

    expect(await page.locator('#agreement > tbody > tr').evaluateAll((all) => all.map((row) => [...row.children].slice(0, 5).map((cell) => (cell as unknown as { innerText: string }).innerText)))).toEqual([
      // one pair, both fail: pe 1, kappa undefined
      ['code', 'rouge', '1', '1.000 [0.207, 1.000]', '—'],
      // one pair, grader pass vs human fail: po 0, pe 0 → kappa 0
      ['code', 'bleu', '1', '0.000 [0.000, 0.793]', '0.000'],
    ])
    expect(await page.locator('#disagreements tr.disagreement').evaluateAll((all) => all.map((row) => [...row.children].map((cell) => (cell as unknown as { innerText: string }).innerText)))).toEqual([['b', 'bleu', 'pass', 'fail\n<i>wrong</i>', '']])
    expect(await page.locator('#disagreements i').count()).toBe(0)

    const screenshot = join(dir, 'report.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    console.log(`report screenshot: ${screenshot}`)
    expect(problems).toEqual([])
  })
})
