export { ScoreHistoryReporter, formatRunSummary, summarizeRun } from './score-history-reporter.js'
export type { CassetteCounts, ScoreHistoryReporterOptions } from './score-history-reporter.js'
