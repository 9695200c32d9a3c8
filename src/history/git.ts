import { execFileSync } from 'node:child_process'

/** Commit and branch of the checkout at `root`, from CI variables or git; empty outside a repository. */
export function gitInfo(root: string, env: NodeJS.ProcessEnv): { commit?: string; branch?: string } {
  const commit = env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? git(root, ['rev-parse', 'HEAD'])
  // On pull requests GITHUB_REF_NAME is "123/merge"; the head branch is the meaningful one.
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])
  return { ...(commit ? { commit } : {}), ...(branch && branch !== 'HEAD' ? { branch } : {}) }
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || undefined
  } catch {
    return undefined
  }
}
