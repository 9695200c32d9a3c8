// Every score record becomes a Vitest test annotation, so scores show in the Vitest UI, Vitest's HTML, JUnit,
// TAP and verbose reporters and GitHub Actions notices, with or without this library's own reports. Made
// here, in the main process, from the records each finished test carries in `task.meta.evals`: annotating
// from the worker (`context.annotate`) cost a round trip to this process per score, ~0.5 ms, which was most
// of the library's cost per case (BENCHMARKS.md, issue 17).
import type { TestAnnotation } from 'vitest'
import type { Reporter, TestCase, Vitest } from 'vitest/node'
import type { ScoreRecord } from '../src/metrics/score-record.js'
import { hideSecrets, type liveSecrets, scrubShown } from '../src/cassettes/redact.js'
import { ANNOTATIONS_REPORTER_MARK } from './reporter-marks.js'
import { runSecrets } from './run-secrets.js'
import { MAX_ANNOTATION_REASON, MAX_SCORE_ANNOTATIONS, moreScoresText, SCORE_ANNOTATION_TYPE, scoreAnnotationText } from '../matchers/shared/score-annotation-text.js'

type Secrets = ReturnType<typeof liveSecrets>

/** Characters of a reason scanned for secrets: far past the cut, so a key starting before the cut is whole. */
const REASON_SCANNED = MAX_ANNOTATION_REASON * 20

/**
 * The annotations of one test's score records: one per record (live secret values hidden in the reason before
 * it is cut), at most {@link MAX_SCORE_ANNOTATIONS} and then one saying the rest are left out; each at its
 * matcher call's line of `file` when the record has one. Pure.
 *
 * @example
 * scoreAnnotations([{ metric: 'schema', score: 1, pass: true, attempt: { retry: 0, repeat: 0 } }], '/app/a.test.ts', [])
 * // [{ type: 'llm-evals', message: 'schema 1 ✓' }]
 */
export function scoreAnnotations(records: readonly ScoreRecord[], file: string, secrets: Secrets): TestAnnotation[] {
  const annotations: TestAnnotation[] = []
  // Indexed, not `records.slice(…)`: no copy of the records per test (this runs once per finished test).
  const count = Math.min(records.length, MAX_SCORE_ANNOTATIONS + 1)
  for (let index = 0; index < count; index++) {
    const record = records[index] as ScoreRecord
    const more = annotations.length === MAX_SCORE_ANNOTATIONS
    // Live values named, then keys of a known shape (`sk-…`, bearer tokens) as the history scrubs them: a JUnit
    // file or a GitHub notice is as public as a report. The text kept is bounded first (annotations cut it to
    // MAX_ANNOTATION_REASON); a key starting inside the cut is still whole in it, so none is left in half.
    const reason = typeof record.reason === 'string' && !more ? scrubShown(hideSecrets(record.reason.slice(0, REASON_SCANNED), secrets)) : undefined
    const message = more ? moreScoresText() : scoreAnnotationText(reason === undefined ? record : { ...record, reason })
    const annotation: TestAnnotation = { type: SCORE_ANNOTATION_TYPE, message }
    const at = record.location
    if (!more && at && Number.isInteger(at.line) && Number.isInteger(at.column)) annotation.location = { file, line: at.line, column: at.column }
    annotations.push(annotation)
  }
  return annotations
}

/** True when a test already has score annotations (a `--merge-reports` run replays a shard's). A loop: this runs per finished test. */
function hasScoreAnnotation(annotations: readonly TestAnnotation[]): boolean {
  for (const annotation of annotations) if (annotation.type === SCORE_ANNOTATION_TYPE) return true
  return false
}

interface AnnotationEvents {
  report?: (event: 'onTestCaseAnnotate', testCase: TestCase, annotation: TestAnnotation) => Promise<void>
  reporters?: Reporter[]
}

/**
 * Adds each finished test's score records to it as annotations, before the other reporters see its result
 * (the plugin puts it first), and tells them as Vitest does for `context.annotate` (`onTestCaseAnnotate`:
 * GitHub Actions notices, the Vitest UI). A test that already has score annotations (a `--merge-reports`
 * run replaying a shard's) is left as it is.
 *
 * @example
 * // the plugin adds it; without the plugin (import { ScoreAnnotationsReporter } from 'vitest-llm-evals/reporter'):
 * export default defineConfig({ test: { reporters: [new ScoreAnnotationsReporter(), 'default'] } })
 */
export class ScoreAnnotationsReporter implements Reporter {
  /** The plugin does not add a second one beside this (reporter-marks.ts). */
  readonly [ANNOTATIONS_REPORTER_MARK] = true
  private vitest: (Vitest & AnnotationEvents) | undefined
  private secrets: Secrets = []

  onInit(vitest: Vitest): void {
    this.vitest = vitest as Vitest & AnnotationEvents
    // The workers' `test.env` too: a key only they have can be quoted in a reason (run-secrets.ts).
    this.secrets = runSecrets(vitest)
  }

  onTestCaseResult(testCase: TestCase): Promise<void> | undefined {
    // Never a throw: Vitest calls the reporters in one `map`, this one first, so a throw here would keep the test from
    // every reporter after it; a rejection is reported as Vitest reports any reporter's, and the others still run.
    try {
      return this.annotate(testCase)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  private annotate(testCase: TestCase): Promise<void> | undefined {
    const records = (testCase.meta() as { evals?: ScoreRecord[] }).evals
    if (!records?.length) return
    // The runner's task behind the TestCase (what `annotations()` reads): where Vitest keeps them too.
    const task = (testCase as unknown as { task: { annotations?: TestAnnotation[] } }).task
    if (!Array.isArray(task.annotations)) return
    if (hasScoreAnnotation(task.annotations)) return
    const annotations = scoreAnnotations(records, testCase.module.moduleId, this.secrets)
    for (const annotation of annotations) task.annotations.push(annotation)
    const vitest = this.vitest
    // Told only when a reporter listens (the GitHub Actions reporter, the Vitest UI's, a user's): Vitest's `report`
    // made a promise per reporter per annotation, per test, in the main process while the workers wait (issue 17).
    if (!vitest || !listensToAnnotations(vitest.reporters)) return
    return tell(vitest, testCase, annotations)
  }
}

/** False only when the reporters are known and none has `onTestCaseAnnotate` (a loop: this runs per finished test). */
function listensToAnnotations(reporters: readonly Reporter[] | undefined): boolean {
  if (!Array.isArray(reporters)) return true
  for (const reporter of reporters) if (typeof reporter.onTestCaseAnnotate === 'function') return true
  return false
}

async function tell(vitest: Vitest & AnnotationEvents, testCase: TestCase, annotations: readonly TestAnnotation[]): Promise<void> {
  for (const annotation of annotations) {
    if (typeof vitest.report === 'function') await vitest.report('onTestCaseAnnotate', testCase, annotation)
    else for (const reporter of vitest.reporters ?? []) await reporter.onTestCaseAnnotate?.(testCase, annotation)
  }
}
