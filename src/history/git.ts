import { execFileSync } from 'node:child_process'

/** Commit and branch of the checkout at `root`, from CI variables or git; empty outside a repository. */
export function gitInfo(root: string, env: NodeJS.ProcessEnv): { commit?: string; branch?: string } {
  const fromCi = {
    commit: env.GITHUB_SHA ?? env.CI_COMMIT_SHA,
    // On pull requests GITHUB_REF_NAME is "123/merge"; the head branch is the meaningful one.
    branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME,
  }
  // One git process for both (each costs a few milliseconds at the end of every run).
  const [commit, branch] = fromCi.commit && fromCi.branch ? [fromCi.commit, fromCi.branch] : gitHead(root)
  const chosen = { commit: fromCi.commit ?? commit, branch: fromCi.branch || branch }
  return { ...(chosen.commit ? { commit: chosen.commit } : {}), ...(chosen.branch && chosen.branch !== 'HEAD' ? { branch: chosen.branch } : {}) }
}

/** Commit and branch (`HEAD` when detached) of the checkout, or nothing outside a repository. */
function gitHead(root: string): [commit?: string, branch?: string] {
  const lines = git(root, ['rev-parse', 'HEAD', '--abbrev-ref', 'HEAD'])?.split('\n') ?? []
  return [lines[0]?.trim() || undefined, lines[1]?.trim() || undefined]
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || undefined
  } catch {
    return undefined
  }
}
