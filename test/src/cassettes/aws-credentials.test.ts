import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { awsPlaceholderIn, setAwsPlaceholderCredentials } from '../../../src/cassettes/aws-credentials.js'

const emptyHome = mkdtempSync(join(tmpdir(), 'aws-home-'))
const placeholders = { AWS_ACCESS_KEY_ID: 'AKIALLMEVALSPLACEHOLDER', AWS_SECRET_ACCESS_KEY: 'llm-evals-placeholder-aws-secret-access-key' }

describe('setAwsPlaceholderCredentials', () => {
  test('sets both placeholders in replay and auto when no AWS credentials are configured', () => {
    for (const mode of ['replay', 'auto'] as const) {
      const env: NodeJS.ProcessEnv = {}
      setAwsPlaceholderCredentials(env, mode, emptyHome)
      expect(env).toEqual(placeholders)
    }
  })

  test('never mixes a placeholder with a real key, and sets nothing in record or passthrough', () => {
    for (const env of [{ AWS_ACCESS_KEY_ID: 'AKIAREALKEY000000000' }, { AWS_SECRET_ACCESS_KEY: 'real-secret-0000000000' }]) {
      const copy: NodeJS.ProcessEnv = { ...env }
      setAwsPlaceholderCredentials(copy, 'replay', emptyHome)
      expect(copy).toEqual(env)
    }
    for (const mode of ['record', 'passthrough'] as const) {
      const env: NodeJS.ProcessEnv = {}
      setAwsPlaceholderCredentials(env, mode, emptyHome)
      expect(env).toEqual({})
    }
  })

  test('in auto, leaves a profile, a Bedrock API key or ~/.aws files to the SDK (they record); replay still sets them', () => {
    const home = mkdtempSync(join(tmpdir(), 'aws-home-'))
    mkdirSync(join(home, '.aws'))
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\n')
    for (const [env, where] of [[{ AWS_PROFILE: 'dev' }, emptyHome], [{ AWS_BEARER_TOKEN_BEDROCK: 'ABSK0000' }, emptyHome], [{}, home]] as const) {
      const auto: NodeJS.ProcessEnv = { ...env }
      setAwsPlaceholderCredentials(auto, 'auto', where)
      expect(auto).toEqual(env)
      const replay: NodeJS.ProcessEnv = { ...env }
      setAwsPlaceholderCredentials(replay, 'replay', where)
      expect(replay).toEqual({ ...env, ...placeholders })
    }
  })
})

describe('awsPlaceholderIn', () => {
  test('names the variables to set when a request was signed with the placeholder key id', () => {
    const signed = 'AWS4-HMAC-SHA256 Credential=AKIALLMEVALSPLACEHOLDER/20261206/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=abc'
    expect(awsPlaceholderIn(signed)).toBe('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or AWS_BEARER_TOKEN_BEDROCK)')
    expect(awsPlaceholderIn(signed.replace('AKIALLMEVALSPLACEHOLDER', 'AKIAREALKEY000000000'))).toBeUndefined()
  })
})
