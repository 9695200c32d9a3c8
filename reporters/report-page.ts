// The report page's styles and script (inline, allowed by the page's CSP nonce). The script builds the case
// matrix from the embedded ReportData with textContent only: model text is never parsed as HTML.

/** Styles of the report page. */
export const REPORT_CSS = ''

/** The report page's script. */
export const REPORT_SCRIPT = ''
