import { escapeHtml } from './escape-html.js'
import { bandSegments, rangeTicks, scoreRange, separateLabels, thinnedTicks, validInterval, type ScoreRange } from './chart-scale.js'
import { coordinate, markerPath, seriesMark, type SeriesMark } from './chart-marks.js'
import { groupKey, type GroupAggregate, type HistoryRun } from '../src/history/run-record.js'

/** Options of {@link renderCharts}. */
export interface ChartOptions {
  /** Id of the baseline run, marked on each chart when it is drawn. */
  baselineRunId?: string
}

/** One line of a chart: its mean per run (undefined where the run has none) and each run's 95% interval. */
interface ChartSeries {
  name: string
  mark: SeriesMark
  values: (number | undefined)[]
  bands: ({ low: number; high: number } | undefined)[]
}

// Chart geometry in viewBox units; the SVG has no pixel size and scales to its grid cell.
const WIDTH = 320
const HEIGHT = 170
const PLOT = { left: 30, right: WIDTH - 46, top: 14, bottom: HEIGHT - 28 }
const LABEL_GAP = 13
const MIN_LABEL_GAP = 9
/** Least distance between two markers of a line: with many runs only every n-th point gets one. */
const MARKER_SPACING = 14
/** Runs (the latest) whose points carry a tooltip: bounds the page size for long histories. */
export const TOOLTIP_RUNS = 100

/**
 * Styles of the charts, for the page's stylesheet: the figures go in an element of class `charts` (a grid of
 * cells at least 20rem wide, one column on a phone); each SVG fills its cell. Colours of lines and labels are
 * SVG attributes, so these rules leave them alone.
 *
 * @example
 * const css = `${REPORT_CSS}${CHART_CSS}`
 */
export const CHART_CSS = [
  '.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr));gap:1rem 1.5rem}',
  '.chart{margin:0;min-width:0}',
  '.chart figcaption{font-weight:600;overflow-wrap:anywhere}',
  '.chart .zoom{font-weight:400;color:#6b7280;margin-left:.4em}',
  '.chart-plot{display:block;width:100%;height:auto;overflow:visible}',
  '.chart-plot .axis,.chart-plot .grid text,.chart-plot .baseline text{fill:#4b5563}',
  '.chart-plot .hit rect:hover{fill:rgb(0 0 0 / 6%)}',
  '.chart .legend{display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.8125rem}',
  '.chart .key{display:inline-flex;align-items:center;gap:.25rem}',
  '.chart .swatch{flex:none}',
].join('')

/**
 * Score over runs as small multiples: one SVG chart per suite of the current (last) run, from the suite's
 * first run with a score (older runs without it are left out; later ones without it leave a gap), a line per metric
 * and variant with its own colour, dash pattern and marker shape, its latest value labelled at the right
 * end (labels pushed apart when values coincide), shaded 95% intervals where runs kept them, runs on the
 * x-axis by date and commit, the baseline run marked, and a tooltip per run listing each line's value.
 * The y-axis is 0..1 unless all values and intervals lie in a narrow range: see `scoreRange`.
 *
 * @example
 * const html = renderCharts(runs.slice(-100), { baselineRunId: comparison.baselineRun?.id })
 */
export function renderCharts(runs: readonly HistoryRun[], options: ChartOptions = {}): string {
  const current = runs.at(-1)
  if (!current) return ''
  // The current run's lines, by suite; then one pass over every run's groups fills in their values.
  const suites = new Map<string, ChartSeries[]>()
  const lines = new Map<string, ChartSeries>()
  for (const group of current.groups) {
    const key = groupKey(group)
    if (lines.has(key)) continue
    const ofSuite = suites.get(group.suite) ?? suites.set(group.suite, []).get(group.suite)!
    const line: ChartSeries = { name: seriesName(group), mark: seriesMark(ofSuite.length), values: Array.from({ length: runs.length }), bands: Array.from({ length: runs.length }) }
    ofSuite.push(line)
    lines.set(key, line)
  }
  runs.forEach((run, at) => {
    for (const group of run.groups) {
      const line = lines.get(groupKey(group))
      if (!line) continue
      line.values[at] = Number.isFinite(group.mean) ? group.mean : undefined
      line.bands[at] = validInterval(group.interval)
    }
  })
  const baseline = runs.findIndex((run) => run.id === options.baselineRunId)
  return [...suites]
    .map(([suite, series]) => {
      // A chart starts at its suite's first run with a score: a suite added last week does not get a mostly empty chart.
      const starts = series.map((line) => line.values.findIndex((value) => value !== undefined)).filter((at) => at >= 0)
      const from = starts.length > 0 ? Math.min(...starts) : 0
      const drawn = series.map((line) => ({ ...line, values: line.values.slice(from), bands: line.bands.slice(from) }))
      return suiteChart(suite, drawn, runs.slice(from), baseline >= from ? baseline - from : -1)
    })
    .join('')
}

function seriesName(group: GroupAggregate): string {
  return `${group.metric}${group.variant === undefined ? '' : ` [${group.variant}]`}`
}

function suiteChart(suite: string, series: readonly ChartSeries[], runs: readonly HistoryRun[], baseline: number): string {
  const count = runs.length
  // Intervals count too: zooming in must not cut off how uncertain a mean is.
  const scores: number[] = []
  for (const line of series) {
    for (const value of line.values) if (value !== undefined) scores.push(value)
    for (const band of line.bands) if (band) scores.push(band.low, band.high)
  }
  const range = scoreRange(scores)
  const spacing = count === 1 ? PLOT.right - PLOT.left : (PLOT.right - PLOT.left) / (count - 1)
  const x = (at: number) => (count === 1 ? (PLOT.left + PLOT.right) / 2 : PLOT.left + at * spacing)
  const y = (value: number) => PLOT.bottom - ((Math.min(Math.max(value, range.low), range.high) - range.low) / (range.high - range.low)) * (PLOT.bottom - PLOT.top)
  const parts = [
    axes(range, runs, x, y),
    baseline >= 0 ? `<g class="baseline"><line x1="${coordinate(x(baseline))}" x2="${coordinate(x(baseline))}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="currentColor" stroke-dasharray="4 3"/><text x="${coordinate(x(baseline))}" y="${PLOT.top - 4}" text-anchor="middle">baseline</text></g>` : '',
    // Bands of several lines overlap: each is fainter the more there are, so together they stay light.
    ...series.map((line) => bands(line, x, y, Math.max(0.04, 0.14 / series.length))),
    ...series.map((line, index) => seriesPaths(line, index, series.length, Math.max(1, Math.ceil(MARKER_SPACING / spacing)), x, y)),
    latestLabels(series, x(count - 1), y),
    tooltips(series, runs, x, spacing),
  ]
  const latest = series.flatMap((line) => (line.values.at(-1) === undefined ? [] : [`${line.name} ${line.values.at(-1)!.toFixed(2)}`]))
  const label = `Score over ${count} run${count === 1 ? '' : 's'}: ${suite}${latest.length > 0 ? `; latest ${latest.join(', ')}` : ''}`
  const zoom = range.zoomed ? ` <small class="zoom">y axis ${range.low.toFixed(1)}–${range.high.toFixed(1)}</small>` : ''
  const legend = series.map((line) => `<span class="key">${swatch(line.mark)}${escapeHtml(line.name)}</span>`).join('')
  return `<figure class="chart" data-suite="${escapeHtml(suite)}"><figcaption>${escapeHtml(suite)}${zoom}</figcaption><svg class="chart-plot" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}" font-size="10">${parts.join('')}</svg><div class="legend">${legend}</div></figure>`
}

/** Gridlines with their values, and the x-axis labels (date and short commit) of at most six runs. */
function axes(range: ScoreRange, runs: readonly HistoryRun[], x: (at: number) => number, y: (value: number) => number): string {
  const grid = rangeTicks(range)
    .map((tick) => `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${coordinate(y(tick))}" y2="${coordinate(y(tick))}" stroke="currentColor" stroke-opacity="0.15"/><text x="${PLOT.left - 4}" y="${coordinate(y(tick) + 3)}" text-anchor="end">${tick}</text>`)
    .join('')
  const ticks = thinnedTicks(runs.length)
    .map((at) => {
      const run = runs[at]!
      const commit = run.git?.commit ? `<tspan x="${coordinate(x(at))}" dy="10">${escapeHtml(run.git.commit.slice(0, 7))}</tspan>` : ''
      return `<text x="${coordinate(x(at))}" y="${PLOT.bottom + 11}" text-anchor="middle">${escapeHtml(run.time.slice(5, 10))}${commit}</text>`
    })
    .join('')
  return `<g class="grid">${grid}</g><g class="axis">${ticks}</g>`
}

function bands(line: ChartSeries, x: (at: number) => number, y: (value: number) => number, opacity: number): string {
  return bandSegments(line.bands)
    .map((segment) => {
      const edge = (value: number, at: number) => `${coordinate(x(at))},${coordinate(y(value))}`
      // A lone run's band is drawn as a short vertical bar, so it still shows.
      if (segment.length === 1) {
        const [only] = segment as [{ at: number; low: number; high: number }]
        return `<line class="band" x1="${coordinate(x(only.at))}" x2="${coordinate(x(only.at))}" y1="${coordinate(y(only.high))}" y2="${coordinate(y(only.low))}" stroke="${line.mark.color}" stroke-opacity="${(opacity * 2).toFixed(2)}" stroke-width="5"/>`
      }
      const outline = [...segment.map((point) => edge(point.high, point.at)), ...segment.toReversed().map((point) => edge(point.low, point.at))]
      return `<polygon class="band" fill="${line.mark.color}" fill-opacity="${opacity.toFixed(2)}" points="${outline.join(' ')}"/>`
    })
    .join('')
}

/**
 * The line (broken where a run has no value), its markers (every `step`-th point, shifted per series so that
 * markers of coinciding lines fall on different runs; always on an isolated point) and the current run's
 * larger marker.
 */
function seriesPaths(line: ChartSeries, index: number, seriesCount: number, step: number, x: (at: number) => number, y: (value: number) => number): string {
  const { color, dash, shape } = line.mark
  const last = line.values.length - 1
  const shift = Math.round((index * step) / seriesCount) % step
  // Earlier lines are drawn wider, with larger markers: a line hidden under a later one still shows around it.
  const below = Math.min(seriesCount - 1 - index, 3)
  const size = 2 + 0.8 * below
  let path = ''
  let markers = ''
  line.values.forEach((value, at) => {
    if (value === undefined) return
    const joined = at > 0 && line.values[at - 1] !== undefined
    const isolated = !joined && line.values[at + 1] === undefined
    if (!isolated) path += `${joined ? 'L' : 'M'}${coordinate(x(at))} ${coordinate(y(value))}`
    if (at !== last && (isolated || (last - at + shift) % step === 0)) markers += markerPath(shape, x(at), y(value), size)
  })
  const current = line.values[last]
  const name = escapeHtml(line.name)
  return (
    (path ? `<path class="series" data-series="${name}" d="${path}" fill="none" stroke="${color}" stroke-width="${coordinate(1.4 + 0.6 * below)}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` : '') +
    (markers ? `<path class="markers" data-series="${name}" d="${markers}" fill="${color}" stroke="${color}"/>` : '') +
    (current === undefined ? '' : `<path class="current" data-series="${name}" d="${markerPath(shape, x(last), y(current), size + 1.5)}" fill="${color}" stroke="${color}"/>`)
  )
}

/** The latest value of each line at its right end, moved apart vertically when values are close, with a leader line when moved. */
function latestLabels(series: readonly ChartSeries[], right: number, y: (value: number) => number): string {
  // As many labels as fit the plot's height (closer than MIN_LABEL_GAP they overlap; more would spill above the
  // chart, over its caption): the first lines' (legend order); the rest keep their value in the tooltips.
  const span = PLOT.bottom - PLOT.top
  const shown = series.flatMap((line) => (line.values.at(-1) === undefined ? [] : [{ line, value: line.values.at(-1)! }])).slice(0, Math.floor(span / MIN_LABEL_GAP) + 1)
  const gap = shown.length > 1 ? Math.min(LABEL_GAP, span / (shown.length - 1)) : LABEL_GAP
  const placed = separateLabels(shown.map((label) => y(label.value)), gap, PLOT.top, PLOT.bottom)
  return shown
    .map(({ line, value }, index) => {
      const at = placed[index]!
      const leader = Math.abs(at - y(value)) > 1 ? `<path d="M${coordinate(right + 4)} ${coordinate(y(value))}L${coordinate(right + 9)} ${coordinate(at)}" stroke="${line.mark.color}" fill="none"/>` : ''
      return `<g class="latest" data-series="${escapeHtml(line.name)}">${leader}<path d="${markerPath(line.mark.shape, right + 12, at, 2)}" fill="${line.mark.color}" stroke="${line.mark.color}"/><text x="${coordinate(right + 16)}" y="${coordinate(at + 3)}" fill="${line.mark.color}">${value.toFixed(2)}</text></g>`
    })
    .join('')
}

/** One invisible column per run (the latest `TOOLTIP_RUNS`) whose tooltip lists every line's value in that run. */
function tooltips(series: readonly ChartSeries[], runs: readonly HistoryRun[], x: (at: number) => number, spacing: number): string {
  const branch = runs.at(-1)?.git?.branch
  let columns = ''
  for (let at = Math.max(0, runs.length - TOOLTIP_RUNS); at < runs.length; at += 1) {
    const run = runs[at]!
    const when = `${run.time.slice(0, 16).replace('T', ' ')}${run.git?.commit ? ` ${run.git.commit.slice(0, 7)}` : ''}`
    const lines = series.flatMap((line) => {
      const value = line.values[at]
      const band = line.bands[at]
      return value === undefined ? [] : [`${line.name} · ${when}: ${value.toFixed(3)}${band ? ` (95% CI ${band.low.toFixed(2)}–${band.high.toFixed(2)})` : ''}`]
    })
    if (lines.length === 0) continue
    if (run.git?.branch && run.git.branch !== branch) lines.push(`branch ${run.git.branch}`)
    const left = Math.max(PLOT.left - 4, x(at) - spacing / 2)
    const width = Math.min(PLOT.right + 4, x(at) + spacing / 2) - left
    columns += `<rect x="${coordinate(left)}" y="${PLOT.top}" width="${coordinate(width)}" height="${PLOT.bottom - PLOT.top}"><title>${escapeHtml(lines.join('\n'))}</title></rect>`
  }
  return `<g class="hit" fill="transparent">${columns}</g>`
}

function swatch(mark: SeriesMark): string {
  return `<svg class="swatch" viewBox="0 0 26 10" width="26" height="10" aria-hidden="true"><path d="M1 5H25" stroke="${mark.color}" stroke-width="1.5"${mark.dash ? ` stroke-dasharray="${mark.dash}"` : ''}/><path d="${markerPath(mark.shape, 13, 5, 2.6)}" fill="${mark.color}" stroke="${mark.color}"/></svg>`
}
