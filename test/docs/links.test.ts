// Links between README.md and the docs/ pages point at files and headings that exist, and every page is
// reachable from the README and the docs index.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { headingAnchors, pageLinks } from '../support/doc-code-blocks.js'

const repo = join(import.meta.dirname, '../..')
const docs = readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)
const pages = ['README.md', ...docs]
/** Pages written on another branch: a link to one may point nowhere until that branch is merged. */
const PENDING_PAGES = new Set<string>()

describe('the docs links', () => {
  test('every relative link of README.md and docs/ points at a file, and at a heading of it', () => {
    const broken: string[] = []
    for (const page of pages) {
      for (const link of pageLinks(readFileSync(join(repo, page), 'utf8'))) {
        const target = link.path === '' ? page : normalize(join(dirname(page), decodeURIComponent(link.path)))
        const where = `${page}:${link.line}: ${link.path}${link.anchor === undefined ? '' : `#${link.anchor}`}`
        if (!existsSync(join(repo, target))) {
          if (!PENDING_PAGES.has(target)) broken.push(`${where} (no such file)`)
          continue
        }
        if (link.anchor !== undefined && target.endsWith('.md') && !headingAnchors(readFileSync(join(repo, target), 'utf8')).has(link.anchor)) broken.push(`${where} (no such heading in ${target})`)
      }
    }
    expect(broken).toEqual([])
  })

  test('every docs page is linked from README.md and from the docs index', () => {
    const linked = (page: string) => new Set(pageLinks(readFileSync(join(repo, page), 'utf8')).map((link) => normalize(join(dirname(page), link.path))))
    const fromReadme = linked('README.md')
    const fromIndex = linked('docs/README.md')
    const pagesOnly = docs.filter((page) => page !== 'docs/README.md')
    expect(pagesOnly.filter((page) => !fromReadme.has(page))).toEqual([])
    expect(pagesOnly.filter((page) => !fromIndex.has(page)).map((page) => relative('docs', page))).toEqual([])
  })
})
