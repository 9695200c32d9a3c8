// TEMPORARY (issue 16): a minimal ReportData builder so the page and its browser tests work on this branch
// before `buildReportData` (report-model.ts) and `trajectoryTemplates` land. The integrator replaces the
// call in render-html.ts with those and deletes this file.
import { caseKey, groupKey, testKey, trajectoriesByTest, type CaseScore } from '../src/history/run-record.js'
import { escapeHtml } from './escape-html.js'
import type { HtmlReportInput } from './render-html.js'
import { ROW_FLAGS, type ReportCell, type ReportData, type ReportOutput, type ReportRow } from './report-data.js'
import { conversationHtml, conversationSummary, traceHtml, traceSummary } from './render-trajectory.js'
import type { SummarizedCase } from './summarize.js'

/** Per case key, the score and output in the run its suite metric is compared with. */
function references(input: HtmlReportInput): Map<string, { score: CaseScore; from: string }> {
  const found = new Map<string, { score: CaseScore; from: string }>()
  for (const row of input.comparison.rows) {
    const reference = row.reference
    if (!reference) continue
    const from = `${reference.kind === 'baseline' ? 'baseline' : 'previous run'} ${reference.run.time.slice(0, 16).replace('T', ' ')}${reference.run.git?.commit ? ` ${reference.run.git.commit.slice(0, 7)}` : ''}`
    for (const score of reference.run.cases ?? []) if (groupKey(score) === groupKey(row.group)) found.set(caseKey(score), { score, from })
  }
  return found
}

/**
 * The page's data and trajectory templates, built without the report model (temporary, see the file header).
 *
 * @example
 * const { data, templates } = interimReportData({ runs, comparison, gateFailures: [] })
 */
export function interimReportData(input: HtmlReportInput): { data: ReportData; templates: string } {
  const run = input.runs.at(-1)
  const cases = (run?.cases ?? []) as SummarizedCase[]
  const before = references(input)
  const suites: ReportData['suites'] = []
  const suiteIndex = new Map<string, number>()
  for (const score of cases) {
    let index = suiteIndex.get(score.suite)
    if (index === undefined) suiteIndex.set(score.suite, (index = suites.push({ name: score.suite, columns: [] }) - 1))
    const columns = suites[index]!.columns
    if (!columns.some((column) => column.metric === score.metric && column.variant === score.variant)) columns.push({ metric: score.metric, ...(score.variant === undefined ? {} : { variant: score.variant }) })
  }
  const trajectories = trajectoriesByTest(cases)
  const ids = new Map([...trajectories.keys()].map((key, index) => [key, `trajectory-${index + 1}`]))
  const rows = new Map<string, ReportRow>()
  for (const score of cases) {
    const suite = suiteIndex.get(score.suite)!
    const id = score.caseId ?? score.test
    const key = `${score.suite}\u0000${id}`
    const row = rows.get(key) ?? { key: `${suite}:${id}`, suite, id, cells: suites[suite]!.columns.map(() => null), flags: 0, outputs: [] }
    rows.set(key, row)
    const found = before.get(caseKey(score))
    const reference = found?.score
    const awaiting = score.awaitingLabel === true
    const cell: ReportCell = { score: awaiting ? null : score.score, pass: score.pass, trials: score.trials }
    if (reference && !awaiting) cell.before = reference.score
    if (score.trials > 1 && score.passes !== undefined) cell.passes = score.passes
    if (score.flaky) cell.flaky = true
    if (score.threshold !== undefined) cell.threshold = score.threshold
    if (score.reason !== undefined) cell.reason = score.reason
    if (score.judge) cell.judge = `${score.judge.provider}/${score.judge.model}`
    if (score.humanLabel !== undefined) cell.humanLabel = score.humanLabel
    if (score.automatedLabel !== undefined) cell.automatedLabel = String(score.automatedLabel)
    if (score.humanLabel !== undefined && score.automatedLabel !== undefined && String(score.automatedLabel) !== score.humanLabel) cell.disagree = true
    row.cells[suites[suite]!.columns.findIndex((column) => column.metric === score.metric && column.variant === score.variant)] = cell
    const change = cell.before === undefined || cell.score === null ? 0 : cell.score - cell.before
    if (Math.abs(change) > Math.abs(row.change ?? 0)) row.change = change
    row.flags |= (awaiting ? ROW_FLAGS.awaiting : 0) | (!awaiting && !score.pass ? ROW_FLAGS.failing : 0) | (change < -1e-9 ? ROW_FLAGS.regressed : 0) | (change > 1e-9 ? ROW_FLAGS.improved : 0) | (score.flaky ? ROW_FLAGS.flaky : 0) | (cell.disagree ? ROW_FLAGS.disagree : 0)
    if (score.input !== undefined) row.input ??= score.input
    if (!row.outputs.some((output) => output.test === score.test && output.variant === score.variant)) {
      const output: ReportOutput = { test: score.test, ...(score.variant === undefined ? {} : { variant: score.variant }), ...(score.output === undefined ? {} : { output: score.output }) }
      if (reference?.output !== undefined && reference.output !== score.output) Object.assign(output, { previous: reference.output, previousFrom: found?.from })
      const trajectory = ids.get(testKey(score))
      if (trajectory) output.trajectory = trajectory
      row.outputs.push(output)
    }
  }
  // The format of the model's trajectoryTemplates: one template per test, a section per trace / conversation.
  const templates = [...trajectories]
    .map(([key, { trace, conversation }]) => {
      const parts = [
        trace ? `<section class="trace"><h4>trace <span class="sub">${escapeHtml(traceSummary(trace))}</span></h4>${traceHtml(trace)}</section>` : '',
        conversation ? `<section class="conversation"><h4>conversation <span class="sub">${escapeHtml(conversationSummary(conversation))}</span></h4>${conversationHtml(conversation)}</section>` : '',
      ]
      return `<template id="${ids.get(key) as string}">${parts.join('')}</template>`
    })
    .join('')
  return { data: { v: 1, suites, rows: [...rows.values()], ...(run && !run.cases ? { detailDropped: true } : {}) }, templates }
}
