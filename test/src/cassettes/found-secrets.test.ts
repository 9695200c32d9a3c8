import { describe, expect, test } from 'vitest'
import { redactFound } from '../../../src/cassettes/found-secrets.js'
import { secretRules, secretValues } from '../../../src/cassettes/secret-values.js'
import { scrubDeep } from '../../../src/cassettes/redact.js'
import type { SecretFinding } from '../../../src/cassettes/secret-scan.js'

const finding = (value: string): SecretFinding => ({ rule: 'r', value, index: 0, line: 1, column: 1 })

describe('what a scan found, as redactions', () => {
  test('a value found inside JSON text is also redacted as the string it decodes to', () => {
    const found = [finding('-----BEGIN KEY-----\\nMIIabc\\n-----END KEY-----')]
    expect(secretValues(found)).toEqual(['-----BEGIN KEY-----\\nMIIabc\\n-----END KEY-----', '-----BEGIN KEY-----\nMIIabc\n-----END KEY-----'])
    expect(scrubDeep({ raw: 'x -----BEGIN KEY-----\nMIIabc\n-----END KEY----- y' }, secretRules(found))).toEqual({ raw: 'x [REDACTED] y' })
  })

  test('values with regular-expression characters are matched literally, the longest first', () => {
    const found = [finding('https://u:p4ss+w(rd)@host'), finding('p4ss+w(rd)')]
    expect(scrubDeep(['see https://u:p4ss+w(rd)@host/x', 'p4ss+w(rd) alone', 'p4sssw(rd)'], secretRules(found))).toEqual(['see [REDACTED]/x', '[REDACTED] alone', 'p4sssw(rd)'])
    expect(secretRules([])).toEqual([])
  })

  test('redactFound masks every found value in a name or message', () => {
    expect(redactFound('deploys with tok-1 and tok-2', [finding('tok-1'), finding('tok-2')])).toBe('deploys with [REDACTED] and [REDACTED]')
  })
})
