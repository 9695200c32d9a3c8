/**
 * The peers benchmark's printed table: wall-time ratios against plain Vitest per N (issue 17's layout), peak
 * RSS, cost per added case, the replay and record rows, and whether each target of the issue is met.
 */
import type { AgentRow } from './peers-agent.ts'
import type { HarnessRow } from './peers-harness.ts'
import type { ReplayRow } from './peers-replay.ts'
import { STYLES } from './peers-styles.ts'

export interface PeersReport {
  versions: Record<string, string>
  rounds: number
  harness: HarnessRow[]
  replay: ReplayRow[]
  replayCases: number
  agent?: AgentRow
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const ratio = (value: number) => `${value.toFixed(2)}x`
const mib = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} MiB`)
const yes = (met: boolean) => (met ? 'yes' : 'NO')
const ours = STYLES.filter((style) => style.ours && style.reference !== true)
const peers = STYLES.filter((style) => style.peer)

function printHarness(rows: HarnessRow[]): string[] {
  const verdicts: string[] = []
  console.log(`| N | plain Vitest | ${STYLES.slice(1).map((style) => style.label).join(' | ')} | best peer |`)
  console.log(`|---|---|${STYLES.slice(1).map(() => '---|').join('')}---|`)
  for (const row of rows) {
    const plain = row.ms['plain']!
    const cells = STYLES.slice(1).map((style) => `${ratio(row.ms[style.key]! / plain)} (${seconds(row.ms[style.key]!)})`)
    const bestPeer = Math.min(...peers.map((style) => row.ms[style.key]!))
    console.log(`| ${row.cases} | ${seconds(plain)} | ${cells.join(' | ')} | ${ratio(bestPeer / plain)} |`)
    for (const style of ours) {
      const mine = row.ms[style.key]!
      verdicts.push(`  ${style.label} <= vitest-evals' best at N=${row.cases}: ${ratio(mine / plain)} vs ${ratio(bestPeer / plain)} -> ${yes(mine <= bestPeer)}`)
      if (row.cases >= 1000) verdicts.push(`  ${style.label} <= 1.10x plain at N=${row.cases}: ${ratio(mine / plain)} -> ${yes(mine / plain <= 1.1)}`)
    }
  }
  console.log('\nPeak RSS of the process tree (median of the runs)')
  console.log(`| N | ${STYLES.map((style) => style.label).join(' | ')} |`)
  console.log(`|---|${STYLES.map(() => '---|').join('')}`)
  for (const row of rows) console.log(`| ${row.cases} | ${STYLES.map((style) => mib(row.peakMiB[style.key]!)).join(' | ')} |`)
  const small = rows.find((row) => row.cases === 100)
  if (small !== undefined) {
    for (const style of ours) {
      const extra = small.peakMiB[style.key]! - small.peakMiB['plain']!
      verdicts.push(`  ${style.label} peak RSS <= plain + 10 MiB at N=100: +${extra.toFixed(0)} MiB -> ${yes(extra <= 10)}`)
    }
  }
  const [first, last] = [rows[0], rows.at(-1)]
  if (first !== undefined && last !== undefined && last !== first) {
    const growth = (key: string) => last.peakMiB[key]! - first.peakMiB[key]!
    for (const style of ours) {
      // Within 10 MiB of plain's growth: single RSS samples of a whole process tree are not finer than that.
      verdicts.push(`  ${style.label} peak RSS grows no faster than plain, N=${first.cases} -> ${last.cases}: +${growth(style.key).toFixed(0)} vs +${growth('plain').toFixed(0)} MiB -> ${yes(growth(style.key) <= growth('plain') + 10)}`)
    }
  }
  return verdicts
}

function printSlopes(rows: HarnessRow[]): string[] {
  const verdicts: string[] = []
  if (rows.length < 2) return verdicts
  console.log('\nCost per added case (ms) between consecutive N')
  console.log(`| N | ${STYLES.map((style) => style.label).join(' | ')} |`)
  console.log(`|---|${STYLES.map(() => '---|').join('')}`)
  const slopes: Record<string, number[]> = {}
  for (let index = 1; index < rows.length; index++) {
    const from = rows[index - 1]!
    const to = rows[index]!
    const slope = (key: string) => (to.ms[key]! - from.ms[key]!) / (to.cases - from.cases)
    for (const style of STYLES) (slopes[style.key] ??= []).push(slope(style.key))
    console.log(`| ${from.cases} -> ${to.cases} | ${STYLES.map((style) => slope(style.key).toFixed(3)).join(' | ')} |`)
  }
  // "Constant in N": the last interval's cost per case within 1.5x of the first one's, or below plain's.
  for (const style of ours) {
    const own = slopes[style.key]!
    if (own.length < 2) {
      verdicts.push(`  ${style.label} cost per added case constant in N: needs three sizes -> n/a`)
      continue
    }
    const first = own[0]!
    const last = own[own.length - 1]!
    verdicts.push(`  ${style.label} cost per added case constant in N: ${first.toFixed(3)} -> ${last.toFixed(3)} ms -> ${yes(last <= Math.max(first * 1.5, slopes['plain']!.at(-1)! * 1.1))}`)
  }
  return verdicts
}

function printReplay(rows: ReplayRow[], cases: number): string[] {
  const verdicts: string[] = []
  console.log(`\nReplay and record, ${cases} cases, one SDK call each`)
  console.log('| provider, mode | floor (SDK + in-memory fetch) | ours, replayed | ratio | plain -> scripted server | ours, recording | record overhead | cassette |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const { variant, ms, cassetteBytes } of rows) {
    const name = `${variant.provider}, ${variant.stream ? 'streamed' : 'not streamed'}`
    console.log(`| ${name} | ${seconds(ms.floor)} | ${seconds(ms.replay)} | ${ratio(ms.replay / ms.floor)} | ${seconds(ms.direct)} | ${seconds(ms.record)} | ${ratio(ms.record / ms.direct)} | ${(cassetteBytes / 1024).toFixed(0)} KB |`)
    verdicts.push(`  replay <= 1.15x floor, ${name}: ${ratio(ms.replay / ms.floor)} -> ${yes(ms.replay / ms.floor <= 1.15)}`)
  }
  return verdicts
}

function printAgent(row: AgentRow | undefined): string[] {
  if (!row) return []
  console.log(`\nAgent features, ${row.cases} cases: one tool call each (ours: recordTool replayed, traceOf + toCallTool)`)
  console.log('| plain Vitest (the tool called, expect) | ours | ratio |')
  console.log('|---|---|---|')
  console.log(`| ${seconds(row.ms.plain)} | ${seconds(row.ms.ours)} | ${ratio(row.ms.ours / row.ms.plain)} |`)
  return row.cases >= 1000 ? [`  agent features <= 1.10x plain at N=${row.cases}: ${ratio(row.ms.ours / row.ms.plain)} -> ${yes(row.ms.ours / row.ms.plain <= 1.1)}`] : []
}

/** Prints the whole report. */
export function printTable(report: PeersReport): void {
  const versions = Object.entries(report.versions).map(([name, version]) => `${name} ${version}`).join(', ')
  console.log(`\nPeers benchmark: ${versions}; Node ${process.version}; medians of ${report.rounds} alternating rounds`)
  console.log('Wall time of `vitest run` as a ratio of plain Vitest (seconds in brackets)\n')
  const verdicts = [...printHarness(report.harness), ...printSlopes(report.harness), ...printReplay(report.replay, report.replayCases), ...printAgent(report.agent)]
  console.log('\nTargets met?')
  for (const line of verdicts) console.log(line)
}
