import { afterAll, beforeAll } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

/** The key the recording runs of these tests send: key-shaped, so the secret scan and redaction see a real-looking one. */
export const LIVE_OPENAI_KEY = 'sk-proj-livekey0123456789abcdef'

/** A fixture copy and a scripted model server for one describe block, and the env of a run that records against it. */
export interface FixtureWithServer {
  readonly server: ModelServer
  readonly project: FixtureProject
  /** `cleanEnv` with the server as OpenAI's base URL and {@link LIVE_OPENAI_KEY}, plus `extra`. */
  liveEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv
}

/**
 * Copies `test/e2e/fixtures/<name>` and starts a model server before the describe block's tests; removes the
 * copy and closes the server after them. Call it inside `describe`.
 *
 * @example
 * const setup = fixtureWithServer('record-projects')
 * test('…', async () => { await setup.project.run([], setup.liveEnv()) })
 */
export function fixtureWithServer(name: string): FixtureWithServer {
  let server: ModelServer | undefined
  let project: FixtureProject | undefined
  beforeAll(async () => {
    server = await startModelServer()
    project = fixture(name)
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`fixtureWithServer('${name}'): the ${what} is used before beforeAll ran`)
    return value
  }
  return {
    get server() {
      return started(server, 'model server')
    },
    get project() {
      return started(project, 'fixture')
    },
    liveEnv: (extra = {}) => cleanEnv({ OPENAI_BASE_URL: started(server, 'model server').openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY, ...extra }),
  }
}
