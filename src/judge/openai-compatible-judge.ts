import { ConfigError } from '../errors/index.js'
import type { Judge, JudgeConfig } from './judge.js'

/** A judge on any OpenAI-compatible chat completions API (being built: issue 15). */
export function createOpenAICompatibleJudge(config: JudgeConfig): Judge {
  throw new ConfigError(`judge provider "${config.provider}" is not available yet`)
}
