// A worker that runs several test files (`--no-isolate`, VM pools) evaluates the installed package's setup file for
// the first one only (Node caches it), so hooks registered at its top level are that file's alone. The library's
// runner registers the setup file's per-file hooks in each file: every file's calls go to its own cassette, on the
// test that made them, and a retried test keeps only its passing try.
import { copyFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, installBuiltPackage, type FixtureProject } from './run-fixture.js'

interface Entry { test: string; repeat: number; request: { body: { messages: { content: string }[] } } }

const FILES = ['calls.test.ts', 'more-calls.test.ts']

describe.each([['--no-isolate'], ['--pool=vmThreads']])('one worker for two files of an installed package (%s)', (mode) => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { code: number | null; output: string }
  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('runner')
    installBuiltPackage(project, 'runner-files-app')
    copyFileSync(project.path('calls.test.ts'), project.path('more-calls.test.ts'))
    const env = cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test' })
    recorded = await project.run([mode, '--maxWorkers=1'], env)
  }, 120_000)
  afterAll(async () => {
    project.remove()
    await server.close().catch(() => undefined)
  })

  const calls = (file: string) =>
    (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: Entry[] }).entries
      .map((entry) => `${entry.test} #${entry.repeat}: ${entry.request.body.messages[0]?.content}`)
      .sort()

  test("records each file's calls in its own cassette, on the tests that made them", () => {
    expect(recorded.code, recorded.output).toBe(0)
    const expected = [
      'concurrent > case 1 #0: concurrent 1', 'concurrent > case 2 #0: concurrent 2', 'concurrent > case 3 #0: concurrent 3',
      'concurrent > case 4 #0: concurrent 4', 'concurrent > case 5 #0: concurrent 5', 'concurrent > case 6 #0: concurrent 6',
      'hooks > sequential #0: after sequential', 'hooks > sequential #0: before sequential', 'hooks > sequential #0: in sequential',
      'repeated #0: repeat me', 'repeated #1: repeat me', 'repeated #2: repeat me',
      // The failed try's recording is dropped when its retry begins.
      'retried #0: retry me',
    ]
    for (const file of FILES) expect(calls(file)).toEqual(expected)
  })
})
