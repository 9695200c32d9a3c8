// Unpacking the npm-shipped Chromium, on small stand-ins for the package's brotli files: the folder is there
// complete or not at all, however many workers unpack at once.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { unpackInto } from './packaged-chromium.js'

const EXECUTABLE = '#!/bin/sh\necho chromium\n'

function writeTarBr(archive: string, files: Record<string, string>): void {
  const source = mkdtempSync(join(tmpdir(), 'tar-source-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(source, path, '..'), { recursive: true })
    writeFileSync(join(source, path), text)
  }
  writeFileSync(archive, brotliCompressSync(execFileSync('tar', ['-c', '-C', source, '.'])))
  rmSync(source, { recursive: true })
}

describe('unpackInto', () => {
  let dir: string
  let bin: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'packaged-chromium-'))
    bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'chromium.br'), brotliCompressSync(EXECUTABLE))
    writeTarBr(join(bin, 'al2023.tar.br'), { 'lib/libnss3.so': 'nss' })
    writeTarBr(join(bin, 'fonts.tar.br'), { 'fonts/Open_Sans/OpenSans-Regular.ttf': 'font' })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('unpacks the executable, the libraries and the fonts, and writes a fontconfig file naming the fonts', async () => {
    const folder = join(dir, 'one')
    await unpackInto(folder, bin)
    expect(readFileSync(join(folder, 'chromium'), 'utf8')).toBe(EXECUTABLE)
    expect(statSync(join(folder, 'chromium')).mode & 0o111).not.toBe(0)
    expect(readFileSync(join(folder, 'al2023', 'lib', 'libnss3.so'), 'utf8')).toBe('nss')
    expect(readFileSync(join(folder, 'fonts', 'fonts', 'Open_Sans', 'OpenSans-Regular.ttf'), 'utf8')).toBe('font')
    expect(readFileSync(join(folder, 'fonts.conf'), 'utf8')).toContain(`<dir>${join(folder, 'fonts')}</dir>`)
  })

  test('workers unpacking at once all succeed and leave one complete folder and no staging folders', async () => {
    const folder = join(dir, 'shared')
    await Promise.all([1, 2, 3, 4].map(() => unpackInto(folder, bin)))
    expect(readdirSync(dir).filter((name) => name.startsWith('shared'))).toEqual(['shared'])
    expect(readdirSync(folder).sort()).toEqual(['al2023', 'chromium', 'fonts', 'fonts.conf'])
    expect(readFileSync(join(folder, 'chromium'), 'utf8')).toBe(EXECUTABLE)
  })

  test('a corrupt archive fails and leaves neither the folder nor a staging folder', async () => {
    const corrupt = join(dir, 'corrupt-bin')
    mkdirSync(corrupt)
    for (const name of ['chromium.br', 'al2023.tar.br', 'fonts.tar.br']) writeFileSync(join(corrupt, name), 'not brotli')
    await expect(unpackInto(join(dir, 'broken'), corrupt)).rejects.toThrow()
    expect(readdirSync(dir).filter((name) => name.startsWith('broken'))).toEqual([])
  })
})
