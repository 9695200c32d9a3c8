import { describe, expect, test } from 'vitest'
import { blockModule, extractCodeBlocks, headingAnchor, headingAnchors, pageLinks, parseCompilerErrors, topLevelNames } from './doc-code-blocks.js'

describe('extractCodeBlocks', () => {
  test('finds fenced blocks with their line, language and flags, indented ones dedented', () => {
    const markdown = ['# Title', '', '```ts fragment', 'await f()', '```', '- item:', '', '  ```ts', '  const a = 1', '    .toString()', '  ```', '````md', '```ts', 'not a block', '```', '````'].join('\n')
    expect(extractCodeBlocks(markdown, 'a.md')).toEqual([
      { file: 'a.md', line: 3, language: 'ts', flags: ['fragment'], code: 'await f()' },
      { file: 'a.md', line: 8, language: 'ts', flags: [], code: 'const a = 1\n  .toString()' },
      { file: 'a.md', line: 12, language: 'md', flags: [], code: '```ts\nnot a block\n```' },
    ])
  })
})

describe('blockModule', () => {
  test('a whole block is the module as written, made a module by `export {}`', () => {
    expect(blockModule({ file: 'a.md', line: 1, language: 'ts', flags: [], code: 'const a = 1' })).toEqual({ source: 'const a = 1\nexport {}\n', preludeLines: 0 })
  })

  test('a fragment gets the prelude, less what it imports or defines itself', () => {
    const { source, preludeLines } = blockModule({ file: 'a.md', line: 1, language: 'ts', flags: ['fragment'], code: "import { evalEach } from 'vitest-llm-evals'\nconst cases = [1]\nawait f()" })
    const lines = source.split('\n')
    expect(lines.length).toBe(preludeLines + 5)
    expect(lines[preludeLines]).toBe("import { evalEach } from 'vitest-llm-evals'")
    expect(lines.slice(0, preludeLines).join('\n')).not.toMatch(/evalEach|declare const cases:/)
    expect(lines.slice(0, preludeLines).join('\n')).toMatch(/import \{ describe, expect, test \} from 'vitest'/)
  })

  test('topLevelNames reads default, named, renamed, namespace and type imports and top-level declarations', () => {
    const code = "import OpenAI, { AzureOpenAI as Azure, type Foo } from 'openai'\nimport * as m from 'm'\nexport async function go() {}\ntype Case = {}\n  const inner = 1"
    expect([...topLevelNames(code)].sort()).toEqual(['Azure', 'Case', 'Foo', 'OpenAI', 'go', 'm'])
  })
})

describe('parseCompilerErrors', () => {
  test('reads tsc errors with their continuation lines', () => {
    const output = "a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.\n  Details here.\nother line\nb.ts(1,1): error TS2304: Cannot find name 'x'."
    expect(parseCompilerErrors(output)).toEqual([
      { file: 'a.ts', line: 3, column: 5, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'.\n  Details here." },
      { file: 'b.ts', line: 1, column: 1, code: 'TS2304', message: "Cannot find name 'x'." },
    ])
  })
})

describe('headings and links', () => {
  test('anchors are made as GitHub makes them, repeated headings numbered, code blocks ignored', () => {
    expect(headingAnchor('`evalEach`: one test per row')).toBe('evaleach-one-test-per-row')
    expect(headingAnchor('Record and replay (cassettes)')).toBe('record-and-replay-cassettes')
    expect([...headingAnchors('# A\n## Scoring\n```sh\n# not a heading\n```\n## Scoring')]).toEqual(['a', 'scoring', 'scoring-1'])
  })

  test('relative links outside code, with their line; web links left out', () => {
    expect(pageLinks('See [modes](cassettes.md#modes) and [x](https://x.dev).\n`[no](a.md)`\n[here](#top)')).toEqual([
      { line: 1, path: 'cassettes.md', anchor: 'modes' },
      { line: 3, path: '', anchor: 'top' },
    ])
  })
})
