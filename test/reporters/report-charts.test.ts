import { describe, expect, test } from 'vitest'
import { renderCharts, TOOLTIP_RUNS } from '../../reporters/report-charts.js'
import { markerPath, seriesMark } from '../../reporters/chart-marks.js'
import { noTokens, type GroupAggregate, type HistoryRun } from '../../src/history/run-record.js'

type Group = Pick<GroupAggregate, 'suite' | 'metric' | 'mean'> & Partial<GroupAggregate>

/** A run at day `index` (2026-11-01 plus index days, 09:00 UTC) holding `groups`. */
function run(index: number, groups: Group[], git: HistoryRun['git'] = { commit: `c${String(index).padStart(3, '0')}ffffffff`, branch: 'main' }): HistoryRun {
  return {
    v: 1,
    id: `r${index}`,
    time: new Date(Date.UTC(2026, 10, 1 + index, 9)).toISOString(),
    git,
    versions: { node: '22.0.0' },
    totals: { tests: 1, scores: 1, failedScores: 0, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 },
    groups: groups.map((group) => ({ passRate: 1, cases: 3, trials: 3, flaky: 0, ...group })),
    suites: [],
  }
}

/** The chart (`<figure>`) of `suite` in `html`. */
function chartOf(html: string, suite: string): string {
  const found = html.split('<figure ').find((part) => part.startsWith(`class="chart" data-suite="${suite}"`))
  if (!found) throw new Error(`no chart of ${suite} in ${html.slice(0, 200)}`)
  return found
}

/** Values of `attribute` on every element `tag.className` in `html`. */
function attributes(html: string, selector: string, attribute: string): string[] {
  const [tag, className] = selector.split('.')
  return [...html.matchAll(new RegExp(`<${tag} class="${className}"[^>]*>`, 'g'))].map((match) => new RegExp(`\\s${attribute}="([^"]*)"`).exec(match[0])?.[1] ?? '')
}

describe('renderCharts', () => {
  test('latest-value labels stay inside the plot however many lines share a value (12 lines, 200 metrics)', () => {
    for (const count of [12, 200]) {
      const groups = Array.from({ length: count }, (_, at) => ({ suite: 'qa', metric: `m${at}`, mean: 0.8 }))
      const chart = chartOf(renderCharts([run(0, groups), run(1, groups)]), 'qa')
      const ys = [...chart.matchAll(/<g class="latest"[^>]*>.*?<text x="[^"]*" y="([^"]*)"/g)].map((match) => Number(match[1]))
      expect(ys.length, String(count)).toBeGreaterThan(0)
      // Plot from y 14 to 142 (text baseline 3 below its label's centre): none above the chart's top, over its caption.
      expect(Math.min(...ys), String(count)).toBeGreaterThanOrEqual(14)
      expect(Math.max(...ys), String(count)).toBeLessThanOrEqual(145)
      // Labels no closer than 9 units (10-unit text): the lines that do not fit keep their value in the legend's tooltip.
      const sorted = ys.toSorted((a, b) => a - b)
      for (let at = 1; at < sorted.length; at++) expect((sorted[at] as number) - (sorted[at - 1] as number), String(count)).toBeGreaterThanOrEqual(9 - 0.01)
    }
  })

  test('one figure per suite of the current run, a line per metric and variant, legend keys by the same names', () => {
    const runs = [0, 1, 2].map((index) =>
      run(index, [
        { suite: 'qa', metric: 'factuality', mean: 0.8 },
        { suite: 'qa', metric: 'relevance', mean: 0.6 },
        { suite: 'rag', metric: 'recall', variant: 'bm25', mean: 0.5 },
        { suite: 'rag', metric: 'recall', variant: 'dense', mean: 0.7 },
      ]),
    )
    const html = renderCharts(runs)
    expect(html.match(/<figure class="chart"/g)).toHaveLength(2)
    expect(attributes(chartOf(html, 'qa'), 'path.series', 'data-series')).toEqual(['factuality', 'relevance'])
    expect(attributes(chartOf(html, 'rag'), 'path.series', 'data-series')).toEqual(['recall [bm25]', 'recall [dense]'])
    expect(chartOf(html, 'rag')).toContain('<span class="key"><svg class="swatch"')
    expect(chartOf(html, 'rag')).toMatch(/<\/svg>recall \[dense\]<\/span>/)
    expect(html).toMatch(/<svg class="chart-plot" viewBox="0 0 \d+ \d+" role="img"/)
    expect(html).not.toMatch(/<svg class="chart-plot"[^>]* width=/)
    expect(html).not.toContain('style=')
  })

  test('every line has its own dash pattern and marker shape, the first 64 distinct in colour and dash', () => {
    const groups = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((metric) => ({ suite: 'qa', metric, mean: 0.5 }))
    const chart = chartOf(renderCharts([run(0, groups), run(1, groups)]), 'qa')
    const dashes = attributes(chart, 'path.series', 'stroke-dasharray')
    expect(new Set(dashes).size).toBe(8)
    expect(new Set(Array.from({ length: 8 }, (_, index) => markerPath(seriesMark(index).shape, 10, 10, 3))).size).toBe(8)
    expect(attributes(chart, 'path.current', 'd')[1]).toBe(markerPath('square', 274, 78, 5.9))
    const looks = Array.from({ length: 64 }, (_, index) => seriesMark(index)).map((mark) => `${mark.color} ${mark.dash}`)
    expect(new Set(looks).size).toBe(64)
  })

  test('the latest value labels each line; equal values get labels at least a line apart, joined to the point', () => {
    const groups = [
      { suite: 'qa', metric: 'factuality', mean: 0.82 },
      { suite: 'qa', metric: 'relevance', mean: 0.82 },
      { suite: 'qa', metric: 'tone', mean: 0.82 },
    ]
    const chart = chartOf(renderCharts([run(0, groups), run(1, groups)]), 'qa')
    const labels = [...chart.matchAll(/<g class="latest" data-series="([^"]+)">.*?<text x="[\d.]+" y="([\d.]+)"[^>]*>([^<]+)<\/text><\/g>/g)]
    expect(labels.map((label) => [label[1], label[3]])).toEqual([
      ['factuality', '0.82'],
      ['relevance', '0.82'],
      ['tone', '0.82'],
    ])
    const heights = labels.map((label) => Number(label[2])).sort((a, b) => a - b)
    expect(heights[1]! - heights[0]!).toBeGreaterThanOrEqual(13)
    expect(heights[2]! - heights[1]!).toBeGreaterThanOrEqual(13)
    // Two of the three moved off their point, each with a leader line back to it.
    expect(chart.match(/<g class="latest"[^>]*><path d="M[^"]*" stroke=/g)).toHaveLength(2)
  })

  test('the baseline is marked only when its run is drawn; the current run has the larger marker', () => {
    const runs = [0, 1, 2, 3].map((index) => run(index, [{ suite: 'qa', metric: 'factuality', mean: 0.5 + index / 10 }]))
    const html = renderCharts(runs, { baselineRunId: 'r1' })
    expect(html.match(/<g class="baseline">/g)).toHaveLength(1)
    expect(html).toContain('>baseline</text>')
    expect(renderCharts(runs.slice(2), { baselineRunId: 'r1' })).not.toContain('class="baseline"')
    expect(renderCharts(runs)).not.toContain('class="baseline"')
    const size = (path: string) => Number(/a([\d.]+) /.exec(path)?.[1])
    expect(size(attributes(html, 'path.current', 'd')[0]!)).toBeGreaterThan(size(attributes(html, 'path.markers', 'd')[0]!))
  })

  test("bands shade the runs' intervals, broken by a run without one; a lone interval is a bar; tooltips give the interval", () => {
    const intervals = [undefined, { low: 0.6, high: 0.8 }, { low: 0.65, high: 0.85 }, undefined, { low: 0.8, high: 0.9 }]
    const runs = intervals.map((interval, index) => run(index, [{ suite: 'qa', metric: 'rouge', mean: 0.7, ...(interval ? { interval } : {}) }]))
    const html = renderCharts(runs)
    expect(html.match(/<polygon class="band"/g)).toHaveLength(1)
    expect(attributes(html, 'polygon.band', 'points')[0]!.split(' ')).toHaveLength(4)
    expect(html.match(/<line class="band"/g)).toHaveLength(1)
    expect(html).toContain('rouge · 2026-11-02 09:00 c001fff: 0.700 (95% CI 0.60–0.80)')
    expect(html).toContain('rouge · 2026-11-01 09:00 c000fff: 0.700</title>')
  })

  test('a suite missing in older runs starts where it first has a score; a run without it leaves a gap, not a zero', () => {
    const runs = [
      run(0, [{ suite: 'qa', metric: 'factuality', mean: 0.9 }]),
      run(1, [{ suite: 'qa', metric: 'factuality', mean: 0.9 }, { suite: 'rag', metric: 'recall', mean: 0.9 }]),
      run(2, [{ suite: 'qa', metric: 'factuality', mean: 0.8 }]),
      run(3, [{ suite: 'qa', metric: 'factuality', mean: 0.8 }, { suite: 'rag', metric: 'recall', mean: 0.9 }]),
      run(4, [{ suite: 'qa', metric: 'factuality', mean: 0.8 }, { suite: 'rag', metric: 'recall', mean: 0.9 }]),
    ]
    const html = renderCharts(runs, { baselineRunId: 'r0' })
    const rag = chartOf(html, 'rag')
    expect(rag).toContain('aria-label="Score over 4 runs: rag; latest recall 0.90"')
    expect(rag).toContain('>11-02<tspan')
    expect(rag).not.toContain('class="baseline"')
    expect(chartOf(html, 'qa')).toContain('class="baseline"')
    // Run 1 alone (a marker, no line), then runs 3–4 joined: x = 30, 111.3, 192.7, 274 for runs 1–4.
    expect(attributes(rag, 'path.series', 'd')).toEqual(['M192.7 78L274 78'])
    expect(attributes(rag, 'path.markers', 'd')).toEqual([markerPath('circle', 30, 78, 2) + markerPath('circle', 192.7, 78, 2)])
    expect(rag.match(/<title>/g)).toHaveLength(3)
    expect(rag).not.toContain(': 0.000')
  })

  test('a single run is drawn as points with labels, without a line', () => {
    const html = renderCharts([run(0, [{ suite: 'qa', metric: 'factuality', mean: 0.8 }, { suite: 'qa', metric: 'tone', mean: 0.4 }])])
    expect(html).not.toContain('class="series"')
    expect(html.match(/<path class="current"/g)).toHaveLength(2)
    expect(html.match(/<g class="latest"/g)).toHaveLength(2)
    expect(html).toContain('aria-label="Score over 1 run: qa; latest factuality 0.80, tone 0.40"')
  })

  test('names, commits and branches are escaped: a suite called <script> shows as text', () => {
    const git = { commit: '<img src=x>', branch: '"><b>' }
    const runs = [
      run(0, [{ suite: '<script>', metric: 'a&b', variant: "<i>'", mean: 0.5 }], git),
      run(1, [{ suite: '<script>', metric: 'a&b', variant: "<i>'", mean: 0.6 }], { commit: 'abc', branch: 'main' }),
    ]
    const html = renderCharts(runs)
    expect(html).not.toMatch(/<(script|img|b|i)[ >]/)
    expect(html).toContain('data-suite="&#60;script&#62;"')
    expect(html).toContain('<figcaption>&#60;script&#62; <small')
    expect(html).toContain('a&#38;b [&#60;i&#62;&#39;]')
    expect(html).toContain('&#60;img s')
    expect(html).toContain('branch &#34;&#62;&#60;b&#62;')
  })

  test('the x-axis labels at most six runs with date and short commit, always the first and the current', () => {
    const runs = Array.from({ length: 40 }, (_, index) => run(index, [{ suite: 'qa', metric: 'factuality', mean: 0.5 }]))
    const axis = /<g class="axis">(.*?)<\/g>/.exec(renderCharts(runs))?.[1] ?? ''
    const ticks = [...axis.matchAll(/<text[^>]*>([\d-]+)<tspan[^>]*>(\w+)<\/tspan><\/text>/g)].map((tick) => `${tick[1]} ${tick[2]}`)
    expect(ticks).toHaveLength(6)
    expect(ticks[0]).toBe('11-01 c000fff')
    expect(ticks.at(-1)).toBe('12-10 c039fff')
    expect(/<g class="axis">(.*?)<\/g>/.exec(renderCharts(runs.slice(0, 4)))?.[1]?.match(/<text/g)).toHaveLength(4)
  })

  test('the y-axis zooms to a narrow range of values and says so; wide ranges, or wide intervals, keep 0..1', () => {
    const narrow = renderCharts([0, 1, 2].map((index) => run(index, [{ suite: 'qa', metric: 'factuality', mean: 0.81 + index / 50 }])))
    expect(narrow).toContain('<small class="zoom">y axis 0.7–0.9</small>')
    expect(/<g class="grid">(.*?)<\/g>/.exec(narrow)?.[1]?.match(/>[\d.]+<\/text>/g)).toEqual(['>0.7</text>', '>0.8</text>', '>0.9</text>'])
    const wide = renderCharts([0, 1].map((index) => run(index, [{ suite: 'qa', metric: 'factuality', mean: 0.2 + index * 0.7 }])))
    expect(wide).not.toContain('class="zoom"')
    expect(wide).toContain('>0.25</text>')
    const uncertain = renderCharts([0, 1].map((index) => run(index, [{ suite: 'qa', metric: 'factuality', mean: 0.82, interval: { low: 0.3, high: 0.95 } }])))
    expect(uncertain).not.toContain('class="zoom"')
  })

  test('200 runs × 10 suites × 3 metrics stay small: tooltips only on the latest runs, one path per line', () => {
    const runs = Array.from({ length: 200 }, (_, index) =>
      run(
        index,
        Array.from({ length: 10 }, (_, suite) =>
          ['factuality', 'relevance', 'tone'].map((metric, at) => ({ suite: `suite ${suite}`, metric, mean: 0.5 + 0.4 * Math.sin(index / 7 + at), interval: { low: 0.1, high: 0.95 } })),
        ).flat(),
      ),
    )
    const started = performance.now()
    const html = renderCharts(runs, { baselineRunId: 'r150' })
    const took = performance.now() - started
    const chart = chartOf(html, 'suite 0')
    console.info(`200 runs × 10 suites × 3 metrics: ${html.length} bytes (${chart.length} per chart) in ${took.toFixed(1)} ms`)
    expect(chart.match(/<title>/g)).toHaveLength(TOOLTIP_RUNS)
    expect(chart.match(/<path class="series"/g)).toHaveLength(3)
    expect(chart.length).toBeLessThan(60_000)
    expect(html.length).toBeLessThan(600_000)
  })
})
