import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { readSidecar, serializeCassette, sidecarDir } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cassetteOf, cliOptions, entry, writeUsage } from './cassette-cli-fixtures.js'

let root: string
const sidecars = () => sidecarDir(cassetteOf(root))
// Names as a recording gives them (`sidecarName`): 20 hex digits and the body's extension.
const NEW = 'a1'.repeat(10) + '.stream.json'
const KEPT = 'b2'.repeat(10) + '.json'
const OLD = 'c3'.repeat(10) + '.stream.json'
const OLD_JSON = 'd4'.repeat(10) + '.json'
const inSidecar = (test: string, file: string): CassetteEntry => ({ ...entry(test, 0), response: { status: 200, headers: {}, file } })

function writeCassette(entries: CassetteEntry[], files: string[]): void {
  writeFileSync(cassetteOf(root), serializeCassette({ version: 1, entries }))
  mkdirSync(sidecars(), { recursive: true })
  for (const name of files) writeFileSync(join(sidecars(), name), '{"chunks": []}')
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-sidecars-'))
  mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
  writeFileSync(join(root, 'test', 'bot.test.ts'), '')
})

describe('llm-evals cassettes check: sidecar files', () => {
  test('fails on an entry whose sidecar is missing, naming the cassette, the entry, the file and the fix', async () => {
    writeCassette([inSidecar('bot > long answer', 'aaaa.stream.json'), inSidecar('bot > picture', 'bbbb.bin')], ['bbbb.bin'])
    const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
    expect(code).toBe(1)
    expect(text).toContain('✗ test/__cassettes__/bot.test.ts.cassette.json: 2 entries')
    expect(text).toContain('    missing sidecar: "bot > long answer" call 0 refers to test/__cassettes__/bot.test.ts.cassette.files/aaaa.stream.json, which is not there: its replay fails')
    expect(text).not.toContain('bbbb.bin, which is not there')
    expect(text).toContain('1 entry refers to a sidecar file that is not there')
    expect(text).toContain('`git checkout -- test/__cassettes__/bot.test.ts.cassette.files`')
    expect(text).toContain('`LLM_EVALS_CASSETTES=record npx vitest run test/bot.test.ts`')
  })

  test('reports a secret in a stream sidecar with its file and line', async () => {
    const token = 'ghp_' + 'Qm7'.repeat(12)
    writeCassette([inSidecar('bot > long answer', 'aaaa.stream.json')], [])
    writeFileSync(join(sidecars(), 'aaaa.stream.json'), `{\n  "chunks": [\n    "data: {\\"t\\":\\"${token}\\"}\\n\\n"\n  ]\n}\n`)
    const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
    expect(code).toBe(1)
    expect(text).toContain('secret at test/__cassettes__/bot.test.ts.cassette.files/aaaa.stream.json:3:')
  })

  test('fails on an entry whose stream sidecar no replay can read, and says to delete it before recording again', async () => {
    writeCassette([inSidecar('bot > long answer', 'aaaa.stream.json'), inSidecar('bot > plain', 'bbbb.json')], ['bbbb.json'])
    // Cut short (a bad merge, an editor): JSON no more.
    writeFileSync(join(sidecars(), 'aaaa.stream.json'), '{\n  "chunks": [\n    "data: {}\\n\\n",\n')
    writeFileSync(join(sidecars(), 'bbbb.json'), 'not JSON, but not a stream either')
    const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
    expect(code).toBe(1)
    expect(text).toContain('    damaged sidecar: "bot > long answer" call 0 refers to test/__cassettes__/bot.test.ts.cassette.files/aaaa.stream.json, which is not a stream sidecar (edited by hand, or damaged): its replay fails')
    expect(text).not.toContain('bbbb.json')
    expect(text).toContain('record the tests again (the recording rewrites a damaged file): `LLM_EVALS_CASSETTES=record npx vitest run test/bot.test.ts`')
  })

  test('passes when every sidecar is there', async () => {
    writeCassette([inSidecar('bot > long answer', 'aaaa.stream.json')], ['aaaa.stream.json'])
    const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
    expect(code).toBe(0)
    expect(text).not.toContain('missing sidecar')
  })
})

describe('llm-evals cassettes prune: sidecar files', () => {
  test('removes sidecars no entry refers to even when no entry is unused, and keeps the ones in use', async () => {
    // A re-recording replaced the answer of "long answer": its old sidecar is referred to by nothing.
    writeCassette([inSidecar('bot > long answer', NEW), inSidecar('bot > plain', KEPT)], [NEW, KEPT, OLD])
    mkdirSync(join(sidecars(), 'not-a-sidecar'))
    writeUsage(root, { used: [{ test: 'bot > long answer', repeat: 0, call: 0 }, { test: 'bot > plain', repeat: 0, call: 0 }] })
    const { code, text } = await capture((print) => runPrune(cliOptions(root), print))
    expect(code).toBe(0)
    expect(text).toContain('Removed 0 entries and 1 unreferenced sidecar file.')
    expect(readdirSync(sidecars()).sort()).toEqual([KEPT, NEW, 'not-a-sidecar'].sort())
  })

  test("keeps the user's own files in the .files folder (only files named as recordings name them are removed)", async () => {
    writeCassette([inSidecar('bot > plain', KEPT)], [KEPT, OLD, '.gitattributes', 'README.md', 'notes.json', 'C3C3C3C3C3C3C3C3C3C3.json'])
    writeUsage(root, { used: [{ test: 'bot > plain', repeat: 0, call: 0 }] })
    const { code, text } = await capture((print) => runPrune(cliOptions(root), print))
    expect(code).toBe(0)
    expect(text).toContain('Removed 0 entries and 1 unreferenced sidecar file.')
    expect(readdirSync(sidecars()).sort()).toEqual(['.gitattributes', 'C3C3C3C3C3C3C3C3C3C3.json', KEPT, 'README.md', 'notes.json'].sort())
  })

  test('a dry run removes no sidecar, and counts the ones it would remove', async () => {
    writeCassette([inSidecar('bot > plain', KEPT)], [KEPT, OLD_JSON])
    writeUsage(root, { used: [{ test: 'bot > plain', repeat: 0, call: 0 }] })
    const { text } = await capture((print) => runPrune(cliOptions(root, { dryRun: true }), print))
    expect(existsSync(join(sidecars(), OLD_JSON))).toBe(true)
    // It counts the file it would remove, as the real prune does.
    expect(text).toContain('Would remove 0 entries and 1 unreferenced sidecar file.')
  })
})

describe('a linked cassette whose bodies are in both .files folders (beside the link and beside its target)', () => {
  /** The cassette moved to `shared/` and linked back; `besideLink` stays beside the link, `besideTarget` goes beside the target. */
  function linkedLayout(entries: CassetteEntry[], besideLink: string[], besideTarget: string[]): { shared: string; linkFiles: string } {
    writeCassette(entries, besideLink)
    const shared = join(root, 'shared', 'bot.test.ts.cassette.json')
    mkdirSync(join(root, 'shared'), { recursive: true })
    renameSync(cassetteOf(root), shared)
    symlinkSync(shared, cassetteOf(root))
    const targetFiles = join(root, 'shared', 'bot.test.ts.cassette.files')
    mkdirSync(targetFiles, { recursive: true })
    for (const name of besideTarget) writeFileSync(join(targetFiles, name), '{"chunks": []}')
    return { shared, linkFiles: join(root, 'test', '__cassettes__', 'bot.test.ts.cassette.files') }
  }

  test('check finds a body where replay reads it (beside the link when only that folder holds it)', async () => {
    linkedLayout([inSidecar('bot > old answer', OLD), inSidecar('bot > new answer', NEW)], [OLD], [NEW])
    // Replay reads both.
    expect(readSidecar(cassetteOf(root), OLD).toString()).toBe('{"chunks": []}')
    expect(readSidecar(cassetteOf(root), NEW).toString()).toBe('{"chunks": []}')
    const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
    expect(text).not.toContain('missing sidecar')
    expect(code).toBe(0)
  })

  test('check still fails on a body neither folder holds, naming where replay reads it', async () => {
    linkedLayout([inSidecar('bot > old answer', OLD), inSidecar('bot > gone', OLD_JSON)], [OLD], [])
    const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
    expect(code).toBe(1)
    expect(text).toContain(`missing sidecar: "bot > gone" call 0 refers to shared/bot.test.ts.cassette.files/${OLD_JSON}, which is not there`)
    expect(text).not.toContain('"bot > old answer" call 0 refers')
  })

  test('prune removes an unreferenced sidecar in either folder', async () => {
    const { linkFiles } = linkedLayout([inSidecar('bot > old answer', OLD), inSidecar('bot > new answer', NEW)], [OLD, OLD_JSON], [NEW, KEPT])
    writeUsage(root, { used: [{ test: 'bot > old answer', repeat: 0, call: 0 }, { test: 'bot > new answer', repeat: 0, call: 0 }] })
    const { text } = await capture((print) => runPrune(cliOptions(root), print))
    expect(text).toContain('Removed 0 entries and 2 unreferenced sidecar files.')
    expect(readdirSync(linkFiles)).toEqual([OLD])
    expect(readdirSync(join(root, 'shared', 'bot.test.ts.cassette.files'))).toEqual([NEW])
  })
})
