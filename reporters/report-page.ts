// The report page's styles and script (inline, allowed by the page's CSP nonce). The script builds the case
// matrix from the embedded ReportData with textContent only: model text is never parsed as HTML.
import { REPORT_CONTROLS_SCRIPT } from './report-script-controls.js'
import { REPORT_DETAIL_SCRIPT } from './report-script-detail.js'
import { REPORT_MATRIX_SCRIPT } from './report-script.js'

/**
 * Styles of the report page: system font, tabular numbers, colour only for meaning (green pass, red fail,
 * grey awaiting); wide tables scroll in their own box so the page never overflows a phone's width.
 *
 * @example
 * const head = `<style>${REPORT_CSS}</style>`
 */
export const REPORT_CSS = `
:root{--fg:#1d2330;--sub:#5b6472;--line:#e3e6eb;--bg:#f6f7f9;--pass:#e3f4e6;--pass-fg:#14632b;--fail:#fde4e2;--fail-fg:#a4231b;--wait:#eef0f3;--accent:#3b6fd8}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:#fff}
main{max-width:1280px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:20px;margin:0 0 2px}h2{font-size:16px;margin:28px 0 8px}h3{font-size:14px;margin:12px 0 6px}h4{font-size:12px;margin:8px 0 3px;color:var(--sub);text-transform:uppercase;letter-spacing:.03em}
.meta,.sub{color:var(--sub)}.sub{font-size:12px}
.num,td.cell,.count{text-align:right;font-variant-numeric:tabular-nums}
.good{color:var(--pass-fg)}.bad{color:var(--fail-fg)}
.tag{display:inline-block;font-size:11px;line-height:16px;border-radius:8px;padding:0 6px;margin:1px 4px 1px 0;background:var(--wait);color:var(--fg);white-space:nowrap}
.tag.failing,.tag.regressed,.tag.fail,.tag.bad{background:var(--fail);color:var(--fail-fg)}.tag.improved,.tag.good,.tag.pass{background:var(--pass);color:var(--pass-fg)}.tag.flaky,.tag.disagree{background:#fff3cd;color:#7a5600}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;word-break:break-word;max-height:320px;overflow:auto;background:var(--bg);padding:6px 8px;margin:0;border-radius:4px;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
svg{max-width:100%;height:auto}
.gate{border:1px solid #f3b5b0;background:#fff6f5;padding:6px 14px;border-radius:6px}
#verdict,#changes,#suites{margin-top:12px}
.overview{display:grid;grid-template-columns:minmax(0,1fr);gap:0 32px;align-items:start}
@media (min-width:1100px){.overview{grid-template-columns:minmax(0,4fr) minmax(0,7fr)}.overview .changes{grid-template-columns:minmax(0,1fr)}}
#summary td.num,#summary th{white-space:nowrap}.delta.same{color:var(--sub)}.wrap,.table-scroll{overflow-x:auto;max-width:100%}
.verdict{border:1px solid var(--line);border-left:4px solid #9aa3af;border-radius:6px;padding:8px 16px 12px}
.verdict-failed,.verdict-regressed{border-left-color:#d3392f}.verdict-passed{border-left-color:#2e9e50}.verdict-mixed{border-left-color:#c77c02}.verdict-mixed .verdict-line{color:#8a5300}
.gate-notes summary{cursor:pointer;color:var(--sub)}.gate-notes ul{margin:4px 0}
.verdict-line{font-size:18px;margin:2px 0 4px}.verdict-failed .verdict-line,.verdict-regressed .verdict-line{color:var(--fail-fg)}.verdict-passed .verdict-line{color:var(--pass-fg)}
.verdict ul{margin:4px 0 8px;padding-left:20px}.verdict-note,.run-meta{color:var(--sub);margin:4px 0}
.headline{display:flex;flex-wrap:wrap;gap:6px 28px;margin:8px 0}.headline .stat{min-width:0}.headline dt{font-size:12px;color:var(--sub)}.headline dd{margin:0;font-size:16px;font-variant-numeric:tabular-nums}.stat-bad dd{color:var(--fail-fg)}
.agreement-headline h3{margin:8px 0 2px}.agreement-list{margin:0;padding-left:20px}
#summary{width:auto;min-width:60%;font-variant-numeric:tabular-nums}#summary tr.suite-head th{background:var(--bg);font-size:13px}.suite-usage{font-weight:400;color:var(--sub);font-size:12px;margin-left:6px}
#summary tr.regressed td:first-child{color:var(--fail-fg)}.delta.down{color:var(--fail-fg)}.delta.up{color:var(--pass-fg)}
.changes{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,340px),1fr));gap:8px 24px}
.change-list h3 .count{font-weight:400;color:var(--sub);font-size:12px}.change-list ol{margin:0;padding-left:22px}
.change{padding:2px 0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}.change-suite,.change-metric{color:var(--sub);font-size:12px}.change-case{font-weight:600}.change-scores{white-space:nowrap}.changes-none{color:var(--sub)}
a[data-case]{color:var(--accent);text-decoration:none;white-space:nowrap}a[data-case]:hover{text-decoration:underline}
.controls{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0 10px}
.controls button{font:inherit;font-size:13px;border:1px solid #c9ced6;background:#fff;border-radius:14px;padding:2px 10px;cursor:pointer}
.controls button[aria-pressed=true]{background:var(--fg);color:#fff;border-color:var(--fg)}
.controls .count{margin-left:4px;opacity:.7;font-size:12px}
.controls select,.controls input{font:inherit;font-size:13px;padding:2px 6px;border:1px solid #c9ced6;border-radius:4px;max-width:100%}
#search{flex:1 1 180px;min-width:0}#shown{color:var(--sub);margin-left:auto}
#cases{font-variant-numeric:tabular-nums}
#cases table{margin-bottom:14px}#cases tr.suite-head th{background:var(--bg);font-size:13px;padding-top:10px;border-bottom:none}
#cases tr.cols th{font-size:12px;color:var(--sub);font-weight:600;white-space:nowrap}
#cases tr.variants th{font-size:12px;text-align:center;border-bottom:none;padding-bottom:0}#cases .vstart{border-left:2px solid #fff}#cases tr.variants th.vstart+th.vstart,#cases th.num.vstart{border-left:2px solid var(--line)}td.cell.vstart{border-left:2px solid #fff}
#cases tr.case{cursor:pointer}#cases tr.case:hover td{background:#fafbfc}
#cases tr.case[aria-selected=true]{outline:2px solid var(--accent);outline-offset:-2px}
#cases td.id{min-width:110px;max-width:360px;overflow-wrap:anywhere}#cases td.id>div{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:4;overflow:hidden}
td.cell{white-space:nowrap;min-width:64px}td.cell.pass{background:var(--pass);color:var(--pass-fg)}td.cell.fail{background:var(--fail);color:var(--fail-fg)}td.cell.awaiting{background:var(--wait);color:var(--sub)}
td.cell .delta{display:block;font-size:11px}
.trials{display:flex;gap:1px;justify-content:flex-end;margin-top:2px}.trials i{width:6px;height:6px;border-radius:1px}.trials i.p{background:#2e9e50}.trials i.f{background:#d3392f}
td.flags{white-space:nowrap}
tr.case-detail>td{background:#fbfcfd;padding:8px 12px 14px}
.detail{max-width:calc(100vw - 48px);position:sticky;left:0}
.pair,.outputs.several{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}
.output,.reason{min-width:0}
.diff-toggle{font:inherit;font-size:12px;margin:4px 0;border:1px solid #c9ced6;background:#fff;border-radius:4px;padding:1px 8px;cursor:pointer}.diff-toggle[aria-pressed=true]{background:var(--fg);color:#fff}
.diff{margin-top:4px}.diff ins{background:#c9efd2;color:#0b4d1f;text-decoration:none}.diff del{background:#f9d2ce;color:#7d1a13}
.reasons{margin-top:6px}.reason h4{margin-top:10px}
.trial-list{margin-top:6px}.trial{border-left:3px solid var(--line);padding-left:8px;margin-top:8px}.trial h5{margin:0 0 2px;font-size:12px}
#more,#earlier{margin:8px 0;font:inherit;border:1px solid #c9ced6;background:#fff;border-radius:4px;padding:3px 12px;cursor:pointer}
.matrix{width:auto}.matrix th,.matrix td{padding:1px 6px}
.steps,.turns,.calls{margin:4px 0;padding-left:20px}.step,.turn{margin-bottom:8px}.step-head,.who{font-size:12px;font-weight:600;color:#374151}
.calls pre,.turns pre{margin:2px 0;max-height:160px}.tool{font-weight:600}.ended{font-size:12px;color:#374151}pre.error{background:#fef2f2}
details.trace,details.conversation{margin-top:6px}details>summary{cursor:pointer;color:var(--sub)}
kbd{font:11px ui-monospace,monospace;border:1px solid #c9ced6;border-radius:3px;padding:0 3px}
footer#keys{color:var(--sub);font-size:12px;margin-top:24px}
@media (max-width:600px){main{padding:10px}#shown{margin-left:0;width:100%}#cases td.id{max-width:180px}}
`

// The embedded data is gzipped JSON in base64 (render-html.ts): decoded with the browser's own
// DecompressionStream (no network, no library), base64 with Uint8Array.fromBase64 where the browser has it.
const DATA_LOADER = String.raw`
async function readReportData() {
  const text = document.getElementById('report-data').textContent.trim()
  let bytes
  if (typeof Uint8Array.fromBase64 === 'function') bytes = Uint8Array.fromBase64(text)
  else {
    const binary = atob(text)
    bytes = new Uint8Array(binary.length)
    for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at)
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
  return JSON.parse(await new Response(stream).text())
}`

// A browser that cannot read the data (no DecompressionStream: before 2023) says so instead of an empty table.
const DATA_FAILURE = String.raw`
  const cases = document.getElementById('cases')
  const note = document.createElement('p')
  note.className = 'load-error'
  note.textContent = 'The cases of this report could not be shown (' + (error && error.message ? error.message : String(error)) + '). Open the report in a current Chrome, Edge, Firefox or Safari.'
  if (cases) cases.replaceChildren(note)
  document.documentElement.dataset.ready = 'error'
  throw error`

/**
 * The report page's script (plain browser JS, no network): the case matrix drawn lazily from the embedded
 * `#report-data`, filters, search, URL hash state, keyboard, the opened case with its word diff.
 *
 * @example
 * const tail = `<script nonce="${nonce}">${REPORT_SCRIPT}</script>`
 */
export const REPORT_SCRIPT = `(async () => {\n${DATA_LOADER}\n${REPORT_MATRIX_SCRIPT}\n${REPORT_DETAIL_SCRIPT}\n${REPORT_CONTROLS_SCRIPT}\n})().catch((error) => {\n${DATA_FAILURE}\n})\n`
