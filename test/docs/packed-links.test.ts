// The docs a user has are the ones in the package (package.json `files`): a relative link of a shipped page
// must point at a file the package ships too, or it is broken in node_modules (and in editors' previews).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { expect, test } from 'vitest'
import { pageLinks } from '../support/doc-code-blocks.js'

const repo = join(import.meta.dirname, '../..')
/**
 * Linked but not shipped, on purpose: the report screenshot is 116 KB (about a fifth of the packed size) for
 * one picture, and the package has no repository URL to link it absolutely; a viewer shows its alt text.
 */
const NOT_SHIPPED = new Set(['docs/report.png'])

test('every relative link of a page in the package points at a file in the package', () => {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, encoding: 'utf8' })
  expect(pack.status, pack.stderr).toBe(0)
  const shipped = new Set((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path))
  const pages = [...shipped].filter((path) => path.endsWith('.md'))
  expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md', 'BENCHMARKS.md']))
  const broken = pages.flatMap((page) =>
    pageLinks(readFileSync(join(repo, page), 'utf8'))
      .filter((link) => link.path !== '')
      .map((link) => ({ where: `${page}:${link.line}`, target: normalize(join(dirname(page), decodeURIComponent(link.path))) }))
      .filter(({ target }) => !shipped.has(target) && !NOT_SHIPPED.has(target))
      .map(({ where, target }) => `${where}: ${target}`),
  )
  expect(broken).toEqual([])
})
