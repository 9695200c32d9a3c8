// The usage report is written to a file (the usage folder, and blob reports through the file task's meta), and its
// free text comes from tests and requests: test names (a dataset row's text), URLs, refusal messages. It is scanned
// for secrets as a cassette's unrecorded marks are (see `MissReasons`), not only hidden of live key values.
import { redactFound } from './found-secrets.js'
import { findSecrets, type SecretFinding } from './secret-scan.js'
import type { CassetteUsageReport, TestNames } from './usage-report.js'

/** What a free-text field of the report holds when the secret scan failed: nothing unscanned is written. */
export const UNSCANNED_TEXT = '[not kept: the secret scan failed]'

/**
 * `report` with every secret the scan finds in its free text replaced by `[REDACTED]` (test names of misses, tests
 * not run or failed, and refusals; URLs; refusal messages). An unfinished call whose test's name holds one is left
 * out, as its mark is left out of the cassette. When the scan fails, that text is replaced by {@link UNSCANNED_TEXT}
 * and unfinished calls are left out. A report with no free text (a replay whose tests all ran and passed) is not
 * scanned: it loads no scanner.
 *
 * @example
 * await scanUsageReport(report) // { ...report, failed: { count: 1, names: ['deploys with [REDACTED]'] } }
 */
export async function scanUsageReport(report: CassetteUsageReport, scan: (text: string) => Promise<SecretFinding[]> = findSecrets): Promise<CassetteUsageReport> {
  const texts = new Set(freeTexts(report))
  if (texts.size === 0) return report
  const findings = new Map<string, SecretFinding[]>()
  try {
    await Promise.all([...texts].map(async (text) => findings.set(text, await scan(text))))
  } catch {
    return rewritten(report, () => UNSCANNED_TEXT, () => false)
  }
  return redacted(report, findings)
}

/**
 * {@link scanUsageReport} with a synchronous scan (`findSecretsSync` of secret-scan-sync.ts, given by the caller so
 * that this module does not load it): for the reporter's reports built from a test file's errors, made where the
 * caller cannot wait.
 *
 * @example
 * scanUsageReportSync(report, findSecretsSync) // { ...report, misses: [{ test: 'deploys with [REDACTED]', … }] }
 */
export function scanUsageReportSync(report: CassetteUsageReport, scan: (text: string) => SecretFinding[]): CassetteUsageReport {
  const texts = new Set(freeTexts(report))
  if (texts.size === 0) return report
  const findings = new Map<string, SecretFinding[]>()
  try {
    for (const text of texts) findings.set(text, scan(text))
  } catch {
    return rewritten(report, () => UNSCANNED_TEXT, () => false)
  }
  return redacted(report, findings)
}

/** `report` with what the scan found (`findings`, by text) redacted. */
function redacted(report: CassetteUsageReport, findings: ReadonlyMap<string, readonly SecretFinding[]>): CassetteUsageReport {
  const found = (text: string) => findings.get(text) ?? []
  return rewritten(report, (text) => (found(text).length ? redactFound(text, [...found(text)]) : text), (test) => found(test).length === 0)
}

/** Every free-text string the report holds. */
function freeTexts(report: CassetteUsageReport): string[] {
  return [
    ...report.misses.flatMap((miss) => [miss.test, miss.url]),
    ...(report.notRun?.names ?? []),
    ...(report.failed?.names ?? []),
    ...(report.refused ?? []).flatMap((refusal) => [refusal.test, refusal.message]),
    ...(report.unfinished ?? []).flatMap((call) => [call.test, call.url, ...(call.detail ? [call.detail] : [])]),
  ]
}

/** `report` with each free-text string through `shown`, keeping the unfinished calls whose test `keeps`. */
function rewritten(report: CassetteUsageReport, shown: (text: string) => string, keeps: (test: string) => boolean): CassetteUsageReport {
  const names = (tests: TestNames) => ({ count: tests.count, names: tests.names.map(shown) })
  const unfinished = (report.unfinished ?? []).filter((call) => keeps(call.test)).map((call) => ({ ...call, test: shown(call.test), url: shown(call.url), ...(call.detail ? { detail: shown(call.detail) } : {}) }))
  const rest: CassetteUsageReport = { ...report }
  delete rest.unfinished
  return {
    ...rest,
    misses: report.misses.map((miss) => ({ ...miss, test: shown(miss.test), url: shown(miss.url) })),
    ...(report.notRun ? { notRun: names(report.notRun) } : {}),
    ...(report.failed ? { failed: names(report.failed) } : {}),
    ...(report.refused ? { refused: report.refused.map((refusal) => ({ ...refusal, test: shown(refusal.test), message: shown(refusal.message) })) } : {}),
    ...(unfinished.length ? { unfinished } : {}),
  }
}
