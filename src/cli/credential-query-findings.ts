// Credential query parameters left in a cassette (an older version stored `code=…`, `password=…`, `x-api-key=…`): found
// in a request's `url` and `query` as `serializeCassette` writes them, so `llm-evals cassettes check` fails on them.
import { isCredentialQueryParam } from '../cassettes/credential-params.js'
import type { SecretFinding } from '../cassettes/secret-scan.js'
import { FILE_LEVEL_TEST } from '../cassettes/entry.js'
import { printableText } from '../cassettes/one-line.js'
import { shellQuote, testNamePattern } from '../cassettes/record-command.js'

/** The rule id `cassettes check` names for these findings. */
export const CREDENTIAL_QUERY_RULE = 'vitest-llm-evals/credential-query-parameter'

const URL_LINE = /^(\s*)"url": ("(?:[^"\\]|\\.)*"),?$/
const QUERY_START = /^(\s*)"query": \{$/
const FIELD_LINE = /^(\s*)("(?:[^"\\]|\\.)*"): (.*?),?$/
const STRING_LINE = /^\s*("(?:[^"\\]|\\.)*"),?$/

const parseString = (json: string): string | undefined => {
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * Every non-empty credential query parameter (see `isCredentialQueryParam`) in the requests of cassette `text`:
 * each one in a `url` and each in a `query` object, with its line and column.
 *
 * @example
 * credentialQueryFindings(readFileSync(file, 'utf8')).map((found) => found.line)
 */
export function credentialQueryFindings(text: string): SecretFinding[] {
  // Cheap test first: most cassettes have no query at all.
  if (!text.includes('?') && !/"query": \{$/m.test(text)) return []
  const findings: SecretFinding[] = []
  let offset = 0
  let queryIndent: number | undefined
  let listOf: string | undefined
  text.split('\n').forEach((line, index) => {
    const found = (value: string, at: number) => {
      if (value !== '') findings.push({ rule: CREDENTIAL_QUERY_RULE, value, index: offset + at, line: index + 1, column: at + 1 })
    }
    const url = URL_LINE.exec(line)
    if (url?.[2]) {
      const href = parseString(url[2])
      if (href?.includes('?')) {
        let params: URLSearchParams | undefined
        try {
          params = new URL(href).searchParams
        } catch {
          params = undefined
        }
        for (const [name, value] of params ?? []) if (isCredentialQueryParam(name, value)) found(value, Math.max(0, line.indexOf(`${name}=`, line.indexOf('?'))))
      }
    } else if (queryIndent === undefined) {
      const start = QUERY_START.exec(line)
      if (start) queryIndent = (start[1] ?? '').length
    } else if (line.startsWith(`${' '.repeat(queryIndent)}}`)) {
      queryIndent = undefined
      listOf = undefined
    } else if (listOf !== undefined && STRING_LINE.test(line)) {
      const value = parseString(STRING_LINE.exec(line)?.[1] ?? '') ?? ''
      if (isCredentialQueryParam(listOf, value)) found(value, line.search(/\S/))
    } else {
      const field = FIELD_LINE.exec(line)
      const name = field?.[2] === undefined ? undefined : parseString(field[2])
      listOf = undefined
      if (field && name !== undefined && isCredentialQueryParam(name)) {
        const value = parseString(field[3] ?? '') ?? ''
        if (field[3] === '[') listOf = name
        else if (isCredentialQueryParam(name, value)) found(value, (field[1] ?? '').length)
      }
    }
    offset += line.length + 1
  })
  return findings
}

/** Most record commands the note on credential query parameters lists (one per test file). */
const LISTED_COMMANDS = 5

/**
 * The advice after credential query parameters were found (see {@link credentialQueryFindings}): a new recording no
 * longer stores them, so the fix is to record those tests again, with the exact command for each test file (`record`
 * mode replaces the tests' entries; with `-t` when one test of the file holds them), or to delete the parameter.
 * `found` gives each finding's cassette, its test file (from the usage report or the cassette's place) and its test.
 *
 * @example
 * credentialQueryNote([{ testFile: 'test/bot.test.ts', test: 'azure' }]) // '1 credential query parameter … `LLM_EVALS_CASSETTES=record npx vitest run test/bot.test.ts -t …`'
 */
export function credentialQueryNote(found: readonly { testFile: string | undefined; cassette: string; test?: string }[]): string {
  const byFile = new Map<string, { testFile: string | undefined; tests: Set<string | undefined> }>()
  for (const { testFile, cassette, test } of found) {
    const place = testFile ?? `<the test file of ${cassette}>`
    const group = byFile.get(place) ?? byFile.set(place, { testFile, tests: new Set() }).get(place)!
    group.tests.add(test)
  }
  const commands = [...byFile.entries()].map(([place, { testFile, tests }]) => {
    const [only] = tests
    const file = testFile === undefined ? printableText(place) : shellQuote(printableText(testFile))
    const filter = tests.size === 1 && only !== undefined && only !== FILE_LEVEL_TEST ? ` -t ${shellQuote(testNamePattern(only))}` : ''
    return `\`LLM_EVALS_CASSETTES=record npx vitest run ${file}${filter}\``
  })
  const shown = commands.slice(0, LISTED_COMMANDS).join(', ') + (commands.length > LISTED_COMMANDS ? ` (+${commands.length - LISTED_COMMANDS} more test files: run them the same way)` : '')
  const count = found.length
  const tests = [...byFile.values()].reduce((sum, group) => sum + group.tests.size, 0)
  return (
    `${count} credential query ${count === 1 ? 'parameter was' : 'parameters were'} stored by an earlier version (found by ${CREDENTIAL_QUERY_RULE} above). ` +
    `New recordings no longer store such a parameter: record the ${tests === 1 ? 'test' : 'tests'} holding ${count === 1 ? 'it' : 'them'} again with a real key (\`record\` mode replaces the tests' entries), then commit the cassettes: ${shown}. ` +
    `Or delete the parameter from the entry's \`url\` and \`query\` (the recording is looked up without it, so it still replays). If the value is a real key, revoke it: it may already be in your git history.`
  )
}
