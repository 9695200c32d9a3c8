// The scan must flag nothing in what the project itself stores: every committed cassette and sidecar, the
// datasets, labels and scripted replies of the examples and fixtures, and the history a run of the examples wrote.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect, test } from 'vitest'
import { findSecrets } from '../../../src/cassettes/secret-scan.js'

const repoRoot = join(import.meta.dirname, '../../..')

/** Data files (not sources) under `dir`. */
function dataFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.includes('node_modules') && !file.startsWith('.'))
    .filter((file) => /\.(json|jsonl|csv|txt)$/.test(file) || file.includes('__cassettes__/'))
    .map((file) => join(dir, file))
}

const files = [
  ...dataFiles(join(repoRoot, 'examples')),
  ...dataFiles(join(repoRoot, 'test', 'e2e', 'fixtures')),
  // `npm run examples` wrote it (.evals/history.jsonl): real outputs, scores, reasons, usage and run metadata.
  join(import.meta.dirname, 'fixtures', 'examples-history.jsonl'),
]

test('finds no secret in any committed cassette, dataset or history file', async () => {
  expect(files.filter((file) => file.endsWith('.cassette.json')).length).toBeGreaterThanOrEqual(5)
  const findings: string[] = []
  for (const file of files) {
    for (const finding of await findSecrets(readFileSync(file, 'utf8'))) findings.push(`${relative(repoRoot, file)}:${finding.line}:${finding.column} ${finding.rule}`)
  }
  expect(findings).toEqual([])
})
