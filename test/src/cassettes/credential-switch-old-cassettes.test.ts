// Regression: a recording 0.1.0 made of a request whose credential-named parameter held a setting
// (`auth=basic`, `token=true`, `key=0`) was stored and keyed WITHOUT that parameter (0.1.0 dropped these names outright).
// Since 62f8166 the live request keeps the parameter in its key, so the 0.1.0 recording no longer answers it: replay misses.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseQuery, requestKey, withoutCredentials } from '../../../src/cassettes/canonical.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import * as old from '../../review/old-canonical.js'

const base = 'https://gw.example.com/v1/chat/completions'
const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }

/** The cassette 0.1.0 wrote for `search`: url and query without the parameters its name list dropped. */
function cassetteOf010(search: string): string {
  const url = old.withoutCredentials(new URL(`${base}${search}`))
  const entry = {
    test: 't', repeat: 0, call: 0, role: 'app',
    request: { url: url.href, method: 'POST', path: url.pathname, query: old.parseQuery(url.search), headers: {}, body },
    response: { status: 200, headers: { 'content-type': 'application/json' }, json: { answer: 'recorded' } },
    meta: { recordedAt: '2026-01-01T00:00:00.000Z', latencyMs: 5 },
  }
  return `${JSON.stringify({ version: 1, entries: [entry] }, null, 2)}\n`
}

describe.each(['?auth=basic', '?token=true', '?key=0', '?auth=none', '?sig=1'])('a 0.1.0 recording of %s', (search) => {
  test('still replays (the live request is looked up as that version stored it)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rmsg-cred-')), '__cassettes__', 'a.test.ts.cassette.json')
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(file, cassetteOf010(search))
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    // The live request as session.lookup keys it.
    const url = withoutCredentials(new URL(`${base}${search}`))
    const key = requestKey({ method: 'POST', path: url.pathname, query: parseQuery(url.search), headers: {}, body })
    expect(store.find('t', 0, key, 0)?.response.json).toEqual({ answer: 'recorded' })
  })
})
