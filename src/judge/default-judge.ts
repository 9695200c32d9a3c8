// The default judge as configured, kept apart from the judge implementations so the worker setup file can
// set it without loading them: a judge is only built when a matcher first needs one.
import { coverBaseUrl } from '../cassettes/hosts.js'
import type { JudgeOption } from './judge.js'

let configured: JudgeOption | undefined

/**
 * Sets the default judge option (a config or a judge); `undefined` clears it. Validated where it comes from.
 * A config's `baseURL` is owned by the cassettes from now on (the plugin's `judge`, at worker start), not from the
 * judge's first call: an app call to the same self-hosted server made before it is recorded and replayed too.
 */
export function setDefaultJudgeOption(option: JudgeOption | undefined): void {
  configured = option
  const config = option as { baseURL?: unknown; client?: unknown; complete?: unknown } | undefined
  if (typeof config?.baseURL === 'string' && config.client === undefined && config.complete === undefined) coverBaseUrl(config.baseURL)
}

/** The default judge option, if one is configured. */
export function defaultJudgeOption(): JudgeOption | undefined {
  return configured
}
