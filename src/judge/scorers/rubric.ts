import { ConfigError } from '../../errors/index.js'
import { DEFAULT_RUBRIC_SCALE, expectedRubricScore, normalizeRubricScore, scoreTokenAlternatives, type RubricScale } from '../../metrics/judged/rubric.js'
import { mean } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride } from '../prompt.js'
import { rubricPrompt } from '../prompts/rubric.js'
import { runJudge } from '../run-judge.js'
import { callSettings, type JudgedScore, type ScorerJudging } from './judged-score.js'

/** A rubric: the criteria as text, or criteria with the evaluation steps to follow. */
export type Rubric = string | { criteria: string; steps?: readonly string[] }

/** Options of {@link scoreRubric}. */
export interface RubricOptions {
  /** Whole-number scale `[min, max]`; default `[1, 5]`. */
  scale?: RubricScale
  /** Lowest passing normalised score (0..1); default 0.75 (4 on 1..5). */
  threshold?: number
}

function checkScale(scale: RubricScale): void {
  const [min, max] = scale
  if (!Number.isInteger(min) || !Number.isInteger(max) || min >= max) {
    throw new ConfigError(`toSatisfyRubric(): \`scale\` must be two whole numbers [min, max] with min < max, got ${JSON.stringify(scale)}.`)
  }
}

/**
 * G-Eval style grading: the judge writes evaluation steps, applies them, and scores on `scale`. Where the
 * provider returns token probabilities (OpenAI), the score is the probability-weighted mean of the
 * candidate scores; otherwise the single score. Samples are averaged. Normalised to 0..1.
 *
 * @example
 * await scoreRubric(reply, 'Apologises and offers a concrete next step.', { scale: [1, 5] }, { judge })
 */
export async function scoreRubric(output: string, rubric: Rubric, options: RubricOptions, judging: ScorerJudging): Promise<JudgedScore> {
  const scale = options.scale ?? DEFAULT_RUBRIC_SCALE
  checkScale(scale)
  const threshold = options.threshold ?? 0.75
  const { criteria, steps } = typeof rubric === 'string' ? { criteria: rubric, steps: undefined } : rubric
  const stepsText = steps?.length
    ? `Evaluation steps:\n${steps.map((step, index) => `${index + 1}. ${step}`).join('\n')}`
    : 'Write the evaluation steps for these criteria yourself, then follow them.'
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreRubric',
    prompt: withOverride(rubricPrompt(scale), judging.prompt),
    variables: { criteria, steps: stepsText, min: String(scale[0]), max: String(scale[1]), output },
    logprobs: true,
    ...callSettings(judging),
  })
  const perSample = run.samples.map((sample) => {
    const alternatives = sample.tokens && scoreTokenAlternatives(sample.tokens, 'score')
    const weighted = alternatives && expectedRubricScore(alternatives, scale)
    return weighted === undefined ? { value: sample.output.score, method: 'single' as const } : { value: weighted, method: 'logprobs' as const }
  })
  const raw = mean(perSample.map((sample) => sample.value))
  const score = normalizeRubricScore(raw, scale)
  const { reasoning } = run.samples[0]!.output
  const rawText = Number.isInteger(raw) ? String(raw) : raw.toFixed(2)
  return {
    score,
    pass: score >= threshold,
    threshold,
    reason: `${rawText} on ${scale[0]}..${scale[1]}: ${reasoning}`,
    reasons: [`rated ${rawText} on a ${scale[0]}..${scale[1]} scale (${perSample[0]!.method === 'logprobs' ? 'probability-weighted' : 'single score'})`, `judge: ${quoteJudgeText(reasoning)}`],
    details: {
      rating: raw,
      scale: [...scale],
      method: perSample[0]!.method,
      steps: run.samples[0]!.output.steps,
      reasoning,
      ...(run.samples.length > 1 ? { sampleRatings: perSample.map((sample) => sample.value) } : {}),
    },
    runs: [run],
  }
}
