import { ConfigError } from '../../errors/index.js'
import { scoreClaims } from '../../metrics/judged/claims.js'
import { scoreReferenceComparison, FACTUALITY_SCORES, type ReferenceComparisonOptions } from '../../metrics/judged/factuality.js'
import { categoryScores } from '../../metrics/judged/categories.js'
import { majorityVote, medianIndex } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride, type PromptOverride } from '../prompt.js'
import { factualityPrompt } from '../prompts/factuality.js'
import { groundingPrompt } from '../prompts/grounding.js'
import { runJudge } from '../run-judge.js'
import { callSettings, contextList, type JudgedScore, type ScorerJudging } from './judged-score.js'

/** Options of {@link scoreFactuality}: a reference, a context, or both. */
export interface FactualityOptions extends ReferenceComparisonOptions {
  reference?: string
  context?: string | readonly string[]
  question?: string
  /** Lowest passing score: of the reference comparison (no default: only its failing categories fail) and the share of supported claims of the context check (default 1). */
  threshold?: number
}

/**
 * Compares the output with a reference answer (5-way comparison; only a contradiction fails by default).
 *
 * @example
 * await scoreReferenceFactuality('Paris.', { reference: 'The capital is Paris.' }, { judge })
 */
export async function scoreReferenceFactuality(output: string, options: FactualityOptions & { reference: string }, judging: ScorerJudging): Promise<JudgedScore> {
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreFactuality',
    prompt: withOverride(factualityPrompt, judging.prompt),
    variables: { question: options.question ?? '', reference: options.reference, output },
    ...callSettings(judging),
  })
  const scores = categoryScores(FACTUALITY_SCORES, options.scores, 'toBeFactual')
  const category = majorityVote(run.samples.map((sample) => sample.output.category), scores)
  const chosen = run.samples.find((sample) => sample.output.category === category)!.output
  const result = scoreReferenceComparison(category, options)
  const votes: { votes?: string[] } = run.samples.length > 1 ? { votes: run.samples.map((sample) => sample.output.category) } : {}
  return {
    score: result.score,
    pass: result.pass,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    reason: `${category}: ${chosen.reasoning}`,
    reasons: [`category: ${category} (fails on: ${result.failing.join(', ')})`, `judge: ${quoteJudgeText(chosen.reasoning)}`],
    details: { category, reasoning: chosen.reasoning, failOn: result.failing, ...(votes.votes ? { votes: votes.votes } : {}) },
    runs: [run],
  }
}

/**
 * Extracts the output's claims and labels each supported / contradicted / not in context. Passes when
 * nothing is contradicted and the supported share reaches `threshold` (default 1).
 *
 * @example
 * await scoreGrounding('Refunds take 5 days.', { context: ['Refunds are paid within 5 working days.'] }, { judge })
 */
export async function scoreGrounding(output: string, options: { context: string | readonly string[]; threshold?: number }, judging: ScorerJudging): Promise<JudgedScore> {
  const threshold = options.threshold ?? 1
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreGrounding',
    prompt: withOverride(groundingPrompt, judging.prompt),
    variables: { context: contextList(options.context), output },
    ...callSettings(judging),
  })
  const scored = run.samples.map((sample) => scoreClaims(sample.output.claims, { supported: 'supported', veto: 'contradicted', threshold }))
  const index = medianIndex(scored.map((result) => result.score))
  const claims = run.samples[index]!.output.claims
  const result = scored[index]!
  const failing = result.failing.map((at) => claims[at]!)
  const reasons = [
    `${result.supported} of ${result.total} claims supported by the context`,
    ...failing.map((claim) => `✗ ${claim.verdict}: ${quoteJudgeText(claim.claim, 200)} — judge: ${quoteJudgeText(claim.reasoning, 200)}${claim.evidence ? ` — evidence: ${quoteJudgeText(claim.evidence, 200)}` : ''}`),
  ]
  return {
    score: result.score,
    pass: result.pass,
    threshold,
    reason: failing.length === 0 ? `all ${result.total} claims supported` : `${failing[0]!.verdict}: ${failing[0]!.claim}`,
    reasons,
    details: { claims, supported: result.supported, total: result.total, ...(run.samples.length > 1 ? { sampleScores: scored.map((s) => s.score) } : {}) },
    runs: [run],
  }
}

/**
 * Factuality against a reference, a context, or both (both must pass; the score is the lower one).
 *
 * @example
 * await scoreFactuality(answer, { reference: 'Paris', context: chunks }, { judge })
 */
export async function scoreFactuality(
  output: string,
  options: FactualityOptions,
  judging: ScorerJudging & { prompts?: { reference?: PromptOverride; context?: PromptOverride } },
): Promise<JudgedScore> {
  const { reference, context } = options
  if (reference === undefined && context === undefined) {
    throw new ConfigError(`${judging.matcherName ?? 'scoreFactuality'}() needs a \`reference\` answer or a \`context\` (or both) to check facts against, e.g. { reference: 'Paris is the capital of France.' }.`)
  }
  const parts: JudgedScore[] = []
  if (reference !== undefined) parts.push(await scoreReferenceFactuality(output, { ...options, reference }, { ...judging, ...(judging.prompts?.reference ? { prompt: judging.prompts.reference } : {}) }))
  if (context !== undefined) parts.push(await scoreGrounding(output, { ...options, context }, { ...judging, ...(judging.prompts?.context ? { prompt: judging.prompts.context } : {}) }))
  if (parts.length === 1) return parts[0]!
  const [byReference, byContext] = parts as [JudgedScore, JudgedScore]
  return {
    score: Math.min(byReference.score, byContext.score),
    pass: byReference.pass && byContext.pass,
    threshold: byContext.threshold!,
    reason: !byReference.pass ? byReference.reason : byContext.reason,
    reasons: [...byReference.reasons.map((line) => `reference: ${line}`), ...byContext.reasons.map((line) => `context: ${line}`)],
    details: { reference: byReference.details, context: byContext.details },
    runs: [...byReference.runs, ...byContext.runs],
  }
}
