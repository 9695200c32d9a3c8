// Files meant to be shared (history, report, summary) never hold a live credential, whatever the eval saw.
import { readFileSync } from 'node:fs'
import { afterAll, expect, test } from 'vitest'
import { cleanEnv, fixture } from './run-fixture.js'
import { embeddedData } from '../reporters/report-page-fixtures.js'

const project = fixture('shared-files')
afterAll(() => project.remove())

test('a live token in an eval input, output and reason is scrubbed from history, report and summary', async () => {
  const token = 'svc-live-token-0123456789abcdef'
  const run = await project.run([], cleanEnv({ SERVICE_TOKEN: token }))
  expect(run.output).toContain('Tests  1 passed')
  for (const file of ['history.jsonl', 'report.html', 'summary.json']) {
    const raw = readFileSync(project.path('.evals', file), 'utf8')
    // The report's case data is gzipped in base64: a token in it would not show in the file's text, so read it as the page does.
    const text = file === 'report.html' ? `${raw}\n${JSON.stringify(embeddedData(raw))}` : raw
    expect(text, file).not.toContain(token)
    expect(text, file).toContain('[REDACTED]')
  }
  expect(run.output).not.toContain(token)
})
