/** Prefix of every message this library throws or prints. */
export const ERROR_PREFIX = '[vitest-llm-evals]'

/**
 * Base class of every error thrown by vitest-llm-evals.
 * Messages start with `[vitest-llm-evals]`, name the thing that failed and say how to fix it.
 *
 * @example
 * if (isLlmEvalsError(error)) console.error(error.message)
 */
export class LlmEvalsError extends Error {
  override name = 'LlmEvalsError'
  constructor(message: string, options?: ErrorOptions) {
    super(message.startsWith(ERROR_PREFIX) ? message : `${ERROR_PREFIX} ${message}`, options)
  }
}

/** Bad plugin options, matcher options or instruction parameters: a mistake in the user's code. */
export class ConfigError extends LlmEvalsError {
  override name = 'ConfigError'
}

/** A cassette could not be read, matched or written. */
export class CassetteError extends LlmEvalsError {
  override name = 'CassetteError'
}

/** A request in `replay` mode had no recording. */
export class CassetteMissError extends CassetteError {
  override name = 'CassetteMissError'
}

/** A write (a cassette, the history, a report, labels, an export) was refused: it would have put a secret on disk. */
export class SecretLeakError extends CassetteError {
  override name = 'SecretLeakError'
}

/** A dataset file or row is invalid. */
export class DatasetError extends LlmEvalsError {
  override name = 'DatasetError'
}

/** The human labels file has a line that cannot be read, or a label could not be saved. */
export class LabelsError extends LlmEvalsError {
  override name = 'LabelsError'
}

/**
 * A judge model call failed (API error, or output that stayed invalid after one retry). Never a verdict:
 * the assertion errors, so `.not` cannot pass on a broken judge.
 */
export class JudgeError extends LlmEvalsError {
  override name = 'JudgeError'
}

/** A file the library writes (cassette, history, labels) stayed locked by another live process for too long. */
export class FileLockError extends LlmEvalsError {
  override name = 'FileLockError'
}

/** A file the library writes (cassette, usage report, history, report, labels) could not be written: permissions, a full or read-only disk. The file on disk is left as it was. */
export class FileWriteError extends LlmEvalsError {
  override name = 'FileWriteError'
  /** The code of the refused system call (`EACCES`, `ENOSPC`…), copied from its `cause`; undefined when it has none. */
  readonly code: string | undefined
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    const cause: unknown = options?.cause
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
    this.code = typeof code === 'string' ? code : undefined
  }
}

/** True when `error` was thrown by vitest-llm-evals. */
export function isLlmEvalsError(error: unknown): error is LlmEvalsError {
  return error instanceof LlmEvalsError
}

/** True when `error` is a replay miss (a request with no recording in `replay` mode). */
export function isCassetteMiss(error: unknown): error is CassetteMissError {
  return error instanceof CassetteMissError
}
