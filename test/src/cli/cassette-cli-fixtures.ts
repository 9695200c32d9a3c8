// A project for the `llm-evals cassettes check|prune` tests: one test file with its cassette, and the usage report of
// a complete, successful run over that cassette as it is on disk.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach } from 'vitest'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { usageDir, type CassetteUsageReport } from '../../../src/cassettes/worker.js'
import type { CassettesCommandOptions } from '../../../src/cli/cassettes-command.js'

/** The cassette of `test/bot.test.ts` under `root`. */
export const cassetteOf = (root: string) => join(root, 'test', '__cassettes__', 'bot.test.ts.cassette.json')

/** A recorded OpenAI chat call of `test` (call `call`). */
export function entry(test: string, call: number, recordedAt = new Date().toISOString(), content = 'hi'): CassetteEntry {
  return {
    test,
    repeat: 0,
    call,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { content } },
    response: { status: 200, headers: {}, json: { ok: true } },
    meta: { recordedAt, latencyMs: 3 },
  }
}

/** The report of a complete, successful run over the cassette as it is now, with `report`'s changes. */
export function writeUsage(root: string, report: Partial<CassetteUsageReport>, name = 'a.json'): void {
  mkdirSync(usageDir(root), { recursive: true })
  const none = { count: 0, names: [] }
  const fingerprint = createHash('sha256').update(readFileSync(cassetteOf(root), 'utf8')).digest('hex')
  const full: CassetteUsageReport = {
    cassette: 'test/__cassettes__/bot.test.ts.cassette.json', testFile: 'test/bot.test.ts', mode: 'replay', at: '2026-11-28T10:00:00.000Z',
    complete: true, successful: true, notRun: none, failed: none, total: 3, written: 0, refused: [], used: [], misses: [], fingerprint, ...report,
  }
  writeFileSync(join(usageDir(root), name), JSON.stringify(full))
}

/** The commands' options for `root`. */
export const cliOptions = (root: string, extra: Partial<CassettesCommandOptions> = {}): CassettesCommandOptions => ({ root, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: {}, ...extra })

/** What a command printed, and its exit code. */
export async function capture(fn: (print: (line: string) => void) => Promise<number>): Promise<{ code: number; text: string }> {
  const lines: string[] = []
  const code = await fn((line) => lines.push(line))
  return { code, text: lines.join('\n') }
}

/** A project of the test file `test/bot.test.ts`, made anew before each test: its helpers read the current one. */
export interface CliProject {
  root: () => string
  /** The cassette of `test/bot.test.ts`. */
  cassette: () => string
  /** Writes the usage report of a complete, successful run over the cassette as it is now, with `report`'s changes. */
  writeUsage: (report: Partial<CassetteUsageReport>, name?: string) => void
  /** The commands' options for the project. */
  options: (extra?: Partial<CassettesCommandOptions>) => CassettesCommandOptions
}

/**
 * Before each test of the calling file, a new temporary root with an empty `test/bot.test.ts` and its `__cassettes__`
 * folder, then `setUp` (e.g. a cassette to start from).
 *
 * @example
 * const { cassette, writeUsage, options } = cliProject()
 */
export function cliProject(setUp?: (project: CliProject) => void): CliProject {
  let root = ''
  const project: CliProject = {
    root: () => root,
    cassette: () => cassetteOf(root),
    writeUsage: (report, name) => writeUsage(root, report, name),
    options: (extra = {}) => cliOptions(root, extra),
  }
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cli-'))
    mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
    writeFileSync(join(root, 'test', 'bot.test.ts'), '')
    setUp?.(project)
  })
  return project
}
