import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'

// The judge talks to OPENAI_BASE_URL (the scripted server) while recording, and to the cassette on replay.
export default defineConfig({ plugins: [llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' } })] })
