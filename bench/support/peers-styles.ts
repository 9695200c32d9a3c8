/**
 * The peers benchmark's harness workload written in each style: N in-memory rows, an async task, a
 * normalised Levenshtein score and a pass mark of 0.8 (every tenth answer differs a little; all pass). Each
 * style is one test file and one config, so each `vitest run` runs one style.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeConfig } from './peers-project.ts'

export interface Style {
  key: string
  label: string
  /** Runs under `llmEvals()` (ours). */
  ours: boolean
  /** vitest-evals' styles: the best of them is the figure ours must beat. */
  peer: boolean
  /** Shown for reference, not checked against the targets (ours with its run-level features off). */
  reference?: boolean
  /** `llmEvals(…)` options of the config, as source text (default: none). */
  pluginOptions?: string
  /** The test file it runs, when it shares another style's (default: its own). */
  testOf?: string
  source: (cases: number) => string
}

const shared = (cases: number) => `const rows = Array.from({ length: ${cases} }, (_, i) => ({ id: 'c' + i, question: 'question ' + i }))
const task = async (question: string) => (Number(question.slice(9)) % 10 === 0 ? 'The answer to ' + question + ' is in the help centre!' : 'The answer to ' + question + ' is in the help centre.')
const expected = (question: string) => 'The answer to ' + question + ' is in the help centre.'
const similarity = (output: string, reference: string) => 1 - distance(output, reference) / Math.max(output.length, reference.length, 1)
`

export const STYLES: Style[] = [
  {
    key: 'plain',
    label: 'plain Vitest (test.for + expect)',
    ours: false,
    peer: false,
    source: (cases) => `import { expect, test } from 'vitest'
import { distance } from 'fastest-levenshtein'
${shared(cases)}
test.for(rows)('case $id', async (row) => {
  const output = await task(row.question)
  expect(similarity(output, expected(row.question))).toBeGreaterThanOrEqual(0.8)
})
`,
  },
  {
    // vitest-evals 0.16 keeps its scorer-first describeEval under `vitest-evals/legacy`: data, task, scorers, threshold.
    key: 've-scorer',
    label: 'vitest-evals describeEval (scorer API)',
    ours: false,
    peer: true,
    source: (cases) => `import { describeEval } from 'vitest-evals/legacy'
import { distance } from 'fastest-levenshtein'
${shared(cases)}
function Levenshtein({ output, expected }: { input: string; output: string; expected: string }) {
  return { score: similarity(output, expected) }
}
describeEval('scorer', {
  data: async () => rows.map((row) => ({ name: 'case ' + row.id, input: row.question, expected: expected(row.question) })),
  task,
  scorers: [Levenshtein],
  threshold: 0.8,
})
`,
  },
  {
    // The root describeEval: a harness (createHarness), an automatic deterministic judge, judgeThreshold, it.for.
    key: 've-harness',
    label: 'vitest-evals harness API',
    ours: false,
    peer: true,
    source: (cases) => `import { createHarness, createJudge, describeEval } from 'vitest-evals'
import { distance } from 'fastest-levenshtein'
${shared(cases)}
type Input = { question: string; expected: string }
const harness = createHarness<Input, string>({
  name: 'task',
  run: async ({ input }) => {
    const output = await task(input.question)
    return { output, events: [{ type: 'message', role: 'user', content: input.question }, { type: 'message', role: 'assistant', content: output }] }
  },
})
const Levenshtein = createJudge<Input, string>('Levenshtein', ({ input, output }) => ({ score: similarity(output, input.expected) }))
describeEval('harness', { harness, judges: [Levenshtein], judgeThreshold: 0.8 }, (it) => {
  it.for(rows)('case $id', async (row, { run }) => {
    await run({ question: row.question, expected: expected(row.question) })
  })
})
`,
  },
  {
    key: 'ours-describe',
    label: 'ours, describeEval + plain scorer',
    ours: true,
    peer: false,
    source: (cases) => `import { describeEval } from 'vitest-llm-evals'
import { distance } from 'fastest-levenshtein'
${shared(cases)}
describeEval('ours', {
  data: rows,
  task: (row) => task(row.question),
  scorers: [(output, { row }) => ({ metric: 'levenshtein', score: similarity(output, expected(row.question)), threshold: 0.8 })],
})
`,
  },
  {
    key: 'ours-each',
    label: 'ours, evalEach + toBeSimilarTo',
    ours: true,
    peer: false,
    source: (cases) => `import { expect } from 'vitest'
import { evalEach } from 'vitest-llm-evals'
${shared(cases).replace(/^const similarity.*\n/m, '')}
evalEach(rows)('case $id', async (row) => {
  await expect(await task(row.question)).toBeSimilarTo(expected(row.question), { method: 'levenshtein', threshold: 0.8 })
})
`,
  },
  {
    // The same suite as `ours-describe` with the run-level features off: no score history, no report files, no
    // annotations. What the harness itself costs, beside what the history and the report cost at the end of the run.
    key: 'ours-describe-off',
    label: 'ours, describeEval, history/report/annotations off',
    ours: true,
    peer: false,
    reference: true,
    pluginOptions: '{ history: false, report: false, annotations: false }',
    testOf: 'ours-describe',
    source: () => '',
  },
]

/** Writes every style's test file and config for `cases` rows; returns the config file per style key. */
export function writeStyles(dir: string, cases: number): Record<string, string> {
  const configs: Record<string, string> = {}
  for (const style of STYLES) {
    const testFile = `${style.testOf ?? style.key}-${cases}.test.ts`
    if (style.testOf === undefined) writeFileSync(join(dir, testFile), style.source(cases))
    configs[style.key] = writeConfig(dir, `${style.key}-${cases}`, testFile, style.ours, style.pluginOptions)
  }
  return configs
}
