// Child process of file-lock.test.ts and history-contention.test.ts. Modes:
// - `hold <file>`: takes the file's lock, says `locked` on stdout, and keeps it until killed.
// - `take-turns <file> <log> <count>`: takes the lock `count` times, logging `enter`/`leave` lines inside it.
// - `append-runs <file> <prefix> <count> [always]`: appends `count` history runs (`<prefix>-<n>`; `always`: each a rewrite), then exits.
// Runs on Node's type stripping: map the `.js` specifiers of the sources back to `.ts` files first.
import '../support/ts-specifiers.ts'


const { appendFileSync } = await import('node:fs')
const { withFileLock } = await import('../../src/atomic-files.js')
const [mode, file, ...rest] = process.argv.slice(2) as [string, string, ...string[]]
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

if (mode === 'hold') {
  withFileLock(file, () => {
    process.stdout.write('locked\n')
    for (;;) sleep(1000)
  })
} else if (mode === 'take-turns') {
  const [log, count] = rest as [string, string]
  for (let turn = 0; turn < Number(count); turn++) {
    withFileLock(file, () => {
      appendFileSync(log, `enter ${process.pid}\n`)
      sleep(2)
      appendFileSync(log, `leave ${process.pid}\n`)
    }, 60_000)
  }
} else if (mode === 'append-runs') {
  const { appendRun } = await import('../../src/history/history-file.js')
  const { historyRun } = await import('../reporters/fixtures.js')
  const [prefix, count, rewrite] = rest as [string, string, 'always' | undefined]
  for (let index = 0; index < Number(count); index++) appendRun(file, historyRun(`${prefix}-${index}`, { rouge: 0.5 }), undefined, rewrite ? { rewrite } : {})
}
