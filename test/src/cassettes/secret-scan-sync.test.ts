// The synchronous secret scan (for usage reports the reporter builds from errors) finds what the asynchronous one
// finds, and fails rather than skip a rule that reads asynchronously.
import { describe, expect, test } from 'vitest'
import { runRulesSync } from '../../../src/cassettes/secret-rules.js'
import { findSecrets } from '../../../src/cassettes/secret-scan.js'
import { findSecretsSync } from '../../../src/cassettes/secret-scan-sync.js'

const GITHUB = 'ghp_' + 'Qm7'.repeat(12)
const GOOGLE = 'AIza' + 'Sy0123456789abcdefghijklmnopqrstuv'
const SLACK = 'xoxb-' + '123456789012-1234567890123-' + 'abcdefghijABCDEFGHIJklmn'

describe('findSecretsSync', () => {
  test.each([
    ['a GitHub token in a test name', `deploys with ${GITHUB} > one`],
    ['a Google API key in a URL query', `https://generativelanguage.googleapis.com/v1/models?key=${GOOGLE}`],
    ['a Slack token and a bearer header', `posts ${SLACK} with Authorization: Bearer sk-proj-abcdefghijklmnopqrstuvwxyz012345`],
    ['no secret', 'order summary > one'],
  ])('passes when it finds what findSecrets finds: %s', async (_, text) => {
    expect(findSecretsSync(text)).toEqual(await findSecrets(text))
  })

  test('finds a GitHub token (not a vacuous match of two empty scans)', () => {
    expect(findSecretsSync(`deploys with ${GITHUB}`).map((found) => found.value)).toEqual([GITHUB])
  })
})

describe('runRulesSync', () => {
  test('fails when a rule reads asynchronously: its findings would come too late', () => {
    const rule = { meta: { id: 'async-rule', type: 'scanner', supportedContentTypes: ['all'], recommended: true, messages: {} }, messages: {}, create: () => ({ file: async () => undefined }) }
    expect(() => runRulesSync([rule as never], 'text', {})).toThrow(/async-rule reads asynchronously/)
  })
})
