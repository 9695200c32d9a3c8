// The charts laid out by headless Chromium (test/support/chromium.ts finds it): they fit a phone's width, and
// neither the latest-value labels nor the x-axis labels overlap, even when lines coincide.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CHART_CSS, renderCharts } from '../../reporters/report-charts.js'
import { noTokens, type GroupAggregate, type HistoryRun } from '../../src/history/run-record.js'
import { chromiumFor, launchChromium } from '../support/chromium.js'

const browser = chromiumFor('the report charts')

function run(index: number): HistoryRun {
  const group = (suite: string, metric: string, mean: number, variant?: string): GroupAggregate => ({ suite, metric, mean, passRate: 1, cases: 3, trials: 3, flaky: 0, ...(variant ? { variant } : {}) })
  return {
    v: 1,
    id: `r${index}`,
    time: new Date(Date.UTC(2026, 5, 1, index * 20)).toISOString(),
    git: { commit: `${(index * 7919).toString(16).padStart(7, '0')}ffff`, branch: 'main' },
    versions: { node: '22.0.0' },
    totals: { tests: 1, scores: 1, failedScores: 0, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 },
    groups: [
      // Three lines at the same value, and a fourth close to them.
      ...['factuality', 'relevance', 'tone'].map((metric) => group('support bot > answers', metric, 0.8)),
      group('support bot > answers', 'a very long metric name for the legend', 0.81),
      ...(index > 150 ? [group('rag', 'recall', 0.85, 'bm25'), group('rag', 'recall', 0.86, 'dense')] : []),
    ],
    suites: [],
  }
}

describe.skipIf(!browser)('report charts in headless Chromium', () => {
  let dir: string
  let context: BrowserContext
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-charts-'))
    context = await launchChromium(browser, join(dir, 'profile'))
  })
  afterAll(async () => {
    await context?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test.each([1280, 390])('at %i px the charts fit the page and no two labels overlap', async (width) => {
    const runs = Array.from({ length: 200 }, (_, index) => run(index))
    const file = join(dir, `charts-${width}.html`)
    writeFileSync(file, `<!doctype html><meta name="viewport" content="width=device-width"><style>body{margin:8px;font-family:sans-serif}${CHART_CSS}</style><div class="charts">${renderCharts(runs, { baselineRunId: 'r180' })}</div>`)
    const page = await context.newPage()
    await page.setViewportSize({ width, height: 900 })
    await page.goto(pathToFileURL(file).href)
    expect(await page.locator('html').evaluate((root) => root.scrollWidth)).toBeLessThanOrEqual(width)
    const overlaps = await page.locator('figure.chart').evaluateAll((figures) =>
      figures.flatMap((figure) => {
        const plot = figure.querySelector('svg.chart-plot')!.getBoundingClientRect()
        const boxes = (selector: string) => [...figure.querySelectorAll(selector)].map((element) => ({ text: element.textContent, box: element.getBoundingClientRect() }))
        // Two px of slack: a text's box spans the font's whole ascent and descent, which digits do not fill.
        const clash = (list: ReturnType<typeof boxes>) =>
          list.flatMap((a, at) => list.slice(at + 1).filter((b) => a.box.left < b.box.right - 2 && b.box.left < a.box.right - 2 && a.box.top < b.box.bottom - 2 && b.box.top < a.box.bottom - 2).map((b) => `${a.text} / ${b.text}`))
        const outside = boxes('text').filter(({ box }) => box.right > plot.right + 1 || box.left < plot.left - 1).map(({ text }) => `${text} outside`)
        return [...clash(boxes('.latest text')), ...clash(boxes('.axis text')), ...outside]
      }),
    )
    expect(overlaps).toEqual([])
    expect(await page.locator('svg.chart-plot').evaluateAll((plots) => plots.map((plot) => Math.round(plot.getBoundingClientRect().width) === Math.round(plot.parentElement!.getBoundingClientRect().width)))).toEqual([true, true])
    await page.close()
  })
})
