// The report page against hostile and oversized input, in headless Chromium: hash values that are not the
// page's own, names and texts with markup from every field the model, the dataset or the user controls, and a
// megabyte output diffed against a megabyte previous output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { renderHtml, renderReportPage } from '../../reporters/render-html.js'
import { chromiumFor, launchChromium } from '../support/chromium.js'
import { manyCases, pageData, pageInput } from './report-page-fixtures.js'
import { reportInput, runOf, score } from './report-fixtures.js'

const READY = "document.documentElement.dataset.ready === 'true'"
const browser = chromiumFor('the report page against hostile input')
const MARKUP = '"><img src=x onerror="window.hacked=1"><script>window.hacked=1</script></template></script>'

describe.skipIf(!browser)('report page against hostile input', () => {
  let dir: string
  let context: BrowserContext
  const problems: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-hostile-'))
    context = await launchChromium(browser, join(dir, 'profile'))
  })
  afterAll(async () => {
    await context?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    expect(problems).toEqual([])
  })

  async function open(html: string, hash = ''): Promise<Page> {
    const file = join(dir, `page-${Math.random().toString(36).slice(2)}.html`)
    writeFileSync(file, html)
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(pathToFileURL(file).href + hash)
    await page.waitForFunction(READY)
    return page
  }
  const pressed = (page: Page) => page.locator('button[data-filter][aria-pressed=true]').evaluateAll((buttons) => buttons.map((button) => (button as unknown as { dataset: { filter: string } }).dataset.filter))

  test('a filter in the hash that is not one of the page own (constructor, __proto__, toString) shows every case', async () => {
    for (const filter of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const page = await open(renderReportPage(pageInput(), pageData()), `#filter=${filter}`)
      expect(await page.locator('#shown').innerText(), filter).toBe('5 of 5 cases')
      expect(await pressed(page), filter).toEqual(['all'])
      await page.close()
    }
  })

  test('markup in suite, metric, variant, case id, output, reason, judge and labels stays text, from history to page', async () => {
    const cases = [
      score(`id${MARKUP}`, `metric${MARKUP}`, 0.2, { suite: `suite${MARKUP}`, variant: `variant${MARKUP}`, output: `out${MARKUP}`, reason: `why${MARKUP}`, input: `in${MARKUP}`, expected: `exp${MARKUP}`, humanLabel: `h${MARKUP}`, judge: { provider: `p${MARKUP}`, model: 'm', promptVersion: '1' } }),
    ]
    const before = runOf('r1', cases.map((each) => ({ ...each, score: 0.9, output: `old${MARKUP}` })))
    const html = renderHtml(reportInput([before], runOf('r2', cases), { gateFailures: [`gate${MARKUP}`] }))
    const page = await open(html)
    await page.locator('tr.case').first().click()
    await page.locator('.diff-toggle').first().click()
    expect(await page.locator('img, main script, template').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined()
    expect(await page.locator('tr.case td.id').innerText()).toContain(`id${MARKUP}`)
    await page.close()
  })

  test("markup in an errored case's error (a task's thrown message) stays text where the reason is", async () => {
    const cases = [score('a', 'exact', 0, { error: `upstream${MARKUP}`, reason: `why${MARKUP}` }), score('b', 'exact', 1)]
    const page = await open(renderHtml(reportInput([], runOf('r1', cases))))
    await page.locator('tr.case').first().click()
    expect(await page.locator('img, main script, template').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined()
    expect(await page.locator('.reason pre').first().innerText()).toBe(`Not scored: upstream${MARKUP}\nwhy${MARKUP}`)
    await page.close()
  })

  test('hostile hash values (unknown suite, metric and case, markup, NUL, 100 KB) leave a working page', async () => {
    const long = 'x'.repeat(100_000)
    for (const hash of [`#suite=${encodeURIComponent(MARKUP)}&metric=${encodeURIComponent(MARKUP)}`, `#case=${encodeURIComponent(`"]${MARKUP}`)}&q=%00`, `#case=${long}&q=${long}`, '#q=%E0%A4%A&case=%']) {
      const page = await open(renderReportPage(pageInput(), pageData()), hash)
      expect(await page.locator('tr.case').count(), hash.slice(0, 40)).toBeGreaterThan(0)
      await page.close()
    }
  })

  test('a run with zero cases, one whose cases all await a label, and one whose detail retention dropped open without errors', async () => {
    const awaiting = runOf('r2', [score('a', 'label:tone', 0, { awaitingLabel: true, output: 'hi' } as never)])
    const dropped = runOf('r2', [score('a', 'exact', 1)])
    delete dropped.cases
    const pages: [string, string, RegExp][] = [
      ['zero', renderHtml(reportInput([], runOf('r1', []))), /^0 of 0 cases$/],
      ['awaiting', renderHtml(reportInput([runOf('r1', [score('a', 'exact', 1)])], awaiting)), /^1 of 1 cases?$/],
      ['dropped', renderHtml(reportInput([runOf('r1', [score('a', 'exact', 1)])], dropped)), /^0 of 0 cases$/],
    ]
    for (const [name, html, shown] of pages) {
      const page = await open(html)
      expect(await page.locator('#shown').innerText(), name).toMatch(shown)
      await page.close()
    }
  })

  test('a link to a case far down draws the rows from that case on, not every row before it, and can show the earlier ones', async () => {
    // Drawing every row up to case 4,990 of 50,000 took 20 s in Chromium: a link from the first screen froze the page.
    const page = await open(renderReportPage(pageInput(), manyCases(5000)), '#case=big%3Acase-4990')
    expect(await page.locator('tr.case-detail').count()).toBe(1)
    expect(await page.locator('tr.case[aria-expanded=true]').getAttribute('data-key')).toBe('big:case-4990')
    expect(await page.locator('tr.case').count()).toBeLessThanOrEqual(200)
    await page.locator('#earlier').click()
    expect(await page.locator('tr.case').first().getAttribute('data-key')).toBe('big:case-0')
    expect(await page.locator('#earlier').isHidden()).toBe(true)
    await page.close()
  })

  test('a 100 KB case id neither fills the first screen nor makes its row thousands of pixels tall', async () => {
    const id = `case-${'x'.repeat(100_000)}`
    const before = runOf('r1', [score(id, 'exact', 0.9), score('short', 'exact', 0.9)])
    const page = await open(renderHtml(reportInput([before], runOf('r2', [score(id, 'exact', 0.1), score('short', 'exact', 0.5)]))))
    expect((await page.locator('#changes').boundingBox())?.height).toBeLessThan(400)
    expect((await page.locator('tr.case').first().boundingBox())?.height).toBeLessThan(200)
    expect(await page.locator('#changes .change-case').first().getAttribute('title')).toMatch(/^case-x+…$/)
    await page.close()
  })

  test('a 1 MB output diffed against a 1 MB previous output opens within a bound', async () => {
    const data = pageData()
    const words = (seed: number) => Array.from({ length: 150_000 }, (_, at) => ((at * seed) % 9973).toString(36)).join(' ')
    const first = data.rows[0]!.outputs[0]!
    first.output = words(7)
    first.previous = words(13)
    const page = await open(renderReportPage(pageInput(), data))
    await page.locator('tr.case[data-key="qa:capital"]').click()
    const started = Date.now()
    await page.locator('.diff-toggle').first().click()
    await page.locator('.diff-holder > *').first().waitFor()
    const ms = Date.now() - started
    console.log(`1 MB vs 1 MB diff opened in ${ms} ms`)
    expect(ms).toBeLessThan(3000)
    await page.close()
  })
})
