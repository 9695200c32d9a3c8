// Child process of save-on-signal.test.ts: `node save-on-signal.child.ts <signal> <log> [mode]` saves on signals
// (appending `saved` to the log), then sends itself `signal`. Modes: `throws` (the save throws), `listener` (the
// user listens too: it logs `user` and exits with 7 on the second signal), `twice` (a second start replaces the save).
// Runs on Node's type stripping: map the `.js` specifiers of the sources back to `.ts` files first.
import '../../support/ts-specifiers.ts'

const { appendFileSync } = await import('node:fs')
const { saveOnSignals } = await import('../../../src/cassettes/save-on-signal.js')
const [signal, log, mode] = process.argv.slice(2) as [NodeJS.Signals, string, string | undefined]

if (mode === 'twice') saveOnSignals(() => appendFileSync(log, 'the first save\n'))
saveOnSignals(() => {
  appendFileSync(log, 'saved\n')
  if (mode === 'throws') throw new Error('the disk is full')
})
if (mode === 'listener') {
  let signals = 0
  process.on(signal, () => {
    appendFileSync(log, 'user\n')
    if (++signals === 2) process.exit(7)
  })
}
// Kept alive until a signal ends it (or 5 s pass: the signal did not end the process).
setTimeout(() => {
  appendFileSync(log, 'still running\n')
  process.exit(0)
}, 5_000)
process.kill(process.pid, signal)
if (mode === 'listener') setTimeout(() => process.kill(process.pid, signal), 100)
