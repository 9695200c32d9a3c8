// Where a page of the docs is on this machine, for error messages: "See docs/configuration.md" means nothing
// to a user whose copy of the library is in node_modules, and the package has no repository URL to link to.
// The package ships its docs (package.json `files`), so a message names the installed file. Used only when a
// message is built: never on the start-up path.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'vitest-llm-evals'

/** The folder of the vitest-llm-evals package that holds `file` (src/…, dist/src/… or dist/chunks/…), if any. */
function packageRootOf(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir
    } catch {
      // No package.json here, or not JSON: look further up.
    }
    if (dirname(dir) === dir) return undefined
  }
}

const sameFolder = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return false
  }
}

/**
 * Where `docs/<page>` of this package is, as a user can open it: relative to `cwd` when it is inside it
 * (`node_modules/vitest-llm-evals/docs/configuration.md` in a project that installed the package), else
 * absolute; "docs/<page> in the vitest-llm-evals package" when the file is not there.
 *
 * @example
 * docsLocation('configuration.md') // 'node_modules/vitest-llm-evals/docs/configuration.md'
 */
export function docsLocation(page: string, cwd = process.cwd(), moduleUrl = import.meta.url): string {
  const fallback = `docs/${page} in the ${PACKAGE_NAME} package`
  // Not a file URL (a bundled or browser copy of the library): the page by name. A message must not throw.
  const root = moduleUrl.startsWith('file:') ? packageRootOf(fileURLToPath(moduleUrl)) : undefined
  if (root === undefined || !existsSync(join(root, 'docs', page))) return fallback
  // Node loads a linked package (pnpm, npm workspaces) from its real path: name it as the user sees it.
  const installed = join(cwd, 'node_modules', PACKAGE_NAME)
  const folder = sameFolder(installed, root) ? installed : root
  const file = join(folder, 'docs', page)
  const shown = relative(cwd, file)
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? file : shown
}
