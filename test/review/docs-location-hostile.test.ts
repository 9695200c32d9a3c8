// Review: docsLocation builds part of an error message; it must not throw itself, whatever the module URL.
import { expect, test } from 'vitest'
import { docsLocation } from '../../src/docs-location.js'

test('a module URL that is not a file (a bundled or browser copy) gives the page by name, not a TypeError', () => {
  expect(docsLocation('configuration.md', process.cwd(), 'http://localhost:5173/src/docs-location.ts')).toBe('docs/configuration.md in the vitest-llm-evals package')
  expect(docsLocation('configuration.md', process.cwd(), 'data:text/javascript,export{}')).toBe('docs/configuration.md in the vitest-llm-evals package')
})

test('a project path with spaces and non-ASCII letters outside the package: the absolute path', () => {
  expect(docsLocation('configuration.md', '/tmp/a dir/ünï')).toMatch(/^\/.*\/docs\/configuration\.md$/)
})
