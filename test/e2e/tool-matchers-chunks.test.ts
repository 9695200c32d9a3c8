// Agent suites call toCallTool / toCallTools thousands of times (issue 17): with usual arguments they load no
// zod, and their misuse messages (did-you-mean) must not bring in the plugin's options chunk, which imports it.
// Reads the build (`npm run build` first).
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { repoRoot } from './run-fixture.js'

const chunks = join(repoRoot, 'dist', 'chunks')

/** The chunk files `file` loads statically, transitively (itself included). */
function staticImports(file: string, into = new Set<string>()): Set<string> {
  if (into.has(file)) return into
  into.add(file)
  for (const match of readFileSync(file, 'utf8').matchAll(/^import\b[^'"]*?(?:from\s*)?"(\.[^"]+)";$/gm)) staticImports(resolve(dirname(file), match[1] ?? ''), into)
  return into
}

describe('the tool matchers as built', () => {
  test("load neither zod nor the plugin's options chunk statically", () => {
    const matcherChunks = readdirSync(chunks).filter((name) => /^to-call-tools?-/.test(name))
    expect(matcherChunks.length).toBeGreaterThan(0)
    const loaded = new Set(matcherChunks.flatMap((name) => [...staticImports(join(chunks, name))]))
    const names = [...loaded].map((file) => file.slice(chunks.length + 1))
    expect(names.filter((name) => name.startsWith('plugin-options-'))).toEqual([])
    expect(names.filter((name) => /^import .* from "zod";$/m.test(readFileSync(join(chunks, name), 'utf8')))).toEqual([])
    expect(names.some((name) => name.startsWith('closest-name-'))).toBe(true)
  })
})
