// The commands a miss message (and `llm-evals cassettes check`) prints to record what missed: copied into a POSIX
// shell, so every part is quoted, and printed, so nothing in them is a character a terminal acts on. Pure.
import { relative } from 'node:path'
import { printableChar, printableText } from './one-line.js'

/**
 * The command that records a missing request for one test file; with `project` (a `test.projects` run), only
 * in that project, so the other projects' tests that replayed are not run again.
 *
 * @example
 * recordCommand('/repo/test/bot.test.ts', '/repo', 'mini') // 'LLM_EVALS_CASSETTES=auto npx vitest run --project mini test/bot.test.ts'
 */
export function recordCommand(testFile: string, root: string, project?: string): string {
  return `LLM_EVALS_CASSETTES=auto npx vitest run ${projectOption(project)}${shellQuote(printableText(relative(root, testFile) || testFile))}`
}

/** The command that records one test of a file again (`record` mode), quoted for a POSIX shell. */
export function recordTestCommand(testFile: string, root: string, test: string, project?: string): string {
  const name = test.split(' > ').at(-1) ?? test
  return `LLM_EVALS_CASSETTES=record npx vitest run ${projectOption(project)}${shellQuote(printableText(relative(root, testFile) || testFile))} -t ${shellQuote(exactNamePattern(name))}`
}

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

/** A \`-t\` pattern (a regular expression) that matches `name` literally; a character a terminal acts on as its `\\uXXXX` escape. */
function exactNamePattern(name: string): string {
  return Array.from(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), (char) => (printableChar(char) === char ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('')
}
