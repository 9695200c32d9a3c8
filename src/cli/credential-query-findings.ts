// Credential query parameters left in a cassette (an older version stored `code=…`, `password=…`, `x-api-key=…`): found
// in a request's `url` and `query` as `serializeCassette` writes them, so `llm-evals cassettes check` fails on them.
import { isCredentialQueryParam } from '../cassettes/credential-params.js'
import type { SecretFinding } from '../cassettes/secret-scan.js'

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
        for (const [name, value] of params ?? []) if (isCredentialQueryParam(name)) found(value, Math.max(0, line.indexOf(`${name}=`, line.indexOf('?'))))
      }
    } else if (queryIndent === undefined) {
      const start = QUERY_START.exec(line)
      if (start) queryIndent = (start[1] ?? '').length
    } else if (line.startsWith(`${' '.repeat(queryIndent)}}`)) {
      queryIndent = undefined
      listOf = undefined
    } else if (listOf !== undefined && STRING_LINE.test(line)) {
      found(parseString(STRING_LINE.exec(line)?.[1] ?? '') ?? '', line.search(/\S/))
    } else {
      const field = FIELD_LINE.exec(line)
      const name = field?.[2] === undefined ? undefined : parseString(field[2])
      listOf = undefined
      if (field && name !== undefined && isCredentialQueryParam(name)) {
        if (field[3] === '[') listOf = name
        else found(parseString(field[3] ?? '') ?? '', (field[1] ?? '').length)
      }
    }
    offset += line.length + 1
  })
  return findings
}
