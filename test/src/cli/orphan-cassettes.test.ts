// A cassette whose test file was renamed or deleted: `check` showed it ✓ from the old file's last report and `prune`
// kept it for ever, while the renamed file recorded everything live again (found by a tester). Now `check` fails on
// it with the `git mv` to the renamed file's cassette (or prune), and `prune` removes it, never in `--dry-run` and
// never while a test file for it is there: beside its `__cassettes__` folder, under a `cassettes.dir`, through a
// linked folder, or where its last run's report says.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import { usageReportFileName } from '../../../src/cassettes/usage-report.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cliProject, entry } from './cassette-cli-fixtures.js'

const OLD = 'test/__cassettes__/old-name.test.ts.cassette.json'

describe('a cassette whose test file no longer exists', () => {
  const project = cliProject((project) => {
    writeFileSync(project.cassette(), serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    project.writeUsage({ used: [{ test: 'asks', repeat: 0, call: 0 }], total: 1 }, 'bot.json')
  })
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(project.root(), path)), { recursive: true })
    writeFileSync(join(project.root(), path), text)
  }
  const exists = (path: string) => existsSync(join(project.root(), path))
  /** The old file's cassette, and the report of its last complete, successful run (the test file then renamed). */
  const renamedAway = () => {
    write(OLD, serializeCassette({ version: 1, entries: [entry('asks', 0), entry('suite > answers', 0)] }))
    project.writeUsage({ cassette: OLD, testFile: 'test/old-name.test.ts', used: [{ test: 'asks', repeat: 0, call: 0 }, { test: 'suite > answers', repeat: 0, call: 0 }], total: 2 }, 'old.json')
  }
  const check = () => capture((print) => runCheck(project.options(), print))
  const prune = (dryRun = false) => capture((print) => runPrune(project.options({ dryRun }), print))

  test('fails check, with the `git mv` to the renamed file that has its tests', async () => {
    renamedAway()
    write('test/new-name.test.ts', "test('asks', () => {})\ndescribe('suite', () => { test('answers', () => {}) })\n")
    const checked = await check()
    expect(checked.code).toBe(1)
    expect(checked.text).toContain(`✗ ${OLD}: 2 entries,`)
    expect(checked.text).toContain('orphan: its test file test/old-name.test.ts no longer exists')
    expect(checked.text).toContain(`renamed? test/new-name.test.ts has its tests: move the cassette with it: \`git mv ${OLD} test/__cassettes__/new-name.test.ts.cassette.json\``)
    expect(checked.text).toContain('✓ test/__cassettes__/bot.test.ts.cassette.json')
  })

  test('fails check with a `git mv -f` when the renamed file recorded a cassette of its own since, and with prune when no file has its tests', async () => {
    renamedAway()
    write('src/moved.test.ts', "test('asks', () => {}); describe('suite', () => { test('answers', () => {}) })")
    let checked = await check()
    expect(checked.text).toContain(`\`git mv ${OLD} src/__cassettes__/moved.test.ts.cassette.json\``)
    write('src/__cassettes__/moved.test.ts.cassette.json', serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    checked = await check()
    expect(checked.text).toContain(`to replay these recordings instead, \`git mv -f ${OLD} src/__cassettes__/moved.test.ts.cassette.json\`; to keep the new ones, \`llm-evals cassettes prune\``)
    write('src/moved.test.ts', "test('asks', () => {})")
    checked = await check()
    expect(checked.code).toBe(1)
    expect(checked.text).toContain(`if the test file was renamed, move the cassette to the new name: \`git mv ${OLD} <the new test file's cassette>\`; if it was deleted, remove it: \`llm-evals cassettes prune\``)
  })

  test('prune removes it (and its .files folder), not in --dry-run; the other cassettes stay', async () => {
    renamedAway()
    write('test/__cassettes__/old-name.test.ts.cassette.files/body.bin', 'x')
    const dry = await prune(true)
    expect(dry.code).toBe(0)
    expect(dry.text).toContain(`✂ ${OLD}: would be removed (dry run): its test file test/old-name.test.ts no longer exists`)
    expect(exists(OLD)).toBe(true)
    const pruned = await prune()
    expect(pruned.code, pruned.text).toBe(0)
    expect(pruned.text).toContain(`✂ ${OLD}: removed: its test file test/old-name.test.ts no longer exists`)
    expect(pruned.text).toContain('Removed 0 entries and 1 cassette of no test file.')
    expect(exists(OLD)).toBe(false)
    expect(exists('test/__cassettes__/old-name.test.ts.cassette.files')).toBe(false)
    expect(exists('test/__cassettes__/bot.test.ts.cassette.json')).toBe(true)
    expect((await check()).code).toBe(0)
  })

  test('with no usage report (a fresh clone), under a cassettes.dir, and below a Vitest root inside the project: kept while its test file is there', async () => {
    const cassette = serializeCassette({ version: 1, entries: [entry('asks', 0)] })
    write('recordings/evals/kept.test.ts.cassette.json', cassette)
    write('evals/kept.test.ts', '')
    write('app/recordings/a.test.ts.cassette.json', cassette)
    write('app/a.test.ts', '')
    write('recordings/evals/gone.test.ts.cassette.json', cassette)
    const checked = await check()
    expect(checked.text).toContain('✗ recordings/evals/gone.test.ts.cassette.json: 1 entries')
    expect(checked.text).toContain('orphan: no test file is where its path says its test file is')
    expect(checked.text).not.toMatch(/✗ (recordings\/evals\/kept|app\/recordings)/)
    // The others have no run recorded yet: prune leaves their entries alone (and says so), but keeps them.
    const pruned = await prune()
    expect(pruned.text).toContain('✂ recordings/evals/gone.test.ts.cassette.json: removed')
    expect(pruned.text).toMatch(/✗ app\/recordings\/a.test.ts.cassette.json: not pruned: no run of it recorded yet/)
    expect(exists('recordings/evals/gone.test.ts.cassette.json')).toBe(false)
    expect(exists('recordings/evals/kept.test.ts.cassette.json')).toBe(true)
    expect(exists('app/recordings/a.test.ts.cassette.json')).toBe(true)
  })

  test('a cassette in a shared folder linked beside its test file is kept, whichever of its paths it is found at', async () => {
    write('shared/chat.test.ts.cassette.json', serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    write('web/chat.test.ts', '')
    symlinkSync(join(project.root(), 'shared'), join(project.root(), 'web', '__cassettes__'))
    expect((await check()).code).toBe(0)
    const pruned = await prune()
    expect(pruned.text).not.toContain('removed')
    expect(exists('shared/chat.test.ts.cassette.json')).toBe(true)
  })

  test('a test file its last run named is there (outside where the path says): kept', async () => {
    write('recordings/x.test.ts.cassette.json', serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    write('elsewhere/deep/x.test.ts', '')
    project.writeUsage({ cassette: 'recordings/x.test.ts.cassette.json', testFile: 'elsewhere/deep/x.test.ts', fingerprint: 'other' }, 'x.json')
    const checked = await check()
    expect(checked.text).not.toContain('orphan')
    await prune()
    expect(exists('recordings/x.test.ts.cassette.json')).toBe(true)
  })

  test("a cassette found at its real path is known by the report its run wrote through a linked folder (was: 'no run recorded yet', never pruned)", async () => {
    // The link leads back to the root, which the walk searched first: the cassette is found at the root, never through the link.
    write('chat.test.ts.cassette.json', serializeCassette({ version: 1, entries: [entry('asks', 0), entry('gone', 0)] }))
    write('web/chat.test.ts', '')
    symlinkSync(project.root(), join(project.root(), 'web', '__cassettes__'))
    const fingerprint = createHash('sha256').update(readFileSync(join(project.root(), 'chat.test.ts.cassette.json'), 'utf8')).digest('hex')
    project.writeUsage({ cassette: 'web/__cassettes__/chat.test.ts.cassette.json', testFile: 'web/chat.test.ts', used: [{ test: 'asks', repeat: 0, call: 0 }], total: 2, fingerprint }, 'chat.json')
    const checked = await check()
    expect(checked.text).toContain('✓ chat.test.ts.cassette.json: 2 entries')
    expect(checked.text).toContain('unused: 1 entries ("gone")')
    const pruned = await prune()
    expect(pruned.text).toContain('✂ chat.test.ts.cassette.json: 1 unused entry')
  })

  test("prune removes its usage report too: a new test file of the old name is not told of the old one's misses", async () => {
    write(OLD, serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    const misses = [{ test: 'asks again', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }]
    project.writeUsage({ cassette: OLD, testFile: 'test/old-name.test.ts', successful: false, misses }, usageReportFileName(OLD))
    expect((await prune()).text).toContain(`✂ ${OLD}: removed`)
    write('test/old-name.test.ts', "test('something new', () => {})")
    const checked = await check()
    expect(checked.text).not.toContain('asks again')
    expect(checked.code).toBe(0)
  })

  test('moved up a folder: its last report names the test file, so a file of the same name above does not hide the move', async () => {
    write('a/__cassettes__/x.test.ts.cassette.json', serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    project.writeUsage({ cassette: 'a/__cassettes__/x.test.ts.cassette.json', testFile: 'a/x.test.ts', fingerprint: 'other' }, 'x.json')
    write('x.test.ts', "test('asks', () => {})")
    const checked = await check()
    expect(checked.text).toContain('orphan: its test file a/x.test.ts no longer exists')
    expect(checked.text).toContain('`git mv a/__cassettes__/x.test.ts.cassette.json __cassettes__/x.test.ts.cassette.json`')
  })

  test('a linked cassette file whose test file is gone is removed, the link alone: the shared file and the other link stay', async () => {
    write('shared/chat.cassette.json', serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
    write('one/chat.test.ts', '')
    mkdirSync(join(project.root(), 'one', '__cassettes__'))
    mkdirSync(join(project.root(), 'two', '__cassettes__'), { recursive: true })
    for (const name of ['one', 'two']) symlinkSync(join(project.root(), 'shared', 'chat.cassette.json'), join(project.root(), name, '__cassettes__', 'chat.test.ts.cassette.json'))
    const checked = await check()
    expect(checked.text).toContain('✗ two/__cassettes__/chat.test.ts.cassette.json: 1 entries')
    expect(checked.text).not.toMatch(/✗ (one|shared)\//)
    const pruned = await prune()
    expect(pruned.text).toContain('✂ two/__cassettes__/chat.test.ts.cassette.json: removed')
    expect(exists('two/__cassettes__/chat.test.ts.cassette.json')).toBe(false)
    expect(exists('one/__cassettes__/chat.test.ts.cassette.json')).toBe(true)
    expect(exists('shared/chat.cassette.json')).toBe(true)
  })
})

