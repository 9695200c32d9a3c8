import { resolveCassetteMode } from '../cassettes/mode.js'
import { namedPlaceholderKey } from '../cassettes/worker-options.js'
import { workerCassetteOptions } from './worker-cassettes.js'
import { ConfigError } from '../errors/index.js'

/** True when `error` (or one it wraps) says the package `name` is not installed. */
function isMissingPackage(error: unknown, name: string): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' && current.message.includes(name)) return true
    if (new RegExp(`Cannot find (package|module) ['"]?${name.replace('/', '\\/')}`).test(current.message)) return true
  }
  return false
}

/**
 * Imports an optional SDK on first use, with a ConfigError saying how to install it when it is missing.
 *
 * @example
 * const { default: OpenAI } = await importSdk<typeof import('openai')>('openai', () => import('openai'))
 */
export async function importSdk<Module>(name: 'openai' | '@anthropic-ai/sdk' | '@google/genai' | 'ai', load: () => Promise<Module>): Promise<Module> {
  try {
    return await load()
  } catch (error) {
    if (!isMissingPackage(error, name)) throw error
    throw new ConfigError(
      `The judge provider needs the \`${name}\` package, which is not installed. Run \`npm install --save-dev ${name}\`, ` +
        'or pass a ready client (`judge: { provider, model, client }`) or your own `Judge` object.',
      { cause: error },
    )
  }
}

/**
 * The API key to construct a client with: the env var, or in `replay`/`auto` a placeholder naming it (recordings
 * answer; a call that is not recorded is never sent with it, and its miss says to set `variable`).
 */
export function apiKeyFor(variable: string): string | undefined {
  // The worker's mode (the plugin's `cassettes.mode` included): a `record` run never gets a placeholder.
  const mode = workerCassetteOptions()?.mode ?? resolveCassetteMode(process.env)
  return process.env[variable] ?? (mode === 'replay' || mode === 'auto' ? namedPlaceholderKey(variable) : undefined)
}
