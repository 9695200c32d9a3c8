import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { appendLabel, outputHash, readLabels } from '../../../src/review/labels-file.js'
import { startReviewServer, type ReviewServer } from '../../../src/review/review-server.js'
import { reviewCases, reviewProject, runWith, trialCases } from './fixtures.js'

/** A raw request, so tests can send the Host and Origin headers a browser on another site would. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    outgoing.on('error', reject)
    outgoing.end(options.body)
  })
}

describe('review server', () => {
  const project = reviewProject([runWith(reviewCases().slice(0, 1), 'run-1'), runWith(reviewCases(), 'run-2')])
  let server: ReviewServer
  beforeAll(async () => {
    server = await startReviewServer({ ...project, port: 0, reviewer: 'ana', classes: ['refund', 'other'] })
  })
  afterAll(() => server.close())
  const json = { 'content-type': 'application/json' }
  const label = (body: object, headers: Record<string, string> = json) => send(`${server.url}api/labels`, { method: 'POST', headers, body: JSON.stringify(body) })

  test('listens on 127.0.0.1 only, and serves the page with a strict CSP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await send(server.url)
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.body).not.toMatch(/<script>|style=/)
  })

  test('serves the newest run of the history with its rows and the configured classes', async () => {
    const state = JSON.parse((await send(`${server.url}api/state`)).body)
    expect(state.run).toEqual({ id: 'run-2', time: '2025-03-01T10:00:00.000Z', branch: 'main' })
    expect(state.classes).toEqual(['refund', 'other'])
    expect(state.rows.map((row: { caseId: string }) => row.caseId)).toEqual(['refund', 'hostile', 'late', 'rude'])
  })

  test('saves a label with the reviewer and the hash of the output shown', async () => {
    const response = await label({ id: 3, caseId: 'rude', metric: 'rubric:helpful', label: 'fail', note: ' rude ' })
    expect(response.status).toBe(200)
    expect(readLabels(project.labelsFile).labels.at(-1)).toMatchObject({ caseId: 'rude', metric: 'rubric:helpful', label: 'fail', note: 'rude', by: 'ana', outputHash: expect.stringMatching(/^sha256:/), suite: 'bot.test.ts > bot' })
    const state = JSON.parse((await send(`${server.url}api/state`)).body)
    expect(state.rows[3]).toMatchObject({ label: { label: 'fail', stale: false }, disagrees: true })
    expect(state.agreement[0].stats).toMatchObject({ n: 1, failures: { missed: 1, failureRecall: 0 } })
  })

  test('refuses requests from other sites, rebound host names and malformed labels, writing nothing', async () => {
    const before = readLabels(project.labelsFile).labels.length
    const port = new URL(server.url).port
    expect((await send(`${server.url}api/state`, { headers: { host: `evil.example:${port}` } })).status).toBe(421)
    expect((await label({ id: 0, caseId: 'refund', metric: 'rubric:helpful', label: 'pass' }, { ...json, origin: 'https://evil.example' })).status).toBe(403)
    expect((await label({ id: 0, caseId: 'refund', metric: 'rubric:helpful', label: 'pass' }, { 'content-type': 'text/plain' })).status).toBe(403)
    const bad = await label({ id: 0, caseId: 'refund', metric: 'rubric:helpful', label: '' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error).toMatch(/^Bad label: label: /)
    expect((await send(`${server.url}api/labels`, { method: 'POST', headers: json, body: '{oops' })).status).toBe(400)
    const moved = await label({ id: 0, caseId: 'hostile', metric: 'rubric:helpful', label: 'pass' })
    expect(moved.status).toBe(409)
    expect(JSON.parse(moved.body).error).toBe('That row is not in the latest run any more: reload the page.')
    expect(readLabels(project.labelsFile).labels).toHaveLength(before)
  })

  test('refuses a label whose note holds a live key, saying why, and writes nothing', async () => {
    const before = readFileSync(project.labelsFile, 'utf8')
    vi.stubEnv('REVIEW_TEST_API_KEY', 'sk-live-review-0123456789')
    try {
      const refused = await label({ id: 3, caseId: 'rude', metric: 'rubric:helpful', label: 'fail', note: 'leaked sk-live-review-0123456789' })
      expect(refused.status).toBe(400)
      expect(refused.body).not.toContain('sk-live-review-0123456789')
      expect(JSON.parse(refused.body).error).toContain('its `note` contains the value of REVIEW_TEST_API_KEY. The labels file was left as it was.')
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readFileSync(project.labelsFile, 'utf8')).toBe(before)
  })
  test('stores a note with what looks like a secret as [REDACTED], and says so in the label it returns', async () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345'
    const saved = await label({ id: 3, caseId: 'rude', metric: 'rubric:helpful', label: 'fail', note: `the app printed ${token}` })
    expect(saved.status).toBe(200)
    expect(JSON.parse(saved.body).note).toBe('the app printed [REDACTED]')
    expect(readFileSync(project.labelsFile, 'utf8')).not.toContain(token)
    expect(readLabels(project.labelsFile).labels.at(-1)?.note).toBe('the app printed [REDACTED]')
  })
})

describe('review server with the same case id in two suites', () => {
  const first = { suite: 'a.test.ts > refunds', test: 'refunds > q1', caseId: 'q1', metric: 'helpful', score: 1, pass: true, trials: 1, output: 'from a' }
  const second = { ...first, suite: 'b.test.ts > refunds', output: 'from b' }
  const legacy = { ...first, caseId: 'q2', test: 'refunds > q2' }
  const project = reviewProject([runWith([first, second, legacy, { ...legacy, suite: second.suite }])])
  let server: ReviewServer
  beforeAll(async () => {
    // A label from before labels had a suite: q2 is in both suites, so it applies to neither.
    appendLabel(project.labelsFile, { caseId: 'q2', metric: 'helpful', label: 'fail' })
    server = await startReviewServer({ ...project, port: 0 })
  })
  afterAll(() => server.close())

  test('a label saved on one suite\'s row is stored with that suite and shows on that row only', async () => {
    const saved = await send(`${server.url}api/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 1, caseId: 'q1', metric: 'helpful', label: 'fail' }) })
    expect(saved.status).toBe(200)
    expect(readLabels(project.labelsFile).labels.at(-1)).toMatchObject({ caseId: 'q1', suite: 'b.test.ts > refunds', label: 'fail' })
    const state = JSON.parse((await send(`${server.url}api/state`)).body)
    expect(state.rows.map((row: { suite: string; caseId: string; label?: { label: string }; disagrees: boolean }) => [row.suite, row.caseId, row.label?.label, row.disagrees])).toEqual([
      ['a.test.ts > refunds', 'q1', undefined, false],
      ['b.test.ts > refunds', 'q1', 'fail', true],
      ['a.test.ts > refunds', 'q2', undefined, false],
      ['b.test.ts > refunds', 'q2', undefined, false],
    ])
    expect(state.agreement[0].stats.n).toBe(1)
    expect(state.legacyNotice).toContain('1 label in evals/labels.jsonl has no suite')
    expect(state.legacyNotice).toContain('  q2 (helpful): in a.test.ts > refunds, b.test.ts > refunds\nRun `llm-evals review --migrate-labels`')
  })

  test('a label saved from a page showing an older run, whose trial said something else then, is refused, not stored on the new output', async () => {
    const trials = reviewProject([runWith(trialCases())])
    const trialServer = await startReviewServer({ ...trials, port: 0 })
    try {
      const shown = JSON.parse((await send(`${trialServer.url}api/state`)).body).rows[1] as { id: number; caseId: string; metric: string; trial: number; suite: string; outputHash: string }
      // A new run lands while the reviewer reads trial 2: same case, same trial, another output.
      const next = trialCases()
      const changed = next[0]?.trialResults?.[1] as { output?: string; outputHash?: string }
      changed.output = 'A different answer.'
      changed.outputHash = outputHash(changed.output)
      writeFileSync(trials.historyFile, `${JSON.stringify(runWith(next, 'run-3'))}\n`)
      const body = { id: shown.id, caseId: shown.caseId, metric: shown.metric, label: 'fail', trial: shown.trial, suite: shown.suite, outputHash: shown.outputHash }
      const saved = await send(`${trialServer.url}api/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect(saved.status).toBe(409)
      expect(readLabels(trials.labelsFile).labels).toEqual([])
    } finally {
      await trialServer.close()
    }
  })

  test('a label on a trial row is stored with the trial and the hash of that trial\'s output; a label naming another trial is refused', async () => {
    const trials = reviewProject([runWith(trialCases())])
    const trialServer = await startReviewServer({ ...trials, port: 0 })
    try {
      const post = (body: object) => send(`${trialServer.url}api/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect((await post({ id: 0, caseId: 'refund', metric: 'rubric:helpful', label: 'pass' })).status).toBe(409)
      expect((await post({ id: 0, caseId: 'refund', metric: 'rubric:helpful', label: 'pass', trial: 2 })).status).toBe(409)
      expect(readLabels(trials.labelsFile).labels).toEqual([])
      expect((await post({ id: 1, caseId: 'refund', metric: 'rubric:helpful', label: 'pass', trial: 2 })).status).toBe(200)
      expect(readLabels(trials.labelsFile).labels).toEqual([expect.objectContaining({ caseId: 'refund', trial: 2, label: 'pass', outputHash: outputHash(trialCases()[0]?.trialResults?.[1]?.output as string) })])
      const state = JSON.parse((await send(`${trialServer.url}api/state`)).body)
      // Trial 2 failed: the human's pass on its output is a disagreement with that trial's verdict.
      expect(state.rows.map((row: { trial: number; disagrees: boolean }) => [row.trial, row.disagrees])).toEqual([[1, false], [2, true], [3, false]])
    } finally {
      await trialServer.close()
    }
  })
})

describe('review server over a labels file of garbage', () => {
  test('sends the page the first 20 lines that cannot be read, then how many more', async () => {
    const project = reviewProject([runWith(reviewCases(), 'run-1')])
    const { mkdirSync } = await import('node:fs')
    const { dirname } = await import('node:path')
    mkdirSync(dirname(project.labelsFile), { recursive: true })
    writeFileSync(project.labelsFile, 'not json\n'.repeat(100_000))
    const server = await startReviewServer({ ...project, port: 0, reviewer: 'ana' })
    try {
      const state = JSON.parse((await send(`${server.url}api/state`)).body) as { problems: string[] }
      expect(state.problems).toHaveLength(21)
      expect(state.problems[0]).toBe('evals/labels.jsonl:1: not valid JSON')
      expect(state.problems[20]).toBe('… and 99980 more lines that cannot be read')
    } finally {
      await server.close()
    }
  })
})
