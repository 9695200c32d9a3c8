// The flaky cases of a run in a fixed order, for the end-of-run lists: cases are collected as tests finish, so
// in a run of several files their order changed from run to run.
import type { CaseScore } from '../src/history/run-record.js'

/** Code-unit order, the same on every machine and locale. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The flaky cases of `cases`, sorted by suite, then case (test name, case id), then metric and variant.
 *
 * @example
 * flakyCases(summary.cases).map((score) => score.test) // ['bot > a', 'bot > b']
 */
export function flakyCases<Score extends Pick<CaseScore, 'suite' | 'test' | 'caseId' | 'metric' | 'variant' | 'flaky'>>(cases: readonly Score[] | undefined): Score[] {
  return (cases ?? [])
    .filter((score) => score.flaky)
    .sort((a, b) => byText(a.suite, b.suite) || byText(a.test, b.test) || byText(a.caseId ?? '', b.caseId ?? '') || byText(a.metric, b.metric) || byText(a.variant ?? '', b.variant ?? ''))
}
