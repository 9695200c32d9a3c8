// What a Vitest worker loads (the setup file, the main API, the matchers and each matcher's chunk, the cassette
// session) must not load node:crypto at import (src/node-crypto.ts loads it on first use: ~4 ms per worker, issue 17),
// nor the reporter's chunk (~180 KB of the main process's code: renderers, history, node:crypto, child_process).
// toMatchHumanLabel named its test's suite with the reporter's `suiteName` and so loaded both in every worker using it.
// Reads the build (`npm run build` first).
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { repoRoot } from './run-fixture.js'

const dist = join(repoRoot, 'dist')
const chunks = join(dist, 'chunks')

/** The files `file` loads statically, transitively (itself included). */
function staticImports(file: string, into = new Set<string>()): Set<string> {
  if (into.has(file)) return into
  into.add(file)
  for (const match of readFileSync(file, 'utf8').matchAll(/^import\b[^'"]*?(?:from\s*)?"(\.[^"]+)";$/gm)) staticImports(resolve(dirname(file), match[1] ?? ''), into)
  return into
}

const workerEntries = ['src/setup.js', 'src/runner.js', 'src/index.js', 'src/metrics/index.js', 'matchers/index.js'].map((entry) => join(dist, entry))
const lazyWorkerChunks = readdirSync(chunks)
  .filter((name) => /^(to-[a-z-]+|session)-[\w-]+\.js$/.test(name))
  .map((name) => join(chunks, name))

describe('what a worker loads, as built', () => {
  test('imports neither node:crypto nor the reporter chunk statically', () => {
    expect(lazyWorkerChunks.some((file) => file.includes('to-match-human-label-'))).toBe(true)
    const offending: string[] = []
    for (const start of [...workerEntries, ...lazyWorkerChunks]) {
      for (const file of staticImports(start)) {
        const name = relative(dist, file)
        const crypto = /^import\b[^'"]*?(?:from\s*)?"(?:node:)?crypto";$/m.test(readFileSync(file, 'utf8'))
        if (crypto || /^chunks\/reporter-/.test(name)) offending.push(`${relative(dist, start)} -> ${name}${crypto ? ' (node:crypto)' : ''}`)
      }
    }
    expect([...new Set(offending)]).toEqual([])
  })
})
