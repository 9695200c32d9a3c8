import type { HtmlReportInput } from './render-html.js'
import type { ReportData } from './report-data.js'

/**
 * The report's first screen, as HTML: the verdict (`#verdict`) and what changed (`#changes`).
 *
 * @example
 * const html = renderOverview(input, buildReportData(input))
 */
export function renderOverview(input: HtmlReportInput, data: ReportData): string {
  void input
  void data
  return '<section id="verdict"></section><section id="changes"></section>'
}
