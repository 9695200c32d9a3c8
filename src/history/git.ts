import { execFile, execFileSync } from 'node:child_process'

/** Commit and branch of a run. */
export interface GitInfo {
  commit?: string
  branch?: string
}

const GIT_ARGS = ['rev-parse', 'HEAD', '--abbrev-ref', 'HEAD']
const GIT_OPTIONS = { encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], timeout: 5000 }

function fromCi(env: NodeJS.ProcessEnv): GitInfo {
  // On pull requests GITHUB_REF_NAME is "123/merge"; the head branch is the meaningful one.
  return { commit: env.GITHUB_SHA || env.CI_COMMIT_SHA, branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME }
}

/**
 * The commit CI names (GitHub Actions, GitLab), without running git.
 *
 * @example
 * ciCommit({ GITHUB_SHA: '2a81848…' }) // '2a81848…'
 */
export function ciCommit(env: NodeJS.ProcessEnv): string | undefined {
  return fromCi(env).commit || undefined
}

/** CI variables first, then `git rev-parse` output (commit and branch, `HEAD` when detached). */
function choose(ci: GitInfo, output: string | undefined): GitInfo {
  const lines = output?.trim().split('\n') ?? []
  const commit = ci.commit || lines[0]?.trim() || undefined
  const branch = ci.branch || lines[1]?.trim() || undefined
  return { ...(commit ? { commit } : {}), ...(branch && branch !== 'HEAD' ? { branch } : {}) }
}

/**
 * Commit and branch of the checkout at `root`, from CI variables or git; empty outside a repository.
 *
 * @example
 * gitInfo(process.cwd(), process.env) // { commit: '2a81848…', branch: 'main' }
 */
export function gitInfo(root: string, env: NodeJS.ProcessEnv): GitInfo {
  const ci = fromCi(env)
  if (ci.commit && ci.branch) return choose(ci, undefined)
  // One git process for both.
  let output: string | undefined
  try {
    output = execFileSync('git', GIT_ARGS, { ...GIT_OPTIONS, cwd: root })
  } catch {
    output = undefined
  }
  return choose(ci, output)
}

/**
 * {@link gitInfo} without blocking: the reporter starts it when the run starts, so the git process runs
 * beside the tests instead of at the end of the run.
 *
 * @example
 * const git = gitInfoLater(root, process.env) // … await git
 */
export function gitInfoLater(root: string, env: NodeJS.ProcessEnv): Promise<GitInfo> {
  const ci = fromCi(env)
  if (ci.commit && ci.branch) return Promise.resolve(choose(ci, undefined))
  return new Promise((resolve) => {
    try {
      execFile('git', GIT_ARGS, { ...GIT_OPTIONS, cwd: root }, (error, stdout) => resolve(choose(ci, error ? undefined : stdout)))
    } catch {
      resolve(choose(ci, undefined))
    }
  })
}

// Reads started ahead of the reporter (by the plugin's stand-in, as the first worker is created), by checkout.
const startedReads = new Map<string, Promise<GitInfo>>()

/**
 * Starts {@link gitInfoLater} for `root` now, for a later {@link takeGitInfo} to use. The plugin's reporter stand-in
 * calls it as the first worker is created: the git process (a fork of the main process, briefly as large as its
 * heap) then exists while the worker is still small, not beside a worker that has loaded its test file (issue 17).
 *
 * @example
 * startGitInfo(root, process.env) // … takeGitInfo(root, process.env)
 */
export function startGitInfo(root: string, env: NodeJS.ProcessEnv): void {
  if (!startedReads.has(root)) startedReads.set(root, gitInfoLater(root, env))
}

/**
 * The read {@link startGitInfo} started for `root` (once: a later call reads git again), else a new {@link gitInfoLater}.
 *
 * @example
 * const git = takeGitInfo(root, process.env) // … await git
 */
export function takeGitInfo(root: string, env: NodeJS.ProcessEnv): Promise<GitInfo> {
  const started = startedReads.get(root)
  startedReads.delete(root)
  return started ?? gitInfoLater(root, env)
}
