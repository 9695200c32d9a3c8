/**
 * Secret scan cost (issue 13): what loading secretlint costs once per process (the first scan), and what one warm
 * scan costs for a typical recording (an entry of an example cassette, as `findRecordingSecrets` scans it), for a
 * streamed recording, and for a 1 MB cassette (`llm-evals cassettes check`); and the worker's scrub of shown text on
 * 10 MB of prose and of hostile text. Medians.
 *
 *   npm exec -- node bench/secret-scan.bench.ts [rounds=200]
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import '../test/support/ts-specifiers.ts'
import { join } from 'node:path'

// The scan is internal (no public export): load the sources, mapping TypeScript's `.js` specifiers to `.ts`.

// In a fresh process (see below): the time of the first scan, which loads secretlint.
if (process.argv[2] === '--first-scan') {
  const { findSecrets } = await import('../src/cassettes/secret-scan.ts')
  const start = performance.now()
  await findSecrets('warm-up text')
  process.stdout.write(String(performance.now() - start))
  process.exit(0)
}

const rounds = Number(process.argv[2] ?? 200)
const repo = join(import.meta.dirname, '..')
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const { findSecrets } = await import('../src/cassettes/secret-scan.ts')
const { findRecordingSecrets } = await import('../src/cassettes/found-secrets.ts')
const { readCassette } = await import('../src/cassettes/cassette-file.ts')

const firstScans = Array.from({ length: 7 }, () => Number(execFileSync(process.execPath, [import.meta.filename, '--first-scan'], { encoding: 'utf8' })))

async function timeEach(count: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  return median(times)
}

const cassettes = ['support-bot/__cassettes__/triage.test.ts', 'rag-chunking/__cassettes__/rag-chunking.test.ts', 'summarizer/__cassettes__/summarize.test.ts', 'prompt-variants/__cassettes__/prompt-variants.test.ts', 'ticket-classifier/__cassettes__/ticket-classifier.test.ts']
  .map((name) => join(repo, 'examples', `${name}.cassette.json`))
const entries = cassettes.flatMap((file) => readCassette(file).entries)
const typical = entries.find((entry) => JSON.stringify(entry).length > 2000) ?? entries[0]
const streamed = entries.find((entry) => entry.response.chunks)
let big = ''
while (big.length < 1024 * 1024) for (const file of cassettes) big += readFileSync(file, 'utf8')
big = big.slice(0, 1024 * 1024)

await findSecrets('warm-up')
const rows: [string, number][] = [['first scan in a process (imports secretlint)', median(firstScans)]]
if (typical) rows.push([`warm scan, typical recording (${(JSON.stringify(typical).length / 1024).toFixed(1)} KB entry)`, await timeEach(rounds, () => findRecordingSecrets(typical))])
if (streamed) rows.push([`warm scan, streamed recording (${streamed.response.chunks?.length} chunks)`, await timeEach(rounds, () => findRecordingSecrets(streamed))])
rows.push(['warm scan, 1 MB cassette', await timeEach(Math.max(5, Math.round(rounds / 20)), () => findSecrets(big))])
// The worker's scrub of shown text (matcher messages, test meta) on 10 MB: prose holding token prefixes, and hostile
// text (repeated prefixes, which the old lookaheads read 250 characters ahead of: `ghp_` 9 s, `xoxb-` 15 s).
const { scrubShown } = await import('../src/cassettes/redact.ts')
const tenMb = (unit: string) => unit.repeat(Math.ceil(10_000_000 / unit.length))
for (const [name, text] of [['prose with token prefixes', tenMb('The fox ghp_short jumps over sk-short AKIAshort at https://x.com/a?b. ')], ['repeated ghp_', tenMb('ghp_')], ['repeated xoxb-', tenMb('xoxb-')], ['repeated ghs_1_-', tenMb('ghs_1_-')]] as const) {
  rows.push([`scrubShown 10 MB: ${name}`, await timeEach(3, async () => scrubShown(text))])
}

console.log('secret scan                                        median ms')
for (const [name, ms] of rows) console.log(`  ${name.padEnd(48)} ${ms.toFixed(2)}`)
