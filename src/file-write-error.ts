// What a user reads when a file the library writes cannot be written (a folder without write permission, a
// read-only or full disk): which file, which path on its way failed, that the old file is unchanged, and how to fix
// it. Node's own error (`EACCES: permission denied, open '.x.json.1211.05b4174a.tmp'`) names a temporary file the
// user never heard of and no file of theirs.
import { existsSync, statSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { shellQuote } from './cassettes/record-command.js'
import { FileWriteError, LlmEvalsError } from './errors/index.js'

/** Error codes that say the disk or the permissions refused a write: each becomes a {@link FileWriteError}. */
const REFUSALS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a file is in the way where a folder should be',
  ENAMETOOLONG: 'the path is too long',
}

/** What kind of file `file` is, told from its name and place, and the option that writes it elsewhere. */
function kindOf(file: string): { what: string; elsewhere?: string } {
  const name = basename(file)
  if (/\.cassette\.json$/.test(name) || /\.cassette\.files$/.test(basename(dirname(file)))) {
    return { what: 'cassette', elsewhere: "keep cassettes in a folder you can write with `llmEvals({ cassettes: { dir: '…' } })`" }
  }
  if (/[\\/]vitest-llm-evals[\\/]cassette-usage$/.test(dirname(file))) {
    return { what: 'cassette usage report (read by `llm-evals cassettes check`)', elsewhere: 'delete `node_modules/.cache/vitest-llm-evals` (a cache, made again by the next run) if another user made it' }
  }
  if (name === 'history.jsonl') return { what: 'score history', elsewhere: "write it elsewhere with `llmEvals({ history: { file: '…' } })` (or turn it off with `history: false`)" }
  if (name === 'report.html' || name === 'summary.json') return { what: 'report', elsewhere: "write it elsewhere with `llmEvals({ report: { html: '…', json: '…' } })` (or turn it off with `report: false`)" }
  if (name === 'labels.jsonl') return { what: 'human labels file', elsewhere: "keep it elsewhere with `llmEvals({ labels: { file: '…' } })`" }
  return { what: 'file' }
}

/**
 * The path a failed call named, as the user knows it: a temporary file is "a new file in <its folder>". `folder` is
 * what to make writable: the file itself when opening a file that is there was refused (a read-only file in a
 * writable folder), else its folder.
 */
function describeStep(error: NodeJS.ErrnoException, target: string, file: string): { step: string; folder: string; isFile?: boolean } {
  const path = error.path ?? target
  const temporary = basename(path).startsWith('.') && path.endsWith('.tmp')
  // The file can be reached (so every folder on its way can be searched) yet opening it was refused: its own mode.
  if (error.syscall === 'open' && (path === target || path === file) && !temporary && isRefusedFile(path)) return { step: `opening ${path}`, folder: path, isFile: true }
  if (error.code === 'ENOTDIR') {
    const file = fileOnTheWay(path)
    return { step: `: ${file} is a file, not a folder`, folder: file }
  }
  if (error.syscall === 'mkdir') return { step: `creating the folder ${path}`, folder: nearestExisting(dirname(path)) }
  if (error.syscall === 'scandir' || error.syscall === 'opendir') return { step: `listing the folder ${path}`, folder: path }
  if (path.endsWith('.lock')) return { step: `creating its lock file ${path}`, folder: dirname(path) }
  if (error.syscall === 'rename') return { step: `replacing ${target} with the new copy`, folder: dirname(target) }
  if (temporary) return { step: `creating a new file in ${dirname(path)}`, folder: dirname(path) }
  if (error.syscall === 'write' || error.syscall === 'fsync' || error.syscall === 'close') return { step: `writing a new copy in ${dirname(target)}`, folder: dirname(target) }
  return { step: `opening ${path}`, folder: dirname(path) }
}

function isRefusedFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The first path above `path` that is a file, not a folder (where a folder of the path should be). */
function fileOnTheWay(path: string): string {
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return dir
    } catch {
      // Not there (or not readable): look further up.
    }
  }
  return path
}

/** `path`, or the nearest folder above it that exists: the one whose permissions stopped a recursive mkdir. */
function nearestExisting(path: string): string {
  for (let dir = path; ; dir = dirname(dir)) if (existsSync(dir) || dirname(dir) === dir) return dir
}

function howToFix(code: string, folder: string, target: string, elsewhere: string | undefined, isFile = false): string {
  const user = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : ''
  const or = elsewhere ? `; or ${elsewhere}` : ''
  const quoted = shellQuote(folder)
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      if (isFile) return `Make the file ${folder} writable by the user running this${user}: \`chmod u+w ${quoted}\`, or, if another user (a \`sudo\` run, a container) created it, take it back (\`sudo chown "$(id -un)" ${quoted}\`)${or}.`
      return `Make ${folder} writable by the user running this${user}: \`chmod u+w ${quoted}\`, or, if another user (a \`sudo\` run, a container) created it, take it back (\`sudo chown -R "$(id -un)" ${quoted}\`)${or}.`
    case 'EROFS':
      return `Run where ${folder} is writable (a read-only mount or container image: mount a writable folder there)${or}.`
    case 'ENOSPC':
    case 'EDQUOT':
      return `Free space on the disk holding ${folder}, then run again${or}.`
    case 'EISDIR':
      return `Move or delete the folder ${target} (a file is written there)${or}.`
    case 'ENOTDIR':
      return `Move or delete the file ${folder} (a folder of that name is needed)${or}.`
    default:
      return `Use a shorter path${or}.`
  }
}

/** What a caller knows better than the file's name tells: what happened to the file, what it is, how to fix it. */
export interface FileWriteErrorOptions {
  /** Replaces "Nothing was written: the file on disk, if any, is as it was." when that is not so. */
  left?: string
  /** What the file is (`GitHub step summary`) when its name does not say. */
  what?: string
  /** The fix, when the usual ones (chmod, chown, free space) are not the user's to make (a file the CI runner owns). */
  fix?: string
}

/**
 * `error`, thrown while `file` (through `target`, the file a symbolic link at `file` points to) was written, as the
 * user should read it: a {@link FileWriteError} naming the file, its kind, the path that failed and the fix, when the
 * disk or the permissions refused the write (EACCES, EPERM, EROFS, ENOSPC, EDQUOT, EISDIR, ENOTDIR, ENAMETOOLONG);
 * any other error as it is. The message says the file on disk was left as it was, or `left` when that is not so.
 *
 * @example
 * try { replace(target) } catch (error) { throw fileWriteError(error, file, target) }
 */
export function fileWriteError(error: unknown, file: string, target: string = file, options: FileWriteErrorOptions = {}): unknown {
  if (error instanceof LlmEvalsError || !(error instanceof Error)) return error
  const code = (error as NodeJS.ErrnoException).code
  const refusal = code === undefined ? undefined : REFUSALS[code]
  if (code === undefined || refusal === undefined) return error
  const kind = kindOf(file)
  const what = options.what ?? kind.what
  const { step, folder, isFile } = describeStep(error as NodeJS.ErrnoException, target, file)
  const link = target === file ? '' : ` (a symbolic link to ${target})`
  const left = `${options.left ?? 'Nothing was written: the file on disk, if any, is as it was.'} `
  return new FileWriteError(
    `Cannot write the ${what} ${file}${link}: ${refusal} (${code})${step.startsWith(':') ? '' : ' '}${step}. ${left}` +
      (options.fix ?? howToFix(code, folder, target, kind.elsewhere, isFile)),
    { cause: error },
  )
}
