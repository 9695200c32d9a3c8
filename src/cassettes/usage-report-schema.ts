// Usage reports read back (from a file task's meta, or the usage folder) are checked before use. Apart from
// usage-report.ts so the worker, which imports that file in every test file, does not load zod for it.
import { z } from 'zod'
import { USAGE_META_KEY, type CassetteUsageReport } from './usage-report.js'

const slotSchema = z.object({ test: z.string(), repeat: z.number(), call: z.number() })
const testNamesSchema = z.object({ count: z.number().int().nonnegative(), names: z.array(z.string()) })

/**
 * The shape of a {@link CassetteUsageReport}, checked wherever one is read back (meta, a JSON file). Loose:
 * a field this version does not know (written by a newer worker) is kept, not dropped.
 */
export const usageReportSchema = z.looseObject({
  cassette: z.string(),
  testFile: z.string(),
  mode: z.string(),
  at: z.string(),
  complete: z.boolean(),
  successful: z.boolean().optional(),
  notRun: testNamesSchema.optional(),
  failed: testNamesSchema.optional(),
  total: z.number(),
  written: z.number().optional(),
  refused: z.array(z.object({ test: z.string(), message: z.string() })).optional(),
  used: z.array(slotSchema),
  tools: z.number().optional(),
  usedTools: z.array(slotSchema).optional(),
  misses: z.array(z.object({ test: z.string(), method: z.string(), url: z.string() })),
  fingerprint: z.string().optional(),
  projects: z.array(z.string()).optional(),
  projectsNotRun: z.array(z.string()).optional(),
}) satisfies z.ZodType<CassetteUsageReport>

/**
 * `value` as a {@link CassetteUsageReport}, or why it is not one (the first problem: field path and what is
 * wrong, e.g. `used.0: Invalid input: expected object, received null`).
 */
export function parseUsageReport(value: unknown): { report: CassetteUsageReport } | { problem: string } {
  const checked = usageReportSchema.safeParse(value)
  if (checked.success) return { report: checked.data }
  const issue = checked.error.issues[0]
  return { problem: issue ? `${issue.path.join('.') || 'report'}: ${issue.message}` : 'not a usage report' }
}

/** The report on a file task's meta, if it holds one. */
export function usageReportOf(meta: unknown): CassetteUsageReport | undefined {
  const parsed = parseUsageReport((meta as Record<string, unknown> | undefined)?.[USAGE_META_KEY])
  return 'report' in parsed ? parsed.report : undefined
}
