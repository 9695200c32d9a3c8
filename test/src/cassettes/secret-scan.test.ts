import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { findSecrets, maskSecret } from '../../../src/cassettes/secret-scan.js'

/** Key-shaped text built at run time, so no key-shaped literal sits in the repository. */
const chars = (length: number, alphabet = 'A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz') => Array.from({ length }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('')
const upper = (length: number) => chars(length, 'QWERTYUIOPASDFGHJKLZXCVBNM234567')

const KEYS = {
  awsKeyId: `AKIA${upper(16)}`,
  awsSessionKeyId: `ASIA${upper(16)}`,
  githubToken: `ghp_${chars(36)}`,
  githubFineGrained: `github_pat_${chars(22)}_${chars(59)}`,
  googleApiKey: `AIza${chars(35)}`,
  slackBotToken: `xoxb-${'1234567890'}-${'1234567890123'}-${chars(24)}`,
  openaiKey: `sk-proj-${chars(40)}`,
  anthropicKey: `sk-ant-api03-${chars(93)}AA`,
}

const rules = async (text: string) => (await findSecrets(text)).map((finding) => [finding.rule, finding.value])

describe('findSecrets', () => {
  test.each([
    ['an AWS access key ID', KEYS.awsKeyId, '@secretlint/secretlint-rule-aws'],
    ['an AWS temporary access key ID', KEYS.awsSessionKeyId, '@secretlint/secretlint-rule-aws'],
    ['a GitHub token', KEYS.githubToken, '@secretlint/secretlint-rule-github'],
    ['a GitHub fine-grained token', KEYS.githubFineGrained, '@secretlint/secretlint-rule-github'],
    ['a Google API key', KEYS.googleApiKey, 'vitest-llm-evals/google-api-key'],
    ['a Slack bot token', KEYS.slackBotToken, '@secretlint/secretlint-rule-slack'],
    ['an sk- key', KEYS.openaiKey, 'vitest-llm-evals/sk-key'],
    ['an Anthropic key', KEYS.anthropicKey, '@secretlint/secretlint-rule-anthropic'],
  ])('finds %s, with its rule, value, line and column', async (_, key, rule) => {
    expect(await findSecrets(`first line\nthe key: ${key} (keep it safe)`)).toEqual([{ rule, value: key, index: 20, line: 2, column: 10 }])
  })

  test('finds an OpenAI or Anthropic key glued to the words around it, from its prefix', async () => {
    const openaiKey = `sk-proj-${chars(74)}T3Blbk${'FJ'}${chars(74)}`
    expect(await rules(`your key isthe${openaiKey}Then use it`)).toEqual([['vitest-llm-evals/sk-key', `${openaiKey}Then`]])
    expect(await rules(`the keyis${KEYS.anthropicKey}`)).toEqual([['vitest-llm-evals/sk-key', KEYS.anthropicKey]])
  })

  test('a text starting with a byte-order mark: the value found is the key, at its offset', async () => {
    expect(await findSecrets(`\uFEFFtoken ${KEYS.githubToken}`)).toEqual([{ rule: '@secretlint/secretlint-rule-github', value: KEYS.githubToken, index: 7, line: 1, column: 8 }])
  })

  test('finds a private key block, also inside JSON text', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    const pem = privateKey.trim()
    expect(await rules(`key:\n${pem}\n`)).toEqual([['@secretlint/secretlint-rule-privatekey', pem]])
    const json = JSON.stringify({ output: pem })
    expect(await rules(json)).toEqual([['@secretlint/secretlint-rule-privatekey', JSON.stringify(pem).slice(1, -1)]])
  })

  test('finds a password in a URL, an AWS secret key by its variable, and a bearer token without the word', async () => {
    expect(await rules('clone https://deploy:s3cr3t-passw0rd@git.example.com/repo.git')).toEqual([['@secretlint/secretlint-rule-basicauth', 'https://deploy:s3cr3t-passw0rd@git.example.com']])
    const secretKey = chars(40, 'abcdEFGH1234/+')
    expect(await rules(`AWS_SECRET_ACCESS_KEY=${secretKey}`)).toEqual([['@secretlint/secretlint-rule-aws', secretKey]])
    expect(await rules('Authorization: Bearer abc123.def456.ghi789')).toEqual([['vitest-llm-evals/bearer-token', 'abc123.def456.ghi789']])
  })

  test('reports overlapping matches once, and several secrets in order', async () => {
    const found = await findSecrets(`${KEYS.anthropicKey}\n${KEYS.githubToken} and ${KEYS.googleApiKey}`)
    expect(found.map((finding) => [finding.rule, finding.line, finding.column])).toEqual([
      ['@secretlint/secretlint-rule-anthropic', 1, 1],
      ['@secretlint/secretlint-rule-github', 2, 1],
      ['vitest-llm-evals/google-api-key', 2, 46],
    ])
  })

  test('a "secretlint-disable" comment in the text does not turn the scan off', async () => {
    expect(await rules(`// secretlint-disable\n${KEYS.githubToken}`)).toEqual([['@secretlint/secretlint-rule-github', KEYS.githubToken]])
  })

  test('flags no ordinary text: prose about keys, ids, hashes, account numbers, documentation examples', async () => {
    const prose = [
      'Use Bearer authentication: send your API key in the Authorization header. The secret key is in an environment variable.',
      'Set OPENAI_API_KEY=<your key> and GITHUB_TOKEN=... before running; see https://platform.openai.com/api-keys.',
      'Request req_01HZX3K4Y5 returned chatcmpl-AbC123dEf456 with sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.',
      '"account_id": "123456789012", "aws_region": "eu-west-1", "bucket": "my-bucket-AKIA"',
      'The AWS docs use AKIAIOSFODNN7EXAMPLE; sk-short and task-list are not keys; the AIza prefix alone is not one.',
      'https://example.com/path?query=1 and mailto:someone@example.com and user@host.example.com',
      '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
    ].join('\n')
    expect(await findSecrets(prose)).toEqual([])
  })
})

describe('maskSecret', () => {
  test('shows the first 4 characters and the length, never the rest', () => {
    expect(maskSecret(KEYS.githubToken)).toBe('ghp_… (40 chars)')
    expect(maskSecret(KEYS.githubToken)).not.toContain(KEYS.githubToken.slice(4, 8))
  })
})
