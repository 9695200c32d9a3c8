import type { HtmlReportInput } from './render-html.js'
import type { ReportData } from './report-data.js'

/**
 * The case matrix of the current run as the page script reads it: one row per suite and case, a cell per
 * metric and variant, the compared run's scores and (changed) outputs.
 *
 * @example
 * const data = buildReportData({ runs, comparison, gateFailures: [] })
 */
export function buildReportData(input: HtmlReportInput): ReportData {
  void input
  return { v: 1, suites: [], rows: [] }
}
