import type { VitestPluginContext } from 'vitest/node'
import { describe, expect, test } from 'vitest'
import { LazyScoreAnnotationsReporter, LazyScoreHistoryReporter } from '../../reporters/lazy-reporters.js'
import { ScoreAnnotationsReporter } from '../../reporters/score-annotations.js'
import { ScoreHistoryReporter } from '../../reporters/score-history-reporter.js'
import { parseOptions } from '../../src/config.js'
import { ConfigError } from '../../src/errors/index.js'
import { llmEvals, setupFilePath } from '../../src/plugin.js'

/** What configureVitest reads and changes of Vitest, for one project. */
function fakeVitest(reporters: unknown[] = []) {
  const provided: Record<string, unknown> = {}
  const project = { config: { setupFiles: [] as string[] }, provide: (key: string, value: unknown) => (provided[key] = value) }
  const vitest = { config: { root: '/repo', reporters }, projects: [project], onTestsRerun: () => {} }
  return { context: { vitest, project } as unknown as VitestPluginContext, project, provided, reporters }
}

type Hooks = { config?: () => Promise<void>; configureVitest: (context: VitestPluginContext) => void | Promise<void> }

describe('llmEvals()', () => {
  test('adds the setup file, and the two reporters as stand-ins that load later', async () => {
    const { context, project, provided, reporters } = fakeVitest(['default'])
    await (llmEvals() as unknown as Hooks).configureVitest(context)
    expect(project.config.setupFiles).toEqual([setupFilePath()])
    expect(provided.llmEvals).toMatchObject({ root: '/repo' })
    expect(reporters).toHaveLength(3)
    expect(reporters[0]).toBeInstanceOf(LazyScoreAnnotationsReporter)
    expect(reporters[1]).toBe('default')
    expect(reporters[2]).toBeInstanceOf(LazyScoreHistoryReporter)
    expect((reporters[2] as LazyScoreHistoryReporter).reporter).toBeUndefined()
  })

  test('hands the options to the history reporter', async () => {
    const { context, reporters } = fakeVitest()
    await (llmEvals({ history: { file: 'h.jsonl' }, report: false, gate: { tolerance: 0.1 }, annotations: false }) as unknown as Hooks).configureVitest(context)
    expect(reporters).toHaveLength(1)
    expect((reporters[0] as LazyScoreHistoryReporter).options).toEqual({ cassetteMode: expect.any(String), redact: [], history: { file: 'h.jsonl' }, report: false, gate: { tolerance: 0.1 } })
  })

  test('does not add a reporter the user added', async () => {
    const history = new ScoreHistoryReporter({ history: false })
    const annotations = new ScoreAnnotationsReporter()
    const { context, reporters } = fakeVitest(['default', annotations, history])
    await (llmEvals() as unknown as Hooks).configureVitest(context)
    expect(reporters).toEqual(['default', annotations, history])
  })

  test('common options need no schema: the plugin has no config hook for them', () => {
    expect((llmEvals() as unknown as Hooks).config).toBeUndefined()
    expect((llmEvals({ history: false, report: false, cassettes: { mode: 'replay' } }) as unknown as Hooks).config).toBeUndefined()
  })

  test('unusual options are validated by the schema at start-up, and reach the workers', async () => {
    const plugin = llmEvals({ judge: { provider: 'openai-compatible', model: 'llama', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' } }) as unknown as Hooks
    await expect(plugin.config?.()).resolves.toBeUndefined()
    const { context, provided } = fakeVitest()
    await plugin.configureVitest(context)
    expect(provided.llmEvals).toMatchObject({ judge: { provider: 'openai-compatible', model: 'llama', apiKeyEnv: 'GROQ_API_KEY' } })
  })

  test('a wrong option stops the start-up with the same error as before', async () => {
    const options = { cassettes: { mode: 'recrod', dri: 'x' } } as never
    const expected = (() => {
      try {
        parseOptions(options)
      } catch (error) {
        return error as Error
      }
    })()
    expect(expected).toBeInstanceOf(ConfigError)
    const plugin = llmEvals(options) as unknown as Hooks
    await expect(plugin.config?.()).rejects.toThrowError(expected?.message)
    await expect(plugin.config?.()).rejects.toBeInstanceOf(ConfigError)
    await expect(plugin.configureVitest(fakeVitest().context)).rejects.toThrowError(expected?.message)
    expect(expected?.message).toContain('unknown option `cassettes.dri`; allowed here: mode, dir, hosts, redact, normalizeRequest, maxInlineBytes')
  })

  test('a model object as judge still gets its own message', async () => {
    const model = { specificationVersion: 'v2', provider: 'openai', modelId: 'gpt-4o-mini', doGenerate: async () => ({}) }
    await expect((llmEvals({ judge: model } as never) as unknown as Hooks).config?.()).rejects.toThrowError(/`judge` is an AI SDK model, but the plugin's options reach the test workers as plain data/)
  })
})
