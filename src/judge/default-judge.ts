// The default judge as configured, kept apart from the judge implementations so the worker setup file can
// set it without loading them: a judge is only built when a matcher first needs one.
import type { JudgeOption } from './judge.js'

let configured: JudgeOption | undefined

/** Sets the default judge option (a config or a judge); `undefined` clears it. Validated where it comes from. */
export function setDefaultJudgeOption(option: JudgeOption | undefined): void {
  configured = option
}

/** The default judge option, if one is configured. */
export function defaultJudgeOption(): JudgeOption | undefined {
  return configured
}
