// The commands a miss message (and `llm-evals cassettes check`) prints to record what missed: copied into a POSIX
// shell, so every part is quoted, and printed, so nothing in them is a character a terminal acts on. Pure.
//
// Vitest (4.1 and 5 alike) selects test files by substring: a file filter selects every test file whose path
// relative to the root contains it, case-insensitively (`to.test.ts` selects `proto.test.ts` too). No filter can
// select a file alone, so the path is the whole path relative to the root (`test/to.test.ts` no longer selects
// `test/proto.test.ts`) and a command about one test adds `-t` with a pattern of that test's full name only, so a
// file the path also selects runs none of its tests.
import { relative } from 'node:path'
import { FILE_LEVEL_TEST } from './entry.js'
import { printableChar, printableText } from './one-line.js'
import { REDACTED } from './redact.js'

/**
 * The command that records a missing request; with `project` (a `test.projects` run), only in that project, so the
 * other projects' tests that replayed are not run again; with `test` (the miss of one test), only that test.
 *
 * @example
 * recordCommand('/repo/test/bot.test.ts', '/repo', 'mini') // 'LLM_EVALS_CASSETTES=auto npx vitest run --project mini test/bot.test.ts'
 */
export function recordCommand(testFile: string, root: string, project?: string, test?: string): string {
  return `LLM_EVALS_CASSETTES=auto npx vitest run ${projectOption(project)}${fileFilter(testFile, root)}${testNameOption(test)}`
}

/** The command that records one test of a file again (`record` mode), quoted for a POSIX shell. */
export function recordTestCommand(testFile: string, root: string, test: string, project?: string): string {
  return `LLM_EVALS_CASSETTES=record npx vitest run ${projectOption(project)}${fileFilter(testFile, root)}${testNameOption(test)}`
}

/** The test file as Vitest's filter matches it: its path relative to the root, quoted. */
function fileFilter(testFile: string, root: string): string {
  return shellQuote(printableText(relative(root, testFile) || testFile))
}

/** ` -t <pattern>` selecting the test named `test` (`suite > test`, as the library names tests); '' for none or calls outside tests. */
function testNameOption(test: string | undefined): string {
  return test === undefined || test === FILE_LEVEL_TEST ? '' : ` -t ${shellQuote(testNamePattern(test))}`
}

/**
 * A `-t` pattern that matches the test `name` (`suite > test`) and no test whose name only contains it. Vitest 4.1
 * matches `-t` against the names of the test's suites and its own joined with a space (the file's name may come
 * first), Vitest 5 against them joined with ` > `: the pattern takes either, and ends at the name's end. A part of
 * the name shown as `[REDACTED]` (a hidden value) matches any text, and so does what is past the first 120
 * characters of a long name; a character a terminal acts on is its `\\uXXXX` escape.
 *
 * @example
 * testNamePattern('bot > refunds') // '(?:^| )bot(?: > | )refunds$'
 */
export function testNamePattern(name: string): string {
  const cut = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}${REDACTED}` : name
  const part = (text: string) => text.split(HIDDEN).map(literalPattern).join('.+')
  return `(?:^| )${cut.split(' > ').map(part).join('(?: > | )')}$`
}

/** How much of a long test name the pattern spells out (the rest matches any text): a printed line stays short. */
const MAX_NAME = 120

/** A part of a shown name that stands for a hidden value: `[REDACTED]`, `[REDACTED OPENAI_API_KEY]`. */
const HIDDEN = /\[REDACTED(?: [^\]]*)?\]/

/**
 * `--project <name> ` for a run of one of `test.projects`, quoted for a POSIX shell; '' without one. Vitest reads
 * the value as a pattern (`*` any text, a leading `!` excludes) and a terminal acts on control characters: those
 * and a leading `!` are written `*`, so the command still selects the project (perhaps with others) and prints
 * nothing a terminal acts on; a leading `-` takes `--project=`, or it would be read as an option. A name with a
 * line break gets none.
 *
 * @example
 * projectOption('big model') // "--project 'big model' "
 */
export function projectOption(project: string | undefined): string {
  // No pattern matches a line break (Vitest's `*` stops at one): such a name is not selected, every project runs.
  if (!project || /[\n\r\u2028\u2029]/.test(project)) return ''
  const pattern = Array.from(project, (char) => (printableChar(char) === char ? char : '*')).join('').replace(/^!/, '*')
  return `--project${pattern.startsWith('-') ? '=' : ' '}${shellQuote(pattern)} `
}

/**
 * `text` quoted for a POSIX shell (as it is when it needs no quotes).
 *
 * @example
 * shellQuote("it's.test.ts") // "'it'\\''s.test.ts'"
 */
export function shellQuote(text: string): string {
  return /^[\w./@:=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
}

/** A pattern that matches `text` literally; a character a terminal acts on as its `\\uXXXX` escape. */
function literalPattern(text: string): string {
  return Array.from(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), (char) => (printableChar(char) === char ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('')
}
