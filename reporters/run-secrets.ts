// The live secret values a main-process reporter must keep out of what it writes: the main process's own
// credential variables and those of each project's Vitest `test.env` (e.g. `env: loadEnv(mode, root, '')`),
// which Vitest sets only in the test workers. Scores are made there, so a reason may quote such a value.
import type { Vitest } from 'vitest/node'
import { liveSecrets } from '../src/cassettes/redact.js'

type Secret = ReturnType<typeof liveSecrets>[number]

/**
 * Live secrets of a run: `env`'s (the main process) and every project's `test.env`, each value once.
 *
 * @example
 * const secrets = runSecrets(vitest) // [{ name: 'OPENAI_API_KEY', value: 'sk-…' }, …]
 */
export function runSecrets(vitest: Pick<Vitest, 'projects'> | undefined, env: NodeJS.ProcessEnv = process.env): Secret[] {
  const secrets = liveSecrets(env)
  const seen = new Set(secrets.map((secret) => secret.value))
  for (const project of vitest?.projects ?? []) {
    const projectEnv: unknown = (project as { config?: { env?: unknown } }).config?.env
    if (typeof projectEnv !== 'object' || projectEnv === null) continue
    const strings = Object.fromEntries(Object.entries(projectEnv).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
    for (const secret of liveSecrets(strings)) {
      if (seen.has(secret.value)) continue
      seen.add(secret.value)
      secrets.push(secret)
    }
  }
  return secrets
}
