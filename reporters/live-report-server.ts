// Watch mode's live report: the HTML report of the newest run, served on 127.0.0.1 behind a random token,
// in a frame whose page reloads it when a rerun finishes (it polls a tiny version endpoint; no external
// script, nothing inline). The report itself is renderHtml's page: every model text escaped, its own CSP.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isLoopbackHost, listenOnLoopback, newToken, send, tokenMatches } from '../src/review/local-server.js'

/** A running live report. */
export interface LiveReportServer {
  /** The page's address, token included: print it, never log it elsewhere. */
  url: string
  /** Shows `html` (a whole report page) from now on; open pages reload it. */
  update(html: string): void
  close(): Promise<void>
}

/** How often the open page asks whether a rerun finished, in ms. */
export const LIVE_POLL_MS = 1000

const SHELL_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
// The report brings its own strict policy (a nonce for its one script, no network); this adds who may frame it.
const REPORT_HEADERS = { 'content-security-policy': "frame-ancestors 'self'; base-uri 'none'; form-action 'none'", 'x-frame-options': 'SAMEORIGIN' }

const WAITING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>LLM evals</title></head><body><p>Waiting for the first run with scores…</p></body></html>`

const SHELL_CSS = 'html,body{margin:0;height:100%}body{display:flex;flex-direction:column;font:13px system-ui,sans-serif}#status{padding:4px 12px;background:#f3f4f6;color:#374151}#report{flex:1;border:0;width:100%}'

// Reads the token from its own address, polls /version, and reloads the frame when the version changes.
const SHELL_JS = `(() => {
  const token = new URLSearchParams(location.search).get('token') || ''
  const frame = document.getElementById('report')
  const status = document.getElementById('status')
  let shown = -1
  const show = (version) => {
    shown = version
    frame.src = '/report?token=' + encodeURIComponent(token) + '&v=' + version
    status.textContent = version === 0 ? 'Waiting for the first run with scores…' : 'Run ' + version + ' · updated ' + new Date().toLocaleTimeString() + ' · reloads after each rerun'
  }
  const poll = () => fetch('/version?token=' + encodeURIComponent(token), { cache: 'no-store' })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then((body) => { if (body.version !== shown) show(body.version) })
    .catch(() => { status.textContent = 'Vitest is not running (the watch ended): this page stopped updating.' })
    .finally(() => setTimeout(poll, ${LIVE_POLL_MS}))
  poll()
})()
`

const shellHtml = (token: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>LLM evals · live</title>
<link rel="stylesheet" href="/live.css?token=${token}"></head>
<body><div id="status">Connecting…</div><iframe id="report" title="LLM eval report"></iframe><script src="/live.js?token=${token}"></script></body></html>`

/**
 * Starts the live report on 127.0.0.1 (`port` 0 picks a free one). Every request needs the right Host
 * header (421 otherwise) and the random token of the printed URL (403 otherwise).
 *
 * @example
 * const live = await startLiveReportServer()
 * live.update(renderHtml({ runs, comparison, gateFailures: [] }))
 */
export async function startLiveReportServer(options: { port?: number } = {}): Promise<LiveReportServer> {
  const token = newToken()
  let version = 0
  let html = WAITING
  let origin = ''

  function handle(request: IncomingMessage, response: ServerResponse): void {
    if (!isLoopbackHost(request, origin)) return send(response, 421, 'text/plain', 'Unexpected Host header.')
    const url = new URL(request.url ?? '/', origin)
    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'Only GET.')
    if (url.pathname === '/favicon.ico') return send(response, 204, 'image/x-icon', '')
    if (!tokenMatches(url.searchParams.get('token'), token)) return send(response, 403, 'text/plain', 'Open the address Vitest printed (it carries the token).')
    if (url.pathname === '/') return send(response, 200, 'text/html; charset=utf-8', shellHtml(token), { 'content-security-policy': SHELL_CSP })
    if (url.pathname === '/live.js') return send(response, 200, 'text/javascript; charset=utf-8', SHELL_JS)
    if (url.pathname === '/live.css') return send(response, 200, 'text/css; charset=utf-8', SHELL_CSS)
    if (url.pathname === '/version') return send(response, 200, 'application/json', JSON.stringify({ version }))
    if (url.pathname === '/report') return send(response, 200, 'text/html; charset=utf-8', html, REPORT_HEADERS)
    return send(response, 404, 'text/plain', 'Not found.')
  }

  const server = await listenOnLoopback((request, response) => {
    try {
      handle(request, response)
    } catch (error) {
      send(response, 500, 'text/plain', error instanceof Error ? error.message : String(error))
    }
  }, options.port ?? 0, { unref: true })
  origin = server.origin
  return {
    url: `${origin}/?token=${token}`,
    update(next) {
      html = next
      version++
    },
    close: server.close,
  }
}
