/**
 * Rewrites the options table of README.md (between `<!-- options:start -->` and `<!-- options:end -->`)
 * from the zod schema of `llmEvals()`. Run: `npm run docs:options` (builds first).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

type Reference = typeof import('../src/config-reference.js')
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { replaceOptionsTable } = (await import(pathToFileURL(join(repo, 'dist/src/config-reference.js')).href)) as Reference
const readme = join(repo, 'README.md')
const before = readFileSync(readme, 'utf8')
const after = replaceOptionsTable(before)
writeFileSync(readme, after)
console.log(after === before ? 'README options table already up to date.' : 'README options table rewritten.')
