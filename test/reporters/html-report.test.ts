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
import { caseConversation, caseTrace } from '../../reporters/case-trajectory.js'
import { historyRun } from './fixtures.js'
import { agentCase, HOSTILE, refundConversation, refundTrace } from './trajectory-fixtures.js'

/** The page script sets it once every control works. */
const READY = "document.documentElement.dataset.ready === 'true'"

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

  test('renders a row per case, shows model output as text, and filters cases', async () => {
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
    await page.waitForFunction(READY)

    // One row per case, a column per metric: a scored rouge only, b bleu only.
    const rows = page.locator('#cases tr.case')
    const cells = () => rows.evaluateAll((all) => all.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.className)))
    expect(await page.locator('#cases tr.cols').innerText()).toMatch(/^case\s+rouge\s+bleu\s+flags$/)
    expect(await cells()).toEqual([
      ['id', 'cell fail', 'cell none', 'flags'],
      ['id', 'cell none', 'cell pass', 'flags'],
    ])
    await rows.first().click()
    expect(await page.locator('tr.case-detail pre.text').innerText()).toBe('<script>window.hacked = true</script><img src=x onerror="window.hacked = true">')
    expect(await page.locator('tr.case-detail .reason pre').innerText()).toBe('<b>not bold</b>')
    expect(await page.locator('#cases img, #cases script, #cases b').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: boolean }).hacked)).toBeUndefined()

    const ids = () => rows.evaluateAll((all) => all.map((row) => row.querySelector('td.id > div')?.textContent))
    await page.getByRole('button', { name: 'flaky' }).click()
    expect(await ids()).toEqual(['b'])
    expect(await page.locator('#cases tr.case .trials i').evaluateAll((marks) => marks.map((mark) => mark.className))).toEqual(['p', 'p', 'f'])
    await page.getByRole('button', { name: 'failing' }).click()
    expect(await page.locator('#shown').innerText()).toBe('1 of 2 cases')
    expect(await ids()).toEqual(['a'])
    await page.getByRole('button', { name: 'all' }).click()

    expect(await page.locator('#agreement > tbody > tr').evaluateAll((all) => all.map((row) => [...row.children].slice(0, 5).map((cell) => (cell as unknown as { innerText: string }).innerText)))).toEqual([
      // one pair, both fail: pe 1, kappa undefined
      ['code', 'rouge', '1', '1.000 [0.207, 1.000]', '—'],
      // one pair, grader pass vs human fail: po 0, pe 0 → kappa 0
      ['code', 'bleu', '1', '0.000 [0.000, 0.793]', '0.000'],
    ])
    expect(await page.locator('#disagreements tr.disagreement').evaluateAll((all) => all.map((row) => [...row.children].map((cell) => (cell as unknown as { innerText: string }).innerText)))).toEqual([['b', 'bleu', 'pass', 'fail\n<i>wrong</i>', '']])
    expect(await page.locator('#disagreements i').count()).toBe(0)
    // The 'disagree' filter finds the case whose human label contradicts the grader.
    await page.getByRole('button', { name: 'disagree' }).click()
    expect(await ids()).toEqual(['b'])
    await page.getByRole('button', { name: 'all' }).click()

    // At 390 px, wide tables (agreement, confusion matrices, the matrix) scroll inside their box: the page itself does not.
    await page.setViewportSize({ width: 390, height: 800 })
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)

    const screenshot = join(dir, 'report.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    console.log(`report screenshot: ${screenshot}`)
    expect(problems).toEqual([])
  })

  test("a case's trace and conversation open from its row, hostile tool and turn text shown as text", async () => {
    const file = join(dir, 'agent-report.html')
    const run = historyRun('r1', { 'tool-calls': 1, 'task-completion': 0 })
    run.cases = [agentCase('refund', 'tool-calls', { trace: caseTrace(refundTrace(), 2000), conversation: caseConversation(refundConversation(), 2000) }), agentCase('refund', 'task-completion', { score: 0, pass: false })]
    writeFileSync(file, renderHtml({ runs: [run], comparison: compareRuns(run, [], undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] }))
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`)
      void dialog.dismiss()
    })
    await page.goto(pathToFileURL(file).href)

    await page.waitForFunction(READY)

    // Both metrics of the case are one row; opening it shows the test's trace and conversation once.
    expect(await page.locator('#cases tr.case').count()).toBe(1)
    await page.locator('#cases tr.case').click()
    const second = page.locator('tr.case-detail')
    expect(await second.locator('details.trace summary').count()).toBe(1)
    await second.locator('details.trace summary').click()
    await expect.poll(() => second.locator('details.trace li.step').count()).toBe(3)
    expect(await second.locator('details.trace .step-head').allInnerTexts()).toEqual([
      'step 1 · gpt-4.1-mini · 1,200 in / 40 out tokens · 812 ms · 2 calls in parallel',
      'step 2 · gpt-4.1-mini · 1,300 in / 30 out tokens · 640 ms',
      'step 3 · gpt-4.1-mini · 1,400 in / 20 out tokens · 410 ms',
    ])
    expect(await second.locator('details.trace pre.error').innerText()).toBe(`refund service down ${HOSTILE}`)
    await second.locator('details.conversation summary').click()
    await expect.poll(() => second.locator('details.conversation pre.assistant').allInnerTexts()).toEqual(['Which order?', `Refund issued. ${HOSTILE}`])
    expect(await second.locator('details.conversation .ended').innerText()).toBe('Ended: max-turns after 2 turns.')
    // Closing and opening again does not copy it twice.
    await second.locator('details.trace summary').click()
    await expect.poll(() => second.locator('details.trace').evaluate((details) => (details as unknown as { open: boolean }).open)).toBe(false)
    await second.locator('details.trace summary').click()
    await expect.poll(() => second.locator('details.trace').evaluate((details) => (details as unknown as { open: boolean }).open)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await second.locator('details.trace li.step').count()).toBe(3)
    expect(await page.locator('#cases img').count()).toBe(0)
    await page.screenshot({ path: join(dir, 'agent-report.png'), fullPage: true })
    expect(problems).toEqual([])
  })
})
