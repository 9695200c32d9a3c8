import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'

// The examples always replay their committed cassettes (no key, no network). They were recorded against the
// project's scripted stand-in server (bash scripts/record-examples.sh). To re-record one against the real APIs:
// LLM_EVALS_CASSETTES=record OPENAI_API_KEY=… ANTHROPIC_API_KEY=… npm exec -- vitest run --config examples/vitest.config.ts <example>/
export default defineConfig({
  plugins: [
    llmEvals({
      cassettes: { mode: 'replay' },
      judge: { provider: 'openai', model: 'gpt-4o-mini' },
      // Relative to the project root (`test.root` below).
      labels: { file: 'ticket-classifier/evals/labels.jsonl' },
    }),
  ],
  test: { root: 'examples', include: ['**/*.test.ts'] },
})
