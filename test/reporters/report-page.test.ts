// The report page in a real browser (headless Chromium through playwright-core), fed hand-built ReportData:
// the first screen, filters and counts, search, the URL hash, an opened case, the word diff, keyboard, widths.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { renderReportPage } from '../../reporters/render-html.js'
import { chromiumFor, launchChromium } from '../support/chromium.js'
import { HOSTILE_OUTPUT, manyCases, pageData, pageInput } from './report-page-fixtures.js'

/** The page script sets it once every control works. */
const READY = "document.documentElement.dataset.ready === 'true'"

const browser = chromiumFor('the report page')

describe.skipIf(!browser)('report page in headless Chromium', () => {
  let dir: string
  let shots: string
  let context: BrowserContext
  let url: string
  const problems: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-page-'))
    shots = join(dir, 'screenshots')
    mkdirSync(shots)
    console.log(`report page screenshots: ${shots}`)
    context = await launchChromium(browser, join(dir, 'profile'))
    const file = join(dir, 'report.html')
    writeFileSync(file, renderReportPage(pageInput(), pageData()))
    url = pathToFileURL(file).href
  })
  afterAll(async () => {
    await context?.close()
    if (dir && !process.env.KEEP_REPORT_SCREENSHOT) rmSync(dir, { recursive: true, force: true })
    expect(problems).toEqual([])
  })

  async function open(hash = '', width = 1280): Promise<Page> {
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    await page.setViewportSize({ width, height: 800 })
    await page.goto(url + hash)
    await page.waitForFunction(READY)
    return page
  }
  const keys = (page: Page) => page.locator('#cases tr.case').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { key: string } }).dataset.key))
  const shown = (page: Page) => page.locator('#shown').innerText()

  test('the first screen shows the run, the verdict and what changed without scrolling, and draws the matrix', async () => {
    const page = await open()
    expect(await page.locator('#verdict .run-meta').innerText()).toMatch(/^2025-01-02 10:00 abcdef1 · main · previous run 2025-01-01 10:00/)
    for (const selector of ['#verdict', '#changes', 'button[data-filter=failing]']) expect((await page.locator(selector).boundingBox())?.y).toBeLessThan(800)
    expect(await keys(page)).toEqual(['qa:capital', 'qa:river', 'qa:math', 'chat:hostile', 'chat:greet'])
    expect(await page.locator('table.suite').evaluateAll((tables) => tables.map((table) => [...table.querySelectorAll('tr.variants th, tr.cols th')].map((th) => [th.textContent, th.getAttribute('colspan')])))).toEqual([
      [['', null], ['gpt', '2'], ['claude', '2'], ['', null], ['case', null], ['factuality', null], ['relevance', null], ['factuality', null], ['relevance', null], ['flags', null]],
      [['case', null], ['tone', null], ['flags', null]],
    ])
    const capital = page.locator('tr.case[data-key="qa:capital"] td.cell')
    expect(await capital.evaluateAll((cells) => cells.map((cell) => [cell.className, cell.textContent]))).toEqual([
      ['cell fail', '0.20\u22120.70 from 0.90'],
      ['cell pass', '0.80'],
      ['cell pass vstart', '0.90'],
      ['cell pass', '1.00'],
    ])
    expect(await page.locator('tr.case[data-key="qa:math"] .trials i').evaluateAll((marks) => marks.map((mark) => mark.className))).toEqual(['p', 'p', 'f'])
    expect(await page.locator('tr.case[data-key="chat:greet"] td.cell').getAttribute('class')).toBe('cell awaiting')
    expect(await page.locator('tr.case[data-key="chat:hostile"] td.flags').innerText()).toMatch(/failing\s*disagree/)
    expect(await shown(page)).toBe('5 of 5 cases')
    await page.screenshot({ path: join(shots, 'first-screen-1280.png') })
  })

  test('filters, suite and metric narrow the rows and the buttons count them', async () => {
    const page = await open()
    expect(await page.locator('button[data-filter]').evaluateAll((buttons) => buttons.map((button) => button.textContent))).toEqual(['all5', 'failing2', 'regressed1', 'improved1', 'flaky1', 'disagree1', 'awaiting1'])
    await page.locator('button[data-filter=failing]').click()
    expect(await keys(page)).toEqual(['qa:capital', 'chat:hostile'])
    expect(await shown(page)).toBe('2 of 5 cases')
    await page.locator('button[data-filter=improved]').click()
    expect(await keys(page)).toEqual(['qa:river'])
    await page.locator('button[data-filter=all]').click()
    await page.selectOption('#suite', 'chat.eval.ts > chat')
    expect(await keys(page)).toEqual(['chat:hostile', 'chat:greet'])
    expect(await page.locator('button[data-filter=failing]').textContent()).toBe('failing1')
    await page.selectOption('#suite', '')
    await page.selectOption('#metric', 'factuality')
    expect(await keys(page)).toEqual(['qa:capital', 'qa:river', 'qa:math'])
    expect(await page.locator('tr.case[data-key="qa:capital"] td.cell').count()).toBe(2)
    expect(new URL(page.url()).hash).toBe('#metric=factuality')
  })

  test('search matches ids, inputs and outputs, and the state survives a reload', async () => {
    const page = await open()
    await page.fill('#search', 'ZEBRA')
    await expect.poll(() => keys(page)).toEqual(['chat:greet'])
    await page.fill('#search', 'longest')
    await expect.poll(() => keys(page)).toEqual(['qa:river'])
    await page.fill('#search', '<script>window.hacked')
    await expect.poll(() => keys(page)).toEqual(['chat:hostile'])
    await page.fill('#search', 'capital')
    await expect.poll(() => keys(page)).toEqual(['qa:capital'])
    await page.locator('button[data-filter=regressed]').click()
    await page.locator('tr.case[data-key="qa:capital"] td.id').click()
    await page.locator('.diff-toggle').click()
    expect(new URL(page.url()).hash).toBe('#filter=regressed&q=capital&case=qa%3Acapital&diff=1')
    await page.reload()
    await page.waitForFunction(READY)
    expect(await page.inputValue('#search')).toBe('capital')
    expect(await page.locator('button[data-filter][aria-pressed=true]').getAttribute('data-filter')).toBe('regressed')
    expect(await page.locator('tr.case-detail .diff ins').allInnerTexts()).toEqual(['Lyon'])
    // Another hash (the back button, a pasted link) is applied as it changes.
    await page.evaluate("location.hash = 'suite=chat.eval.ts+%3E+chat'")
    await expect.poll(() => keys(page)).toEqual(['chat:hostile', 'chat:greet'])
    expect(await page.locator('tr.case-detail').count()).toBe(0)
  })

  test('an opened case shows input, expected, each variant output, reasoning and the word diff', async () => {
    const page = await open()
    await page.locator('tr.case[data-key="qa:capital"] td.id').click()
    const detail = page.locator('tr.case-detail')
    expect(await detail.locator('.pair .block pre').allInnerTexts()).toEqual(['What is the capital of France?', 'Paris'])
    expect(await detail.locator('.outputs.several .output > h4').allInnerTexts()).toEqual(['GPT', 'CLAUDE'])
    expect(await detail.locator('.output pre.text').allInnerTexts()).toEqual(['The capital of France is Lyon.', 'Paris.'])
    expect(await detail.locator('.reason').first().innerText()).toBe('FACTUALITY [GPT]\nscore 0.200 fail · was 0.900 · threshold 0.5 · judge openai/gpt-4.1-mini\nSays Lyon is the capital.')
    expect(await detail.locator('.diff').count()).toBe(0)
    await detail.locator('.diff-toggle').click()
    expect(await detail.locator('.diff-toggle').innerText()).toBe('diff vs previous run 2025-01-01 10:00')
    expect(await detail.locator('.diff').innerText()).toBe('The capital of France is ParisLyon.')
    expect(await detail.locator('.diff del').allInnerTexts()).toEqual(['Paris'])
    expect(await detail.locator('.diff ins').allInnerTexts()).toEqual(['Lyon'])
    await page.screenshot({ path: join(shots, 'expanded-diff-1280.png'), fullPage: true })
    // When jsdiff gives up (its timeout), both texts are shown whole.
    await page.evaluate('window.Diff.diffWordsWithSpace = () => undefined')
    await detail.locator('.diff-toggle').click()
    await detail.locator('.diff-toggle').click()
    expect(await detail.locator('.diff.side pre').allInnerTexts()).toEqual(['The capital of France is Paris.', 'The capital of France is Lyon.'])
    // Clicking the row again closes it.
    await page.locator('tr.case[data-key="qa:capital"] td.id').click()
    expect(await page.locator('tr.case-detail').count()).toBe(0)
  })

  test('a first-screen link opens its case with the diff in one click, and a link in the hash on load does too', async () => {
    const page = await open('#filter=flaky')
    // The overview's link to a changed case (renderOverview writes one per regressed or improved case).
    await page.locator('#changes a.change-case[data-case="qa:capital"]').click()
    expect(await page.locator('tr.case-detail .diff ins').allInnerTexts()).toEqual(['Lyon'])
    expect(await page.locator('tr.case[aria-selected=true]').getAttribute('data-key')).toBe('qa:capital')
    const loaded = await open('#case=chat%3Ahostile')
    expect(await loaded.locator('tr.case-detail pre.text').innerText()).toBe(HOSTILE_OUTPUT)
  })

  test('keyboard: j / k move, Enter and o open, Esc closes, / searches, letters pick filters', async () => {
    const page = await open()
    const selected = () => page.locator('tr.case[aria-selected=true]').getAttribute('data-key')
    await page.keyboard.press('j')
    expect(await selected()).toBe('qa:capital')
    await page.keyboard.press('j')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('k')
    expect(await selected()).toBe('qa:river')
    await page.keyboard.press('Enter')
    expect(await page.locator('tr.case[data-key="qa:river"]').getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    expect(await page.locator('tr.case-detail').count()).toBe(0)
    await page.keyboard.press('o')
    expect(await page.locator('tr.case-detail pre.text').first().innerText()).toBe('The Nile.')
    await page.keyboard.press('x')
    expect(await keys(page)).toEqual(['qa:capital', 'chat:hostile'])
    await page.keyboard.press('a')
    await page.keyboard.press('/')
    await page.keyboard.type('greet')
    await expect.poll(() => keys(page)).toEqual(['chat:greet'])
    await page.keyboard.press('Escape')
    expect(await page.evaluate('document.activeElement.id')).not.toBe('search')
    expect(await page.locator('#keys').innerText()).toContain('j / k')
  })

  test('at 390 px the page does not overflow sideways, closed or with a case open', async () => {
    const page = await open('', 390)
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - innerWidth')
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(shots, 'first-screen-390.png') })
    await page.locator('tr.case[data-key="qa:capital"] td.id').click()
    await page.locator('.diff-toggle').click()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(shots, 'expanded-diff-390.png'), fullPage: true })
  })

  test('model text with </script> and markup stays text and does not break the embedded data', async () => {
    const page = await open('#case=chat%3Ahostile')
    expect(await page.locator('tr.case-detail pre.text').innerText()).toBe(HOSTILE_OUTPUT)
    expect(await page.locator('tr.case-detail .reason pre').innerText()).toBe('<b>not bold</b>')
    expect(await page.locator('#cases img, #cases script, #cases b').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: boolean }).hacked)).toBeUndefined()
    expect(await page.locator('script').count()).toBe(3)
  })

  test('a browser that cannot decompress the data says so in the cases section, not with an empty table', async () => {
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.addInitScript('delete globalThis.DecompressionStream')
    await page.goto(url)
    await page.waitForFunction("document.documentElement.dataset.ready === 'error'")
    expect(await page.locator('#cases .load-error').innerText()).toMatch(/^The cases of this report could not be shown \(.*DecompressionStream.*\)\. Open the report in a current Chrome, Edge, Firefox or Safari\.$/)
    // The first screen (rendered in the page itself) is still there.
    expect(await page.locator('#verdict').count()).toBe(1)
    expect(errors).toHaveLength(1)
    await page.close()
  })

  test('5,000 cases: interactive at once, drawn 100 at a time, searched quickly', async () => {
    const file = join(dir, 'big.html')
    writeFileSync(file, renderReportPage(pageInput(), manyCases(5000)))
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(error.message))
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(pathToFileURL(file).href)
    await page.waitForFunction(READY)
    const loadMs = await page.evaluate(() => performance.now())
    expect(await shown(page)).toBe('5,000 of 5,000 cases')
    expect(await page.locator('tr.case').count()).toBe(100)
    await page.locator('#more').scrollIntoViewIfNeeded()
    await expect.poll(() => page.locator('tr.case').count()).toBeGreaterThanOrEqual(200)
    // Time from typing to the matching rows drawn, less the 100 ms the page waits for more typing.
    const searchMs = await page.evaluate<number>(`new Promise((resolve) => {
      const search = document.querySelector('#search')
      const started = performance.now()
      search.value = 'item 154969'
      search.dispatchEvent(new Event('input'))
      new MutationObserver(() => resolve(performance.now() - started - 100)).observe(document.querySelector('#shown'), { childList: true, characterData: true, subtree: true })
    })`)
    await expect.poll(() => keys(page)).toEqual(['big:case-4999'])
    console.log(`5,000 cases: ready ${Math.round(loadMs)} ms after navigation, one search ${Math.round(searchMs)} ms (without the 100 ms debounce)`)
    expect(loadMs).toBeLessThan(5000)
  })
})
