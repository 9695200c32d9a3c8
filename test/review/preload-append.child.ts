// A run's history I/O as the reporter does it, many times over: preload while "tests run", then at the end
// read and append (some appends rewrite the file, as retention does). `<file> <prefix> <count>`.
import '../support/ts-specifiers.ts'

const { appendRun, readHistory } = await import('../../src/history/history-file.js')
const { preloadHistory } = await import('../../src/history/history-scan.js')
const { historyRun } = await import('../reporters/fixtures.js')
const [file, prefix, count] = process.argv.slice(2) as [string, string, string]
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

let seen = 0
for (let index = 0; index < Number(count); index++) {
  preloadHistory(file)
  sleep(Math.floor(Math.random() * 4))
  seen = Math.max(seen, readHistory(file).length)
  appendRun(file, historyRun(`${prefix}-${index}`, { rouge: 0.5 }), undefined, index % 7 === 3 ? { rewrite: 'always' } : {})
}
process.stdout.write(`${seen}\n`)
