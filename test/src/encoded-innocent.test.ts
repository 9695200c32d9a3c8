// Review wt-sec 58c9760: the escaped-secret scan decodes %XX and \u00XX, then runs the shown-text patterns
// (wellKnownTokensIn) on the decoded text. Their "password in a URL" pattern (`://` … `:` … `@`, no `/?#` or space
// between) takes an ordinary URL-encoded query or form body that holds a URL with no path, then a time or a JSON colon,
// then an e-mail address. The value is reported as a secret "as written", so the cassette stores the URL/body with
// "[REDACTED]" in its middle and `llm-evals cassettes check` fails on it. Also: the glued-token false positives come
// back through URL-encoding (`task%5Flive%5F…`). All pass on main 72fb991; fail on wt-sec 4cbbda9.
import { describe, expect, test } from 'vitest'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { findCassetteSecrets } from '../../src/cli/cassette-secrets.js'

const INNOCENT: Record<string, string> = {
  'a calendar query (callback URL, a time, an attendee)': 'https://calendar.example.com/v1/events?redirect_uri=https%3A%2F%2Fapp.example.com&start=2024-01-01T12%3A30%3A00Z&attendee=bob%40corp.com',
  'a form body holding URL-encoded JSON with a URL and an e-mail': 'data=%7B%22url%22%3A%22https%3A%2F%2Fexample.com%22%2C%22email%22%3A%22a%40b.com%22%7D',
  'a URL-encoded metric name with a timestamp': 'https://metrics.example.com/q?m=task%5Flive%5F20240101T000000Z0123456789',
}

describe('URL-encoded ordinary text is no escaped secret', () => {
  test.each(Object.entries(INNOCENT))('the secret scan finds nothing in %s', (_, text) => {
    expect(findSecretsSync(JSON.stringify({ url: text })).map((finding) => `${finding.rule}: ${finding.value}`)).toEqual([])
  })

  test.each(Object.entries(INNOCENT))('`llm-evals cassettes check` passes a cassette holding %s', async (_, text) => {
    const cassette = JSON.stringify({ version: 1, entries: [{ test: 'calls', request: { method: 'GET', url: text } }] }, null, 2)
    expect((await findCassetteSecrets('/nowhere/a.test.ts.cassette.json', cassette)).map((secret) => secret.rule)).toEqual([])
  })
})
