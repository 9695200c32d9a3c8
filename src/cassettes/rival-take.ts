// Two processes recording the same test at once in `auto` (parallel runs, shards, test.projects over one file) each
// make the whole chain of its calls live: a model's answer, a tool's result, then calls built on them. The first to
// write keeps its answers; where a later chain got a different answer to the same call, what it recorded after that
// answer arrived was built on an answer a replay never gives: stored, it would never be replayed (a model call whose
// request holds the other answer), or sit beside the other run's calls as if made with them. It is left out. Pure.
import { FILE_LEVEL_TEST, type CassetteEntry, type ToolRecord } from './entry.js'

/** What {@link afterRivalAnswer} needs of an attempt being written. */
export interface TakeOfAttempt {
  test: string
  repeat: number
  mode: 'append' | 'replace' | 'merge'
  entries: readonly { entry: CassetteEntry; occurrence: number }[]
  tools: readonly ToolRecord[]
}

/**
 * The recordings of `attempt` (an `auto` test try) made after the first of its calls that the cassette (`stored`,
 * `storedTools`: as on disk now) answers differently, as a replay of `project` would look it up: the try missed that
 * answer when it looked the call up, so another process stored it meanwhile (it recorded the same test), and what the
 * try recorded later may be built on its own answer. Empty when no stored answer differs; never for calls outside
 * tests (`(file)`), which are not a chain. The differing calls themselves are left out as any call already stored is.
 *
 * @example
 * const { entries, tools } = afterRivalAnswer(attempt, onDisk.entries, onDisk.tools, (entry) => entry.key ?? '')
 */
export function afterRivalAnswer(attempt: TakeOfAttempt, stored: readonly CassetteEntry[], storedTools: readonly ToolRecord[], keyOf: (entry: CassetteEntry) => string, project?: string): { entries: Set<CassetteEntry>; tools: Set<ToolRecord> } {
  const none = { entries: new Set<CassetteEntry>(), tools: new Set<ToolRecord>() }
  if (attempt.mode !== 'append' || attempt.test === FILE_LEVEL_TEST) return none
  const sameTest = (record: { test: string; repeat: number }) => record.test === attempt.test && record.repeat === attempt.repeat
  const answers = new Map<string, CassetteEntry[]>()
  for (const entry of stored.filter(sameTest).sort((a, b) => a.call - b.call)) {
    const key = keyOf(entry)
    answers.set(key, [...(answers.get(key) ?? []), entry])
  }
  const at = (record: { meta: { recordedAt: string } }) => Date.parse(record.meta.recordedAt)
  let diverged = Infinity
  for (const { entry, occurrence } of attempt.entries) {
    const theirs = asLookedUp(answers.get(keyOf(entry)) ?? [], occurrence, project)
    if (theirs !== undefined && JSON.stringify(theirs.response) !== JSON.stringify(entry.response)) diverged = Math.min(diverged, at(entry))
  }
  for (const record of attempt.tools) {
    // A tool record keeps its occurrence: the project's own answers first, as the tool index looks it up.
    const same = storedTools.filter((other) => sameTest(other) && other.key === record.key && other.occurrence === record.occurrence)
    const theirs = same.find((other) => other.project === project) ?? same[0]
    if (theirs !== undefined && JSON.stringify([theirs.result, theirs.error]) !== JSON.stringify([record.result, record.error])) diverged = Math.min(diverged, at(record))
  }
  if (diverged === Infinity) return none
  return { entries: new Set(attempt.entries.map(({ entry }) => entry).filter((entry) => at(entry) > diverged)), tools: new Set(attempt.tools.filter((record) => at(record) > diverged)) }
}

/** The `occurrence`-th model answer as a lookup finds it: with test.projects, the project's own first, else another project's. */
function asLookedUp<T extends { project?: string }>(answers: readonly T[], occurrence: number, project: string | undefined): T | undefined {
  if (project === undefined) return answers[occurrence]
  return answers.filter((answer) => answer.project === project)[occurrence] ?? answers.filter((answer) => answer.project !== project)[occurrence]
}
