import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'

// The judge talks to OPENAI_BASE_URL (the scripted server) while recording, and to the cassette on replay.
// EVAL_MIN_SCORE sets a gate floor, so the check can prove a failing gate fails the run on each Vitest major.
const minScore = process.env.EVAL_MIN_SCORE ? Number(process.env.EVAL_MIN_SCORE) : undefined
export default defineConfig({
  plugins: [llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' }, ...(minScore === undefined ? {} : { gate: { minScore } }) })],
})
