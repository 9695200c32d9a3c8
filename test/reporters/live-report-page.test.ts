// The live report in a real browser: headless Chromium (test/support/chromium.ts finds it) driven by playwright-core.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compareRuns } from '../../reporters/compare.js'
import { startLiveReportServer, type LiveReportServer } from '../../reporters/live-report-server.js'
import { renderHtml } from '../../reporters/render-html.js'
import { chromiumFor, launchChromium } from '../support/chromium.js'
import { historyRun } from './fixtures.js'

const browser = chromiumFor('the live report page')

const report = (id: string, output: string) => {
  const run = historyRun(id, { rouge: 0.8 })
  for (const score of run.cases ?? []) score.output = output
  return renderHtml({ runs: [run], comparison: compareRuns(run, [], undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] })
}

describe.skipIf(!browser)('live report page in headless Chromium', () => {
  let dir: string
  let context: BrowserContext
  let live: LiveReportServer

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-report-'))
    context = await launchChromium(browser, join(dir, 'profile'))
    live = await startLiveReportServer()
  })
  afterAll(async () => {
    await live?.close()
    await context?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('waits for the first run, then reloads the report by itself after each rerun, with no policy violation', async () => {
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    await page.goto(live.url)
    const frame = page.frameLocator('#report')
    await expect.poll(() => frame.locator('body').innerText()).toContain('Waiting for the first run')

    live.update(report('r1', 'first <img src=x onerror="window.hacked=1">'))
    await expect.poll(() => frame.locator('body').innerText(), { timeout: 10_000 }).toContain('2025-01-01')
    expect(await page.locator('#status').innerText()).toMatch(/^Run 1 · updated /)

    live.update(report('r2', 'second'))
    await expect.poll(() => frame.locator('body').innerText(), { timeout: 10_000 }).toContain('2025-01-02')
    expect(await page.locator('#status').innerText()).toMatch(/^Run 2 · updated /)
    // The report's own script runs in the frame (its filters), model text stays text.
    expect(await page.frames()[1]?.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined()
    expect(problems).toEqual([])

    await live.close()
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toContain('Vitest is not running')
  })
})
