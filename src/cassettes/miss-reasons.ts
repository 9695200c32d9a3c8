// Why a model call of a test file was sent but never stored (cut off, refused), kept two ways: in the run's usage
// report (for `cassettes check` and this machine's next run) and as a mark in the cassette itself (committed, so a
// replay in CI or a fresh clone can still say why the call misses). A later miss is explained from either.
import { SecretLeakError } from '../errors/index.js'
import { redactFound } from './found-secrets.js'
import type { RefusedToolCall } from './tool-session.js'
import { earlierRefusals, earlierUnfinished, isNotJsonRefusal, isReportedName, type EarlierRefusal, type EarlierUnfinished } from './earlier-refusals.js'
import type { UnrecordedCall, UnrecordedReason } from './entry.js'
import { serializeCassette } from './cassette-file.js'
import { refusalSentence } from './miss-message.js'
import { hideSecretText } from './redact.js'
import { TEST_NAME_HOLDS_IT } from './test-name-secret.js'
import { findSecrets, type SecretFinding } from './secret-scan.js'
import type { CassetteStore } from './store.js'
import { realIsoTime } from '../real-clock.js'

/** A model call sent live and never stored, as the usage report lists it (see `CassetteUsageReport.unfinished`). */
export interface UnfinishedCall {
  test: string
  key: string
  method: string
  url: string
  reason?: Exclude<UnrecordedReason, 'refused'>
  detail?: string
}

/** The call a reason is noted for: its test attempt as stored, key, occurrence, request and the try that made it. */
export interface SentCall {
  storedTest: string
  repeat: number
  key: string
  occurrence: number
  method: string
  url: string
  path: string
  /** The try that made it (see `RecordingSlot.attempt`): a retry of a failed try drops its marks with its recordings. */
  token: object
}

/** What a miss message is told of the call's past (see `MissPlace.refusedBefore`, `MissPlace.unfinishedBefore`). */
export interface PastOfCall {
  refusedBefore?: EarlierRefusal
  unfinishedBefore?: EarlierUnfinished
}

/** The reasons of one test file's cassette: noted as calls are cut off or refused, read back for its misses. */
export class MissReasons {
  /** Model calls sent live but never stored: aborted, or unanswered when their test ended. */
  readonly unfinished: UnfinishedCall[] = []
  /** Recordings refused: they would have written a live secret, or a tool returned what is not JSON. */
  readonly refused: { test: string; message: string }[] = []
  /** What the last run of the file noted (its usage report), read at the file's first miss. */
  private earlier: EarlierRefusal[] | undefined
  private earlierUnfinished: EarlierUnfinished[] | undefined

  constructor(
    private readonly store: CassetteStore,
    private readonly options: { root: string; mode: string; project?: string; secrets: readonly { name: string; value: string }[] },
  ) {}

  /**
   * `call` got no answer: `reason` says who cut it off (see `abortCause`), `detail` the app's abort reason's name.
   * Its mark is kept once the secret scan has read it (resolves then): a test name or path may hold a key.
   */
  cutOff(call: SentCall, reason: Exclude<UnrecordedReason, 'refused'>, detail?: string): Promise<void> {
    const { secrets } = this.options
    this.unfinished.push({ test: hideSecretText(call.storedTest, secrets), key: call.key, method: call.method, url: hideSecretText(call.url, secrets), reason, ...(detail ? { detail } : {}) })
    return this.scannedMark(call, reason, detail)
  }

  /** The recording of `call` was refused (`error`); `found` is what the secret scan found in it (never stored, nor named). */
  refusedRecording(call: SentCall, error: SecretLeakError, shownTest: string, found: readonly SecretFinding[]): void {
    // The refusal is saved for `cassettes check`: a secret in the test's name is not.
    this.refused.push({ test: shownTest, message: error.message })
    this.mark(call, 'refused', markedRefusal(error.message, shownTest, this.options.root), found)
  }

  /**
   * A tool's recording was refused (see `recordTool`). One refused for a secret (`call`) is marked in the cassette as
   * a model call's is, so a replay in CI or a fresh clone says why it misses; one that is not JSON is told by the
   * usage report only (its fix is in the tool, and its message quotes the test's name unscanned).
   */
  refusedTool(storedTest: string, error: Error, call?: RefusedToolCall & { repeat: number; token: object }): void {
    this.refused.push({ test: hideSecretText(storedTest, this.options.secrets), message: error.message })
    if (!call || !(error instanceof SecretLeakError)) return
    const { name, key, occurrence, repeat, token, found } = call
    const shownTest = hideSecretText(redactFound(storedTest, found), this.options.secrets)
    const sent: SentCall = { storedTest, repeat, key, occurrence, method: 'tool', url: name, path: name, token }
    this.mark(sent, 'refused', markedRefusal(error.message, shownTest, this.options.root), found)
  }

  /**
   * Why a `recordTool` call that misses was not recorded: a refusal of the test in the last run's usage report (when
   * it is of the cassette as it is now), else the cassette's mark of this very call.
   */
  toolPastOf(storedTest: string, repeat: number, key: string, occurrence: number): EarlierRefusal | undefined {
    const reported = this.refusedBefore(storedTest, true).refusedBefore
    if (reported) return reported
    const marked = this.store.unrecordedCall(storedTest, repeat, key, occurrence)
    if (marked?.method !== 'tool' || marked.reason !== 'refused' || !marked.detail) return undefined
    return { test: marked.test, message: marked.detail, at: marked.at, mode: marked.mode, source: 'cassette' }
  }

  /**
   * The past of a model call that misses: the last run's usage report on this machine first when it is of the
   * cassette as it is now (see `earlierRefusals`: an older run's report never outranks the cassette's mark), else the
   * cassette's mark.
   */
  pastOf(storedTest: string, repeat: number, key: string, occurrence: number): PastOfCall {
    const reported = { ...this.refusedBefore(storedTest), ...this.unfinishedBefore(storedTest, key) }
    if (reported.refusedBefore || reported.unfinishedBefore) return reported
    const marked = this.store.unrecordedCall(storedTest, repeat, key, occurrence)
    if (!marked) return {}
    const { at, mode } = marked
    if (marked.reason === 'refused') return marked.detail ? { refusedBefore: { test: marked.test, message: marked.detail, at, mode, source: 'cassette' } } : {}
    return { unfinishedBefore: { test: marked.test, key, at, mode, reason: marked.reason, ...(marked.detail ? { detail: marked.detail } : {}), source: 'cassette' } }
  }

  /**
   * A recording of `storedTest` the last run of this file refused, as the miss context's `refusedBefore` (read once
   * per file). A model call's miss is not explained by a tool result refused for not being JSON.
   */
  refusedBefore(storedTest: string, forTool = false): { refusedBefore?: EarlierRefusal } {
    this.earlier ??= earlierRefusals(this.options.root, this.store.file, this.options.project)
    // Saved with live values and key patterns hidden, as the refusal's message shows the name.
    const shown = hideSecretText(storedTest, this.options.secrets)
    const refusal = this.earlier.find((earlier) => isReportedName(earlier.test, storedTest, shown) && (forTool || !isNotJsonRefusal(earlier.message)))
    return refusal ? { refusedBefore: refusal } : {}
  }

  /** The same call of the test, sent by the last run of this file but aborted or unanswered when the test ended. */
  private unfinishedBefore(storedTest: string, key: string): { unfinishedBefore?: EarlierUnfinished } {
    this.earlierUnfinished ??= earlierUnfinished(this.options.root, this.store.file, this.options.project)
    const shown = hideSecretText(storedTest, this.options.secrets)
    const call = this.earlierUnfinished.find((earlier) => earlier.key === key && isReportedName(earlier.test, storedTest, shown))
    return call ? { unfinishedBefore: { ...call, source: 'report' } } : {}
  }

  private mark(call: SentCall, reason: UnrecordedReason, detail: string | undefined, found: readonly SecretFinding[]): void {
    this.store.markUnrecorded(markOf(call, reason, detail, this.options.mode), { attempt: call.token, mode: this.options.mode === 'record' ? 'merge' : 'append' }, found)
  }

  /** Like a recording, a mark no scan read is not stored: what the scan finds is scrubbed, or the mark dropped (see `markUnrecorded`). */
  private async scannedMark(call: SentCall, reason: UnrecordedReason, detail: string | undefined): Promise<void> {
    let found: SecretFinding[]
    try {
      found = await findSecrets(serializeCassette({ version: 1, entries: [], unrecorded: [markOf(call, reason, detail, this.options.mode)] }))
    } catch {
      return
    }
    this.mark(call, reason, detail, found)
  }
}

function markOf(call: SentCall, reason: UnrecordedReason, detail: string | undefined, mode: string): UnrecordedCall {
  const { storedTest: test, repeat, key, occurrence, method, path } = call
  return { test, repeat, key, occurrence, method, path, reason, ...(detail ? { detail } : {}), at: realIsoTime(), mode }
}

/** A refusal as its mark keeps it: its first sentence, and what says the test's name held the secret, so a replay gives the same fix. */
function markedRefusal(message: string, shownTest: string, root: string): string {
  const sentence = refusalSentence(message, shownTest, root)
  return message.endsWith(TEST_NAME_HOLDS_IT) && !sentence.endsWith(TEST_NAME_HOLDS_IT) ? `${sentence} ${TEST_NAME_HOLDS_IT}` : sentence
}
