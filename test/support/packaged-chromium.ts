/**
 * The headless Chromium that the dev dependency `@sparticuz/chromium` ships inside its npm tarball (Linux x64):
 * brotli files in its `bin/`, unpacked here once per machine, user and package version into the temp folder.
 * It needs only glibc (2.34+), libgcc and `tar`: NSS and expat come from the package's own `al2023.tar.br`,
 * through `LD_LIBRARY_PATH`, and its fonts (Open Sans) through a fontconfig file of our own. Not the package's
 * `executablePath()`: it unpacks to unversioned names in /tmp, takes a half-written file as done, and adds the
 * libraries only on AWS. Its SwiftShader (WebGL) is left out: the tests run with `--disable-gpu`.
 *
 * @example
 * const { executablePath, env } = await unpackPackagedChromium()
 */
import { execFile } from 'node:child_process'
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { createBrotliDecompress } from 'node:zlib'

/** An unpacked packaged Chromium: its executable and what its environment must add. */
export interface PackagedChromium {
  executablePath: string
  env: Record<string, string>
}

/** Unpacks the packaged Chromium unless an earlier run did, and says how to start it. */
export async function unpackPackagedChromium(): Promise<PackagedChromium> {
  const packageRoot = dirname(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')))
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  const folder = join(tmpdir(), `vitest-llm-evals-chromium-${version}-${process.getuid?.() ?? 0}`)
  if (!existsSync(folder)) await unpackInto(folder, join(packageRoot, 'bin'))
  const libraries = [join(folder, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':')
  return { executablePath: join(folder, 'chromium'), env: { LD_LIBRARY_PATH: libraries, FONTCONFIG_FILE: join(folder, 'fonts.conf') } }
}

/**
 * Unpacks the package's `bin/` into `folder`. Test files start in parallel workers: each unpacks into its own
 * staging folder and renames it into place, so `folder` exists only complete, and a worker that loses the race
 * drops its copy and uses the winner's.
 *
 * @example
 * if (!existsSync(folder)) await unpackInto(folder, join(packageRoot, 'bin'))
 */
export async function unpackInto(folder: string, bin: string): Promise<void> {
  const staging = mkdtempSync(`${folder}.partial-`)
  try {
    // All settle before a failure removes the staging folder, so nothing writes into it afterwards.
    const unpacked = await Promise.allSettled([
      pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(staging, 'chromium'), { mode: 0o755 })),
      untar(join(bin, 'al2023.tar.br'), join(staging, 'al2023')),
      untar(join(bin, 'fonts.tar.br'), join(staging, 'fonts')),
    ])
    const failed = unpacked.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
    writeFileSync(join(staging, 'fonts.conf'), fontconfig(folder))
    renameSync(staging, folder)
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    if (!existsSync(folder)) throw error
  }
}

// Through a file, not a pipe: tar may exit at the archive's end marker before reading the padding after it.
async function untar(archive: string, into: string): Promise<void> {
  const tarFile = `${into}.tar`
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarFile))
  mkdirSync(into)
  await promisify(execFile)('tar', ['-x', '--no-same-owner', '-f', tarFile, '-C', into])
  rmSync(tarFile)
}

// The package's own fonts.conf names fixed folders (/tmp/fonts); ours names the unpacked one.
function fontconfig(folder: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(folder, 'fonts')}</dir>
  <cachedir>${join(folder, 'fonts-cache')}</cachedir>
</fontconfig>
`
}
