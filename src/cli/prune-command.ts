import { rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { withFileLock, writeFileAtomic } from '../atomic-files.js'
import { nodeCrypto } from '../node-crypto.js'
import { parseCassette, readCassetteText, serializeCassette } from '../cassettes/cassette-file.js'
import { removeStaleSidecarTemporaryFiles, unreferencedSidecars } from '../cassettes/sidecar-cleanup.js'
import type { CassetteEntry } from '../cassettes/entry.js'
import type { UnrecordedCall } from '../cassettes/entry.js'
import { damagedNote, inspectCassettes, plural, recordedDuringRunNote, recordingPlace, type CassettesCommandOptions } from './cassettes-command.js'
import { testFileOfCassette } from './unrecorded-lines.js'
import { keptAdvice, keptNote, rerunCommand } from './kept-projects.js'
import { shellQuote } from '../cassettes/record-command.js'
import { oneLine, printableText } from '../cassettes/one-line.js'
import { hasTestFile, ownFilesFolder } from './orphan-cassettes.js'
import { usageReportFileName } from '../cassettes/usage-report.js'
import { usageDir } from '../cassettes/worker-options.js'

/**
 * Removes the entries the last complete, successful run of each cassette's test file did not use, and sidecar
 * files nothing refers to. A cassette without such a run is left alone, with the reason and what to run.
 */
export async function runPrune(options: CassettesCommandOptions, print: (line: string) => void): Promise<number> {
  let removed = 0
  let removedTools = 0
  let refused = 0
  let keptForOthers = 0
  let removedMarks = 0
  let removedSidecars = 0
  let removedOrphans = 0
  const { cassettes, damagedUsage } = await inspectCassettes(options, false)
  for (const found of cassettes) {
    const name = relative(options.root, found.file)
    if (!found.exists) continue
    if (found.error) {
      print(`✗ ${name}: ${found.error}`)
      refused++
      continue
    }
    if (found.orphan) {
      const { orphan } = found
      const whose = orphan.testFile === undefined ? 'no test file is where its path says its test file is' : `its test file ${oneLine(printableText(orphan.testFile), 120)} no longer exists`
      // Under the lock runs write with, and only while still no test file is there (one may have been restored since).
      let gone: boolean
      try {
        gone = options.dryRun || withFileLock(found.file, () => !hasTestFile(orphan.places) && removeOrphan(found.file, orphan.aliases, options.root))
      } catch (error) {
        print(`✗ ${name}: not removed (${whose}): ${oneLine((error as Error).message, 300)}`)
        refused++
        continue
      }
      if (!gone) {
        print(`✗ ${name}: not removed: a test file for it appeared while prune ran. Run \`llm-evals cassettes check\` again.`)
        refused++
        continue
      }
      removedOrphans++
      print(`✂ ${name}: ${options.dryRun ? 'would be removed (dry run)' : 'removed'}: ${whose}`)
      continue
    }
    if (found.notPrunable) {
      // Under the config the run named: the default one may not define the projects that recorded the cassette.
      const filters = found.usage?.projectsNotRun?.length || found.usage?.projectFilter ? 'no --project, -t, .only or .skip' : 'no -t, .only or .skip'
      // Without a report (none, or damaged), the test file is found from the cassette's path.
      const known = found.usage ? undefined : testFileOfCassette(found.file, options.root)
      const command = found.usage ? rerunCommand(found.usage) : known === undefined ? 'npx vitest run' : `npx vitest run ${shellQuote(printableText(known))}`
      print(`✗ ${name}: not pruned: ${found.notPrunable}. Run \`${command}\` (${filters}) until every test passes, then prune again.`)
      refused++
      continue
    }
    // By project too: what another project recorded in the same place is not this entry.
    const unused = new Set(found.unused.map(recordingPlace))
    const unusedTools = new Set(found.unusedTools.map(recordingPlace))
    const staleMarks = new Set(found.staleMarks.map(markId))
    const changes = unused.size + unusedTools.size + staleMarks.size
    // Under the lock test runs write with; a cassette another process wrote since it was inspected (a recording in
    // the place of an unused one) is the run's report no longer describes: it is left alone.
    // A dry run counts the sidecars it would remove: those no entry it keeps refers to.
    if (options.dryRun) removedSidecars += unreferencedSidecars(found.file, parseCassette(readCassetteText(found.file), found.file).entries.filter((entry) => !unused.has(recordingPlace(entry)))).length
    const pruned = options.dryRun || withFileLock(found.file, () => {
      const text = readCassetteText(found.file)
      if (nodeCrypto().createHash('sha256').update(text).digest('hex') !== found.usage?.fingerprint) return false
      const document = parseCassette(text, found.file)
      // Nothing to remove from the cassette: only the sidecars it no longer refers to (a re-recording replaced them) go.
      if (changes === 0) {
        removedSidecars += removeOrphanSidecars(found.file, document.entries)
        return true
      }
      const kept = document.entries.filter((entry) => !unused.has(recordingPlace(entry)))
      // A mark explains a miss: a run of every test of the file that passed with no miss and left no call unfinished
      // or refused, over this cassette, had none (cassettes-command.ts `staleMarks`).
      const unrecorded = document.unrecorded.filter((mark) => !staleMarks.has(markId(mark)))
      writeFileAtomic(found.file, serializeCassette({ version: 1, entries: kept, tools: document.tools.filter((record) => !unusedTools.has(recordingPlace(record))), unrecorded }))
      removedSidecars += removeOrphanSidecars(found.file, kept)
      return true
    })
    if (!pruned) {
      print(`✗ ${name}: not pruned: it changed while prune ran (another process wrote to it). Run \`llm-evals cassettes prune\` again once that run has ended.`)
      refused++
      continue
    }
    removed += unused.size
    removedTools += unusedTools.size
    removedMarks += staleMarks.size
    const tools = unusedTools.size ? `, ${plural(unusedTools.size, 'unused tool recording')}` : ''
    const marks = staleMarks.size ? `, ${plural(staleMarks.size, 'stale unrecorded mark')}` : ''
    print(`${changes ? '✂' : '✓'} ${name}: ${plural(unused.size, 'unused entry', 'unused entries')}${tools}${marks}${options.dryRun ? ' (dry run)' : ''}`)
    if (found.kept && found.usage) {
      print(`    ${keptNote(found.kept, found.usage)}. ${keptAdvice(found.kept, found.usage)}`)
      keptForOthers += found.kept.entries + found.kept.tools
    }
    if (found.recordedDuringRun) print(`    ${recordedDuringRunNote(found.recordedDuringRun)}: kept.`)
  }
  for (const report of damagedUsage) print(damagedNote(report))
  const alsoRemoved = [...(removedTools ? [plural(removedTools, 'tool recording')] : []), ...(removedMarks ? [plural(removedMarks, 'stale unrecorded mark')] : []), ...(removedSidecars ? [plural(removedSidecars, 'unreferenced sidecar file')] : []), ...(removedOrphans ? [plural(removedOrphans, 'cassette of no test file', 'cassettes of no test file')] : [])]
  print(`${options.dryRun ? 'Would remove' : 'Removed'} ${plural(removed, 'entry', 'entries')}${alsoRemoved.length ? ` and ${alsoRemoved.join(' and ')}` : ''}.${keptForOthers ? ` Kept ${plural(keptForOthers, 'unused recording')} of projects that did not run (see above).` : ''}${refused ? ` ${plural(refused, 'cassette')} not pruned (see above).` : ''}`)
  return refused ? 1 : 0
}

const markId = (mark: UnrecordedCall) => `${mark.repeat}\u0000${mark.occurrence}\u0000${mark.key}\u0000${mark.project ?? ''}\u0000${mark.test}`

/**
 * Removes the sidecar files of the cassette that no kept entry refers to, and stale temporary files of killed sidecar
 * writes (called under its lock); returns how many sidecar files.
 */
function removeOrphanSidecars(file: string, kept: readonly CassetteEntry[]): number {
  const orphans = unreferencedSidecars(file, kept)
  for (const path of orphans) rmSync(path)
  // And what a killed sidecar write left (its temporary file), as a cassette write removes its own.
  removeStaleSidecarTemporaryFiles(file)
  return orphans.length
}

/**
 * Removes an orphan cassette (a linked one: the link alone), its own `.files` folder and its usage reports (called under
 * its lock): a report left behind would speak for a new test file of the old name, its misses listed as the new file's.
 */
function removeOrphan(file: string, aliases: readonly string[], root: string): true {
  const files = ownFilesFolder(file)
  rmSync(file)
  if (files) rmSync(files, { recursive: true, force: true })
  for (const alias of aliases) rmSync(join(usageDir(root), usageReportFileName(relative(root, alias))), { force: true })
  return true
}
