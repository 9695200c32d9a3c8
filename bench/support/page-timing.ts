/**
 * One load of the HTML report in headless Chromium, timed inside the page (no RPC round trips in the figures):
 * navigation start to interactive and to `load`, JS heap and DOM nodes after a garbage collection, and how long
 * a search, a filter and opening a case take until `#shown` (or the opened row) changes and the next frame is drawn.
 *
 * Interactive is when the page sets `document.documentElement.dataset.ready = 'true'` (the contract in
 * reporters/report-data.ts); a page without embedded report data (`#report-data`, the page before the redesign)
 * builds everything before `load`, so its interactive time is its `load`.
 */
import type { BrowserContext, Page } from 'playwright-core'

/** The figures of one page load (milliseconds, bytes, counts); undefined where the page has no such control. */
export interface PageSample {
  interactiveMs: number
  loadMs: number
  readySignal: boolean
  heapBytes: number
  domNodes: number
  searchMs?: number
  searchShown?: string
  filterMs?: number
  filterShown?: string
  expandMs?: number
}

const LIMIT_MS = 60_000
// The page before the redesign took 40 s to load a report of this size on a busy 2-core machine.
const LOAD_LIMIT_MS = 300_000

/** Records when `data-ready` turns 'true' on the root element; installed before any page script runs. */
const WATCH_READY = `new MutationObserver(() => {
  if (globalThis.__readyAt === undefined && document.documentElement?.dataset.ready === 'true') globalThis.__readyAt = performance.now()
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] })`

/**
 * In the page: runs `act`, then resolves once `changed()` holds and the next frame is drawn; returns the
 * milliseconds from `act` to then, or -1 after 60 s. Passed to `page.evaluate` as source, so it stays self-contained.
 */
const UNTIL_CHANGED = `async (act, changed) => {
  const started = performance.now()
  act()
  await new Promise((resolve) => {
    if (changed()) return resolve()
    const observer = new MutationObserver(() => { if (changed()) { observer.disconnect(); resolve() } })
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
    setTimeout(() => { observer.disconnect(); resolve() }, ${LIMIT_MS})
  })
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
  const ms = performance.now() - started
  return ms >= ${LIMIT_MS} ? -1 : ms
}`

/** Times an interaction inside the page; `body` is the source of a function of (untilChanged, argument). */
async function timed(page: Page, body: string, argument: string): Promise<{ ms: number; shown?: string } | undefined> {
  return page.evaluate(`(async () => { const untilChanged = ${UNTIL_CHANGED}; return (${body})(untilChanged, ${JSON.stringify(argument)}) })()`)
}

const SEARCH = `async (untilChanged, query) => {
  const search = document.querySelector('#search')
  if (!search || !document.querySelector('#shown')) return undefined
  const shown = () => document.querySelector('#shown')?.textContent ?? ''
  const before = shown()
  const ms = await untilChanged(() => { search.value = query; search.dispatchEvent(new Event('input', { bubbles: true })) }, () => shown() !== before)
  const result = { ms, shown: shown() }
  // Back to every case, untimed.
  const all = shown()
  await untilChanged(() => { search.value = ''; search.dispatchEvent(new Event('input', { bubbles: true })) }, () => shown() !== all)
  return result
}`

const FILTER = `async (untilChanged, filter) => {
  const button = document.querySelector('button[data-filter="' + filter + '"]')
  if (!button) return undefined
  const shown = () => document.querySelector('#shown')?.textContent ?? ''
  const before = shown()
  const ms = await untilChanged(() => button.click(), () => shown() !== before)
  return { ms, shown: shown() }
}`

// The redesigned page opens a row into a tr.case-detail on click; the page before it had a <details> per field.
const EXPAND = `async (untilChanged) => {
  const row = [...document.querySelectorAll('#cases tr.case')].find((each) => !each.hidden && each.offsetParent !== null)
  if (!row) return undefined
  const output = row.querySelector('details.output > summary')
  if (output) return { ms: await untilChanged(() => output.click(), () => true) }
  const details = () => document.querySelectorAll('#cases tr.case-detail').length
  const before = details()
  const target = row.querySelector('[aria-expanded]') ?? row.cells[0] ?? row
  return { ms: await untilChanged(() => target.click(), () => details() > before) }
}`

/** Loads `url` in a fresh tab of `context` and measures it. */
export async function measurePageLoad(context: BrowserContext, url: string, search: string): Promise<PageSample> {
  const page = await context.newPage()
  try {
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.addInitScript({ content: WATCH_READY })
    await page.goto(url, { waitUntil: 'load', timeout: LOAD_LIMIT_MS })
    const readySignal = (await page.locator('#report-data').count()) > 0
    if (readySignal) await page.waitForFunction(`document.documentElement.dataset.ready === 'true'`, undefined, { timeout: LOAD_LIMIT_MS })
    const times = (await page.evaluate(`({ load: performance.getEntriesByType('navigation')[0].loadEventEnd, ready: globalThis.__readyAt })`)) as { load: number; ready?: number }
    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('Performance.enable')
    const { metrics } = await cdp.send('Performance.getMetrics')
    const metric = (name: string) => metrics.find((each) => each.name === name)?.value ?? Number.NaN
    const searched = await timed(page, SEARCH, search)
    const filtered = await timed(page, FILTER, 'failing')
    const expanded = await timed(page, EXPAND, '')
    if (errors.length) throw new Error(`The report page threw: ${errors.join('; ')}`)
    return {
      interactiveMs: readySignal ? (times.ready ?? Number.NaN) : times.load,
      loadMs: times.load,
      readySignal,
      heapBytes: metric('JSHeapUsedSize'),
      domNodes: metric('Nodes'),
      ...(searched ? { searchMs: searched.ms, searchShown: searched.shown } : {}),
      ...(filtered ? { filterMs: filtered.ms, filterShown: filtered.shown } : {}),
      ...(expanded ? { expandMs: expanded.ms } : {}),
    }
  } finally {
    await page.close()
  }
}
