// With `repeats`, a scorer that throws in a later trial has scored the case's earlier trials: those scores go
// too, as the scorer gives the case no score at all (the gate says its metric is left out for the case, and
// nothing of it is written in the history). Records are marked with their scorer only when there are repeats.
import type { ScoreRecord } from '../metrics/score-record.js'

const producedBy = new WeakMap<ScoreRecord, number>()

/**
 * Marks `records` as scorer `index`'s (0-based), so {@link dropScorerRecords} can find them.
 *
 * @example
 * markScorer(kept.records, 1)
 */
export function markScorer(records: readonly ScoreRecord[], index: number): void {
  for (const record of records) producedBy.set(record, index)
}

/**
 * Removes the records of the scorers `indexes` (0-based) from each trial's records and from `evals` (the test's
 * records, in place). Only records marked with {@link markScorer} are found.
 *
 * @example
 * dropScorerRecords(trials, meta.evals, [1])
 */
export function dropScorerRecords(trials: readonly { records: ScoreRecord[] }[], evals: ScoreRecord[] | undefined, indexes: readonly number[]): void {
  const dropped = (record: ScoreRecord) => indexes.includes(producedBy.get(record) ?? -1)
  for (const trial of trials) trial.records = trial.records.filter((record) => !dropped(record))
  dropRecords(evals, dropped)
}

/**
 * Removes the records `dropped` says so from `evals` (the test's records), in place.
 *
 * @example
 * dropRecords(meta.evals, (record) => record.attempt.repeat >= 3)
 */
export function dropRecords(evals: ScoreRecord[] | undefined, dropped: (record: ScoreRecord) => boolean): void {
  if (!evals?.some(dropped)) return
  // In place (others hold the array), without spreading it into arguments (a long one would overflow the stack).
  let kept = 0
  for (const record of evals) if (!dropped(record)) evals[kept++] = record
  evals.length = kept
}
