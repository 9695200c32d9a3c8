import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import type { JudgeConfig } from '../../../src/judge/judge.js'
import type { ModelServer } from '../../support/model-server.js'

/** The two judge providers, each through its real SDK client pointed at the scripted server. */
export type Provider = 'openai' | 'anthropic'
export const PROVIDERS: Provider[] = ['openai', 'anthropic']

/** A judge config with a real client talking to `server`, retries fast (no real backoff in tests). */
export function scriptedJudge(server: ModelServer, provider: Provider, extra: Partial<JudgeConfig> = {}): JudgeConfig {
  const client =
    provider === 'openai'
      ? new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL, maxRetries: extra.maxRetries ?? 2 })
      : new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.anthropicBaseURL, maxRetries: extra.maxRetries ?? 2 })
  return { provider, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', client, ...extra }
}

/** Queues the judge's next answer in the provider's structured form: JSON content or the forced tool's input. */
export function enqueueVerdict(server: ModelServer, provider: Provider, schemaName: string, output: Record<string, unknown> | string): void {
  if (provider === 'openai') server.enqueue({ path: '/v1/chat/completions', content: output })
  else server.enqueue({ path: '/v1/messages', toolCall: { name: schemaName, arguments: output } })
}
