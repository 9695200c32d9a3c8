// A `recordTool` call is looked up by its arguments as stored (redacted): an agent whose replayed model answer gives
// the tool `[REDACTED]` where the recording run gave it the live value still finds the call's recording.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { CassetteMode } from '../../../src/cassettes/mode.js'
import { enterTestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession } from '../../../src/cassettes/session.js'

const root = mkdtempSync(join(tmpdir(), 'stored-tool-args-'))
const token = 'ghp_' + 'Qm7'.repeat(12)

async function run(mode: CassetteMode, args: unknown[]): Promise<unknown[]> {
  const session = new CassetteSession({ mode, root, hosts: [], redact: [{ source: 'cust_[a-z0-9]+', flags: 'g' }], maxInlineBytes: 1024, runStartedAt: 0 })
  session.useTestFile(join(root, 'agent.test.ts'))
  const scope = { test: 'agent', repeat: 0, active: true }
  enterTestScope(scope)
  const outcomes: unknown[] = []
  for (const each of args) {
    const call = session.callTool({ name: 'lookup', fn: (value: { id: string }) => `plan of ${value.id.length} chars`, thisArg: undefined, args: [each] }, scope)
    outcomes.push(await call.catch((error: Error) => error.message))
  }
  await session.endTest(scope, false).catch(() => undefined)
  await session.endFile(new Set(['agent']), true)
  return outcomes
}

test('a tool call whose arguments come back redacted from a replayed answer replays; the arguments are shown as stored on a miss', async () => {
  expect(await run('auto', [{ id: 'cust_42' }, { id: token }])).toEqual(['plan of 7 chars', 'plan of 40 chars'])
  expect(await run('replay', [{ id: '[REDACTED]' }, { id: '[REDACTED]' }])).toEqual(['plan of 7 chars', 'plan of 40 chars'])
  const [missed] = await run('replay', [{ id: 'cust_43 again' }])
  expect(missed).toContain('[REDACTED] again')
  expect(missed).not.toContain('cust_43')
})
