import { ConfigError } from '../errors/index.js'

/** How cassettes treat model calls. */
export type CassetteMode = 'replay' | 'auto' | 'record' | 'passthrough'

/** Every mode, in the order the docs list them. */
export const CASSETTE_MODES: readonly CassetteMode[] = ['replay', 'auto', 'record', 'passthrough']

/** The environment variable that picks the mode for one run. */
export const MODE_ENV_VAR = 'LLM_EVALS_CASSETTES'

function isMode(value: string): value is CassetteMode {
  return (CASSETTE_MODES as readonly string[]).includes(value)
}

/**
 * The mode of a run: `LLM_EVALS_CASSETTES` when set, else the configured mode, else `replay`
 * under CI and `auto` elsewhere.
 *
 * @example
 * resolveCassetteMode(process.env) // 'auto' on a laptop, 'replay' in CI
 */
export function resolveCassetteMode(env: NodeJS.ProcessEnv, configured?: CassetteMode): CassetteMode {
  const fromEnv = env[MODE_ENV_VAR]?.trim()
  if (fromEnv) {
    if (!isMode(fromEnv)) {
      throw new ConfigError(`${MODE_ENV_VAR}=${JSON.stringify(fromEnv)} is not a cassette mode. Use one of: ${CASSETTE_MODES.join(', ')}.`)
    }
    return fromEnv
  }
  if (configured) return configured
  return isCI(env) ? 'replay' : 'auto'
}

/** True when running in CI (the `CI` variable is set to anything but `false`/`0`). */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI
  return value !== undefined && value !== '' && value !== 'false' && value !== '0'
}
