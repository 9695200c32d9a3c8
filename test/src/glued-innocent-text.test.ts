// Review wt-sec: ordinary text (file names with a hash, ticket ids, SKUs, ULIDs, slugs, identifiers, a base64 image)
// must not be taken for a glued token: not found by the secret scan (a cassette would store "[REDACTED]" and replay
// something else), not hidden from shown text (test meta -> history/report), not wiped from a stored label's note.
// Fails on wt-sec (c71d015, 8b26dc1): all 50 cases. Passes on main 72fb991 but for the three shown/meta/label cases of
// `load_github_pat_…` (main's shown-text pattern already took `github_pat_` after `_`; its scan did not).
import { describe, expect, test } from 'vitest'
import { scrubShown } from '../../src/cassettes/redact.js'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { MetaSecrets } from '../../src/meta-secrets.js'
import { storedLabel } from '../../src/review/label-text.js'
import { findCassetteSecrets } from '../../src/cli/cassette-secrets.js'

/** Base64 of a small BMP-like file filled with one orange pixel (B=3, G=116, R=251): "…A3T7A3T7A3T7". */
function solidImageBase64(): string {
  const bytes = new Uint8Array(54 + 3 * 32 * 32).fill(0x42)
  for (let i = 54; i < bytes.length; i += 3) bytes.set([0x03, 0x74, 0xfb], i)
  return Buffer.from(bytes).toString('base64')
}

export const INNOCENT: Record<string, string> = {
  'a file name with an md5 (sk_test_ inside "mask_test_")': 'Saved to mask_test_5d41402abc4b2a76b9719d911017c592.png',
  'a metric name with a timestamp (sk_live_ inside "risk_live_")': 'risk_live_20240101T000000Z0123456789 rose',
  'a conference ticket id (ASIA inside "EURASIA")': 'Ticket EURASIA2024CONFERENCE01 is booked.',
  'a product SKU (ANVA inside "CANVAS")': 'SKU CANVASPRINT24X36BLACK is sold out.',
  'a ULID (A3T inside it)': 'row 01HQRZA3T5K8M2N4P6Q8R0STVW',
  'a column with a 36-character id (ghs_ inside "thighs_")': 'column thighs_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f.',
  'a slug with a date (xoxo- after "_")': 'image valentines_xoxo-20240214-card.png',
  'a function name (github_pat_ after "load_")': 'call load_github_pat_from_secret_manager_v2() first',
  'a package path with an md5 (lin_api_ inside "kotlin_api_")': 'kotlin_api_5d41402abc4b2a76b9719d911017c592.jar',
  'a solid-colour image as a data URL': `{"image_url":"data:image/bmp;base64,${solidImageBase64()}"}`,
}

describe('ordinary text is no glued token', () => {
  test.each(Object.entries(INNOCENT))('the secret scan finds nothing in %s', (_, text) => {
    expect(findSecretsSync(text).map((finding) => `${finding.rule}: ${finding.value}`)).toEqual([])
  })

  test.each(Object.entries(INNOCENT))('shown text keeps %s', (_, text) => {
    expect(scrubShown(text)).toBe(text)
  })

  test.each(Object.entries(INNOCENT))("a test's meta (history, report) keeps %s", (_, text) => {
    const meta: Record<string, unknown> = { output: text }
    new MetaSecrets([]).hideIn(meta)
    expect(meta.output).toBe(text)
  })

  test.each(Object.entries(INNOCENT))('`llm-evals cassettes check` (which fails CI on a finding) passes a cassette main recorded with %s', async (_, text) => {
    const cassette = JSON.stringify({ version: 1, entries: [{ test: 'answers', response: { status: 200, body: { content: text } } }] }, null, 2)
    expect((await findCassetteSecrets('/nowhere/a.test.ts.cassette.json', cassette)).map((secret) => secret.rule)).toEqual([])
  })

  test.each(Object.entries(INNOCENT))("a stored label's note keeps %s", (_, text) => {
    expect(storedLabel({ caseId: 'q1', metric: 'factual', label: 'fail', note: text, at: '2026-12-07T00:00:00.000Z' }).note).toBe(text)
  })
})
