// Recordings `prune` keeps although the last run of their file did not use them: they were recorded under one of
// test.projects that run did not run (the file ran under another config, one without projects, or with projects
// of other names). That project's next replay needs them; only a run of that project can tell they are unused.
import type { CassetteUsageReport } from '../cassettes/usage-report.js'
import { oneLine, printableText } from '../cassettes/one-line.js'
import { shellQuote } from '../cassettes/record-command.js'

/** Unused recordings kept because the projects that recorded them did not run the file. */
export interface KeptForProjects {
  projects: string[]
  entries: number
  tools: number
}

const NAME_CHARS = 120
const plural = (count: number, word: string, words = `${word}s`) => `${count} ${count === 1 ? word : words}`
/** A project as the notes name it: an untagged recording's is the config without `test.projects`. */
const projectName = (name: string) => (name === '' ? '(none: recorded without test.projects)' : oneLine(name, NAME_CHARS))

/** Whether a recording was made by a project that the run `usage` reports on did not run (an untagged one: by the config without projects). */
export function ofProjectNotRun(usage: CassetteUsageReport): (recording: { project?: string }) => boolean {
  const ran = new Set(usage.projects ?? [])
  // An untagged recording is the config without projects' ('' in `projects`): kept after a run that did not run it.
  return (recording) => (recording.project !== undefined ? !ran.has(recording.project) : usage.projects !== undefined && !ran.has(''))
}

/** The unused recordings of projects that did not run, counted, or undefined when there are none. */
export function keptForProjects(entries: readonly { project?: string }[], tools: readonly { project?: string }[]): KeptForProjects | undefined {
  if (entries.length + tools.length === 0) return undefined
  const projects = [...new Set([...entries, ...tools].map((recording) => recording.project ?? ''))].sort()
  return { projects, entries: entries.length, tools: tools.length }
}

/** How the run ran the file: under which config, with which projects. */
function howItRan(usage: CassetteUsageReport): string {
  const config = usage.config ? ` under ${oneLine(usage.config, NAME_CHARS)}` : ' under the default config'
  const projects = (usage.projects ?? []).filter((name) => name !== '')
  return projects.length ? `${config}, with ${projects.length === 1 ? 'project' : 'projects'} ${projects.map((name) => oneLine(name, NAME_CHARS)).join(', ')} only` : `${config}, without test.projects`
}

/** What `prune` and `check` say of the recordings kept: how many, whose, and why. */
export function keptNote(kept: KeptForProjects, usage: CassetteUsageReport): string {
  const what = [...(kept.entries ? [plural(kept.entries, 'unused entry', 'unused entries')] : []), ...(kept.tools ? [plural(kept.tools, 'unused tool recording')] : [])].join(' and ')
  const whose = `${kept.projects.length === 1 ? 'project' : 'projects'} ${kept.projects.map(projectName).join(', ')}`
  return `kept ${what} of ${whose}: its last run (${usage.at}, ${usage.mode}) ran the file${howItRan(usage)}, so it cannot tell whether ${whose} still ${kept.projects.length === 1 ? 'needs' : 'need'} them`
}

/** The advice after {@link keptNote}: run the file with those projects (a project no config defines any more keeps them until removed by hand). */
export function keptAdvice(kept: KeptForProjects, usage: CassetteUsageReport): string {
  const whose = `${kept.projects.length === 1 ? 'project' : 'projects'} ${kept.projects.map(projectName).join(', ')}`
  return `To prune them, run \`npx vitest run --config <the config that defines ${whose}> ${shellQuote(printableText(usage.testFile))}\` (every project, no --project, -t, .only or .skip), then prune again; a project no config defines any more keeps its recordings until you delete them from the cassette.`
}

/** The command that reruns the file the way its last run did: under the config it named (`--config`), if any. */
export function rerunCommand(usage: CassetteUsageReport | undefined): string {
  if (!usage) return 'npx vitest run'
  const config = usage.config ? `--config ${shellQuote(printableText(usage.config))} ` : ''
  return `npx vitest run ${config}${shellQuote(printableText(usage.testFile))}`
}
