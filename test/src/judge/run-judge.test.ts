import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { currentCallRole } from '../../../src/cassettes/scope.js'
import { ConfigError, JudgeError } from '../../../src/errors/index.js'
import type { Judge } from '../../../src/judge/judge.js'
import { judgeJsonSchema, promptVersion, renderTemplate, withOverride } from '../../../src/judge/prompt.js'
import { factualityPrompt } from '../../../src/judge/prompts/factuality.js'
import { configureDefaultJudge, createJudge, resolveJudge } from '../../../src/judge/resolve-judge.js'
import { runJudge } from '../../../src/judge/run-judge.js'
import { inInstalledProject } from '../../support/installed-project.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from './scripted-judges.js'
import { verdictPrompt } from './verdict-prompt.js'

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => server.reset())
afterAll(async () => server.close())

describe.each(PROVIDERS)('runJudge through the real %s SDK', (provider) => {
  const path = provider === 'openai' ? '/v1/chat/completions' : '/v1/messages'

  test('sends temperature 0 and the schema (reasoning before verdict) as structured output; returns the validated output', async () => {
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'The sky is blue.', verdict: 'yes' })
    const run = await runJudge(createJudge(scriptedJudge(server, provider)), { matcherName: 'test', prompt: verdictPrompt, variables: { thing: 'the sky' } })
    expect(run.samples).toEqual([{ output: { reasoning: 'The sky is blue.', verdict: 'yes' } }])
    expect(run.judge).toEqual({ provider, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', promptVersion: promptVersion(verdictPrompt) })
    expect(run.usage.inputTokens).toBeGreaterThan(0)
    expect(run.usage.outputTokens).toBeGreaterThan(0)
    const body = server.requests[0]?.body as Record<string, unknown>
    expect(body['temperature']).toBe(0)
    const schema = judgeJsonSchema(verdictPrompt.schema)
    expect(Object.keys(schema['properties'] as object)).toEqual(['reasoning', 'verdict'])
    if (provider === 'openai') {
      expect(body['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'test_verdict', strict: true, schema } })
      expect(body['messages']).toEqual([
        { role: 'system', content: 'You answer yes or no.' },
        { role: 'user', content: 'Is the sky blue?' },
      ])
    } else {
      expect(body['tools']).toEqual([{ name: 'test_verdict', description: 'Record your verdict.', input_schema: schema }])
      expect(body['tool_choice']).toEqual({ type: 'tool', name: 'test_verdict' })
      expect(body['system']).toBe('You answer yes or no.')
    }
  })

  test('retries once on invalid output, telling the model what was wrong', async () => {
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'hmm', verdict: 'maybe' })
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'It is.', verdict: 'no' })
    const run = await runJudge(createJudge(scriptedJudge(server, provider)), { matcherName: 'test', prompt: verdictPrompt, variables: { thing: 'grass' } })
    expect(run.samples[0]?.output.verdict).toBe('no')
    expect(server.requests).toHaveLength(2)
    expect(JSON.stringify(server.requests[1]?.body)).toContain('Your previous reply was not valid: verdict: Invalid option')
  })

  test('fails with a JudgeError showing what came back when the output is invalid twice', async () => {
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'hmm', verdict: 'maybe' })
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'still unsure', verdict: 'perhaps' })
    const error = await runJudge(createJudge(scriptedJudge(server, provider)), { matcherName: 'toBeThing', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain(`[vitest-llm-evals] toBeThing(): the judge (${provider} `)
    expect((error as Error).message).toContain('returned invalid output twice: verdict: Invalid option: expected one of "yes"|"no".')
    expect((error as Error).message).toContain('It returned: {"reasoning":"still unsure","verdict":"perhaps"}')
  })

  test('an API error surfaces as a JudgeError with the provider message', async () => {
    server.enqueue({ path, status: 404, error: { message: 'The model `gpt-9` does not exist' } })
    const error = await runJudge(createJudge(scriptedJudge(server, provider)), { matcherName: 'toBeThing', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/toBeThing\(\): the judge .* failed: 404 .*The model `gpt-9` does not exist/)
  })

  test('a 429 with retry-after is retried by the SDK and then succeeds', async () => {
    server.enqueue({ path, status: 429, retryAfter: 0.01, error: { message: 'Rate limit reached' } })
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'ok', verdict: 'yes' })
    const run = await runJudge(createJudge(scriptedJudge(server, provider)), { matcherName: 'test', prompt: verdictPrompt, variables: { thing: 'x' } })
    expect(run.samples[0]?.output.verdict).toBe('yes')
    expect(server.requests).toHaveLength(2)
  })

  test('samples: n calls, each validated', async () => {
    for (const verdict of ['yes', 'no', 'yes']) enqueueVerdict(server, provider, 'test_verdict', { reasoning: '.', verdict })
    const run = await runJudge(createJudge(scriptedJudge(server, provider, { samples: 3 })), { matcherName: 'test', prompt: verdictPrompt, variables: { thing: 'x' } })
    expect(run.samples.map((sample) => sample.output.verdict)).toEqual(['yes', 'no', 'yes'])
    expect(server.requests).toHaveLength(3)
  })
})

describe('judge plumbing', () => {
  const fake = (complete: Judge['complete'], maxConcurrency?: number): Judge => ({ provider: 'fake', model: 'm', ...(maxConcurrency ? { maxConcurrency } : {}), complete })

  test('judge calls run tagged `judge` for cassettes; other code stays `app`', async () => {
    const roles: string[] = []
    await runJudge(
      fake(async () => {
        roles.push(currentCallRole())
        return { output: { reasoning: '', verdict: 'yes' } }
      }),
      { matcherName: 't', prompt: verdictPrompt, variables: { thing: 'x' } },
    )
    expect(roles).toEqual(['judge'])
    expect(currentCallRole()).toBe('app')
  })

  test('the per-provider limiter keeps at most maxConcurrency calls in flight', async () => {
    let inFlight = 0
    let peak = 0
    const judge = fake(async () => {
      inFlight += 1
      peak = Math.max(peak, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 5))
      inFlight -= 1
      return { output: { reasoning: '', verdict: 'no' } }
    }, 3)
    await Promise.all(Array.from({ length: 20 }, () => runJudge(judge, { matcherName: 't', prompt: verdictPrompt, variables: { thing: 'x' } })))
    expect(peak).toBe(3)
  })

  test('a judge that throws is a JudgeError, never a verdict', async () => {
    const error = await runJudge(fake(() => Promise.reject(new Error('socket hang up'))), { matcherName: 'toBeX', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/^\[vitest-llm-evals\] toBeX\(\): the judge \(fake m, prompt test-verdict@[0-9a-f]{12}\) failed: socket hang up/)
  })

  test('a failed judge call names the docs page as installed in the project', async () => {
    const leave = inInstalledProject()
    try {
      const error = await runJudge(fake(() => Promise.reject(new Error('socket hang up'))), { matcherName: 'toBeX', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
      expect((error as Error).message.split('\n').at(-1)).toMatchInlineSnapshot(`"Check the judge model name and API key, or record the judge call (see node_modules/vitest-llm-evals/docs/judges.md)."`)
    } finally {
      leave()
    }
  })

  test('a check beyond the schema counts as invalid output', async () => {
    const outputs = [{ reasoning: 'a', verdict: 'no' }, { reasoning: 'b', verdict: 'yes' }]
    const run = await runJudge(fake(async () => ({ output: outputs.shift() })), {
      matcherName: 't',
      prompt: verdictPrompt,
      variables: { thing: 'x' },
      check: (output) => (output.verdict === 'no' ? 'verdict must be yes here' : undefined),
    })
    expect(run.samples[0]?.output.reasoning).toBe('b')
  })

  test('prompt versions hash system, template and schema; overrides change them', () => {
    expect(promptVersion(factualityPrompt)).toMatch(/^factuality@[0-9a-f]{12}$/)
    expect(promptVersion(factualityPrompt)).toBe(promptVersion({ ...factualityPrompt }))
    expect(promptVersion(withOverride(factualityPrompt, { template: `${factualityPrompt.template}!` }))).not.toBe(promptVersion(factualityPrompt))
    expect(promptVersion({ ...verdictPrompt, schema: z.object({ reasoning: z.string(), verdict: z.enum(['yes', 'no', 'maybe']) }) })).not.toBe(promptVersion(verdictPrompt))
    // Which slots are shown as untrusted regions is part of what the judge sees.
    expect(promptVersion({ ...factualityPrompt, untrusted: { output: 'output' } })).not.toBe(promptVersion(factualityPrompt))
  })

  test('an unknown slot in an overriding template is a ConfigError naming the slots', () => {
    expect(() => renderTemplate('Is {{thnig}} blue?', { thing: 'x' }, 'test-verdict')).toThrow(
      'The judge prompt `test-verdict` uses the slot {{thnig}}, which it does not have. Its slots are {{thing}}; fix the `prompt.template` override.',
    )
  })

  test('a system override may name the boundary as {{boundary}}; an unknown slot there is a ConfigError naming `prompt.system`', async () => {
    const requests: string[] = []
    const capture = fake(async (request) => {
      requests.push(request.system)
      return { output: { reasoning: '', verdict: 'yes' } }
    })
    const prompt = { ...verdictPrompt, untrusted: { thing: 'thing' } }
    await runJudge(capture, { matcherName: 't', prompt: withOverride(prompt, { system: 'Data is in <thing-{{boundary}}> tags.' }), variables: { thing: 'x' } })
    expect(requests[0]).toMatch(/^Data is in <thing-[0-9a-f]{12}> tags\.$/)
    const error = await runJudge(capture, { matcherName: 't', prompt: withOverride(prompt, { system: 'Judge {{thing}}.' }), variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('The judge prompt `test-verdict` uses the slot {{thing}} in its system text, which it does not have. Its slots are {{boundary}}; fix the `prompt.system` override.')
  })

  test('no judge configured and none passed is a ConfigError saying how to set one', () => {
    configureDefaultJudge(undefined)
    expect(() => resolveJudge(undefined, 'toBeFactual')).toThrow(ConfigError)
    expect(() => resolveJudge(undefined, 'toBeFactual')).toThrow(/toBeFactual\(\) needs a judge model, and none is configured\. Set one in vitest\.config\.ts/)
    configureDefaultJudge({ provider: 'openai', model: 'gpt-4o-mini' })
    expect(resolveJudge(undefined, 'toBeFactual')).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' })
    configureDefaultJudge(undefined)
  })

  test.each([
    ['openai', 'openai'],
    ['anthropic', '@anthropic-ai/sdk'],
  ] as const)('a missing %s SDK is a ConfigError saying what to install', async (provider, name) => {
    vi.doMock(name, () => {
      throw new Error(`Cannot find package '${name}'`)
    })
    const error = await runJudge(createJudge({ provider, model: 'm' }), { matcherName: 't', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    vi.doUnmock(name)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(`needs the \`${name}\` package, which is not installed. Run \`npm install --save-dev ${name}\``)
  })

  test('a client of the wrong kind is a ConfigError', () => {
    expect(() => createJudge({ provider: 'anthropic', model: 'c', client: { chat: {} } })).toThrow(/`judge.client` for provider `anthropic` must be an `Anthropic` client/)
  })
})
