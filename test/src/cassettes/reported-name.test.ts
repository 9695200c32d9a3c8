// A usage report keeps a test's name secret-scanned (each secret replaced by [REDACTED]): a later miss of that
// test on the same machine still finds the report's refusal of it.
import { describe, expect, test } from 'vitest'
import { isReportedName } from '../../../src/cassettes/earlier-refusals.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)

describe('isReportedName', () => {
  test('passes when the names are equal, or equal with each [REDACTED] standing for the secret it replaced', () => {
    expect(isReportedName('bot > answers', 'bot > answers', 'bot > answers')).toBe(true)
    expect(isReportedName('deploys with [REDACTED SERVICE_TOKEN]', 'deploys with svc-1', 'deploys with [REDACTED SERVICE_TOKEN]')).toBe(true)
    expect(isReportedName('deploys with [REDACTED] > one', `deploys with ${TOKEN} > one`, `deploys with ${TOKEN} > one`)).toBe(true)
    expect(isReportedName('a (v2.*) [REDACTED] $x', `a (v2.*) ${TOKEN} $x`, '')).toBe(true)
  })

  test('fails for another test: what is not redacted must be equal, and a redaction stands for some text', () => {
    expect(isReportedName('bot > answers', 'bot > answers twice', 'bot > answers twice')).toBe(false)
    expect(isReportedName('deploys with [REDACTED] > one', `deploys with ${TOKEN} > two`, '')).toBe(false)
    expect(isReportedName('a.b [REDACTED]', `aXb ${TOKEN}`, '')).toBe(false)
    expect(isReportedName('deploys with [REDACTED]', 'deploys with ', '')).toBe(false)
  })
})
