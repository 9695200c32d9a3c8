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
