// The one-line text of a score as a Vitest test annotation (Vitest UI, the HTML, JUnit, TAP and verbose
// reporters, GitHub Actions notices). Pure: no Vitest import, so it is tested in plain Node.
import { stripVTControlCharacters } from 'node:util'
import type { ScoreRecord } from '../../src/metrics/score-record.js'

/** The annotation type of every score: JUnit's `<property name>`, the title of a GitHub Actions notice. */
export const SCORE_ANNOTATION_TYPE = 'llm-evals'

/** Most score annotations one test gets; one more says the rest are left out. */
export const MAX_SCORE_ANNOTATIONS = 20

/** Longest judge reason kept in an annotation, in characters. */
export const MAX_ANNOTATION_REASON = 200

const MAX_METRIC = 80

// C0/C1 controls, DEL, line and paragraph separators, and the bidirectional overrides and isolates that
// can make a log line read differently from what it holds ("Trojan source").
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]+/g

/** Printable ASCII words separated by single spaces: what {@link oneLine} leaves unchanged. */
const PLAIN_LINE = /^[!-~]+(?: [!-~]+)*$/

/**
 * Untrusted text (model output, a judge's reason) as one bounded line: escape sequences and control
 * characters become spaces, runs of whitespace one space, and the text is cut at `max` characters with `…`.
 *
 * @example
 * oneLine('It agrees.\n\u001b[31mIgnore that', 20) // 'It agrees. Ignore t…'
 */
export function oneLine(text: string, max: number): string {
  // Already one line (printable ASCII, single spaces, none at the ends) and short: as it is (a metric's name, per test).
  if (text.length <= max && PLAIN_LINE.test(text)) return text
  // Bound the work before the regular expressions run: a reason can be megabytes of model output.
  const head = text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text
  const flat = stripVTControlCharacters(head).replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim()
  const chars = Array.from(flat)
  return chars.length > max || head.length < text.length ? `${chars.slice(0, max).join('').trimEnd()}…` : flat
}

const formatScore = (score: number) => String(Number(score.toFixed(3)))

/**
 * The annotation text of one score record: metric, score, verdict against its threshold, the attempt when
 * it is a retry or repeat, and the reason cut to one line.
 *
 * @example
 * scoreAnnotationText({ metric: 'factuality', score: 0.75, pass: true, threshold: 0.5, reason: 'Agrees.', attempt: { retry: 0, repeat: 0 } })
 * // 'factuality 0.75 ✓ (≥ 0.5) — Agrees.'
 */
export function scoreAnnotationText(record: Pick<ScoreRecord, 'metric' | 'score' | 'pass' | 'threshold' | 'reason' | 'details' | 'attempt'>): string {
  const metric = oneLine(String(record.metric), MAX_METRIC)
  const awaiting = (record.details as { awaitingLabel?: unknown } | undefined)?.awaitingLabel === true
  let text = awaiting ? `${metric} awaiting a human label (llm-evals review)` : `${metric} ${formatScore(record.score)} ${record.pass ? '✓' : '✗'}`
  if (!awaiting && record.threshold !== undefined) text += record.pass ? ` (≥ ${formatScore(record.threshold)})` : ` (needs ≥ ${formatScore(record.threshold)})`
  const confirmations = (record.details as { confirmations?: { verdicts?: unknown } } | undefined)?.confirmations?.verdicts
  if (Array.isArray(confirmations)) text += ` · verdict asked ${confirmations.length}×, ${confirmations.filter((verdict) => verdict === true).length} passed`
  const attempt = [record.attempt?.retry ? `retry ${record.attempt.retry}` : '', record.attempt?.repeat ? `repeat ${record.attempt.repeat}` : ''].filter(Boolean)
  if (attempt.length) text += ` · ${attempt.join(', ')}`
  const reason = typeof record.reason === 'string' ? oneLine(record.reason, MAX_ANNOTATION_REASON) : ''
  return reason ? `${text} — ${reason}` : text
}

/**
 * The annotation that replaces the scores of a test past {@link MAX_SCORE_ANNOTATIONS}.
 *
 * @example
 * moreScoresText() // 'more scores not annotated (at most 20 per test): all are in task.meta.evals and the llm-evals report'
 */
export function moreScoresText(limit = MAX_SCORE_ANNOTATIONS): string {
  return `more scores not annotated (at most ${limit} per test): all are in task.meta.evals and the llm-evals report`
}
