import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'

export default defineConfig({ plugins: [llmEvals()] })
