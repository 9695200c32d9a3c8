// Every TypeScript (and JavaScript) block of README.md and docs/*.md, type-checked against the built package
// as a user's project would see it: `vitest-llm-evals` and its subpaths resolve to dist/ through the package's
// `exports` (a self-reference: the check folder is inside the repository). Needs `npm run build` first.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { blockModule, CHECKED_LANGUAGES, extractCodeBlocks, parseCompilerErrors, type CodeBlock } from '../support/doc-code-blocks.js'

const repo = join(import.meta.dirname, '../..')
const checkDir = join(repo, '.docs-check')
const pages = ['README.md', ...readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)]

/** The blocks the docs hold, and the ones compiled (every checked language, less those marked `skip`). */
const blocks = pages.flatMap((page) => extractCodeBlocks(readFileSync(join(repo, page), 'utf8'), page)).filter((block) => CHECKED_LANGUAGES.has(block.language))
const compiled = blocks.filter((block) => !block.flags.includes('skip'))

// A block that must fail, compiled with the others: proves that errors are found and mapped to their Markdown line.
const canary: CodeBlock = { file: 'canary.md', line: 10, language: 'ts', flags: ['fragment'], code: "await expect(reply).toFollowInstructions([{ id: 'punctuation:no_comma' }])\nconst count: number = reply" }

const tsconfig = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    allowJs: true,
    checkJs: true,
  },
  include: ['*.ts', '*.js'],
}

/** Writes each block as its own module (plus the README's vitest.config.ts, which brings the matcher types); returns file name → block. */
function writeModules(all: readonly CodeBlock[]): Map<string, { block: CodeBlock; preludeLines: number }> {
  rmSync(checkDir, { recursive: true, force: true })
  mkdirSync(checkDir, { recursive: true })
  writeFileSync(join(checkDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  writeFileSync(join(checkDir, 'vitest.config.ts'), "import { defineConfig } from 'vitest/config'\nimport { llmEvals } from 'vitest-llm-evals/plugin'\n\nexport default defineConfig({ plugins: [llmEvals()] })\n")
  const modules = new Map<string, { block: CodeBlock; preludeLines: number }>()
  for (const block of all) {
    const extension = block.language.startsWith('j') ? 'js' : 'ts'
    const name = `${block.file.replace(/[/.]/g, '_')}-L${block.line}.${extension}`
    const { source, preludeLines } = blockModule(block)
    writeFileSync(join(checkDir, name), source)
    modules.set(name, { block, preludeLines })
  }
  return modules
}

/** `docs/x.md:42 (block at line 40): TS2345 …` for each compiler error, located in the Markdown file. */
function locate(output: string, modules: ReadonlyMap<string, { block: CodeBlock; preludeLines: number }>): string[] {
  return parseCompilerErrors(output).map((error) => {
    const module = modules.get(relative(checkDir, join(repo, error.file)).replace(/^\.docs-check\//, '')) ?? modules.get(error.file.split(/[\\/]/).pop() ?? '')
    if (!module) return `${error.file}(${error.line},${error.column}): ${error.code} ${error.message}`
    const { block, preludeLines } = module
    const inBlock = error.line - preludeLines
    const where = inBlock >= 1 ? `${block.file}:${block.line + inBlock}:${error.column}` : `${block.file}:${block.line} (the fragment prelude)`
    return `${where} (block at line ${block.line}): ${error.code} ${error.message}`
  })
}

describe('the docs code blocks', () => {
  test('every TypeScript block of README.md and docs/ compiles against the built package', () => {
    expect(existsSync(join(repo, 'dist/src/index.d.ts')), 'dist/ is missing: run `npm run build` first').toBe(true)
    expect(compiled.length).toBeGreaterThan(30)
    const modules = writeModules([...compiled, canary])
    const tsc = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(checkDir, 'tsconfig.json'), '--pretty', 'false'], { cwd: repo, encoding: 'utf8' })
    expect(tsc.error).toBeUndefined()
    const errors = locate(`${tsc.stdout}\n${tsc.stderr}`, modules)
    expect(errors.filter((error) => error.startsWith('canary.md'))).toEqual(["canary.md:12:7 (block at line 10): TS2322 Type 'string' is not assignable to type 'number'."])
    expect(errors.filter((error) => !error.startsWith('canary.md')).join('\n')).toBe('')
  })

  test('every JSON block parses (a JSON Lines block line by line)', () => {
    const json = pages.flatMap((page) => extractCodeBlocks(readFileSync(join(repo, page), 'utf8'), page)).filter((block) => block.language === 'json')
    expect(json.length).toBeGreaterThan(0)
    const invalid = json.flatMap((block) => {
      try {
        JSON.parse(block.code)
        return []
      } catch {
        return block.code.split('\n').flatMap((line, index) => {
          try {
            JSON.parse(line)
            return []
          } catch (error) {
            return [`${block.file}:${block.line + 1 + index}: ${(error as Error).message}`]
          }
        })
      }
    })
    expect(invalid).toEqual([])
  })

  test('blocks left out of the check are few, and say so in their fence', () => {
    const skipped = blocks.filter((block) => block.flags.includes('skip')).map((block) => `${block.file}:${block.line}`)
    expect(skipped.length).toBeLessThanOrEqual(3)
  })
})
