import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/errors/index.js'
import { humanLabel } from '../../src/review/human-label.js'
import { appendLabel, outputHash } from '../../src/review/labels-file.js'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const labelsFile = () => join(mkdtempSync(join(tmpdir(), 'human-label-')), 'labels.jsonl')

describe('.toMatchHumanLabel', () => {
  test('passes when a classifier output equals the label, ignoring case, whitespace and punctuation', async () => {
    await expect('  Refund. ').toMatchHumanLabel('refund')
    await expect('billing  issue!').toMatchHumanLabel('Billing issue')
    await expect(3).toMatchHumanLabel('3')
    await expect(true).toMatchHumanLabel('pass')
  })

  test('passes through aliases', async () => {
    await expect('Money back').toMatchHumanLabel('refund', { aliases: { refund: ['money back', 'reimburse'] } })
  })

  test('records the (automated, human) pair', async ({ task }) => {
    await expect('Shipping').toMatchHumanLabel('shipping', { metric: 'intent' })
    expect(task.meta.evals).toEqual([
      {
        metric: 'label:intent',
        score: 1,
        pass: true,
        reason: 'output said "shipping", human said "shipping"',
        details: { automated: 'shipping', human: 'shipping', grader: 'output', source: 'argument', outputHash: outputHash('Shipping') },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
    expect(task.meta).toMatchObject({ output: 'Shipping', humanLabel: 'shipping' })
  })

  test('fails when the output is another class, with both labels in the message', async ({ task }) => {
    expect(await failureOf(expect('shipping').toMatchHumanLabel('refund'))).toMatchInlineSnapshot(`
      "expect(output).toMatchHumanLabel(label)

      Expected output to match the human label "refund".

      Score:     0.00
      Reasons:
        - output said "shipping", human said "refund"
      Output:
        shipping"
    `)
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'label:label', score: 0, pass: false })
  })

  test('.not passes when they differ', async () => {
    await expect('shipping').not.toMatchHumanLabel('refund')
  })

  test('compares a grader verdict, with its reason, instead of the output', async ({ task }) => {
    const grader = async (output: unknown) => ({ label: String(output).includes('sorry') ? 'pass' : 'fail', reason: 'checks for an apology' })
    await expect('We are sorry for the delay.').toMatchHumanLabel('pass', { grader, metric: 'empathy' })
    expect(await failureOf(expect('Your parcel is late.').toMatchHumanLabel('pass', { grader, metric: 'empathy' }))).toContain(
      'Expected output to match the human label "pass" by its grader.\n\nScore:     0.00\nReasons:\n  - grader said "fail", human said "pass"\n  - grader\'s reason: checks for an apology',
    )
    expect(task.meta.evals?.map((record) => [record.metric, record.pass, (record.details as { grader: string }).grader])).toEqual([
      ['label:empathy', true, 'function'],
      ['label:empathy', false, 'function'],
    ])
  })

  test('misuse is a ConfigError, not a failed assertion', async () => {
    await expect(expect({ intent: 'refund' }).toMatchHumanLabel('refund')).rejects.toThrow('toMatchHumanLabel() got the output {"intent":"refund"}; it needs a label')
    await expect(expect('x').toMatchHumanLabel('x', { grader: 'judge' as never })).rejects.toThrowError(ConfigError)
    await expect(expect('x').toMatchHumanLabel('x', { rubric: 'helpful' } as never)).rejects.toThrow('Unrecognized key: "rubric"')
    await expect(expect('x').toMatchHumanLabel(undefined as never)).rejects.toThrow('needs the human label as a string, number or boolean, or humanLabel(caseId, metric)')
  })
})

describe('.toMatchHumanLabel with labels from the labels file', () => {
  test('uses the newest label of the case and metric', async ({ task }) => {
    const file = labelsFile()
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'pass', by: 'ana' })
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'fail', by: 'ana', note: 'misses the refund window', outputHash: outputHash('Sure!') })
    const message = await failureOf(expect('Sure!').toMatchHumanLabel(humanLabel('q1', 'helpful', { file }), { grader: () => true }))
    expect(message).toContain("  - grader said \"pass\", human said \"fail\"\n  - human's note: misses the refund window")
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'label:helpful', pass: false, details: { source: 'labels-file', labelledBy: 'ana', note: 'misses the refund window' } })
  })

  test('does not score a case nobody labelled yet', async ({ task }) => {
    const file = labelsFile()
    await expect('Sure!').toMatchHumanLabel(humanLabel('q9', 'helpful', { file }), { grader: () => true })
    expect(task.meta.evals).toBeUndefined()
    expect((task.meta as { output?: unknown }).output).toBe('Sure!')
  })

  test('does not reuse a label given to a different output (stale)', async ({ task }) => {
    const file = labelsFile()
    appendLabel(file, { caseId: 'q1', metric: 'helpful', label: 'fail', by: 'ana', outputHash: outputHash('old answer') })
    const message = await failureOf(expect('new answer').not.toMatchHumanLabel(humanLabel('q1', 'helpful', { file })))
    expect(message).toContain('its label ("fail" by ana) is on a different output: review it again')
    expect(task.meta.evals).toBeUndefined()
  })
})

describe('.toMatchHumanLabel validating a judge model', () => {
  let server: ModelServer
  beforeAll(async () => {
    server = await startModelServer()
  })
  afterAll(() => server.close())

  test('a grader that asks a model through the real OpenAI client', async ({ task }) => {
    const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: 'test-key' })
    const judge = async (output: unknown) => {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Is this reply helpful? Answer PASS or FAIL.\n\n${String(output)}` }] })
      return completion.choices[0]?.message.content ?? ''
    }
    server.enqueue({ path: '/v1/chat/completions', content: 'FAIL.' })
    server.enqueue({ path: '/v1/chat/completions', content: 'PASS' })
    await expect('I cannot help with that.').toMatchHumanLabel('fail', { grader: judge, metric: 'helpful' })
    await expect('I cannot help with that either.').not.toMatchHumanLabel('fail', { grader: judge, metric: 'helpful' })
    expect(task.meta.evals?.map((record) => (record.details as { automated: string }).automated)).toEqual(['fail', 'pass'])
    expect(server.requests).toHaveLength(2)
  })
})
