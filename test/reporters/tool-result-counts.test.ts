// The reporter's side of tool result counts: summed over tests (and files), printed apart from model calls
// only when a tool was used, and kept in the run record as an optional field older lines do without.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { formatRunSummary, recordedModelCalls } from '../../reporters/score-history-reporter.js'
import { addToolResults, summarizeRun, type CassetteCounts, type RunSummary } from '../../reporters/summarize.js'
import { DEFAULT_PRICES } from '../../reporters/pricing.js'
import { appendRun, readHistory } from '../../src/history/history-file.js'
import { historyRunLine, isWrittenRunLine, noTokens } from '../../src/history/run-record.js'
import { collected, historyRun, record } from './fixtures.js'

const cassette = (extra: Partial<CassetteCounts> = {}): CassetteCounts => ({ replayed: 0, recorded: 0, calls: [], ...extra })
const summarize = (cases: Parameters<typeof summarizeRun>[0]) => summarizeRun(cases, { pricing: DEFAULT_PRICES, maxTextChars: 200 })
const totals = (extra: Partial<RunSummary['totals']> = {}): RunSummary['totals'] => ({ tests: 1, scores: 2, failedScores: 0, replayed: 3, recorded: 0, tokens: noTokens(), costUsd: 0, ...extra })

describe('tool result totals', () => {
  test('sum over tests, a test with only tool calls counted too; absent when no test used a tool', () => {
    const summary = summarize([
      collected('a', [record('m', 1)], { meta: { evals: [record('m', 1)], cassette: cassette({ replayed: 2, toolResults: { replayed: 3, recorded: 0 } }) } }),
      collected('b', [], { meta: { cassette: cassette({ toolResults: { replayed: 1, recorded: 2 } }) } }),
      collected('c', [record('m', 1)], { meta: { evals: [record('m', 1)], cassette: cassette({ replayed: 1 }) } }),
    ])
    expect(summary.totals).toMatchObject({ tests: 3, replayed: 3, recorded: 0, toolResults: { replayed: 4, recorded: 2 } })
    expect(summarize([collected('c', [record('m', 1)], { meta: { evals: [record('m', 1)], cassette: cassette({ replayed: 1 }) } })]).totals).not.toHaveProperty('toolResults')
  })

  test('calls outside tests are added from their file; nothing is added for none', () => {
    const run = totals()
    addToolResults(run, undefined)
    addToolResults(run, { replayed: 0, recorded: 0 })
    expect(run).not.toHaveProperty('toolResults')
    addToolResults(run, { replayed: 1, recorded: 0 })
    addToolResults(run, { replayed: 2, recorded: 1 })
    expect(run.toolResults).toEqual({ replayed: 3, recorded: 1 })
  })

  test('model calls recorded are what the cassettes stored less the tool records', () => {
    expect(recordedModelCalls(totals({ toolResults: { replayed: 0, recorded: 24 } }), { written: 25, refused: [] })).toBe(1)
    expect(recordedModelCalls(totals(), { written: 25, refused: [] })).toBe(25)
    expect(recordedModelCalls(totals({ recorded: 4 }))).toBe(4)
  })
})

describe('the end-of-run line', () => {
  test('reads as before when no tool was used', () => {
    expect(formatRunSummary(totals(), 'replay', { written: 0, refused: [] })).toBe('LLM evals: 2 scores (0 below threshold) · cassettes [replay]: 3 replayed, 0 recorded')
  })

  test('counts tool results apart from model calls', () => {
    expect(formatRunSummary(totals({ replayed: 0, toolResults: { replayed: 1000, recorded: 0 } }), 'replay', { written: 0, refused: [] })).toBe(
      'LLM evals: 2 scores (0 below threshold) · cassettes [replay]: 0 model calls replayed, 0 recorded · 1000 tool results replayed, 0 recorded',
    )
    expect(formatRunSummary(totals({ replayed: 1, toolResults: { replayed: 1, recorded: 0 } }), 'replay')).toContain('cassettes [replay]: 1 model call replayed, 0 recorded · 1 tool result replayed, 0 recorded')
  })

  test('tool results recorded alone ask for the commit; refusals follow the counts', () => {
    const refused = [{ test: 't', message: '[vitest-llm-evals] Refused to write a.json: it would contain the value of OPENAI_API_KEY.\nmore' }]
    expect(formatRunSummary(totals({ replayed: 0, toolResults: { replayed: 0, recorded: 3 } }), 'auto', { written: 3, refused })).toBe(
      'LLM evals: 2 scores (0 below threshold) · cassettes [auto]: 0 model calls replayed, 0 recorded · 0 tool results replayed, 3 recorded, 1 refused (first: [vitest-llm-evals] Refused to write a.json: it would contain the value of OPENAI_API_KEY.) — commit the __cassettes__ changes',
    )
  })

  test('says what was sent live but stored by another process first (projects or parallel runs sharing a cassette)', () => {
    const writes = { written: 1, refused: [], alreadyRecorded: { entries: 1, tools: 0 } }
    expect(formatRunSummary(totals({ replayed: 0, recorded: 2 }), 'auto', writes)).toBe(
      'LLM evals: 2 scores (0 below threshold) · cassettes [auto]: 0 replayed, 1 recorded, 1 sent live but already recorded by another process — commit the __cassettes__ changes',
    )
    // Tools: the tests counted 2 tool results recorded, one of them was stored by the other process: 2 written = 1 model call + 1 tool record.
    const withTools = totals({ replayed: 0, recorded: 1, toolResults: { replayed: 0, recorded: 2 } })
    const toolWrites = { written: 2, refused: [], alreadyRecorded: { entries: 0, tools: 1 } }
    expect(recordedModelCalls(withTools, toolWrites)).toBe(1)
    expect(formatRunSummary(withTools, 'auto', toolWrites)).toContain(
      'cassettes [auto]: 0 model calls replayed, 1 recorded · 0 tool results replayed, 1 recorded, 1 run but already recorded by another process — commit',
    )
    // All of it stored by the other process: nothing to commit from this run.
    expect(formatRunSummary(totals({ replayed: 0, recorded: 1 }), 'auto', { written: 0, refused: [], alreadyRecorded: { entries: 1, tools: 0 } })).toBe(
      'LLM evals: 2 scores (0 below threshold) · cassettes [auto]: 0 replayed, 0 recorded, 1 sent live but already recorded by another process',
    )
  })

  test('a run whose only cassette use is tool calls outside tests still prints the line', () => {
    expect(formatRunSummary(totals({ tests: 0, scores: 0, replayed: 0, toolResults: { replayed: 2, recorded: 0 } }), 'replay', { written: 0, refused: [] })).toBe(
      'LLM evals: 0 scores (0 below threshold) · cassettes [replay]: 0 model calls replayed, 0 recorded · 2 tool results replayed, 0 recorded',
    )
  })
})

describe('totals.toolResults in history', () => {
  test('the hand check and the schema accept a line with it, and keep it', () => {
    const run = historyRun('r1', { m: 1 }, { totals: { ...historyRun('r1', {}).totals, toolResults: { replayed: 5, recorded: 1 } } })
    const line = JSON.parse(JSON.stringify(run)) as unknown
    expect(isWrittenRunLine(line)).toBe(true)
    const parsed = historyRunLine().safeParse(line)
    expect(parsed.success && (parsed.data.totals as { toolResults?: unknown }).toolResults).toEqual({ replayed: 5, recorded: 1 })
  })

  test('a history with lines older and newer than the field reads whole', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tool-history-')), 'history.jsonl')
    appendRun(file, historyRun('r1', { m: 1 }))
    appendRun(file, historyRun('r2', { m: 1 }, { totals: { ...historyRun('r2', {}).totals, toolResults: { replayed: 5, recorded: 0 } } }))
    const warnings: unknown[] = []
    const runs = readHistory(file, (warning) => warnings.push(warning))
    expect(warnings).toEqual([])
    expect(runs.map((run) => run.totals.toolResults)).toEqual([undefined, { replayed: 5, recorded: 0 }])
  })
})
