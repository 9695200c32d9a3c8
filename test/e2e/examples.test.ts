import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, repoRoot } from './run-fixture.js'

interface ScoreRecord {
  metric: string
  score: number
  pass: boolean
  attempt: unknown
  judge?: { provider: string; model: string; promptVersion: string }
}
interface TestResult {
  fullName: string
  status: string
  meta: { evals?: ScoreRecord[]; cassette?: { calls: { role: string; source: string }[] }; variant?: string; caseId?: string }
}
interface JsonReport {
  numTotalTests: number
  numPassedTests: number
  testResults: { assertionResults: TestResult[] }[]
}

const examplesDir = join(repoRoot, 'examples')

/** Hash of every committed recording, snapshot and labels file of the examples, to prove a replay writes none of them. */
function committedFiles(): Record<string, string> {
  const files = readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(__cassettes__|__snapshots__)\/|labels\.jsonl$/.test(file) && !file.includes('node_modules'))
    .sort()
  return Object.fromEntries(files.map((file) => [file, createHash('sha256').update(readFileSync(join(examplesDir, file))).digest('hex')]))
}

describe('npm run examples: every example replays offline in CI mode', () => {
  let run: SpawnSyncReturns<string>
  let tests: TestResult[]
  let before: Record<string, string>
  let seconds: number
  const find = (name: string) => {
    const found = tests.find((result) => result.fullName === name)
    if (found === undefined) throw new Error(`no test named "${name}" in: ${tests.map((result) => result.fullName).join(' | ')}`)
    return found
  }

  beforeAll(() => {
    before = committedFiles()
    const outputFile = join(mkdtempSync(join(tmpdir(), 'examples-')), 'report.json')
    const started = performance.now()
    // No keys, no base URLs, CI=true: anything not in a cassette fails instead of reaching a network.
    run = spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'examples/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`],
      { cwd: repoRoot, env: cleanEnv({ CI: 'true' }), encoding: 'utf8' },
    )
    seconds = (performance.now() - started) / 1000
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as JsonReport
    tests = report.testResults.flatMap((file) => file.assertionResults)
  }, 120_000)

  test('all 65 tests pass from 72 replayed calls, nothing recorded, no committed file touched, well under 30 s', () => {
    expect(run.status, run.stdout + run.stderr).toBe(0)
    expect(tests).toHaveLength(65)
    expect(tests.filter((result) => result.status !== 'passed')).toEqual([])
    // The zero-shot prompt and the 40-character chunks miss on purpose (their tests pass: the comparison is the
    // point); the line names the three lowest scores (file, suite, case), in a fixed order (lowest, then by suite, case and metric).
    // Vitest's own status output may interleave escape codes with the line: compare the text.
    expect(stripVTControlCharacters(run.stdout)).toContain('LLM evals: 112 scores (16 below threshold: prompt-variants.test.ts > support answers > cancel-subscription · instructions [zero-shot] 0.00, prompt-variants.test.ts > support answers > change-address · factuality [zero-shot] 0.00, prompt-variants.test.ts > support answers > refund-time · instructions [zero-shot] 0.00, +13 more in the report) · cassettes [replay]: 72 model calls replayed, 0 recorded · 8 tool results replayed, 0 recorded')
    expect(Object.keys(before)).toEqual([
      'prompt-variants/__cassettes__/prompt-variants.test.ts.cassette.json',
      'rag-chunking/__cassettes__/rag-chunking.test.ts.cassette.json',
      'summarizer/__cassettes__/summarize.test.ts.cassette.json',
      'summarizer/__snapshots__/summarize.test.ts.responses.json',
      'support-agent/__cassettes__/support-agent.test.ts.cassette.json',
      'support-bot/__cassettes__/triage.test.ts.cassette.json',
      'ticket-classifier/__cassettes__/ticket-classifier.test.ts.cassette.json',
      'ticket-classifier/evals/labels.jsonl',
    ])
    expect(committedFiles()).toEqual(before)
    expect(seconds).toBeLessThan(30)
  })

  test('support bot: deterministic matchers registered by the plugin, scores and the replayed call on the test', () => {
    const refund = find('support bot triage a double charge is a refund, answered briefly and without commas')
    expect(refund.meta.evals?.map((record) => [record.metric, record.pass])).toEqual([
      ['schema', true],
      ['instructions', true],
      ['similarity:rouge-l', true],
    ])
    expect(refund.meta.evals?.[0]).toMatchObject({ score: 1, attempt: { retry: 0, repeat: 0 } })
    expect(refund.meta.cassette).toEqual({
      replayed: 1,
      recorded: 0,
      calls: [{ role: 'app', source: 'replayed', model: 'gpt-4o-mini', inputTokens: expect.any(Number), outputTokens: expect.any(Number), latencyMs: expect.any(Number), attempt: { repeat: 0, retry: 0 } }],
    })
  })

  test('prompt variants: three prompts on the same questions, side by side in the report, graded by a replayed judge', () => {
    for (const [metric, zeroShot, fewShot, selfExplaining] of [
      ['similarity:rouge-l', '0.440', '0.783', '0.803'],
      ['instructions', '0.500', '1.000', '1.000'],
      ['factuality', '0.650', '0.850', '1.000'],
    ] as const) {
      expect(run.stdout).toMatch(new RegExp(`${metric} \\[zero-shot\\] +${zeroShot} `))
      expect(run.stdout).toMatch(new RegExp(`${metric} \\[few-shot\\] +${fewShot} `))
      expect(run.stdout).toMatch(new RegExp(`${metric} \\[self-explaining\\] +${selfExplaining} `))
    }
    const hallucinated = find('support answers zero-shot change-address')
    expect(hallucinated.meta.variant).toBe('zero-shot')
    expect(hallucinated.meta.evals?.find((record) => record.metric === 'factuality')).toMatchObject({
      score: 0,
      pass: false,
      judge: { provider: 'openai', model: 'gpt-4o-mini', promptVersion: expect.stringMatching(/^factuality@/) },
    })
    expect(hallucinated.meta.cassette?.calls.map((call) => [call.role, call.source])).toEqual([
      ['app', 'replayed'],
      ['judge', 'replayed'],
    ])
    expect(find('support answers self-explaining suite threshold').status).toBe('passed')
  })

  test('RAG: chunk sizes and query expansion compared with toRetrieve; answers checked for grounding and facts', () => {
    expect(run.stdout).toMatch(/retrieval:hit-rate@1 \[chunks-40\] +0\.500 /)
    expect(run.stdout).toMatch(/retrieval:hit-rate@1 \[chunks-120\] +0\.667 /)
    expect(run.stdout).toMatch(/retrieval:hit-rate@1 \[chunks-40\+expansion\] +0\.833 /)
    expect(run.stdout).toMatch(/retrieval:mrr@3 \[chunks-40\] +0\.667 /)
    expect(run.stdout).toMatch(/retrieval:mrr@3 \[chunks-120\] +0\.750 /)
    expect(run.stdout).toMatch(/retrieval:mrr@3 \[chunks-40\+expansion\] +0\.917 /)
    // Small chunks lose the document's subject: the grinder's warranty is found first only with 120-word chunks.
    expect(find('retrieval chunks-40 grinder-warranty').meta.evals?.map((record) => [record.metric, record.score])).toEqual([
      ['retrieval:hit-rate@1', 0],
      ['retrieval:mrr@3', 0.5],
    ])
    expect(find('retrieval chunks-120 grinder-warranty').meta.evals?.map((record) => record.score)).toEqual([1, 1])
    const invented = find('grounded answers (chunks-40+expansion) free-shipping')
    expect(invented.meta.evals?.map((record) => [record.metric, record.score, record.pass])).toEqual([
      ['grounding', 0.5, false],
      ['factuality', 0.6, true],
    ])
    expect(run.stdout).toMatch(/grounding +0\.917 .* 83% +6/)
  })

  test('summariser: a rubric and a free-text instruction, both judged, beside verifiable instructions', () => {
    const rubric = find("meets the support team's summary rubric and house instructions")
    expect(rubric.meta.evals?.map((record) => [record.metric, record.score, record.pass])).toEqual([
      ['instructions', 1, true],
      ['rubric', 0.75, true],
    ])
    expect(rubric.meta.cassette?.calls.map((call) => call.role)).toEqual(['app', 'judge', 'judge'])
  })

  test('ticket classifier: intents compared with the committed human labels; agreement table in the report', () => {
    expect(run.stdout).toContain('Judge-human agreement (human labels from ticket-classifier/evals/labels.jsonl')
    expect(run.stdout).toMatch(/code +label:intent +8 +0\.750 \[0\.409, 0\.929\] +0\.667/)
    const lost = find('ticket routing t05')
    expect(lost.meta.evals).toEqual([expect.objectContaining({ metric: 'label:intent', score: 0, pass: false, details: expect.objectContaining({ automated: 'shipping', human: 'refund' }) })])
    expect(find('ticket routing suite threshold').status).toBe('passed')
  })

  test('support agent: model calls, recorded tools and a simulated customer replay; trace and conversation matchers score them', () => {
    const refund = find('support agent (OpenAI) refunds a damaged blender after checking the order and the policy')
    expect(refund.meta.evals?.map((record) => [record.metric, record.score, record.pass])).toEqual([
      ['tool-calls', 1, true],
      ['tool-call:issue_refund', 1, true],
      ['task-completion', 1, true],
    ])
    // The streamed run: tool calls put back together from the recorded chunks; the forbidden refund scores as a pass.
    const declined = find('support agent (OpenAI) streamed: declines a change-of-mind refund past the 14-day window, without refunding')
    expect(declined.meta.evals?.map((record) => [record.metric, record.pass])).toEqual([
      ['no-tool-call:issue_refund', true],
      ['tool-calls', true],
      ['tool-call:check_refund_policy', true],
    ])
    const conversation = find('support agent (Anthropic) a simulated customer with a broken kettle gets a refund, and is never asked twice for what they said')
    // The customer's three moves, the agent's four model calls (one in the first turn, three in the second), then the two judges.
    expect(conversation.meta.cassette?.calls.map((call) => `${call.role}:${call.source}`)).toEqual(
      ['simulator', 'app', 'simulator', 'app', 'app', 'app', 'simulator', 'judge', 'judge'].map((role) => `${role}:replayed`),
    )
    expect(conversation.meta.evals?.map((record) => [record.metric, record.score])).toEqual([
      ['tool-call:issue_refund', 1],
      ['task-completion', 1],
      ['knowledge-retention', 1],
    ])
  })

  test('fine-tuning data: inspection, balancing and export run as ordinary tests', () => {
    expect(tests.filter((result) => result.fullName.startsWith('fine-tuning data')).map((result) => result.status)).toEqual(['passed', 'passed', 'passed', 'passed'])
  })
})
