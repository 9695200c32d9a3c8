// A first labelling round: a run whose only records await a human label is kept, so the review page lists its cases.
import { request } from 'node:http'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { startReviewServer } from '../../src/review/review-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'
import { ROW_FLAGS } from '../../reporters/report-data.js'
import { embeddedData } from '../reporters/report-page-fixtures.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('first-labels')
})
afterEach(() => project.remove())

/** A request to the review server as its page sends it (node:http: no Origin header, like a same-origin page). */
function send(url: string, body?: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json' } : {}
    const outgoing = request(url, { method: body ? 'POST' : 'GET', headers }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
    })
    outgoing.on('error', reject)
    outgoing.end(body ? JSON.stringify(body) : undefined)
  })
}

interface StateRow {
  id: number
  caseId: string
  metric: string
  automatedLabel?: string
  awaitingLabel?: boolean
}

describe('first labelling round', () => {
  test('a run whose only records await a label is written to history and the report, and the review page lists its cases to label', async () => {
    const first = await project.run([], cleanEnv())
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(' written: .evals/history.jsonl, .evals/report.html, .evals/summary.json')
    expect(first.stdout).toContain(' awaiting a human label (label them with `npx llm-evals review`):\n   tickets.test.ts > tickets · label:intent: 3 cases\n')
    expect(first.stdout).toMatch(/LLM evals: 0 scores \(0 below threshold\)/)

    const runs = readHistory(project.path('.evals', 'history.jsonl'))
    expect(runs).toHaveLength(1)
    expect(runs[0]?.groups).toEqual([])
    expect(runs[0]?.cases?.map((score) => [score.caseId, score.metric, score.automatedLabel, score.awaitingLabel])).toEqual([
      ['refund-1', 'label:intent', 'refund', true],
      ['shipping-1', 'label:intent', 'shipping', true],
      ['gift-1', 'label:intent', 'billing', true],
    ])
    expect(embeddedData(project.read('.evals', 'report.html')).rows.map((row) => [row.id, row.flags])).toEqual([
      ['refund-1', ROW_FLAGS.awaiting],
      ['shipping-1', ROW_FLAGS.awaiting],
      ['gift-1', ROW_FLAGS.awaiting],
    ])

    // What `llm-evals review` serves: the rows of the newest run, to label.
    const server = await startReviewServer({ root: project.dir, historyFile: project.path('.evals', 'history.jsonl'), labelsFile: project.path('evals', 'labels.jsonl'), port: 0 })
    try {
      const state = JSON.parse((await send(`${server.url}api/state`)).body) as { run: { id: string }; rows: StateRow[] }
      expect(state.run.id).toBe((runs[0] as HistoryRun).id)
      expect(state.rows.map((row) => [row.caseId, row.metric, row.automatedLabel, row.awaitingLabel])).toEqual([
        ['refund-1', 'label:intent', 'refund', true],
        ['shipping-1', 'label:intent', 'shipping', true],
        ['gift-1', 'label:intent', 'billing', true],
      ])
      // The reviewer labels them on the page: the classifier is wrong about the gift card.
      const humans: Record<string, string> = { 'refund-1': 'refund', 'shipping-1': 'shipping', 'gift-1': 'other' }
      for (const row of state.rows) expect((await send(`${server.url}api/labels`, { id: row.id, caseId: row.caseId, metric: row.metric, label: humans[row.caseId] as string })).status).toBe(200)
    } finally {
      await server.close()
    }

    // The next run compares with those labels: the metric is scored from now on, and the disagreement fails its test.
    const second = await project.run([], cleanEnv())
    expect(second.code).toBe(1)
    expect(second.stdout).toMatch(/× gift-1/)
    expect(second.stdout).toMatch(/Tests\s+1 failed \| 2 passed \(3\)/)
    expect(readHistory(project.path('.evals', 'history.jsonl')).at(-1)?.groups).toMatchObject([{ suite: 'tickets.test.ts > tickets', metric: 'label:intent', mean: 2 / 3, cases: 3 }])
  })
})
