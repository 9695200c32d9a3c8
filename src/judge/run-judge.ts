import type { CallRole } from '../cassettes/entry.js'
import { withCallRole } from '../cassettes/scope.js'
import { JudgeError, isLlmEvalsError } from '../errors/index.js'
import type { GeneratedToken } from '../metrics/judged/rubric.js'
import type { ScoreJudge, ScoreUsage } from '../metrics/score-record.js'
import { CallStoppedError, withDeadline } from './call-deadline.js'
import { DEFAULT_JUDGE_TIMEOUT_MS, MAX_JUDGE_TIMEOUT_MS, type Judge, type JudgeRequest, type JudgeResponse } from './judge.js'
import { limiterFor } from './limiter.js'
import { judgeJsonSchema, promptVersion, type JudgePrompt, type JudgeVariables } from './prompt.js'
import { renderJudgePrompt } from './prompt-regions.js'
import { storedFormOf } from './stored-form.js'
import { judgeFailure } from './judge-failure.js'

/** One verdict to ask for. */
export interface JudgeCall<Output> {
  /** For messages, e.g. `toBeFactual`. */
  matcherName: string
  prompt: JudgePrompt<Output>
  /** Slot values; the prompt's untrusted slots are shown in boundary-tagged regions (a list: numbered ones). */
  variables: JudgeVariables
  /**
   * The schema of this call, when it is narrower than the prompt's (e.g. the verdict array fixed to the number
   * of items, so the provider cannot return more or fewer); the prompt version stays the prompt's.
   */
  schema?: JudgePrompt<Output>['schema']
  /** Checks beyond the schema (e.g. one verdict per item); returns the problem, which counts as invalid output. */
  check?: (output: Output) => string | undefined
  logprobs?: boolean
  /** Calls to make (odd); default the judge's `samples`, else 1. */
  samples?: number
  /** Cancels the verdict (e.g. its test ended): a call waiting or in flight is aborted, its limiter slot freed. */
  signal?: AbortSignal
  /** How the calls are tagged in cassettes: `judge` (default), or `simulator` for a model playing the user. */
  role?: Exclude<CallRole, 'app'>
}

/** One validated judge answer. */
export interface JudgeSample<Output> {
  output: Output
  tokens?: GeneratedToken[]
}

/** Every sample of one verdict, with who judged and what it cost. */
export interface JudgeRun<Output> {
  samples: JudgeSample<Output>[]
  judge: ScoreJudge
  usage: ScoreUsage
}

const RETRY_NOTE = '\n\nYour previous reply was not valid: {{problem}}. Reply again, following the schema exactly.'

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 600 ? `${text.slice(0, 600)}… (+${text.length - 600} chars)` : text
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message
  return reason === undefined ? 'its signal was aborted' : String(reason)
}

/** The JudgeError of a call that was stopped: timed out (with how to raise the limit) or cancelled. */
function stoppedError(who: string, judge: Judge, error: CallStoppedError): JudgeError {
  const { stop } = error
  if (stop.kind === 'cancelled') return new JudgeError(`${who} was cancelled: ${reasonText(stop.reason)}. The judge call was aborted; no verdict was made.`, { cause: error })
  return new JudgeError(
    `${who} did not answer within ${stop.timeoutMs} ms (\`timeoutMs\`), so the call was aborted.\n` +
      `If the judge is only slow, raise the limit in the judge config, e.g. \`timeoutMs: ${Math.min(stop.timeoutMs * 2, MAX_JUDGE_TIMEOUT_MS)}\`: ` +
      `\`llmEvals({ judge: { provider, model, timeoutMs } })\` in vitest.config.ts, or a matcher's \`{ judge: { provider, model, timeoutMs } }\`. ` +
      `If it never answers, check that the ${judge.provider} endpoint is reachable (base URL, network, provider status).`,
    { cause: error },
  )
}

function addUsage(total: ScoreUsage, response: JudgeResponse): void {
  total.inputTokens = (total.inputTokens ?? 0) + (response.usage?.inputTokens ?? 0)
  total.outputTokens = (total.outputTokens ?? 0) + (response.usage?.outputTokens ?? 0)
}

/**
 * Asks a judge for a verdict `samples` times: each call limited per provider, tagged `judge` in cassettes,
 * cut off after the judge's `timeoutMs` or when `call.signal` aborts (the SDK request aborted, the limiter
 * slot freed), validated with the prompt's zod schema and retried once when invalid. Any failure is a
 * JudgeError (never a verdict), so `.not` cannot pass on a broken judge.
 *
 * @example
 * const run = await runJudge(judge, { matcherName: 'toBeRelevantTo', prompt: relevancePrompt, variables: { question, output } })
 */
export async function runJudge<Output>(judge: Judge, call: JudgeCall<Output>): Promise<JudgeRun<Output>> {
  const version = promptVersion(call.prompt as JudgePrompt<unknown>)
  const role = call.role ?? 'judge'
  const who = `${call.matcherName}(): the ${role === 'simulator' ? 'simulated user' : 'judge'} (${judge.provider} ${judge.model}, prompt ${version})`
  // The boundary is derived from the texts as the cassette stores them: replay gives them back redacted.
  const stored = await storedFormOf(Object.values(call.variables).flat().map((item) => (typeof item === 'string' ? item : item.text)))
  const { system, user } = renderJudgePrompt(call.prompt as JudgePrompt<unknown>, call.variables, stored)
  const base: JudgeRequest = {
    system,
    user,
    schemaName: call.prompt.schemaName,
    schema: judgeJsonSchema(call.schema ?? call.prompt.schema),
    ...(call.logprobs ? { logprobs: true } : {}),
  }
  const limiter = limiterFor(judge.provider, judge.maxConcurrency)
  const timeoutMs = judge.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS
  const usage: ScoreUsage = {}
  const ask = async (request: JudgeRequest): Promise<JudgeResponse> => {
    try {
      // The deadline starts once the call has a slot: waiting behind other calls does not count against it.
      const complete = (signal: AbortSignal) => withCallRole(role, () => judge.complete(request, { signal }))
      const response = await limiter.run(() => withDeadline(complete, timeoutMs, call.signal), call.signal)
      addUsage(usage, response)
      return response
    } catch (error) {
      if (isLlmEvalsError(error)) throw error
      if (error instanceof CallStoppedError) throw stoppedError(who, judge, error)
      if (call.signal?.aborted) throw stoppedError(who, judge, new CallStoppedError({ kind: 'cancelled', reason: call.signal.reason }))
      throw judgeFailure(who, error, request)
    }
  }
  const validate = (response: JudgeResponse): { output: Output } | { problem: string } => {
    const parsed = (call.schema ?? call.prompt.schema).safeParse(response.output)
    if (!parsed.success) {
      return { problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'output'}: ${issue.message}`).join('; ') }
    }
    const problem = call.check?.(parsed.data)
    return problem === undefined ? { output: parsed.data } : { problem }
  }

  const samples: JudgeSample<Output>[] = []
  const count = call.samples ?? judge.samples ?? 1
  for (let index = 0; index < count; index += 1) {
    let response = await ask(base)
    let result = validate(response)
    if ('problem' in result) {
      response = await ask({ ...base, user: base.user + RETRY_NOTE.replace('{{problem}}', result.problem) })
      result = validate(response)
    }
    if ('problem' in result) {
      throw new JudgeError(`${who} returned invalid output twice: ${result.problem}.\nIt returned: ${preview(response.output)}\nTry a stronger judge model, or check a \`prompt\` override.`)
    }
    samples.push({ output: result.output, ...(response.tokens ? { tokens: response.tokens } : {}) })
  }
  return { samples, judge: { provider: judge.provider, model: judge.model, promptVersion: version }, usage }
}
