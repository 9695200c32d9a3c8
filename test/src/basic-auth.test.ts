// HTTP Basic credentials (`Authorization: Basic <base64 of user:password>`) in a tool's arguments or result, or in
// model text that quotes a request, were stored in cassettes and shown in messages as they were: secretlint reads
// passwords in URLs only, and the fixed patterns know bearer tokens. Now found by the secret scan and hidden from
// shown text, the word "Basic" kept; prose and base64 that is no "user:password" are left alone.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { basicCredentialsIn } from '../../src/basic-auth.js'
import { findToolRecordSecrets } from '../../src/cassettes/found-secrets.js'
import { scrubShown } from '../../src/cassettes/redact.js'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { CassetteStore } from '../../src/cassettes/store.js'
import { MetaSecrets } from '../../src/meta-secrets.js'
import { truncateOutput } from '../../matchers/shared/failure-message.js'
import { growthAt4x } from '../support/growth.js'

const credentials = btoa('deploy-bot:' + 'x9Qm2Lr7Vt4Zp')
const unpadded = btoa('ada:' + 's3cr3t!42').replace(/=+$/, '')

describe('HTTP Basic credentials', () => {
  test.each([
    [`Authorization: Basic ${credentials}`, 'Authorization: Basic [REDACTED]'],
    [`curl -H "authorization: basic ${credentials}" https://api.example.com`, 'curl -H "authorization: basic [REDACTED]" https://api.example.com'],
    [`{"headers":{"Authorization":"BASIC ${unpadded}"}}`, '{"headers":{"Authorization":"BASIC [REDACTED]"}}'],
  ])('are hidden from shown text and found by the scan: %s', (text, shown) => {
    expect(scrubShown(text)).toBe(shown)
    expect(findSecretsSync(text).map((finding) => [finding.rule, finding.value])).toEqual([['vitest-llm-evals/basic-auth', text.includes(unpadded) ? unpadded : credentials]])
  })

  test("are hidden in a test's meta", () => {
    const meta: Record<string, unknown> = { output: `Use Authorization: Basic ${credentials}` }
    new MetaSecrets([]).hideIn(meta)
    expect(meta.output).toBe('Use Authorization: Basic [REDACTED]')
  })

  test('what a cut left of them is hidden (a failure message cuts its output before scrubbing it)', () => {
    const text = `curl -H "Authorization: Basic ${credentials}" https://api.example.com/orders`
    const cut = truncateOutput(text, text.indexOf(credentials) + 20)
    expect(scrubShown(cut)).toBe(`curl -H "Authorization: Basic [REDACTED]${cut.slice(cut.indexOf('… (+'))}`)
    expect(scrubShown(truncateOutput('Basic usage of the API is free for everyone', 14))).toBe(truncateOutput('Basic usage of the API is free for everyone', 14))
  })

  test('a tool call whose arguments hold them is stored without them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'basic-auth-')), '__cassettes__', 'a.test.ts.cassette.json')
    const record = { test: 't', repeat: 0, call: 0, name: 'http_get', key: 'k', occurrence: 0, args: { url: 'https://api.example.com/orders', headers: { Authorization: `Basic ${credentials}` } }, result: { status: 200 }, meta: { recordedAt: '2026-12-07T00:00:01.000Z', latencyMs: 1 } }
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    store.recordTool(record, { attempt: {}, mode: 'append' }, await findToolRecordSecrets(record))
    store.flush({ final: true })
    const written = readFileSync(file, 'utf8')
    expect(written).toContain('"Authorization": "Basic [REDACTED]"')
    expect(written).not.toContain(credentials)
  })

  test.each([
    'Basic training starts Monday; basic usage of the API is free; BASIC programs and Basic Authentication docs.',
    `Basic ${btoa('hello world, no colon here')} is base64 of a sentence, not of user:password`,
    'Basic QUJDREVGR0g= decodes to letters only, and "Basic" then a hash 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
  ])('prose and other base64 are left alone: %s', (text) => {
    expect(basicCredentialsIn(text)).toEqual([])
    expect(scrubShown(text)).toBe(text)
  })

  test('"Basic " and base64 after it are read in time linear in their size', () => {
    // Growth, not time (a loaded machine slows both sizes alike): 4 times the text costs under 8 times as much.
    for (const make of [(n: number) => 'Basic '.repeat(n), (n: number) => `Basic ${'QUJD'.repeat(n)}`, (n: number) => `Basic ${'QUJDOg=='}`.repeat(n)]) {
      expect(growthAt4x(make, 40_000, scrubShown), make(1)).toBeLessThan(8)
    }
  })
})
