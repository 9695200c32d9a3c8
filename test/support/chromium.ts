/**
 * The headless Chromium that the browser tests drive through playwright-core: `CHROMIUM_PATH` if set, else an
 * installed Chrome or Chromium, else on Linux x64 the one the dev dependency `@sparticuz/chromium` ships.
 * `LLM_EVALS_TEST_NO_SYSTEM_CHROME=1` skips the installed ones, to test the packaged one on a machine that has both.
 *
 * @example
 * const browser = chromiumFor('the review page')
 * describe.skipIf(!browser)('review page in headless Chromium', () => {
 *   beforeAll(async () => { context = await launchChromium(browser, join(dir, 'profile')) })
 * })
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, win32 } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { unpackPackagedChromium } from './packaged-chromium.js'

/** Where the browser comes from. The packaged one is unpacked at launch, not while test files are collected. */
export type ChromiumSource = { kind: 'executable'; executablePath: string } | { kind: 'packaged' }

/** What to start: the executable, the environment it needs beyond ours, and its command-line flags. */
export interface ChromiumLaunch {
  executablePath: string
  env: Record<string, string>
  args: string[]
}

// Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Where Chrome or Chromium is usually installed on this platform. */
export function installedChromiumPaths(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium']
    return ['/Applications', join(homedir(), 'Applications')].flatMap((folder) => apps.map((app) => join(folder, app)))
  }
  if (platform === 'win32') {
    const folders = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((folder) => folder !== undefined)
    return folders.map((folder) => win32.join(folder, 'Google', 'Chrome', 'Application', 'chrome.exe'))
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']
}

/** What `findChromium` looks at: this process's environment, platform and files unless a test says otherwise. */
export interface ChromiumLookup {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  arch?: NodeJS.Architecture
  exists?: (path: string) => boolean
}

/** Finds the browser without starting or unpacking anything; `undefined` when there is none. */
export function findChromium({ env = process.env, platform = process.platform, arch = process.arch, exists = existsSync }: ChromiumLookup = {}): ChromiumSource | undefined {
  if (env.CHROMIUM_PATH) return { kind: 'executable', executablePath: env.CHROMIUM_PATH }
  const installed = env.LLM_EVALS_TEST_NO_SYSTEM_CHROME ? undefined : installedChromiumPaths(platform, env).find(exists)
  if (installed) return { kind: 'executable', executablePath: installed }
  if (platform === 'linux' && arch === 'x64') return { kind: 'packaged' }
  return undefined
}

/**
 * The browser for the tests of `subject`. With none, it throws under CI (browser tests must run there) and
 * elsewhere warns that they are skipped and how to get one.
 */
export function chromiumFor(subject: string): ChromiumSource | undefined {
  const source = findChromium()
  if (source?.kind === 'executable' && !existsSync(source.executablePath)) {
    throw new Error(`CHROMIUM_PATH is ${source.executablePath}, which does not exist. Point it at a Chrome or Chromium executable, or unset it.`)
  }
  if (source) return source
  const how = `Install Google Chrome or Chromium, or set CHROMIUM_PATH to one (the npm-shipped Chromium of @sparticuz/chromium runs only on Linux x64).`
  if (process.env.CI) throw new Error(`No Chromium to test ${subject} in a browser, and CI must. ${how}`)
  console.warn(`SKIPPED: the browser tests of ${subject}: no Chromium found. ${how}`)
  return undefined
}

/** Resolves a source to what to start, unpacking the packaged browser on first use. */
export async function resolveChromium(source: ChromiumSource): Promise<ChromiumLaunch> {
  if (source.kind === 'executable') return { executablePath: source.executablePath, env: {}, args: ARGS }
  const packaged = await unpackPackagedChromium()
  return { ...packaged, args: ARGS }
}

/** Starts headless Chromium with a fresh profile in `profileDir`. */
export async function launchChromium(source: ChromiumSource | undefined, profileDir: string): Promise<BrowserContext> {
  if (!source) throw new Error('launchChromium needs a browser: skip the tests when chromiumFor() finds none.')
  const { executablePath, env, args } = await resolveChromium(source)
  return chromium.launchPersistentContext(profileDir, { executablePath, headless: true, args, env: { ...process.env, ...env } })
}
