import { describe, expect, test } from 'vitest'
import { runSecrets } from '../../reporters/run-secrets.js'

describe('runSecrets', () => {
  test("adds each project's test.env credentials to the main process's, each value once, strings only", () => {
    const projects = [
      { config: { env: { SERVICE_API_KEY: 'svc-live-7f3a9c2e5b1d4086', PORT: '3000', OTHER_TOKEN: 42 } } },
      { config: { env: { SAME_TOKEN: 'main-secret-0123456789' } } },
      { config: {} },
    ]
    const secrets = runSecrets({ projects } as never, { OPENAI_API_KEY: 'main-secret-0123456789' })
    expect(secrets).toEqual([
      { name: 'OPENAI_API_KEY', value: 'main-secret-0123456789' },
      { name: 'SERVICE_API_KEY', value: 'svc-live-7f3a9c2e5b1d4086' },
    ])
  })
})
