/**
 * Rewrites the options table of docs/configuration.md (between `<!-- options:start -->` and `<!-- options:end -->`)
 * from the zod schema of `llmEvals()`. Run: `npm run docs:options`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { registerHooks } from 'node:module'

type Reference = typeof import('../src/config-reference.js')
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// The source is TypeScript imported with .js specifiers (the build bundles it): resolve them to the .ts files.
registerHooks({
  resolve: (specifier, context, next) => {
    try {
      return next(specifier, context)
    } catch (error) {
      if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error
      return next(specifier.replace(/\.js$/, '.ts'), context)
    }
  },
})
const { replaceOptionsTable } = (await import(pathToFileURL(join(repo, 'src/config-reference.ts')).href)) as Reference
const readme = join(repo, 'docs', 'configuration.md')
const before = readFileSync(readme, 'utf8')
const after = replaceOptionsTable(before)
writeFileSync(readme, after)
console.log(after === before ? 'docs/configuration.md options table already up to date.' : 'docs/configuration.md options table rewritten.')
