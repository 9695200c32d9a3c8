import { describe, expect, test } from 'vitest'
import { JudgeError } from '../../src/errors/index.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
const question = 'How long do refunds take?'
const chunks = ['Shipping is free over $50.', 'Refunds are paid within 5 working days.', 'Refunds go to the original card.']
const verdicts = (...useful: boolean[]) => ({ chunks: useful.map((isUseful, index) => ({ index: index + 1, reasoning: `chunk ${index + 1}`, verdict: isUseful ? 'useful' : 'not-useful' })) })

describe.each(PROVIDERS)('.toHaveContextPrecision with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('scores the average precision of the useful chunks', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'context_precision_verdict', verdicts(false, true, true))
    await expect(chunks).toHaveContextPrecision({ question, judge: judge() })
    const record = recordsOf(task)[0] as { score: number; details: { useful: boolean[] } }
    expect(record.score).toBeCloseTo((1 / 2 + 2 / 3) / 2, 12)
    expect(record.details.useful).toEqual([false, true, true])
  })

  test('asks the provider for exactly one verdict per chunk (minItems = maxItems = the number of chunks)', async () => {
    enqueueVerdict(scripted.server, provider, 'context_precision_verdict', verdicts(true, true, true))
    await expect(chunks).toHaveContextPrecision({ question, judge: judge() })
    const body = JSON.stringify(scripted.server.requests.at(-1)?.body)
    expect(body).toContain('"minItems":3')
    expect(body).toContain('"maxItems":3')
  })

  test('fails when useful chunks rank low, with a verdict per chunk', async () => {
    enqueueVerdict(scripted.server, provider, 'context_precision_verdict', verdicts(false, false, true))
    expect(await failureOf(expect(chunks).toHaveContextPrecision({ question, threshold: 0.8, judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toHaveContextPrecision(options)

      Expected output to rank useful chunks first (average precision >= 0.80).

      Score:     0.333 (average precision)
      Threshold: 0.80
      Reasons:
        - ✗ #1 not-useful: "chunk 1"
        - ✗ #2 not-useful: "chunk 2"
        - ✓ #3 useful: "chunk 3"
      Output:
        [1] Shipping is free over $50.
        [2] Refunds are paid within 5 working days.
        [3] Refunds go to the original card."
    `)
  })
})

describe('.toHaveContextPrecision validation', () => {
  test('a verdict list that misses a chunk is invalid output: retried once, then a JudgeError', async () => {
    enqueueVerdict(scripted.server, 'openai', 'context_precision_verdict', verdicts(true, true))
    enqueueVerdict(scripted.server, 'openai', 'context_precision_verdict', verdicts(true, true, false))
    await expect(chunks).toHaveContextPrecision({ question, judge: scriptedJudge(scripted.server, 'openai') })
    enqueueVerdict(scripted.server, 'openai', 'context_precision_verdict', verdicts(true))
    enqueueVerdict(scripted.server, 'openai', 'context_precision_verdict', verdicts(true))
    const failure = expect(chunks).not.toHaveContextPrecision({ question, judge: scriptedJudge(scripted.server, 'openai') })
    await expect(failure).rejects.toThrow(JudgeError)
    await expect(failure).rejects.toThrow('returned invalid output twice: chunks: Too small: expected array to have exactly 3 items')
    // Three verdicts, but not one per chunk.
    const twice = { chunks: [1, 1, 2].map((index) => ({ index, reasoning: 'r', verdict: 'useful' })) }
    enqueueVerdict(scripted.server, 'openai', 'context_precision_verdict', twice)
    enqueueVerdict(scripted.server, 'openai', 'context_precision_verdict', twice)
    await expect(expect(chunks).toHaveContextPrecision({ question, judge: scriptedJudge(scripted.server, 'openai') })).rejects.toThrow(/expected one verdict per chunk with index 1\.\.3, got indexes \[1, 1, 2\]/)
  })

  test('throws a ConfigError for chunks that are not a list of strings', () => {
    expect(() => expect('one chunk').toHaveContextPrecision({ question, judge: scriptedJudge(scripted.server, 'openai') })).toThrow(/needs the retrieved chunks as a non-empty array of strings/)
  })
})
