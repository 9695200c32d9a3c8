import LlmEvalsRunner from 'vitest-llm-evals/runner'

// A project's own runner keeping the library's (docs/configuration.md). Type-checked with the library's
// declarations checked too (tsconfig.runner.json: skipLibCheck off), on each Vitest major.
export default class OwnRunner extends LlmEvalsRunner {}
