import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ConfigError, JudgeError } from '../../../src/errors/index.js'
import { judgePrompts } from '../../../src/judge/index.js'
import { judgeJsonSchema, promptVersion } from '../../../src/judge/prompt.js'
import { classificationPrompt } from '../../../src/judge/prompts/classification.js'
import { createJudge } from '../../../src/judge/resolve-judge.js'
import { categoryEntries, scoreCategory } from '../../../src/judge/scorers/classification.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from './scripted-judges.js'

const OUTCOMES = {
  resolved: 'The customer problem is solved.',
  'partially-resolved': 'Some of it is solved, or the next step is unclear.',
  unresolved: 'Nothing useful was done.',
  harmful: 'The answer could hurt the customer.',
}
const NAMES = Object.keys(OUTCOMES)

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => server.reset())
afterAll(async () => server.close())

describe('classificationPrompt', () => {
  test('asks for reasoning before the category, constrained to the given names', () => {
    const schema = judgeJsonSchema(classificationPrompt(['resolved', 'unresolved']).schema)
    expect(schema).toEqual({
      type: 'object',
      properties: { reasoning: { type: 'string' }, category: { type: 'string', enum: ['resolved', 'unresolved'] } },
      required: ['reasoning', 'category'],
      additionalProperties: false,
    })
    expect(judgePrompts.classification).toBe(classificationPrompt)
  })

  test('each set of names is its own prompt version', () => {
    const version = promptVersion(classificationPrompt(['resolved', 'unresolved']))
    expect(version).toMatch(/^classification@[0-9a-f]{12}$/)
    expect(promptVersion(classificationPrompt(['resolved', 'unresolved']))).toBe(version)
    expect(promptVersion(classificationPrompt(['resolved', 'unresolved', 'harmful']))).not.toBe(version)
  })
})

describe('categoryEntries', () => {
  test('takes names, or names with descriptions (an empty description is left out)', () => {
    expect(categoryEntries(['a', 'b'], 'f()')).toEqual([{ name: 'a' }, { name: 'b' }])
    expect(categoryEntries({ a: 'first', b: ' ' }, 'f()')).toEqual([{ name: 'a', description: 'first' }, { name: 'b' }])
  })

  test('rejects fewer than two, empty names, and names equal once compared as labels', () => {
    expect(() => categoryEntries(['only'], 'toMatchHumanLabel()')).toThrow('toMatchHumanLabel(): `categories` needs at least two categories, got ["only"]')
    expect(() => categoryEntries({}, 'f()')).toThrowError(ConfigError)
    expect(() => categoryEntries(['a', ' '], 'f()')).toThrow('`categories` has an empty name')
    expect(() => categoryEntries(['Resolved', 'resolved!'], 'f()')).toThrow('`categories` has "Resolved" and "resolved!", which are the same label once case, whitespace and punctuation are ignored')
  })
})

describe.each(PROVIDERS)('scoreCategory through the real %s SDK', (provider) => {
  const judge = () => createJudge(scriptedJudge(server, provider))
  const verdict = (category: string, reasoning = 'Because.') => enqueueVerdict(server, provider, 'classification_verdict', { reasoning, category })

  test('the request shows the question, output and categories, and constrains the category to their names', async () => {
    verdict('partially-resolved', 'Explains the delay, no date.')
    const result = await scoreCategory('Your parcel is delayed.', { categories: OUTCOMES, question: 'Where is my parcel?' }, { judge: judge() })
    expect(result).toMatchObject({
      score: 1,
      pass: true,
      reason: 'partially-resolved: Explains the delay, no date.',
      reasons: ['category: "partially-resolved"', 'judge: "Explains the delay, no date."'],
      details: { category: 'partially-resolved', reasoning: 'Explains the delay, no date.' },
    })
    expect(result.runs[0]?.judge.promptVersion).toBe(promptVersion(classificationPrompt(NAMES as [string, ...string[]])))

    const body = server.requests[0]?.body as Record<string, unknown>
    const schema = provider === 'openai'
      ? (body['response_format'] as { json_schema: { strict: boolean; schema: { properties: { category: unknown } } } }).json_schema
      : { strict: undefined, schema: (body['tools'] as Array<{ input_schema: { properties: { category: unknown } } }>)[0]!.input_schema }
    expect(schema.schema.properties.category).toEqual({ type: 'string', enum: NAMES })
    if (provider === 'openai') expect(schema.strict).toBe(true)
    else expect(body['tool_choice']).toEqual({ type: 'tool', name: 'classification_verdict' })
    const user = JSON.stringify(body['messages'])
    expect(user).toMatch(/<question(-[0-9a-f]{12})>\\nWhere is my parcel\?\\n<\/question\1>/)
    expect(user).toMatch(/<output(-[0-9a-f]{12})>\\nYour parcel is delayed\.\\n<\/output\1>/)
    expect(user).toContain('- \\"resolved\\": The customer problem is solved.\\n- \\"partially-resolved\\": Some of it is solved')
  })

  test('a category outside the names is invalid output: retried once, then a JudgeError', async () => {
    verdict('solved')
    verdict('resolved')
    const retried = await scoreCategory('Done.', { categories: ['resolved', 'unresolved'] }, { judge: judge() })
    expect(retried.details['category']).toBe('resolved')
    expect(JSON.stringify(server.requests[1]?.body)).toContain('Your previous reply was not valid: category: Invalid option')

    verdict('solved')
    verdict('fixed')
    const error = await scoreCategory('Done.', { categories: ['resolved', 'unresolved'] }, { judge: judge(), matcherName: 'toMatchHumanLabel' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain('returned invalid output twice: category: Invalid option: expected one of "resolved"|"unresolved"')
  })

  test('samples: the category most samples chose, its reasoning, the share that chose it', async () => {
    verdict('unresolved', 'No answer.')
    verdict('resolved', 'Answered.')
    verdict('unresolved', 'Still no answer.')
    const result = await scoreCategory('Hmm.', { categories: NAMES }, { judge: judge(), samples: 3 })
    expect(result).toMatchObject({ score: 2 / 3, details: { category: 'unresolved', reasoning: 'No answer.', votes: ['unresolved', 'resolved', 'unresolved'] } })
    expect(server.requests).toHaveLength(3)
  })

  test('samples that tie go to the tied category listed first in `categories`', async () => {
    for (const category of ['harmful', 'unresolved', 'partially-resolved']) verdict(category)
    const result = await scoreCategory('Hmm.', { categories: NAMES }, { judge: judge(), samples: 3 })
    expect(result.details['category']).toBe('partially-resolved')
    expect(result.score).toBeCloseTo(1 / 3)
  })

  test('without a question the slot is empty; bad categories fail before any judge call', async () => {
    verdict('resolved')
    await scoreCategory('Done.', { categories: ['resolved', 'unresolved'] }, { judge: judge() })
    expect(JSON.stringify(server.requests[0]?.body)).toMatch(/<question(-[0-9a-f]{12})>\\n\\n<\/question\1>/)
    await expect(scoreCategory('Done.', { categories: ['resolved'] }, { judge: judge() })).rejects.toThrow('scoreCategory(): `categories` needs at least two categories')
    expect(server.requests).toHaveLength(1)
  })
})
