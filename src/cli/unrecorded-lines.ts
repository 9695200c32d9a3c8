// What `llm-evals cassettes check` says of a cassette's unrecorded marks: calls a recording run sent but never
// stored (see src/cassettes/unrecorded-calls.ts). They are in the committed cassette, so a reviewer sees them in a
// fresh clone, before CI replays and misses them. They do not fail `check`: a mark is a known, explained gap (its
// test fails in replay with the reason), not a recording that went missing.
import { nodeCrypto } from '../node-crypto.js'
import { existsSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import type { UnrecordedCall } from '../cassettes/entry.js'
import { oneLine, printableText } from '../cassettes/one-line.js'
import { shellQuote } from '../cassettes/record-command.js'
import type { CassetteUsageReport } from '../cassettes/usage-report.js'

const NAME_CHARS = 120
const TEXT_CHARS = 300

/** Why a marked call was not stored, in a few words (a mark is a committed file's text: every field is shown escaped and cut). */
export function unrecordedReason(call: UnrecordedCall): string {
  const detail = call.detail === undefined ? '' : oneLine(call.detail, TEXT_CHARS)
  switch (call.reason) {
    case 'test-timeout':
      return "the test's time ran out before it was answered"
    case 'app-abort':
      return `the app under test cancelled it${detail ? ` (${detail})` : ''}`
    case 'test-ended':
      return 'still unanswered when its test ended'
    case 'refused':
      return `its recording was refused${detail ? `: ${detail}` : ''}`
    default:
      return oneLine(String(call.reason), NAME_CHARS)
  }
}

/**
 * The marks `check` lists of a cassette (`text`: the file as on disk): all but the refusals its last run's usage
 * report lists itself (as "not recorded", which fails `check`), when the report is of the cassette as it is now (its
 * fingerprint is the file's hash): that run left those marks, and one call is listed once.
 *
 * @example
 * marksToList(document.unrecorded, usage, text) // the marks less those `usage.refused` names
 */
export function marksToList(marks: readonly UnrecordedCall[], usage: CassetteUsageReport | undefined, text: string): UnrecordedCall[] {
  if (!usage?.refused?.length || usage.fingerprint !== nodeCrypto().createHash('sha256').update(text).digest('hex')) return [...marks]
  const reported = new Set(usage.refused.map((refusal) => `${refusal.project ?? ''}\u0000${refusal.test}`))
  return marks.filter((mark) => mark.reason !== 'refused' || !reported.has(`${mark.project ?? ''}\u0000${mark.test}`))
}

/** One line per mark: the call, its test (and project, repeat), why and when. */
export function unrecordedLine(call: UnrecordedCall): string {
  const what = call.method === 'tool' ? `tool ${oneLine(call.path, NAME_CHARS)}` : `${oneLine(call.method, 20)} ${oneLine(call.path, NAME_CHARS)}`
  const where = [`test "${oneLine(call.test, NAME_CHARS)}"`, ...(call.repeat ? [`repeat ${call.repeat}`] : []), ...(call.project ? [`project ${oneLine(call.project, NAME_CHARS)}`] : [])].join(', ')
  return `    not stored when recorded: ${what} (${where}): ${unrecordedReason(call)} (${oneLine(call.at, 40)}, ${oneLine(call.mode, 20)})`
}

/**
 * The closing note on every mark listed: they do not fail `check`, a replay of each misses, and the command that
 * records them (the test files as their usage reports name them, else found from where the cassette is: see
 * {@link testFileOfCassette}).
 */
export function unrecordedNote(marked: readonly { file: string; testFile?: string }[], root: string): string {
  const files = [...new Set(marked.map(({ file, testFile }) => testFile ?? testFileOfCassette(file, root) ?? `<the test file of ${relative(root, file)}>`))].map((file) =>
    file.startsWith('<the test file of ') ? printableText(file) : shellQuote(printableText(file)),
  )
  const count = marked.length
  return (
    `${count} ${count === 1 ? 'call was' : 'calls were'} sent by a recording run but never stored (see "not stored when recorded" above): a replay of ${count === 1 ? 'it' : 'each'} ` +
    `misses and says why. This does not fail \`check\`. Fix the cause, then record ${count === 1 ? 'it' : 'them'}: \`LLM_EVALS_CASSETTES=auto npx vitest run ${files.join(' ')}\` and commit the cassettes.`
  )
}

/**
 * The test file of a cassette, relative to `root`, when it is there: beside the default `__cassettes__` folder, else
 * under `root` at the path the cassette has inside a `cassettes.dir` folder (`<dir>/<test path>.cassette.json`: the
 * longest such path that exists, so a `dir` of several levels is found too).
 *
 * @example
 * testFileOfCassette('/repo/recordings/evals/bot.test.ts.cassette.json', '/repo') // 'evals/bot.test.ts'
 */
export function testFileOfCassette(cassette: string, root: string): string | undefined {
  const named = basename(cassette).replace(/\.cassette\.json$/, '')
  if (basename(dirname(cassette)) === '__cassettes__') {
    const testFile = join(dirname(dirname(cassette)), named)
    if (existsSync(testFile)) return relative(root, testFile)
  }
  const parts = relative(root, join(dirname(cassette), named)).split(sep)
  if (parts[0] === '..' || isAbsolute(parts.join(sep))) return undefined
  for (let first = 1; first < parts.length; first++) {
    const testFile = join(root, ...parts.slice(first))
    if (existsSync(testFile) && statSync(testFile).isFile()) return relative(root, testFile)
  }
  return undefined
}
