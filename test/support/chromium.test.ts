// Which Chromium the browser tests get, on every platform, without starting one.
import { describe, expect, test } from 'vitest'
import { findChromium } from './chromium.js'

const nothingInstalled = () => false

describe('findChromium', () => {
  test('takes CHROMIUM_PATH first, even over an installed Chromium', () => {
    expect(findChromium({ env: { CHROMIUM_PATH: '/opt/chrome' }, platform: 'linux', exists: () => true })).toEqual({ kind: 'executable', executablePath: '/opt/chrome' })
  })

  test('takes an installed Chromium or Chrome before the packaged one', () => {
    const exists = (path: string) => path === '/usr/bin/google-chrome'
    expect(findChromium({ env: {}, platform: 'linux', arch: 'x64', exists })).toEqual({ kind: 'executable', executablePath: '/usr/bin/google-chrome' })
  })

  test('falls back to the packaged Chromium on Linux x64, or when told to skip installed ones', () => {
    expect(findChromium({ env: {}, platform: 'linux', arch: 'x64', exists: nothingInstalled })).toEqual({ kind: 'packaged' })
    expect(findChromium({ env: { LLM_EVALS_TEST_NO_SYSTEM_CHROME: '1' }, platform: 'linux', arch: 'x64', exists: () => true })).toEqual({ kind: 'packaged' })
  })

  test('finds Chrome where macOS and Windows install it', () => {
    const mac = (path: string) => path === '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    expect(findChromium({ env: {}, platform: 'darwin', arch: 'arm64', exists: mac })).toEqual({ kind: 'executable', executablePath: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' })
    const windows = (path: string) => path === 'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe'
    expect(findChromium({ env: { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, platform: 'win32', arch: 'x64', exists: windows })).toEqual({ kind: 'executable', executablePath: 'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe' })
  })

  test('finds none on macOS, Windows or Linux arm64 without an installed browser (no packaged one there)', () => {
    expect(findChromium({ env: {}, platform: 'darwin', arch: 'arm64', exists: nothingInstalled })).toBeUndefined()
    expect(findChromium({ env: {}, platform: 'win32', arch: 'x64', exists: nothingInstalled })).toBeUndefined()
    expect(findChromium({ env: {}, platform: 'linux', arch: 'arm64', exists: nothingInstalled })).toBeUndefined()
  })
})
