import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

const fixtures = join(repoRoot, 'test', 'fixtures', 'importers')
const chat = '/v1/chat/completions'

/** Runs the built CLI, as a user would after `npm install`. */
function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), 'import', ...args], { cwd, encoding: 'utf8' })
  return { code: result.status, output: result.stdout + result.stderr }
}

/** Type-checks the generated suites against the built package (strict, exactOptionalPropertyTypes). */
function typecheck(dir: string) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' })
  return { code: result.status, output: result.stdout + result.stderr }
}

interface JsonResults {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[]; meta?: { evals?: { metric: string; pass: boolean; reason?: string }[] } }[] }[]
}

/** Each case's failed score records, as `metric: reason`. */
function failedScores(project: FixtureProject, file: string): Record<string, string[]> {
  const results = JSON.parse(project.read(file)) as JsonResults
  return Object.fromEntries(results.testResults.flatMap((suite) => suite.assertionResults.map((each) => [each.title, (each.meta?.evals ?? []).filter((record) => !record.pass).map((record) => `${record.metric}: ${record.reason}`)])))
}

function outcomes(project: FixtureProject, file: string): Record<string, string> {
  const results = JSON.parse(project.read(file)) as JsonResults
  return Object.fromEntries(results.testResults.flatMap((suite) => suite.assertionResults.map((each) => [each.title, each.status === 'passed' ? 'passed' : `${each.status}: ${each.failureMessages.join(' ').split('\n')[0]}`])))
}

describe('llm-evals import: the generated suites type-check and run', () => {
  let server: ModelServer
  let project: FixtureProject
  const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-import', ...extra })

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('importers')
  })
  afterAll(async () => {
    await server.close()
    project.remove()
  })

  test('the imports write files that compile against dist/', () => {
    const promptfoo = cli(['promptfoo', join(fixtures, 'promptfoo', 'promptfooconfig.yaml'), '--out', project.dir], project.dir)
    expect(promptfoo.code, promptfoo.output).toBe(0)
    const openai = cli(['openai-evals', join(fixtures, 'openai', 'eval.json'), '--items', join(fixtures, 'openai', 'items.jsonl'), '--out', project.dir], project.dir)
    expect(openai.code, openai.output).toBe(0)
    expect(openai.output).toContain('Not imported (2):')
    const legacy = cli(['openai-evals', join(fixtures, 'openai-legacy', 'registry', 'evals', 'capitals.yaml'), '--out', project.dir], project.dir)
    expect(legacy.code, legacy.output).toBe(0)
    const checked = typecheck(project.dir)
    expect(checked.output).toBe('')
    expect(checked.code).toBe(0)
  })

  test('the OpenAI suite scores the exported samples: string, similarity, score_model and label_model checks', async () => {
    for (const [score, category] of [[7, 'polite'], [6, 'neutral'], [6, 'rude']] as const) {
      server.enqueue({ path: chat, content: { steps: ['Answers?'], reasoning: 'Answers the question.', score } })
      server.enqueue({ path: chat, content: { reasoning: `Sounds ${category}.`, category } })
    }
    const recorded = await project.run(['support-answers.eval.test.ts', '--reporter=json', '--outputFile=openai.json'], env())
    expect(outcomes(project, 'openai.json'), recorded.output).toEqual({
      'refund-time': 'passed',
      'opening-hours': 'passed',
      'cancel-order': 'failed: Error: [vitest-llm-evals] Case "cancel-order" scored below its scorers\' thresholds.',
    })
    // The judge saw the grader's prompt with the item filled in, and the label judge used the grader's model.
    const bodies = server.requests.filter((request) => request.path === chat).map((request) => JSON.stringify(request.body))
    expect(bodies).toHaveLength(6)
    expect(bodies[1]).toContain('"model":"gpt-4.1-mini"')
    expect(bodies[1]).toContain('Customer question: How long do refunds take?')
    expect(failedScores(project, 'openai.json')).toEqual({ 'refund-time': [], 'opening-hours': [], 'cancel-order': ['label: Tone: rude (passing: polite, neutral)'] })

    // Replayed offline from the cassette: same verdicts, no request reaches the server.
    const before = server.requests.length
    await project.run(['support-answers.eval.test.ts', '--reporter=json', '--outputFile=replay.json'], env({ CI: 'true' }))
    expect(outcomes(project, 'replay.json')).toEqual(outcomes(project, 'openai.json'))
    expect(server.requests.length).toBe(before)
  })

  test('the promptfoo suite scores outputs added to the dataset, and says which string check failed', async () => {
    const outputs: Record<string, string> = {
      'capital-of-france': 'The capital of France is Paris.',
      'itinerary-as-json': '{"stops": ["Colosseum", "Pantheon", "Trevi Fountain"]}',
      'packing-list': 'Pack a warm coat, boots and gloves.',
      'river-of-berlin': 'The Spree runs through Berlin.',
      'lisbon-coast': 'No',
    }
    const dataset = project.path('travel-assistant.jsonl')
    const rows = readFileSync(dataset, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string })
    writeFileSync(dataset, rows.map((row) => JSON.stringify({ ...row, output: outputs[row.id] })).join('\n') + '\n')
    server.enqueue({ path: chat, content: { reasoning: 'Same facts.', category: 'same' } })
    for (let index = 0; index < 3; index++) server.enqueue({ path: chat, content: { steps: ['Meets it?'], reasoning: 'Meets the criterion.', score: 5 } })
    const result = await project.run(['travel-assistant.eval.test.ts', '--reporter=json', '--outputFile=promptfoo.json'], env())
    const outcome = outcomes(project, 'promptfoo.json')
    expect(outcome, result.output).toEqual({
      'capital-of-france': 'passed',
      'itinerary-as-json': 'passed',
      'packing-list': 'passed',
      'river-of-berlin': 'passed',
      'lisbon-coast': 'failed: Error: [vitest-llm-evals] Case "lisbon-coast" scored below its scorers\' thresholds.',
    })
    expect(failedScores(project, 'promptfoo.json')['lisbon-coast']).toEqual(['string-checks: failed: equals "Yes"'])
    expect(project.read('__cassettes__', 'travel-assistant.eval.test.ts.cassette.json')).toContain('Names the river correctly')
    expect(result.output).not.toContain('callModel() is a TODO')
  })

  test('a row without an output calls the TODO task, which says what to write', async () => {
    const dataset = project.path('travel-assistant.jsonl')
    const rows = readFileSync(dataset, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; output?: string })
    writeFileSync(dataset, rows.map(({ output, ...row }) => JSON.stringify(row.id === 'lisbon-coast' ? row : { ...row, output })).join('\n') + '\n')
    const result = await project.run(['travel-assistant.eval.test.ts', '-t', 'lisbon-coast', '--reporter=json', '--outputFile=todo.json'], env({ CI: 'true' }))
    expect(outcomes(project, 'todo.json')['lisbon-coast']).toMatch(/^failed: Error: \[llm-evals import\] callModel\(\) is a TODO: send the prompt to your model and return its text/)
    expect(result.code).toBe(1)
  })
})
