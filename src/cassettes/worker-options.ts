// What a worker needs to know about cassettes before any model call: light on purpose (no msw, no zod),
// since the worker setup file loads it in every test file.
import { basename, dirname, join, relative, resolve } from 'node:path'
import type { NormalizeRequest } from './canonical.js'
import type { CassetteMode } from './mode.js'
import type { RedactRule } from './redact.js'

/** Cassette settings as workers receive them (plain data: they cross the worker boundary). */
export interface WorkerCassetteOptions {
  mode: CassetteMode
  root: string
  dir?: string
  hosts: string[]
  redact: RedactRule[]
  normalizeRequest?: NormalizeRequest
  maxInlineBytes: number
  /** See `ProvidedOptions.cassettes.runStartedAt`; the worker's start when absent. */
  runStartedAt: number
  /** The Vitest project this worker runs (absent without `test.projects`): see `CassetteEntry.project`. */
  project?: string
}

/** Placeholder keys set in `replay`/`auto` so SDK constructors work without a real key. */
export const PLACEHOLDER_KEYS: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: 'sk-llm-evals-placeholder',
  ANTHROPIC_API_KEY: 'sk-ant-llm-evals-placeholder',
  AZURE_OPENAI_API_KEY: 'llm-evals-placeholder-azure',
  MISTRAL_API_KEY: 'llm-evals-placeholder-mistral',
  GROQ_API_KEY: 'gsk_llm-evals-placeholder',
  OPENROUTER_API_KEY: 'sk-or-llm-evals-placeholder',
  DEEPSEEK_API_KEY: 'sk-llm-evals-placeholder-deepseek',
  XAI_API_KEY: 'xai-llm-evals-placeholder',
  TOGETHER_API_KEY: 'llm-evals-placeholder-together',
  FIREWORKS_API_KEY: 'fw_llm-evals-placeholder',
  AI_GATEWAY_API_KEY: 'llm-evals-placeholder-gateway',
  GEMINI_API_KEY: 'llm-evals-placeholder-gemini',
  GOOGLE_GENERATIVE_AI_API_KEY: 'llm-evals-placeholder-google-ai-sdk',
}

const NAMED_PLACEHOLDER_PREFIX = 'llm-evals-placeholder-for-'

/**
 * The placeholder key a client reading its key from `variable` (a judge's `apiKeyEnv`) is built with when the
 * variable is not set in `replay`/`auto`: a request carrying it is never sent, its miss names `variable`.
 *
 * @example
 * new OpenAI({ apiKey: process.env.JUDGE_API_KEY ?? namedPlaceholderKey('JUDGE_API_KEY'), baseURL })
 */
export function namedPlaceholderKey(variable: string): string {
  return `${NAMED_PLACEHOLDER_PREFIX}${variable}`
}

/** The variable a {@link namedPlaceholderKey} in `sent` (the request's credentials) names, if any. */
export function namedPlaceholderIn(sent: string): string | undefined {
  const at = sent.indexOf(NAMED_PLACEHOLDER_PREFIX)
  if (at === -1) return undefined
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(sent.slice(at + NAMED_PLACEHOLDER_PREFIX.length, at + NAMED_PLACEHOLDER_PREFIX.length + 200))?.[0]
}

/**
 * Variables an SDK reads in place of a placeholder's: the placeholder is not set when one of them is
 * (`@google/genai` reads `GOOGLE_API_KEY` before `GEMINI_API_KEY` and warns when both are set).
 */
export const PLACEHOLDER_UNLESS_SET: Readonly<Record<string, readonly string[]>> = {
  GEMINI_API_KEY: ['GOOGLE_API_KEY'],
}

/** Where a test file's cassette lives: `__cassettes__/<file>.cassette.json` beside it, or under `dir`. */
export function cassettePathFor(testFile: string, root: string, dir?: string): string {
  if (!dir) return join(dirname(testFile), '__cassettes__', `${basename(testFile)}.cassette.json`)
  return join(resolve(root, dir), `${relative(root, testFile)}.cassette.json`)
}


/** Response bodies (plain or streamed) larger than this go to a sidecar file instead of the cassette JSON. */
export const DEFAULT_MAX_INLINE_BYTES = 512 * 1024

/** The folder where each run leaves which recordings it used (read by `llm-evals cassettes check`). */
export function usageDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
}
