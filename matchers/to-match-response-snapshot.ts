import type { MatcherState } from 'vitest'
import { ConfigError } from '../src/errors/index.js'
import { getDefaultEmbedder } from '../src/judge/embedder.js'
import { scoreSimilarity } from '../src/metrics/similarity/index.js'
import { formatScore, truncateOutput } from './shared/failure-message.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'
import { responseSnapshotFile, scrubResponse } from './shared/response-snapshot-store.js'
import { similarityOptionsSchema } from './shared/similarity-options-schema.js'
import type { SimilarityOptions } from './to-be-similar-to.js'
import { runningTest } from './shared/running-test.js'

/** Options of `toMatchResponseSnapshot`: how similar a new response must be to the stored one. */
export type ResponseSnapshotOptions = SimilarityOptions

/** What happened to the stored response: the score record's `details.action`. */
export type SnapshotAction = 'stored' | 'matched' | 'updated' | 'missing' | 'mismatch'

type SnapshotUpdateState = 'all' | 'new' | 'none'
type RunningTest = NonNullable<MatcherState['task']>

const callCounts = new WeakMap<RunningTest, { attempt: string; count: number }>()

/** `<full test name> <n>`, n counting this test's calls in the current attempt, like Vitest's snapshot keys. */
function snapshotKey(task: RunningTest): string {
  const attempt = `${task.result?.retryCount ?? 0}:${task.result?.repeatCount ?? 0}`
  const previous = callCounts.get(task)
  const count = previous?.attempt === attempt ? previous.count + 1 : 1
  callCounts.set(task, { attempt, count })
  return `${task.fullTestName ?? task.name} ${count}`
}

/** Vitest's update mode (`-u` is `all`, CI is `none`, else `new`); with `CI` set nothing is ever written. */
function updateState(state: MatcherState): SnapshotUpdateState {
  const ci = Boolean(process.env['CI']) && process.env['CI'] !== 'false'
  const vitest = (state.snapshotState as { snapshotUpdateState?: SnapshotUpdateState } | undefined)?.snapshotUpdateState
  return ci ? 'none' : (vitest ?? 'new')
}

/**
 * A semantic snapshot: the first run stores the output in `__snapshots__/<test file>.responses.json`;
 * later runs pass when the output is at least `threshold` similar to the stored one, without rewriting
 * it. `vitest -u` replaces responses that are no longer similar; CI never writes and fails on a missing one.
 *
 * @example
 * await expect(await summarize(article)).toMatchResponseSnapshot({ method: 'embedding', threshold: 0.9 })
 * @see docs/matchers.md#tomatchresponsesnapshot
 */
export function toMatchResponseSnapshot(this: MatcherState, output: unknown, options: ResponseSnapshotOptions = {}): Promise<MatcherOutcome> {
  // Stored and compared as the snapshot file holds it: tokens and live credential values never reach that file.
  const text = scrubResponse(requireString('toMatchResponseSnapshot', 'output', output))
  const { method, threshold, embedder, maxPairs } = parseMatcherOptions('toMatchResponseSnapshot', similarityOptionsSchema(), options)
  const task = runningTest(this)
  const testFile = task?.file?.filepath ?? this.testPath
  if (!task || !testFile) throw new ConfigError('toMatchResponseSnapshot() can only run inside a test.')
  if (this.isNot) throw new ConfigError('toMatchResponseSnapshot() cannot be used with `.not`: compare against a fixed text with `.not.toBeSimilarTo(…)`.')
  const file = responseSnapshotFile(testFile)
  const key = snapshotKey(task)
  const mode = updateState(this)
  const stored = file.get(key)
  const similar = (reference: string) => scoreSimilarity(text, reference, { method, maxPairs, embedder: method === 'embedding' ? (embedder ?? getDefaultEmbedder()) : undefined })
  const compare = stored === undefined ? Promise.resolve(undefined) : similar(stored)
  return compare.then(async (first) => {
    let similarity = first
    let action: SnapshotAction
    if (similarity === undefined) action = mode === 'none' ? 'missing' : 'stored'
    else if (similarity.score >= threshold) action = 'matched'
    else action = mode === 'all' ? 'updated' : 'mismatch'
    // A new response is stored unless another process stored one first (then it is the one compared with).
    const theirs = action === 'stored' || action === 'updated' ? file.set(key, text, action === 'stored') : undefined
    // `-u` also rewrites a kept response an older version stored with a token in it (read scrubbed, written so).
    if (action === 'matched' && mode === 'all' && stored !== undefined && file.holdsToken(key)) file.set(key, stored)
    if (theirs !== undefined) {
      similarity = await similar(theirs)
      action = similarity.score >= threshold ? 'matched' : 'mismatch'
    }
    const reference = theirs ?? stored
    const score = similarity?.score ?? (action === 'stored' ? 1 : 0)
    const pass = action !== 'missing' && action !== 'mismatch'
    const reasons =
      action === 'missing'
        ? [`no stored response for "${key}" in ${file.path}`, 'run the tests locally (or `vitest -u`) to store it; CI never writes response snapshots']
        : theirs !== undefined && !pass
          ? [`another process stored a different response for "${key}" first (a parallel run, or another project over this test file): ${JSON.stringify(truncateOutput(theirs, 200))}`, 'it is kept; run this test alone to see which is right, and `vitest -u` to replace it']
          : [`stored response: ${JSON.stringify(truncateOutput(reference ?? '', 200))}`, 'if the new response is right, run `vitest -u` to replace the stored one']
    return toMatcherResult(this, {
      record: { metric: `snapshot:${method}`, score, pass, threshold, details: { method, action, key, file: file.path } },
      report: {
        matcherName: 'toMatchResponseSnapshot',
        expectation: `to be similar to its stored response (${method} >= ${formatScore(threshold)})`,
        scoreLabel: method,
        reasons,
        output: text,
      },
    })
  })
}
