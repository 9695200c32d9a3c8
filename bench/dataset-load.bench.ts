/**
 * Dataset loading: writes a ~100 MB JSONL file, then streams it with `streamDataset` (zod validation and
 * case ids per row) while sampling memory, and loads it whole with `loadDataset` for comparison.
 * Streaming should keep the heap bounded (well under the file size) whatever the file size.
 *
 *   npm run build && npm exec -- node bench/dataset-load.bench.ts [megabytes=100]
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { loadDataset, streamDataset } from '../dist/src/index.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const megabytes = Number(process.argv[2] ?? 100)
mkdirSync(join(repo, 'bench', '.tmp'), { recursive: true })
const dir = mkdtempSync(join(repo, 'bench', '.tmp', 'dataset-'))
const file = join(dir, 'cases.jsonl')
const Case = z.object({ id: z.string(), question: z.string(), expected: z.string(), tags: z.array(z.string()) })
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function writeFile(): Promise<number> {
  const out = createWriteStream(file)
  const filler = 'lorem ipsum dolor sit amet '.repeat(14)
  let rows = 0
  for (let written = 0; written < megabytes * 1024 * 1024; rows++) {
    const line = `${JSON.stringify({ id: `case-${rows}`, question: `Question ${rows}: ${filler}`, expected: `Answer ${rows}`, tags: ['a', 'b'] })}\n`
    written += line.length
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return rows
}

/** Runs `work` while sampling the heap every 20 ms; returns the time taken and the highest heap seen. */
async function measure(work: () => Promise<number>): Promise<{ rows: number; seconds: number; peakHeap: number }> {
  globalThis.gc?.()
  let peakHeap = process.memoryUsage().heapUsed
  const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20)
  const started = performance.now()
  const rows = await work()
  clearInterval(timer)
  return { rows, seconds: (performance.now() - started) / 1000, peakHeap: Math.max(peakHeap, process.memoryUsage().heapUsed) }
}

try {
  const written = await writeFile()
  const size = statSync(file).size
  const baseline = process.memoryUsage().heapUsed
  const streamed = await measure(async () => {
    let count = 0
    for await (const entry of streamDataset(file, Case)) if (entry.id) count += 1
    return count
  })
  const loaded = await measure(async () => (await loadDataset(file, Case)).length)
  console.log(`file: ${mb(size)}, ${written.toLocaleString('en-US')} rows; heap before: ${mb(baseline)}`)
  console.log('mode           rows       seconds  rows/s     peak heap')
  for (const [name, result] of [['streamDataset', streamed], ['loadDataset', loaded]] as const) {
    console.log(`${name.padEnd(13)}  ${result.rows.toLocaleString('en-US').padEnd(9)}  ${result.seconds.toFixed(2).padStart(7)}  ${Math.round(result.rows / result.seconds).toLocaleString('en-US').padStart(8)}  ${mb(result.peakHeap).padStart(9)}`)
  }
  if (streamed.rows !== written || loaded.rows !== written) throw new Error(`row count mismatch: wrote ${written}, streamed ${streamed.rows}, loaded ${loaded.rows}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
