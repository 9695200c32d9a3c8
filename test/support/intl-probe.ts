// A `--require` hook for e2e runs that records every use of Intl (locale-aware formatting, collation) whose
// stack passes through a given path (the library's build), in every process of the run. A process's first use
// of Intl loads ICU's locale data: ~6 MiB resident in Vitest's main process (issue 17, BENCHMARKS.md).
import { readFileSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const PROBE = String.raw`
const { appendFileSync } = require('node:fs')
const log = process.env.INTL_PROBE_LOG, watched = process.env.INTL_PROBE_PATH
const role = process.argv.some((arg) => arg.includes('vitest.mjs')) ? 'main' : 'worker'
const note = (what) => {
  const frames = (new Error().stack ?? '').split('\n').slice(2).map((line) => line.trim())
  const ours = frames.find((frame) => frame.includes(watched))
  if (ours) appendFileSync(log, role + ' ' + what + ' ' + ours + '\n')
}
const wrap = (owner, name, label) => {
  const original = owner[name]
  owner[name] = function (...args) { note(label); return original.apply(this, args) }
}
for (const [owner, label, names] of [
  [Number.prototype, 'Number', ['toLocaleString']],
  [BigInt.prototype, 'BigInt', ['toLocaleString']],
  [Array.prototype, 'Array', ['toLocaleString']],
  [Date.prototype, 'Date', ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']],
  [String.prototype, 'String', ['localeCompare', 'toLocaleLowerCase', 'toLocaleUpperCase']],
]) for (const name of names) wrap(owner, name, label + '#' + name)
for (const name of Object.getOwnPropertyNames(Intl)) {
  const original = Intl[name]
  if (typeof original !== 'function') continue
  Intl[name] = new Proxy(original, {
    construct: (target, args, newTarget) => (note('Intl.' + name), Reflect.construct(target, args, newTarget)),
    apply: (target, self, args) => (note('Intl.' + name), Reflect.apply(target, self, args)),
  })
}
`

/** Writes the probe into `dir`; returns the env that loads it in every process of a run, and its findings. */
export function intlProbe(dir: string, watchedPath: string): { env: NodeJS.ProcessEnv; calls(): string[] } {
  const probe = join(dir, 'intl-probe.cjs')
  const log = join(dir, 'intl-calls.log')
  writeFileSync(probe, PROBE)
  return {
    env: { NODE_OPTIONS: `--require ${probe}`, INTL_PROBE_LOG: log, INTL_PROBE_PATH: watchedPath },
    calls: () => (existsSync(log) ? [...new Set(readFileSync(log, 'utf8').trim().split('\n'))] : []),
  }
}
