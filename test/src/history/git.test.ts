import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { gitInfo, gitInfoLater, startGitInfo, takeGitInfo } from '../../../src/history/git.js'

const dirs: string[] = []
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'git-info-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

function repoWithCommit(branch: string): { dir: string; commit: string } {
  const dir = temp()
  const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Eval', '-c', 'user.email=eval@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim()
  run('init', '-q', '-b', branch)
  writeFileSync(join(dir, 'a.txt'), 'a')
  run('add', 'a.txt')
  run('commit', '-q', '-m', 'first')
  return { dir, commit: run('rev-parse', 'HEAD') }
}

describe('gitInfo', () => {
  test('reads commit and branch of the checkout', async () => {
    const { dir, commit } = repoWithCommit('feature/evals')
    expect(gitInfo(dir, {})).toEqual({ commit, branch: 'feature/evals' })
    await expect(gitInfoLater(dir, {})).resolves.toEqual({ commit, branch: 'feature/evals' })
  })

  test('a detached HEAD has a commit and no branch', async () => {
    const { dir, commit } = repoWithCommit('main')
    execFileSync('git', ['checkout', '-q', '--detach', 'HEAD'], { cwd: dir })
    expect(gitInfo(dir, {})).toEqual({ commit })
    await expect(gitInfoLater(dir, {})).resolves.toEqual({ commit })
  })

  test('CI variables win, and the head branch of a pull request over its merge ref', async () => {
    const { dir } = repoWithCommit('main')
    expect(gitInfo(dir, { GITHUB_SHA: 'abc123', GITHUB_REF_NAME: '12/merge', GITHUB_HEAD_REF: 'fix-refunds' })).toEqual({ commit: 'abc123', branch: 'fix-refunds' })
    await expect(gitInfoLater(dir, { GITHUB_SHA: 'abc123', GITHUB_REF_NAME: '12/merge', GITHUB_HEAD_REF: 'fix-refunds' })).resolves.toEqual({ commit: 'abc123', branch: 'fix-refunds' })
    expect(gitInfo(dir, { GITHUB_SHA: 'abc123' })).toEqual({ commit: 'abc123', branch: 'main' })
    await expect(gitInfoLater(dir, { GITHUB_SHA: 'abc123' })).resolves.toEqual({ commit: 'abc123', branch: 'main' })
  })

  test('outside a repository there is nothing', async () => {
    expect(gitInfo(temp(), {})).toEqual({})
    await expect(gitInfoLater(temp(), {})).resolves.toEqual({})
  })
})

describe('startGitInfo / takeGitInfo', () => {
  test('a read started early is the one taken, once; the next take reads the checkout again', async () => {
    const { dir, commit } = repoWithCommit('main')
    startGitInfo(dir, {})
    // The checkout moves on after the read started: the taken read is the one started before.
    execFileSync('git', ['checkout', '-q', '-b', 'later'], { cwd: dir })
    await expect(takeGitInfo(dir, {})).resolves.toEqual({ commit, branch: 'main' })
    await expect(takeGitInfo(dir, {})).resolves.toEqual({ commit, branch: 'later' })
  })

  test('a read started for another checkout is not taken', async () => {
    const { dir: started } = repoWithCommit('started')
    const { dir, commit } = repoWithCommit('main')
    startGitInfo(started, {})
    await expect(takeGitInfo(dir, {})).resolves.toEqual({ commit, branch: 'main' })
    await expect(takeGitInfo(started, {})).resolves.toMatchObject({ branch: 'started' })
  })
})
