import { describe, expect, test } from 'vitest'
import * as reporter from '../../reporters/index.js'

describe('vitest-llm-evals/reporter', () => {
  // Without the plugin (matchers registered with expect.extend), this reporter is the only way scores become annotations.
  test('exports ScoreAnnotationsReporter for configs without the plugin', () => {
    expect(typeof reporter.ScoreAnnotationsReporter).toBe('function')
  })
})
