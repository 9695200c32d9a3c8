// `vitest-llm-evals/metrics`: every pure scorer and statistic, with no Vitest import, for plain Node
// (production monitoring, notebooks, scripts). Named re-exports only.
export { checkInstruction, isVerifiableInstruction, INSTRUCTION_IDS, countSentences, countWords, detectLanguage } from './instructions/index.js'
export type { InstructionId, InstructionOf, InstructionResult, VerifiableInstruction } from './instructions/index.js'
export {
  scoreSimilarity,
  SIMILARITY_METHODS,
  bleu,
  diceSimilarity,
  cosineSimilarity,
  embeddingSimilarity,
  levenshteinSimilarity,
  rougeL,
  DEFAULT_MAX_PAIRS,
} from './similarity/index.js'
export type { PairLimit, SimilarityMethod, SimilarityScore } from './similarity/index.js'
export { recallAtK, precisionAtK, hitRate, mrr, ndcg, scoreRetrieval, RETRIEVAL_METRICS } from './retrieval/index.js'
export type { Relevance, RetrievalId, RetrievalMetric, RetrievalScore } from './retrieval/index.js'
export { extractJson } from './json/extract-json.js'
export type { JsonExtraction } from './json/extract-json.js'
export {
  agreementStats,
  cohenKappa,
  confusionMatrix,
  classMetrics,
  failureAgreement,
  wilsonInterval,
  spearman,
  kendallTauB,
  compareLabels,
  normalizeLabel,
} from './agreement/index.js'
export type { AgreementOptions, AgreementStats, ConfusionMatrix, KappaWeights, LabelPair, ProportionInterval } from './agreement/index.js'
export { passAtK, passHatK, trialStatistics } from './trials/index.js'
export type { TrialStatistics } from './trials/index.js'
export type { ScoreRecord, ScoreAttempt, ScoreJudge, ScoreUsage, JsonValue } from './score-record.js'
export { pairedBootstrap, signTest, meanInterval, normalQuantile, studentTQuantile, seededRandom } from './paired/index.js'
export type { BootstrapOptions, PairedBootstrapResult, SignTestResult, MeanInterval } from './paired/index.js'
