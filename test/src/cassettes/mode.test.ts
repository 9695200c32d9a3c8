import { describe, expect, test } from 'vitest'
import { isCI, resolveCassetteMode } from '../../../src/cassettes/mode.js'
import { ConfigError } from '../../../src/errors/index.js'

describe('resolveCassetteMode', () => {
  test('defaults to replay in CI and auto elsewhere', () => {
    expect(resolveCassetteMode({ CI: 'true' })).toBe('replay')
    expect(resolveCassetteMode({})).toBe('auto')
    expect(resolveCassetteMode({ CI: 'false' })).toBe('auto')
  })

  test('prefers LLM_EVALS_CASSETTES, then the configured mode', () => {
    expect(resolveCassetteMode({ CI: '1', LLM_EVALS_CASSETTES: 'record' }, 'passthrough')).toBe('record')
    expect(resolveCassetteMode({ CI: '1' }, 'passthrough')).toBe('passthrough')
  })

  test('rejects an unknown mode with the list of valid ones', () => {
    expect(() => resolveCassetteMode({ LLM_EVALS_CASSETTES: 'recrod' })).toThrowError(ConfigError)
    expect(() => resolveCassetteMode({ LLM_EVALS_CASSETTES: 'recrod' })).toThrowError(
      'LLM_EVALS_CASSETTES="recrod" is not a cassette mode. Use one of: replay, auto, record, passthrough.',
    )
  })

  test('isCI reads the CI variable', () => {
    expect(isCI({ CI: 'true' })).toBe(true)
    expect(isCI({ CI: '0' })).toBe(false)
    expect(isCI({})).toBe(false)
  })
})
