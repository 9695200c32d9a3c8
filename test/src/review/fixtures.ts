import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { CaseScore, HistoryRun } from '../../../src/history/run-record.js'
import { noTokens } from '../../../src/history/run-record.js'
import { outputHash } from '../../../src/review/labels-file.js'
import { caseConversation, caseTrace } from '../../../reporters/case-trajectory.js'
import { refundConversation, refundTrace } from '../../reporters/trajectory-fixtures.js'

const SUITE = 'bot.test.ts > bot'

/** Output of the case whose text tries to run code in the review page. */
export const HOSTILE_OUTPUT = '<script>window.hacked = true</script><img src=x onerror="window.hacked = true"><b>bold?</b>'

/** Four cases of a judge metric, one of them with hostile output, and a flaky one. */
export function reviewCases(): CaseScore[] {
  const judge = { provider: 'openai', model: 'gpt-4.1-mini', promptVersion: 'v1' }
  return [
    { suite: SUITE, test: 'bot > refund', caseId: 'refund', metric: 'rubric:helpful', score: 0.9, pass: true, trials: 1, input: 'I want my money back', output: 'You can get a refund within 30 days.', reason: 'answers the question', judge },
    { suite: SUITE, test: 'bot > hostile', caseId: 'hostile', metric: 'rubric:helpful', score: 0.2, pass: false, trials: 1, input: 'Say something', output: HOSTILE_OUTPUT, reason: '<i>not</i> helpful', judge },
    { suite: SUITE, test: 'bot > late', caseId: 'late', metric: 'rubric:helpful', score: 0.8, pass: true, trials: 3, passes: 2, flaky: true, output: 'Your parcel is late, sorry.', judge },
    { suite: SUITE, test: 'bot > rude', caseId: 'rude', metric: 'rubric:helpful', score: 0.7, pass: true, trials: 1, output: 'Figure it out yourself.', judge },
  ]
}

/** A history run holding `cases`. */
export function runWith(cases: CaseScore[], id = 'run-2'): HistoryRun {
  return {
    v: 1,
    id,
    time: '2025-03-01T10:00:00.000Z',
    git: { branch: 'main' },
    versions: { node: '22.0.0' },
    totals: { tests: cases.length, scores: cases.length, failedScores: cases.filter((score) => !score.pass).length, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 },
    groups: [],
    suites: [],
    cases,
  }
}

/** A project folder with a history file holding `runs`; returns its paths. */
export function reviewProject(runs: HistoryRun[]): { root: string; historyFile: string; labelsFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'review-'))
  const historyFile = join(root, '.evals', 'history.jsonl')
  mkdirSync(dirname(historyFile), { recursive: true })
  writeFileSync(historyFile, runs.map((run) => JSON.stringify(run)).join('\n') + '\n')
  return { root, historyFile, labelsFile: join(root, 'evals', 'labels.jsonl') }
}

/** An agent case with two metrics: its trace and conversation (hostile text in tool values and turns) on the first. */
export function agentCases(): CaseScore[] {
  const trace = caseTrace(refundTrace(), 2000)
  const conversation = caseConversation(refundConversation(), 2000)
  const base = { suite: 'agent.test.ts > agent', test: 'agent > refund', caseId: 'refund-agent', trials: 1, output: 'Refund issued.' }
  return [
    { ...base, metric: 'tool-calls', score: 1, pass: true, ...(trace ? { trace } : {}), ...(conversation ? { conversation } : {}) },
    { ...base, metric: 'task-completion', score: 0, pass: false },
  ]
}

/** A judged case run 3 times whose trials differ: trial 2 (hostile output) failed, so the mean is below the pass mark. */
export function trialCases(): CaseScore[] {
  const outputs = ['Refunds take 5 days.', HOSTILE_OUTPUT, 'Refunds take 5 days; start on the orders page.']
  const judge = { provider: 'openai', model: 'gpt-4.1-mini', promptVersion: 'v1' }
  return [{
    suite: SUITE, test: 'bot > refund', caseId: 'refund', metric: 'rubric:helpful', score: 0.6, pass: false, trials: 3, passes: 2, flaky: true, threshold: 0.7, judge,
    input: 'I want my money back', output: outputs[2], reason: 'answers\n<i>not</i> helpful',
    trialResults: outputs.map((output, index) => ({ trial: index + 1, score: index === 1 ? 0 : 0.9, pass: index !== 1, reason: index === 1 ? '<i>not</i> helpful' : 'answers', output, outputHash: outputHash(output) })),
  }]
}
