// Global symbols marking this library's reporters, so the plugin recognises one a user added (from any copy of
// the library, and before the reporter's code is loaded: reporters/lazy-reporters.ts) and does not add it twice.

/** On every ScoreHistoryReporter and the plugin's stand-in for it (same key as in score-history-reporter.ts). */
export const HISTORY_REPORTER_MARK = Symbol.for('vitest-llm-evals.score-history-reporter')

/** On every ScoreAnnotationsReporter and the plugin's stand-in for it. */
export const ANNOTATIONS_REPORTER_MARK = Symbol.for('vitest-llm-evals.score-annotations-reporter')

const marked = (value: unknown, mark: symbol) => typeof value === 'object' && value !== null && mark in value

/**
 * True for a ScoreHistoryReporter or the plugin's stand-in for one, in a reporters list.
 *
 * @example
 * if (!reporters.some(hasHistoryReporterMark)) reporters.push(new LazyScoreHistoryReporter(options))
 */
export function hasHistoryReporterMark(value: unknown): boolean {
  return marked(value, HISTORY_REPORTER_MARK)
}

/**
 * True for a ScoreAnnotationsReporter or the plugin's stand-in for one, in a reporters list.
 *
 * @example
 * if (!reporters.some(hasAnnotationsReporterMark)) reporters.unshift(new LazyScoreAnnotationsReporter())
 */
export function hasAnnotationsReporterMark(value: unknown): boolean {
  return marked(value, ANNOTATIONS_REPORTER_MARK)
}
