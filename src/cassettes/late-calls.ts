// Calls that reach the cassettes in the wrong test's context: a call a test that was cut off left running (refused),
// a call a finished test left running while another runs (warned about), and a call outside any test while tests run
// (its test's context was lost: warned about). Each warning is told once per test file.
import { CassetteError } from '../errors/index.js'
import { withoutCredentials } from './canonical.js'
import type { RequestLike } from './live-request.js'
import { lateCallMessage, leftoverCallWarning, leftoverRecordedWarning, lostContextWarning } from './lost-context.js'
import { missResponse } from './responses.js'
import { lateCallScopes, type LateCallScopes } from './scope.js'

/** What the warnings name: the current test file, the project root, the live secrets to hide, and whether tests run. */
export interface LateCallContext {
  testFile: string
  root: string
  secrets: readonly { name: string; value: string }[]
  testsRunning(): boolean
}

/** Tells and refuses late calls for one worker's cassette session (see {@link LateCallContext}). */
export class LateCalls {
  private warnedLostContext = false
  private warnedLeftover = false

  constructor(private readonly context: () => LateCallContext) {}

  /** A new test file begins: its warnings are told again. */
  reset(): void {
    this.warnedLostContext = false
    this.warnedLeftover = false
  }

  /**
   * A model call a test that was cut off (timed out, or the run was cancelled: its `signal` aborted) left running (an
   * agent loop past its timeout, a promise it did not await): answered at once with an error, never sent, recorded
   * nor traced, so it is never filed under the test running then or under the file (its recordings and `testTrace()`
   * would depend on the other test's timing, and a replay would miss it). A concurrent test's call is known in every
   * mode; a sequential test's while recording only (see `lateCallScopes`). Warned about once per file.
   */
  modelCall(request: RequestLike): Response | undefined {
    const late = this.lateScopes()
    if (!late) return undefined
    const url = withoutCredentials(request.parsedUrl ?? new URL(request.url))
    const call = `model call (${request.method.toUpperCase()} ${url.href})`
    if (!this.warnLate(call, late)) return undefined
    return missResponse(lateCallMessage(call, late.started.test, late.running?.test, this.context().secrets), request.headers.has('amz-sdk-invocation-id'))
  }

  /** Likewise for a call of a tool wrapped with `recordTool`: the error it is refused with (the tool is not run), if late. */
  toolCall(name: string): CassetteError | undefined {
    const late = this.lateScopes()
    if (!late) return undefined
    const call = `call of tool ${name}`
    return this.warnLate(call, late) ? new CassetteError(lateCallMessage(call, late.started.test, late.running?.test, this.context().secrets)) : undefined
  }

  /** Warns once per file of a model call made outside any test while tests of the file run (see lost-context.ts). */
  lostContext(call: string): void {
    const { testFile, root, secrets, testsRunning } = this.context()
    if (this.warnedLostContext || !testsRunning()) return
    this.warnedLostContext = true
    console.warn(lostContextWarning(call, testFile, root, secrets))
  }

  /**
   * The tests of a late call (see `lateCallScopes`) while tests of the file run: once they all ended, a cut-off test's
   * context may have reached `afterAll` hooks, whose calls are the file's, as before.
   */
  private lateScopes(): LateCallScopes | undefined {
    const late = lateCallScopes()
    if (!late || (late.cutOff && !late.started.active && !this.context().testsRunning())) return undefined
    return late
  }

  /**
   * Warns once per file of a late call; true when it is refused: a call of a test that was cut off, whose loop went on
   * without it. Any other (its test finished normally, while another sequential test runs) may be the running test's
   * own call, run in the finished test's context by a queue or rate limiter that test created (its timer keeps that
   * context): it is recorded under the running test, as before.
   */
  private warnLate(call: string, { started, running, cutOff }: LateCallScopes): boolean {
    if (!this.warnedLeftover) {
      this.warnedLeftover = true
      const { testFile, root, secrets } = this.context()
      console.warn(cutOff || !running ? leftoverCallWarning(call, started.test, running?.test, testFile, root, secrets) : leftoverRecordedWarning(call, started.test, running.test, testFile, root, secrets))
    }
    return cutOff
  }
}
