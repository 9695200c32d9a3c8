import { existsSync, readdirSync } from 'node:fs'
import { readRegularFile } from '../regular-file.js'
import { join } from 'node:path'
import { sidecarDir } from '../cassettes/cassette-file.js'
import { redactFound } from '../cassettes/found-secrets.js'
import { findSecrets, maskSecret } from '../cassettes/secret-scan.js'
import { credentialQueryFindings } from './credential-query-findings.js'

/** A secret `llm-evals cassettes check` found in a cassette or its sidecar files. The value itself is never kept. */
export interface CassetteSecret {
  /** The cassette, or the sidecar file it is in. */
  file: string
  line: number
  column: number
  /** The rule that found it (see `findSecrets`). */
  rule: string
  /** The value as it may be printed (see `maskSecret`). */
  masked: string
  /** The test whose entry holds it (found secrets masked), when it is in the cassette itself. */
  test?: string
}

/** Where an entry's test name is in a cassette as `serializeCassette` writes it. */
const TEST_LINE = /^ {6}"test": (".*"),$/

/**
 * The secrets in a cassette (`text`, as on disk, so lines are the file's) and in its text sidecar files.
 *
 * @example
 * for (const secret of await findCassetteSecrets(file, readFileSync(file, 'utf8'))) print(`${secret.file}:${secret.line}: ${secret.masked}`)
 */
export async function findCassetteSecrets(file: string, text: string): Promise<CassetteSecret[]> {
  // A credential query parameter (`code`, `password`, `x-api-key`…) an older version stored is a finding of its own.
  const found = [...(await findSecrets(text)), ...credentialQueryFindings(text)].sort((a, b) => a.line - b.line || a.column - b.column)
  const lines = found.length ? text.split('\n') : []
  // Findings come in line order: one pass over the lines tells each one's test.
  let scanned = 0
  let test: string | undefined
  const shown = new Map<string, string>()
  const secrets: CassetteSecret[] = found.map((finding) => {
    for (; scanned < finding.line; scanned++) {
      const named = testOf(lines[scanned] ?? '')
      // A found secret in a test name is masked too (once per name).
      if (named !== undefined) test = shown.get(named) ?? shown.set(named, redactFound(named, found)).get(named)
    }
    return { file, line: finding.line, column: finding.column, rule: finding.rule, masked: maskSecret(finding.value), ...(test === undefined ? {} : { test }) }
  })
  const dir = sidecarDir(file)
  const sidecars = existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith('.bin')).sort() : []
  for (const name of sidecars) {
    const path = join(dir, name)
    // Only files are sidecars: a folder, FIFO or device put there is not read (a FIFO would block the scan).
    let text: string
    try {
      text = readRegularFile(path, () => new Error('not a file')).toString('utf8')
    } catch {
      continue
    }
    for (const finding of await findSecrets(text)) {
      secrets.push({ file: path, line: finding.line, column: finding.column, rule: finding.rule, masked: maskSecret(finding.value) })
    }
  }
  return secrets
}

/** The test an entry's first line names, when `line` is one. */
function testOf(line: string): string | undefined {
  const match = TEST_LINE.exec(line)
  if (!match?.[1]) return undefined
  try {
    return JSON.parse(match[1]) as string
  } catch {
    return undefined
  }
}
