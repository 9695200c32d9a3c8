import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { withFileLock, writeFileAtomic } from '../atomic-files.js'
import { readCassette, serializeCassette, sidecarDir } from '../cassettes/cassette-file.js'
import type { CassetteEntry } from '../cassettes/entry.js'
import { damagedNote, inspectCassettes, plural, recordingPlace, type CassettesCommandOptions } from './cassettes-command.js'
import { keptAdvice, keptNote, rerunCommand } from './kept-projects.js'

/**
 * Removes the entries the last complete, successful run of each cassette's test file did not use, and sidecar
 * files nothing refers to. A cassette without such a run is left alone, with the reason and what to run.
 */
export async function runPrune(options: CassettesCommandOptions, print: (line: string) => void): Promise<number> {
  let removed = 0
  let removedTools = 0
  let refused = 0
  let keptForOthers = 0
  const { cassettes, damagedUsage } = await inspectCassettes(options, false)
  for (const found of cassettes) {
    const name = relative(options.root, found.file)
    if (!found.exists) continue
    if (found.error) {
      print(`✗ ${name}: ${found.error}`)
      refused++
      continue
    }
    if (found.notPrunable) {
      // Under the config the run named: the default one may not define the projects that recorded the cassette.
      const filters = found.usage?.projectsNotRun?.length || found.usage?.projectFilter ? 'no --project, -t, .only or .skip' : 'no -t, .only or .skip'
      print(`✗ ${name}: not pruned: ${found.notPrunable}. Run \`${rerunCommand(found.usage)}\` (${filters}) until every test passes, then prune again.`)
      refused++
      continue
    }
    // By project too: what another project recorded in the same place is not this entry.
    const unused = new Set(found.unused.map(recordingPlace))
    const unusedTools = new Set(found.unusedTools.map(recordingPlace))
    removed += unused.size
    removedTools += unusedTools.size
    const tools = unusedTools.size ? `, ${plural(unusedTools.size, 'unused tool recording')}` : ''
    print(`${unused.size + unusedTools.size ? '✂' : '✓'} ${name}: ${plural(unused.size, 'unused entry', 'unused entries')}${tools}${options.dryRun ? ' (dry run)' : ''}`)
    if (found.kept && found.usage) {
      print(`    ${keptNote(found.kept, found.usage)}. ${keptAdvice(found.kept, found.usage)}`)
      keptForOthers += found.kept.entries + found.kept.tools
    }
    if (options.dryRun || unused.size + unusedTools.size === 0) continue
    // Under the lock test runs write with: what another process recorded meanwhile stays.
    withFileLock(found.file, () => {
      const document = readCassette(found.file)
      const kept = document.entries.filter((entry) => !unused.has(recordingPlace(entry)))
      // Unrecorded marks stay: each explains a miss until a recording of its call replaces it.
      writeFileAtomic(found.file, serializeCassette({ version: 1, entries: kept, tools: document.tools.filter((record) => !unusedTools.has(recordingPlace(record))), unrecorded: document.unrecorded }))
      removeOrphanSidecars(found.file, kept)
    })
  }
  for (const report of damagedUsage) print(damagedNote(report))
  print(`${options.dryRun ? 'Would remove' : 'Removed'} ${plural(removed, 'entry', 'entries')}${removedTools ? ` and ${plural(removedTools, 'tool recording')}` : ''}.${keptForOthers ? ` Kept ${plural(keptForOthers, 'unused recording')} of projects that did not run (see above).` : ''}${refused ? ` ${plural(refused, 'cassette')} not pruned (see above).` : ''}`)
  return refused ? 1 : 0
}

function removeOrphanSidecars(file: string, kept: readonly CassetteEntry[]): void {
  const dir = sidecarDir(file)
  if (!existsSync(dir)) return
  const referenced = new Set(kept.map((entry) => entry.response.file).filter(Boolean))
  for (const name of readdirSync(dir)) if (!referenced.has(name)) rmSync(join(dir, name))
}
