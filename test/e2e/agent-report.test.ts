// A run with an agent case and a conversation, through real Vitest and the plugin: report.html holds the
// trace's steps and the transcript (escaped), history keeps them once per test, and the review page serves them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import { startReviewServer } from '../../src/review/review-server.js'
import { embeddedData } from '../reporters/report-page-fixtures.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'
import { readableReport } from '../support/report-html.js'

describe('an agent run in the report, the history and the review page', () => {
  let project: FixtureProject
  let run: RunResult
  beforeAll(async () => {
    project = fixture('agent-report')
    run = await project.run([], cleanEnv())
  }, 120_000)
  afterAll(() => project?.remove())

  test('report.html holds each step with its tool calls, and the transcript, all escaped', () => {
    expect(run.code, run.output).toBe(0)
    const raw = project.read('.evals', 'report.html')
    const html = readableReport(raw)
    const trace = html.match(/<template id="(trajectory-\d+)"><section class="trace">(.*?)<\/section>/s)
    expect(trace?.[2]?.split('<li class="step">')).toHaveLength(4)
    expect(trace?.[2]).toContain('step 1 · gpt-4.1-mini · 1,200 in / 40 out tokens · 812 ms · 2 calls in parallel')
    expect(trace?.[2]).toContain('<code class="tool">issue_refund</code> <span class="sub">call_3</span><pre class="args">{&#34;orderId&#34;:&#34;123&#34;}</pre><div class="sub">error</div><pre class="error">refund service down</pre>')
    // The traced test's row (tool-call:lookup_order and tool-calls side by side) opens the template.
    // (The case data is embedded gzipped in base64: read it as the page does.)
    expect(embeddedData(raw).rows.flatMap((row) => row.outputs.filter((output) => output.trajectory === trace?.[1]).map((output) => output.test))).toHaveLength(1)
    const transcript = html.match(/<section class="conversation">(.*?)<\/section>/s)?.[1]
    expect(transcript).toContain('<pre class="user">My parcel is late &#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;</pre>')
    expect(transcript).toContain('<p class="ended">Ended: script-done after 2 turns.</p>')
    // No markup from model text in the page itself (the decoded case data is JSON, shown only as text).
    expect(raw).not.toContain('<img')
  })

  test('history keeps the trace and conversation once per test; the review page serves them on every row', async () => {
    const history = project.path('.evals', 'history.jsonl')
    const cases = readHistory(history)[0]?.cases ?? []
    expect(cases.map((score) => [score.metric, score.trace?.steps.length, score.conversation?.turns.length])).toEqual([
      ['tool-call:lookup_order', 3, undefined],
      ['tool-calls', undefined, undefined],
      ['turns', undefined, 2],
    ])
    const server = await startReviewServer({ root: project.dir, historyFile: history, labelsFile: project.path('labels.jsonl'), port: 0 })
    try {
      const state = (await (await fetch(`${server.url}api/state`)).json()) as { rows: Array<{ metric: string; trace?: { steps: unknown[] }; conversation?: { turns: unknown[] } }> }
      expect(state.rows.map((row) => [row.metric, row.trace?.steps.length, row.conversation?.turns.length])).toEqual([
        ['tool-call:lookup_order', 3, undefined],
        ['tool-calls', 3, undefined],
        ['turns', undefined, 2],
      ])
    } finally {
      await server.close()
    }
  })
})
