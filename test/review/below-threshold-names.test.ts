// Review: the end-of-run below-threshold list names a case by its describe chain with the case id in place of
// the test's own name. It found the test's own name by the last ` > ` of the full name, so a name template whose
// row text holds ` > ` ("How do I open Settings > Billing?") was cut inside the row text. Fixed: the reporter
// collects the test's own name, and a case whose name holds ` > ` keeps its describe chain apart (`describeChain`).
import { expect, test } from 'vitest'
import { formatRunSummary } from '../../reporters/score-history-reporter.js'
import { summarizeRun, type CollectedCase } from '../../reporters/summarize.js'
import { DEFAULT_PRICES } from '../../reporters/pricing.js'
import { noTokens } from '../../src/history/run-record.js'

const totals = { tests: 1, scores: 1, failedScores: 1, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 }
const failing = (caseId: string) => ({ evals: [{ metric: 'brevity', score: 0, pass: false, caseId, attempt: { retry: 0, repeat: 0 } }], caseId })
const collected = (test: string, name: string, caseId: string, describe?: string): CollectedCase => ({
  module: 'bot.test.ts',
  ...(describe === undefined ? {} : { describe }),
  test,
  name,
  state: 'passed',
  flaky: false,
  meta: failing(caseId),
})
const summaryLine = (cases: CollectedCase[]) => {
  const summary = summarizeRun(cases, { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
  return formatRunSummary(summary.totals, 'replay', undefined, summary.cases)
}

test('a case whose templated test name holds " > " is named by its describe chain and case id', () => {
  const cases = [{ suite: 'bot.test.ts > support bot', test: 'support bot > How do I open Settings > Billing?', describeChain: 'support bot', caseId: 'q7', metric: 'brevity', score: 0, pass: false, trials: 1 }]
  expect(formatRunSummary(totals, 'replay', undefined, cases)).toContain('(1 below threshold: support bot > q7 · brevity 0.00)')
})

test('the summary keeps the describe chain of such a case, from the test\'s own name the reporter collects', () => {
  expect(summaryLine([collected('support bot > How do I open Settings > Billing?', 'How do I open Settings > Billing?', 'q7', 'support bot')])).toContain('(1 below threshold: support bot > q7 · brevity 0.00)')
  // Nested describe blocks, and a test at the top of its file.
  expect(summaryLine([collected('bot > replies > Go to A > B', 'Go to A > B', 'q8', 'bot')])).toContain('(1 below threshold: bot > replies > q8 · brevity 0.00)')
  expect(summaryLine([collected('Go to A > B', 'Go to A > B', 'q9')])).toContain('(1 below threshold: q9 · brevity 0.00)')
})

test('a case whose name holds no " > " is stored as before, without a describe chain', () => {
  const summary = summarizeRun([collected('support bot > Where is my order?', 'Where is my order?', 'q1', 'support bot')], { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
  expect(summary.cases?.[0]).not.toHaveProperty('describeChain')
  expect(formatRunSummary(summary.totals, 'replay', undefined, summary.cases)).toContain('(1 below threshold: support bot > q1 · brevity 0.00)')
})

test('a case id holding terminal control characters or a newline is shown on one line, as escapes', () => {
  const cases = [{ suite: 'bot.test.ts > support bot', test: 'support bot > q1', describeChain: 'support bot', caseId: 'q1\u001b[2K\u001b[1A✓ all good\nq2', metric: 'brevity', score: 0, pass: false, trials: 1 }]
  const line = formatRunSummary(totals, 'replay', undefined, cases) ?? ''
  expect(line).toContain('(1 below threshold: support bot > q1\\u001b[2K\\u001b[1A✓ all good\\nq2 · brevity 0.00)')
  expect(line).not.toMatch(/[\u001b\n]/)
})
