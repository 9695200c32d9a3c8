// Public API of `vitest-llm-evals`. Named re-exports only: the list below is the contract surface.
export {
  LlmEvalsError,
  ConfigError,
  CassetteError,
  CassetteMissError,
  SecretLeakError,
  DatasetError,
  isLlmEvalsError,
  isCassetteMiss,
} from './errors/index.js'
export { withCallRole } from './cassettes/scope.js'
export { requestKey, stableStringify } from './cassettes/canonical.js'
export type { CanonicalRequest, NormalizeRequest } from './cassettes/canonical.js'
export type { CallRole, CassetteEntry, CassetteDocument } from './cassettes/entry.js'
export { resolveCassetteMode, CASSETTE_MODES, MODE_ENV_VAR } from './cassettes/mode.js'
export type { CassetteMode } from './cassettes/mode.js'
export type { LlmEvalsOptions } from './config.js'

// Deterministic scoring: plain functions, no Vitest needed (usable in production monitoring too).
export { checkInstruction, isVerifiableInstruction, INSTRUCTION_IDS, countSentences, countWords, detectLanguage } from './metrics/instructions/index.js'
export type { InstructionId, InstructionOf, InstructionResult, VerifiableInstruction } from './metrics/instructions/index.js'
export {
  scoreSimilarity,
  SIMILARITY_METHODS,
  bleu,
  diceSimilarity,
  cosineSimilarity,
  embeddingSimilarity,
  levenshteinSimilarity,
  rougeL,
} from './metrics/similarity/index.js'
export type { SimilarityMethod, SimilarityScore } from './metrics/similarity/index.js'
export { recallAtK, precisionAtK, hitRate, mrr, ndcg, scoreRetrieval, RETRIEVAL_METRICS } from './metrics/retrieval/index.js'
export type { Relevance, RetrievalId, RetrievalMetric, RetrievalScore } from './metrics/retrieval/index.js'
export { extractJson } from './metrics/json/extract-json.js'
export type { JsonExtraction } from './metrics/json/extract-json.js'
export { createOpenAIEmbedder, DEFAULT_EMBEDDING_MODEL } from './judge/embedder.js'
export type { Embedder, OpenAIEmbedderOptions } from './judge/embedder.js'
export type { ScoreRecord, ScoreAttempt, ScoreJudge, ScoreUsage, JsonValue } from './metrics/score-record.js'
export type { LlmEvalsMatchers } from '../matchers/types.js'
