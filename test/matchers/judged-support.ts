import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'

/** Starts the scripted server for a judged-matcher test file, cleared before each test. */
export function useScriptedServer(): { readonly server: ModelServer } {
  const holder = {} as { server: ModelServer }
  beforeAll(async () => {
    holder.server = await startModelServer()
  })
  beforeEach(() => holder.server.reset())
  afterAll(async () => holder.server.close())
  return holder
}

/** The score records the current test pushed. */
export function recordsOf(task: { meta: object }): Array<Record<string, unknown>> {
  return ((task.meta as { evals?: Array<Record<string, unknown>> }).evals ?? [])
}
