// The last line of a run: how many scores, which were below threshold, and what the cassettes did.
import type { CassetteMode } from '../src/cassettes/mode.js'
import type { CaseScore } from '../src/history/run-record.js'
import type { CassetteWrites } from './cassette-usage.js'
import type { RunSummary, SummarizedCase } from './summarize.js'
import { visibleText } from '../src/visible-text.js'
import { hideSecretText, liveSecrets } from '../src/cassettes/redact.js'

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/**
 * The one-line totals of the run: score count, failures and cassette activity. `writes`, when the cassettes
 * reported it, is what they stored: "recorded" counts entries written, not calls made (retries, refusals).
 * A run that used `recordTool` tools counts their results apart from model calls. Live `secrets` and key patterns are never printed.
 */
export function formatRunSummary(totals: RunSummary['totals'], mode?: CassetteMode, writes?: CassetteWrites, cases?: RunSummary['cases'], secrets: readonly { name: string; value: string }[] = liveSecrets()): string | undefined {
  const refused = writes?.refused ?? []
  const tools = totals.toolResults
  const missed = writes?.missed ?? 0
  const already = writes?.alreadyRecorded
  const retried = writes?.discardedOnRetry
  // Calls made at file level only (`beforeAll`, module top level) are on no test: the line still counts them.
  const fileLevel = (writes?.replayedOutsideTests ?? 0) + (already?.entries ?? 0) + (already?.tools ?? 0) + (retried?.entries ?? 0) + (retried?.tools ?? 0)
  if (totals.tests === 0 && !writes?.written && refused.length === 0 && !tools && missed === 0 && fileLevel === 0) return undefined
  const recorded = recordedModelCalls(totals, writes)
  const toolsRecorded = tools ? Math.max(0, tools.recorded - (already?.tools ?? 0)) : 0
  // Sent live but stored by another process first (a project, a parallel run over the same cassette): spent all the same.
  const sentLive = already?.entries ? `, ${already.entries} sent live but already recorded by another process` : ''
  const ranTools = already?.tools ? `, ${already.tools} run but already recorded by another process` : ''
  // Sent live by a failed try that Vitest retried: its recordings were dropped for the retry's, the calls were spent.
  const droppedCalls = retried?.entries ? `, ${retried.entries} sent live in a failed try (dropped for the retry's recording)` : ''
  // `auto` recorded again a call whose sidecar file was gone (a `.files` folder not committed): the reviewer should know.
  const restored = writes?.restoredSidecars ? ` (${writes.restoredSidecars} in place of a recording whose sidecar file was missing or damaged)` : ''
  const droppedTools = retried?.tools ? `, ${retried.tools} run in a failed try (dropped for the retry's recording)` : ''
  // Calls outside tests (`beforeAll`) are on no test's counts: added here, as their recordings are to "recorded".
  const replayed = totals.replayed + (writes?.replayedOutsideTests ?? 0)
  const parts = [`${totals.scores} score${totals.scores === 1 ? '' : 's'} (${totals.failedScores} below threshold${belowThreshold(cases, totals.failedScores)})`]
  // A refusal's message may name a test whose name holds a key: hidden before the line is cut.
  const refusal = refused[0] ? `, ${refused.length} refused (first: ${firstLine(hideSecretText(refused[0].message, secrets))})` : ''
  // A run whose requests missed their recordings may have no score at all: the line still says so, and where to look.
  const misses = missed > 0 ? `, ${missed} missing (\`npx llm-evals cassettes check\` lists them)` : ''
  // Without tools, the line reads as it always has.
  const counts = tools
    ? `${plural(replayed, 'model call')} replayed, ${recorded} recorded${restored}${sentLive}${droppedCalls} · ${plural(tools.replayed, 'tool result')} replayed, ${toolsRecorded} recorded${ranTools}${droppedTools}`
    : `${replayed} replayed, ${recorded} recorded${restored}${sentLive}${droppedCalls}${droppedTools}`
  parts.push(`cassettes${mode ? ` [${mode}]` : ''}: ${counts}${misses}${refusal}`)
  const hint = recorded + toolsRecorded > 0 ? ' — commit the __cassettes__ changes' : ''
  return `LLM evals: ${parts.join(' · ')}${hint}`
}

/**
 * Model calls recorded: what the cassettes stored (`writes`, entries and tool records) less the tool records
 * stored (the tool results the tests recorded, but those another process stored first), else what the tests counted.
 */
export function recordedModelCalls(totals: RunSummary['totals'], writes?: CassetteWrites): number {
  if (!writes) return totals.recorded
  const toolsStored = Math.max(0, (totals.toolResults?.recorded ?? 0) - (writes.alreadyRecorded?.tools ?? 0))
  return Math.max(0, writes.written - toolsStored)
}

const firstLine = (text: string) => text.split('\n')[0] ?? ''
const oneLineText = (text: string) => visibleText(text).replace(/[\n\t]/g, (character) => (character === '\n' ? '\\n' : '\\t'))

/** Which scores were below their threshold (a test can pass with some: `caseFailures: 'report'`, soft checks): the three lowest, and how many more. */
function belowThreshold(cases: RunSummary['cases'], count: number): string {
  const name = (score: CaseScore) => `${score.suite}\u0000${score.caseId ?? score.test}\u0000${score.metric}\u0000${score.variant ?? ''}`
  // Worst first, then by name: test files finish in any order, the line must not.
  // A case that could not be scored (`error`) is no score below its threshold: the terminal lists it apart.
  const failed = (cases ?? []).filter((score) => !score.pass && !(score as SummarizedCase).awaitingLabel && score.error === undefined).sort((a, b) => a.score - b.score || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0))
  if (count === 0 || failed.length === 0) return ''
  const where = caseLocator(cases ?? [])
  // Case ids and names come from datasets and test names: shown on one line, as they are (no terminal control).
  const named = failed.slice(0, 3).map((score) => oneLineText(`${where(score)} · ${score.metric}${score.variant === undefined ? '' : ` [${score.variant}]`}`) + ` ${score.score.toFixed(2)}`)
  // Cases, as the report lists them: a case's failing trials and repeated calls are several scores but one case,
  // so when the count is of more scores than the list has entries, it says over how many cases.
  const more = failed.length - named.length
  const caseCount = new Set(failed.map((score) => `${score.suite}\u0000${score.caseId ?? score.test}\u0000${score.variant ?? ''}`)).size
  const over = failed.length < count ? ` in ${caseCount} case${caseCount === 1 ? '' : 's'}` : ''
  return `${over}: ${named.join(', ')}${more > 0 ? `, +${more} more in the report` : ''}`
}

/**
 * Names a case so that two suites sharing case names (two `describeEval` blocks with the same rows) stay apart:
 * its describe chain and case id (`support bot > greeting`), after its file when the run has several
 * (`support.test.ts > support bot > greeting`: the file name, or its path when two files share it).
 */
function caseLocator(cases: readonly CaseScore[]): (score: CaseScore) => string {
  const moduleOf = (score: CaseScore) => score.suite.split(' > ')[0] ?? score.suite
  const modules = [...new Set(cases.map(moduleOf))]
  const fileName = (module: string) => module.split(/[\\/]/).at(-1) ?? module
  const unique = new Set(modules.map(fileName)).size === modules.length
  return (score) => {
    // `test` is the full name (`describe > … > test`); a case id replaces the test's own name (a name template
    // may add the row's text to it), and a variant's describe block is left out: `[variant]` follows the metric.
    // A test name holding ` > ` keeps its describe chain apart (`describeChain`): the full name cannot be cut.
    let chain = score.test
    if (score.caseId !== undefined && score.describeChain !== undefined) {
      chain = score.describeChain === '' ? score.caseId : `${score.describeChain} > ${score.caseId}`
    } else if (score.caseId !== undefined && chain !== score.caseId && !chain.endsWith(` > ${score.caseId}`)) {
      const cut = chain.lastIndexOf(' > ')
      chain = cut === -1 ? score.caseId : `${chain.slice(0, cut)} > ${score.caseId}`
    }
    if (score.variant !== undefined) chain = chain.replace(` > ${score.variant} > `, ' > ')
    if (modules.length < 2) return chain
    const module = moduleOf(score)
    return `${unique ? fileName(module) : module} > ${chain}`
  }
}

