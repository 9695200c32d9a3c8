// Agent cases on the review page: every row of the test carries its trace and conversation, and a single
// turn can be labelled (stored under the case and `turn:<n>`, stale once that turn changes).
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readLabels, type HumanLabel } from '../../../src/review/labels-file.js'
import { agreementByMetric, reviewRows } from '../../../src/review/review-rows.js'
import { startReviewServer, type ReviewServer } from '../../../src/review/review-server.js'
import { turnHash, turnLabelMetric } from '../../../src/review/turn-labels.js'
import { agentCases, reviewProject, runWith } from './fixtures.js'

function post(url: string, body: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
    })
    outgoing.on('error', reject)
    outgoing.end(JSON.stringify(body))
  })
}

const label = (turn: number, value: string, hash?: string): HumanLabel => ({
  caseId: 'refund-agent',
  metric: turnLabelMetric(turn),
  label: value,
  at: '2025-01-01T00:00:00Z',
  ...(hash ? { outputHash: hash } : {}),
})

describe('reviewRows of an agent case', () => {
  test('every row of the test shows its trace and conversation', () => {
    const rows = reviewRows(runWith(agentCases()), [])
    expect(rows.map((row) => [row.metric, row.trace?.steps.length, row.conversation?.turns.length])).toEqual([
      ['tool-calls', 3, 2],
      ['task-completion', 3, 2],
    ])
  })

  test('turn labels are joined by case and turn, stale when the turn changed, and never count in agreement', () => {
    const conversation = agentCases()[0]!.conversation!
    const labels = [label(1, 'pass', turnHash(conversation.turns[0]!)), label(2, 'fail', turnHash({ user: 'older', assistant: 'turn' }))]
    const rows = reviewRows(runWith(agentCases()), labels)
    expect(rows[1]?.turnLabels).toEqual({ '1': { label: 'pass', at: '2025-01-01T00:00:00Z', stale: false }, '2': { label: 'fail', at: '2025-01-01T00:00:00Z', stale: true } })
    expect(rows.map((row) => row.label)).toEqual([undefined, undefined])
    expect(agreementByMetric(rows)).toEqual([])
  })
})

describe('review server, labelling one turn', () => {
  const project = reviewProject([runWith(agentCases())])
  let server: ReviewServer
  beforeAll(async () => {
    server = await startReviewServer({ ...project, port: 0, reviewer: 'ana' })
  })
  afterAll(() => server.close())

  test('stores the label under the case and turn, with the hash of that turn', async () => {
    const saved = await post(`${server.url}api/labels`, { id: 1, caseId: 'refund-agent', metric: 'task-completion', turn: 2, label: 'fail', note: 'asked again' })
    expect(saved.status).toBe(200)
    const turn = agentCases()[0]!.conversation!.turns[1]!
    expect(readLabels(project.labelsFile).labels).toEqual([
      { caseId: 'refund-agent', metric: 'turn:2', label: 'fail', note: 'asked again', by: 'ana', at: expect.any(String), outputHash: turnHash(turn), suite: 'agent.test.ts > agent' },
    ])
  })

  test('refuses a turn the case does not have, writing nothing', async () => {
    const refused = await post(`${server.url}api/labels`, { id: 0, caseId: 'refund-agent', metric: 'tool-calls', turn: 3, label: 'pass' })
    expect(refused.status).toBe(409)
    expect(JSON.parse(refused.body).error).toBe('Case refund-agent has no turn 3 in the latest run: reload the page.')
    expect((await post(`${server.url}api/labels`, { id: 0, caseId: 'refund-agent', metric: 'tool-calls', turn: 0, label: 'pass' })).status).toBe(400)
    expect(readLabels(project.labelsFile).labels).toHaveLength(1)
  })
})
