import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'

// The examples always replay their committed cassettes (no key, no network). To re-record them against
// the real APIs: LLM_EVALS_CASSETTES=record OPENAI_API_KEY=… ANTHROPIC_API_KEY=… npm run examples
export default defineConfig({
  plugins: [llmEvals({ cassettes: { mode: 'replay' } })],
  test: { root: 'examples', include: ['**/*.test.ts'] },
})
