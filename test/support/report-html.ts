// The HTML report embeds its case data gzipped, in base64 (reporters/render-html.ts): to check what a report
// file holds (escaping, scrubbed secrets), tests read it with that data decoded.
import { gunzipSync } from 'node:zlib'

const DATA = /(<script type="application\/octet-stream" id="report-data" data-encoding="gzip\+base64">)([A-Za-z0-9+/=]*)(<\/script>)/

/**
 * The embedded case data of a report page as JSON text (what the page decodes), or undefined when it has none.
 *
 * @example
 * expect(reportDataJson(html)).toContain('"caseId":"a"')
 */
export function reportDataJson(html: string): string | undefined {
  const base64 = DATA.exec(html)?.[2]
  return base64 === undefined ? undefined : gunzipSync(Buffer.from(base64, 'base64')).toString('utf8')
}

/**
 * A report page with its embedded data decoded in place: what a reader of the file could recover from it.
 *
 * @example
 * expect(readableReport(html)).not.toContain(token)
 */
export function readableReport(html: string): string {
  return html.replace(DATA, (_all, open: string, base64: string, close: string) => `${open}${gunzipSync(Buffer.from(base64, 'base64')).toString('utf8')}${close}`)
}
