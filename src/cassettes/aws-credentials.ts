// Placeholder AWS credentials for replaying Bedrock calls without an AWS account: the SDK signs (SigV4)
// every request before sending it, and fails before the cassette sees it when it finds no credentials.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CassetteMode } from './mode.js'

/** What `replay`/`auto` set when neither `AWS_ACCESS_KEY_ID` nor `AWS_SECRET_ACCESS_KEY` is set. */
export const AWS_PLACEHOLDER_CREDENTIALS: Readonly<Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY', string>> = {
  AWS_ACCESS_KEY_ID: 'AKIALLMEVALSPLACEHOLDER',
  AWS_SECRET_ACCESS_KEY: 'llm-evals-placeholder-aws-secret-access-key',
}

/** Variables naming another source of AWS credentials (a profile, web identity, a container role). */
const OTHER_SOURCES = ['AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_BEARER_TOKEN_BEDROCK']

/**
 * Sets placeholder `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` when neither is set: always in `replay` (nothing
 * reaches AWS, and the SDK must not wait for the instance metadata service), and in `auto` only when no other
 * credential source is configured (a profile, `~/.aws/credentials`…), so that recording with it still works.
 *
 * @example
 * setAwsPlaceholderCredentials(process.env, 'replay') // process.env.AWS_ACCESS_KEY_ID === 'AKIALLMEVALSPLACEHOLDER'
 */
export function setAwsPlaceholderCredentials(env: NodeJS.ProcessEnv, mode: CassetteMode, home: string = homedir()): void {
  if (mode !== 'replay' && mode !== 'auto') return
  if (env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY) return
  if (mode === 'auto' && (OTHER_SOURCES.some((name) => env[name]) || hasSharedFiles(env, home))) return
  Object.assign(env, AWS_PLACEHOLDER_CREDENTIALS)
}

function hasSharedFiles(env: NodeJS.ProcessEnv, home: string): boolean {
  return [env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')].some((file) => existsSync(file))
}

/** The variables to set, when `request` was signed with the placeholder credentials (its `Credential=` names the key id). */
export function awsPlaceholderIn(authorization: string): string | undefined {
  return authorization.includes(`Credential=${AWS_PLACEHOLDER_CREDENTIALS.AWS_ACCESS_KEY_ID}/`) ? 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or AWS_BEARER_TOKEN_BEDROCK)' : undefined
}
