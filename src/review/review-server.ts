import type { IncomingMessage, ServerResponse } from 'node:http'
import { relative } from 'node:path'
import { lazyZodSchema } from '../lazy-schema.js'
import { readHistory } from '../history/history-file.js'
import type { HistoryRun } from '../history/run-record.js'
import { LabelsError, SecretLeakError } from '../errors/index.js'
import { appendLabel, readLabels } from './labels-file.js'
import { ambiguousLegacyLabels, describeAmbiguousLegacy, indexLabels, suitesByCase } from './label-scope.js'
import { isLoopbackHost, listenOnLoopback, send } from './local-server.js'
import { REVIEW_CSS, REVIEW_HTML, REVIEW_JS } from './page-assets.js'
import { agreementByMetric, reviewRows } from './review-rows.js'
import { turnHash, turnLabelMetric } from './turn-labels.js'

/** Options of {@link startReviewServer}. */
export interface ReviewServerOptions {
  /** Project root, for the paths shown. */
  root: string
  historyFile: string
  labelsFile: string
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number
  /** Recorded as `by` on each label. */
  reviewer?: string
  /** Class names for keys 1..9; without them the keys give scores 1..9. */
  classes?: string[]
}

/** A running review server. */
export interface ReviewServer {
  url: string
  close(): Promise<void>
}

const LabelRequest = lazyZodSchema((z) =>
  z.strictObject({
    id: z.number().int().nonnegative(),
    caseId: z.string(),
    metric: z.string(),
    label: z.union([z.string().trim().min(1).max(200), z.number().finite()]),
    note: z.string().max(5000).optional(),
    /** A label on one turn of the case's conversation (1-based) instead of on the whole case. */
    turn: z.number().int().positive().max(10_000).optional(),
    /** The trial the row shows (a case run several times): the label is stored with it. */
    trial: z.number().int().positive().optional(),
    /** The suite and output hash of the row as the page showed it: a newer run's row with other text is not labelled by it. */
    suite: z.string().optional(),
    outputHash: z.string().optional(),
  }),
)

function latestRun(file: string): HistoryRun | undefined {
  // Only the newest run's cases are needed; older runs keep their aggregates.
  const runs = readHistory(file, () => {}, (_run, newer) => newer === 0)
  return runs.at(-1)
}

/**
 * Serves the review page for the newest run in the history file, on 127.0.0.1 only. Labels are appended
 * to the labels file as they are given, each with the suite (and the trial) of its row; history and labels are re-read on every page load.
 *
 * @example
 * const server = await startReviewServer({ root, historyFile, labelsFile, port: 4177 })
 */
export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  let origin = ''
  const state = () => {
    const run = latestRun(options.historyFile)
    const { labels, problems } = readLabels(options.labelsFile)
    const rows = run ? reviewRows(run, labels) : []
    const ambiguous = run ? ambiguousLegacyLabels(indexLabels(labels), suitesByCase(run.cases ?? [])) : []
    return { run, rows, problems, legacyNotice: describeAmbiguousLegacy(ambiguous, relative(options.root, options.labelsFile) || options.labelsFile) }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Another site's page, or a DNS name rebound to 127.0.0.1, must not read or write labels.
    if (!isLoopbackHost(request, origin)) return send(response, 421, 'text/plain', 'Unexpected Host header.')
    const host = request.headers.host ?? ''
    const url = new URL(request.url ?? '/', origin)
    if (request.method === 'GET' && url.pathname === '/') return send(response, 200, 'text/html; charset=utf-8', REVIEW_HTML)
    if (request.method === 'GET' && url.pathname === '/app.js') return send(response, 200, 'text/javascript; charset=utf-8', REVIEW_JS)
    if (request.method === 'GET' && url.pathname === '/favicon.ico') return send(response, 204, 'image/x-icon', '')
    if (request.method === 'GET' && url.pathname === '/app.css') return send(response, 200, 'text/css; charset=utf-8', REVIEW_CSS)
    if (request.method === 'GET' && url.pathname === '/api/state') {
      const { run, rows, problems, legacyNotice } = state()
      const body = {
        run: run ? { id: run.id, time: run.time, branch: run.git?.branch } : null,
        labelsFile: relative(options.root, options.labelsFile) || options.labelsFile,
        classes: options.classes ?? [],
        rows,
        // The first 20, then how many more: a labels file of garbage must not send megabytes to the page.
        problems: [...problems.slice(0, 20).map((problem) => `${relative(options.root, problem.file)}:${problem.line}: ${problem.message}`), ...(problems.length > 20 ? [`… and ${problems.length - 20} more lines that cannot be read`] : [])],
        agreement: agreementByMetric(rows),
        /** Legacy labels that apply to no case (their case id is in several suites), and how to fix that; '' when none. */
        legacyNotice,
      }
      return send(response, 200, 'application/json', JSON.stringify(body))
    }
    if (request.method === 'POST' && url.pathname === '/api/labels') {
      const sameOrigin = request.headers.origin === undefined || request.headers.origin === `http://${host}`
      if (!sameOrigin || !String(request.headers['content-type']).startsWith('application/json')) return send(response, 403, 'application/json', JSON.stringify({ error: 'Labels are accepted from the review page only.' }))
      const parsed = LabelRequest().safeParse(parseJson(await readBody(request)))
      if (!parsed.success) return send(response, 400, 'application/json', JSON.stringify({ error: `Bad label: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` }))
      const row = state().rows[parsed.data.id]
      const shown = parsed.data
      const moved = (shown.suite !== undefined && shown.suite !== row?.suite) || (shown.outputHash !== undefined && shown.outputHash !== row?.outputHash)
      if (row?.caseId !== parsed.data.caseId || row.metric !== parsed.data.metric || row.trial !== parsed.data.trial || moved) return send(response, 409, 'application/json', JSON.stringify({ error: 'That row is not in the latest run any more: reload the page.' }))
      const { turn } = parsed.data
      const shownTurn = turn === undefined ? undefined : row.conversation?.turns[turn - 1]
      if (turn !== undefined && !shownTurn) return send(response, 409, 'application/json', JSON.stringify({ error: `Case ${row.caseId} has no turn ${turn} in the latest run: reload the page.` }))
      // A turn's label is keyed by case and turn (metric `turn:<n>`), and goes stale when that turn changes.
      const hash = shownTurn ? turnHash(shownTurn) : row.outputHash
      try {
        const stored = appendLabel(options.labelsFile, {
          caseId: row.caseId,
          metric: turn === undefined ? row.labelMetric : turnLabelMetric(turn),
          label: parsed.data.label,
          ...(parsed.data.note?.trim() ? { note: parsed.data.note.trim() } : {}),
          ...(options.reviewer ? { by: options.reviewer } : {}),
          ...(hash ? { outputHash: hash } : {}),
          suite: row.suite,
          // The label judges the output of the trial shown; a turn's label stays the case's (the conversation is the last trial's).
          ...(row.trial !== undefined && turn === undefined ? { trial: row.trial } : {}),
        })
        return send(response, 200, 'application/json', JSON.stringify(stored))
      } catch (error) {
        // A refused label (a key pasted into the note) is the reviewer's to fix: say why, nothing was written.
        if (error instanceof LabelsError || error instanceof SecretLeakError) return send(response, 400, 'application/json', JSON.stringify({ error: error.message }))
        throw error
      }
    }
    return send(response, 404, 'text/plain', 'Not found.')
  }

  // node:http is loaded when a review starts: importing the library should not pay for it.
  const server = await listenOnLoopback((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, 'application/json', JSON.stringify({ error: error instanceof Error ? error.message : String(error) })))
  }, options.port)
  origin = server.origin
  return { url: `${origin}/`, close: server.close }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const MAX_BODY = 64 * 1024

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
      if (body.length > MAX_BODY) request.destroy(new Error('request body too large'))
    })
    request.on('end', () => resolve(body))
    request.on('error', reject)
  })
}
