// Whether the run's usage reports need reading at all. Reading them (cassette-usage.ts) loads the usage report
// schema, the miss-message parser and their modules; a run that used no cassette and had no error has no report
// to read, so the reporter imports that code only when this says there may be one (issue 17).
import { USAGE_META_KEY } from '../src/cassettes/usage-report.js'
import type { UsageModule } from './cassette-usage.js'

/**
 * False only when no module can yield a usage report (see `usageReportsOf`): none has one on its meta, and
 * neither a module nor a test has errors (which could tell cassette misses).
 *
 * @example
 * const usage = mayHaveUsageReports(modules) ? (await import('./cassette-usage.js')).usageReportsOf(modules, root) : []
 */
export function mayHaveUsageReports(modules: ReadonlyArray<UsageModule>): boolean {
  return modules.some((module) => {
    if (USAGE_META_KEY in module.meta()) return true
    if ((module.errors?.().length ?? 0) > 0) return true
    for (const test of module.children?.allTests() ?? []) if ((test.result().errors?.length ?? 0) > 0) return true
    return false
  })
}
