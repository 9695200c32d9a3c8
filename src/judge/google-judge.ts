import { ConfigError } from '../errors/index.js'
import type { Judge, JudgeConfig } from './judge.js'

/** A Google Gemini / Vertex AI judge (being built: issue 15). */
export function createGoogleJudge(config: JudgeConfig): Judge {
  throw new ConfigError(`judge provider "${config.provider}" is not available yet`)
}
