// Worker setup file added by the plugin. Interception starts at the top level, before test files
// construct SDK clients (they capture `fetch` when created, so `beforeAll` would be too late).
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest'
import * as matchers from '../matchers/index.js'
import { installAwaitGuard } from '../matchers/shared/await-guard.js'
import { installCassettes } from './cassettes/worker.js'
import { configureDefaultJudge } from './judge/resolve-judge.js'

const cassettes = installCassettes(inject('llmEvals'), expect.getState().testPath)

configureDefaultJudge(inject('llmEvals').judge)
expect.extend(matchers)
installAwaitGuard(Object.keys(matchers))

beforeAll(() => cassettes.beginFile(expect.getState().testPath))
beforeEach((context) => cassettes.beginTest(context.task))
afterEach(async (context) => cassettes.endTest(context.task))
afterAll(async () => cassettes.endFile())
