import { groupKey, noTokens, type CaseScore, type GroupAggregate, type HistoryRun } from '../../src/history/run-record.js'
import { compareRuns } from '../../reporters/compare.js'
import type { HtmlReportInput } from '../../reporters/render-html.js'

/** Suite of the report fixtures. */
export const SUITE = 'qa.eval.ts > qa'

/** A case score of {@link SUITE} with defaults (case id = test name). */
export function score(caseId: string, metric: string, value: number, extra: Partial<CaseScore> = {}): CaseScore {
  return { suite: SUITE, test: `qa > ${caseId}${extra.variant ? ` [${extra.variant}]` : ''}`, caseId, metric, score: value, pass: value >= 0.5, trials: 1, ...extra }
}

/** A history run from its case scores: one group per suite, metric and variant, aggregated from them (awaiting cases left out). */
export function runOf(id: string, cases: CaseScore[], extra: Partial<HistoryRun> = {}): HistoryRun {
  const groups = new Map<string, GroupAggregate>()
  for (const each of cases) {
    if ((each as { awaitingLabel?: boolean }).awaitingLabel) continue
    const group = groups.get(groupKey(each)) ?? { suite: each.suite, metric: each.metric, ...(each.variant ? { variant: each.variant } : {}), mean: 0, passRate: 0, cases: 0, trials: 0, flaky: 0 }
    group.mean = (group.mean * group.cases + each.score) / (group.cases + 1)
    group.passRate = (group.passRate * group.trials + (each.pass ? 1 : 0)) / (group.trials + 1)
    group.cases += 1
    group.trials += 1
    group.flaky += each.flaky ? 1 : 0
    groups.set(groupKey(each), group)
  }
  return {
    v: 1,
    id,
    time: `2026-12-0${id.slice(-1)}T10:00:00.000Z`,
    git: { commit: `${id}cafe0123456`, branch: 'main' },
    versions: { node: '22.0.0' },
    totals: { tests: cases.length, scores: cases.length, failedScores: cases.filter((each) => !each.pass).length, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 },
    groups: [...groups.values()],
    suites: [],
    cases,
    ...extra,
  }
}

/** The report input of `current` after `history` (oldest first), compared as the reporter does. */
export function reportInput(history: HistoryRun[], current: HistoryRun, extra: Partial<HtmlReportInput> & { baseline?: HistoryRun } = {}): HtmlReportInput {
  const { baseline, ...rest } = extra
  return { runs: [...history, current], comparison: compareRuns(current, history, baseline, { tolerance: 0.05, recent: 12 }), gateFailures: [], ...rest }
}
