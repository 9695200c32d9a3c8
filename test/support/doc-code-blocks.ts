// The docs' TypeScript blocks as modules to type-check, and the links between the docs' pages. Pure: no
// Vitest, no file system (test/docs/ reads the files, writes the modules and runs tsc).

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, as given. */
  file: string
  /** 1-based line of the opening fence in the Markdown file. */
  line: number
  /** The fence's language (`ts`, `typescript`, `js`, …). */
  language: string
  /** The words after the language in the fence's info string (`fragment`, `skip`). */
  flags: string[]
  /** The block's text, without its fences (dedented when the fence is indented, as in a list item). */
  code: string
}

/** Fences whose blocks are type-checked. */
export const CHECKED_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript'])

/**
 * Every fenced block of `markdown` (``` or ~~~ fences, indented ones in list items too).
 *
 * @example
 * extractCodeBlocks('# T\n```ts fragment\nawait f()\n```\n', 'a.md') // [{ file: 'a.md', line: 2, language: 'ts', flags: ['fragment'], code: 'await f()' }]
 */
export function extractCodeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: CodeBlock[] = []
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[index] ?? '')
    if (!open) continue
    const [, indent = '', fence = '```', language = '', info = ''] = open
    const body: string[] = []
    let end = index + 1
    while (end < lines.length && !new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[end] ?? '')) end++
    for (const text of lines.slice(index + 1, end)) body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart())
    blocks.push({ file, line: index + 1, language: language.toLowerCase(), flags: info.split(/\s+/).filter(Boolean), code: body.join('\n') })
    index = end
  }
  return blocks
}

/** What a `fragment` block may use without importing or defining it: imports, and stand-ins for the app under test. */
export const FRAGMENT_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  vitest: ['describe', 'expect', 'test'],
  'vitest/config': ['defineConfig'],
  zod: ['z'],
  'vitest-llm-evals/plugin': ['llmEvals'],
  'vitest-llm-evals': ['describeEval', 'evalEach', 'humanLabel', 'loadDataset', 'recordTool', 'simulateConversation', 'testTrace', 'traceOf', 'type Trace'],
}

/** Stand-ins a fragment may use: `name` and the line that declares it. */
export const FRAGMENT_DECLARATIONS: readonly { name: string; declaration: string }[] = [
  { name: 'Case', declaration: "const Case = z.object({ id: z.string(), question: z.string(), expected: z.string() }); type Case = z.infer<typeof Case>" },
  { name: 'cases', declaration: 'declare const cases: Case[]' },
  { name: 'row', declaration: 'declare const row: Case & { message: string; intent: string }' },
  { name: 'rows', declaration: 'declare const rows: (Case & { message: string; intent: string })[]' },
  { name: 'answer', declaration: 'declare const answer: (question: string, options?: { signal?: AbortSignal }) => Promise<string>' },
  { name: 'bot', declaration: 'declare const bot: (question: string) => Promise<string>' },
  { name: 'agent', declaration: 'declare const agent: { run(prompt: string, options?: { tools?: Record<string, unknown> }): Promise<string> }' },
  { name: 'reply', declaration: 'declare const reply: string' },
  { name: 'reference', declaration: 'declare const reference: string' },
  { name: 'trace', declaration: 'declare const trace: Trace' },
  { name: 'retrievedChunks', declaration: 'declare const retrievedChunks: string[]' },
  { name: 'retrieve', declaration: 'declare const retrieve: (query: string) => string[]' },
  { name: 'classify', declaration: 'declare const classify: (message: string) => Promise<string>' },
  { name: 'judgeHelpful', declaration: "declare const judgeHelpful: (text: string) => Promise<'pass' | 'fail'>" },
  { name: 'supportBot', declaration: 'declare const supportBot: { reply(messages: readonly { role: string; content: string }[]): Promise<string> }' },
  { name: 'db', declaration: 'declare const db: { order(id: string): Promise<{ id: string; status: string; total: number }> }' },
  { name: 'refundAgent', declaration: 'declare const refundAgent: { run(prompt: string, options?: { tools?: Record<string, unknown> }): Promise<string> }' },
  { name: 'tickets', declaration: 'declare const tickets: { id: string; message: string }[]' },
  { name: 'trainingRows', declaration: 'declare const trainingRows: Record<string, unknown>[]' },
  { name: 'ragAnswer', declaration: 'declare const ragAnswer: (question: string, variant: { chunkSize: number; rerank?: boolean }, options?: { signal?: AbortSignal }) => Promise<string>' },
]

/**
 * Names a block binds at its top level (imports and declarations starting a line), which the fragment
 * prelude then leaves out so that the block's own definition wins.
 *
 * @example
 * topLevelNames("import { z } from 'zod'\nconst cases = []") // Set { 'z', 'cases' }
 */
export function topLevelNames(code: string): Set<string> {
  const names = new Set<string>()
  for (const match of code.matchAll(/^import\s+(?:type\s+)?([^'"]*?)\s+from\s+['"]/gm)) {
    const clause = match[1] ?? ''
    const braces = /\{([^}]*)\}/.exec(clause)
    for (const part of braces?.[1]?.split(',') ?? []) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim()
      if (name) names.add(name)
    }
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/\*\s+as\s+/, '')
    for (const name of outside.split(',').map((each) => each.trim()).filter((each) => /^\w+$/.test(each))) names.add(name)
  }
  for (const match of code.matchAll(/^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|type|interface|enum)\s+(\w+)/gm)) names.add(match[1] as string)
  return names
}

/** A block as a module: `source` to write, and how many lines come before the block's own. */
export interface BlockModule {
  source: string
  preludeLines: number
}

/**
 * The module that type-checks `block`: the block itself (with `export {}`, so that it is a module and may
 * use top-level `await`), after the fragment prelude when the block is marked `fragment`.
 *
 * @example
 * blockModule({ …block, flags: ['fragment'], code: 'await expect(reply).toMatchSchema(z.object({}))' }).source
 */
export function blockModule(block: CodeBlock): BlockModule {
  const prelude: string[] = []
  if (block.flags.includes('fragment')) {
    const own = topLevelNames(block.code)
    for (const [specifier, names] of Object.entries(FRAGMENT_IMPORTS)) {
      const wanted = names.filter((name) => !own.has(name.replace(/^type\s+/, '')))
      if (wanted.length) prelude.push(`import { ${wanted.join(', ')} } from '${specifier}'`)
    }
    for (const { name, declaration } of FRAGMENT_DECLARATIONS) if (!own.has(name)) prelude.push(declaration)
  }
  return { source: `${[...prelude, block.code].join('\n')}\nexport {}\n`, preludeLines: prelude.length }
}

/** A compiler error, as `tsc --pretty false` prints it. */
export interface CompilerError {
  file: string
  line: number
  column: number
  code: string
  message: string
}

/**
 * The errors of `tsc --pretty false` output (`file(line,col): error TS1234: message`, continuation lines
 * indented under it).
 *
 * @example
 * parseCompilerErrors("a.ts(3,5): error TS2304: Cannot find name 'x'.") // [{ file: 'a.ts', line: 3, column: 5, code: 'TS2304', message: "Cannot find name 'x'." }]
 */
export function parseCompilerErrors(output: string): CompilerError[] {
  const errors: CompilerError[] = []
  for (const text of output.split(/\r?\n/)) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(text)
    if (match) errors.push({ file: match[1] as string, line: Number(match[2]), column: Number(match[3]), code: match[4] as string, message: match[5] as string })
    else if (/^\s+\S/.test(text) && errors.length) (errors.at(-1) as CompilerError).message += `\n${text}`
  }
  return errors
}

/**
 * A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.
 *
 * @example
 * headingAnchor('`evalEach`: one test per row') // 'evaleach-one-test-per-row'
 */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replaceAll(' ', '-')
}

/** The anchors of every heading of `markdown` outside code blocks (a repeated heading gets `-1`, `-2`…). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fence: string | undefined
  for (const text of markdown.split(/\r?\n/)) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1]
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined
      continue
    }
    const heading = fence === undefined ? /^#{1,6} (.*)$/.exec(text)?.[1] : undefined
    if (heading === undefined) continue
    const anchor = headingAnchor(heading)
    const count = seen.get(anchor) ?? 0
    seen.set(anchor, count + 1)
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`)
  }
  return anchors
}

/** A relative link of a Markdown page (`[text](target)`), outside code blocks and code spans. */
export interface PageLink {
  line: number
  /** The linked path, relative to the page (empty for a link within the page). */
  path: string
  anchor?: string
}

/**
 * The relative links of `markdown` (not `http:`, `https:`, `mailto:` ones), with their line.
 *
 * @example
 * pageLinks('See [modes](cassettes.md#modes).') // [{ line: 1, path: 'cassettes.md', anchor: 'modes' }]
 */
export function pageLinks(markdown: string): PageLink[] {
  const links: PageLink[] = []
  let inFence = false
  markdown.split(/\r?\n/).forEach((text, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(text)) inFence = !inFence
    if (inFence) return
    for (const match of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] as string
      if (/^[a-z]+:/i.test(target)) continue
      const [path = '', anchor] = target.split('#')
      links.push({ line: index + 1, path, ...(anchor === undefined ? {} : { anchor }) })
    }
  })
  return links
}
