// Usage reports read back (from a file task's meta, or the usage folder) are checked before use. Apart from
// usage-report.ts so the worker, which imports that file in every test file, does not load zod for it.
import type { z } from 'zod'
import { lazyZodSchema } from '../lazy-schema.js'
import { USAGE_META_KEY, type CassetteUsageReport } from './usage-report.js'

/**
 * The shape of a {@link CassetteUsageReport}, checked wherever one is read back (meta, a JSON file). Loose:
 * a field this version does not know (written by a newer worker) is kept, not dropped.
 */
export const usageReportSchema = lazyZodSchema((z) => {
  const slotSchema = z.object({ test: z.string(), repeat: z.number(), call: z.number() })
  const testNamesSchema = z.object({ count: z.number().int().nonnegative(), names: z.array(z.string()) })
  return z.looseObject({
    cassette: z.string(),
    testFile: z.string(),
    mode: z.string(),
    at: z.string(),
    startedAt: z.string().optional(),
    complete: z.boolean(),
    successful: z.boolean().optional(),
    notRun: testNamesSchema.optional(),
    failed: testNamesSchema.optional(),
    total: z.number(),
    written: z.number().optional(),
    alreadyRecorded: z.object({ entries: z.number(), tools: z.number() }).optional(),
    discardedOnRetry: z.object({ entries: z.number(), tools: z.number() }).optional(),
    replayedOutsideTests: z.number().optional(),
    restoredSidecars: z.number().optional(),
    unfinished: z.array(z.object({ test: z.string(), key: z.string(), method: z.string(), url: z.string(), project: z.string().optional(), reason: z.enum(['test-timeout', 'app-abort', 'test-ended']).optional(), detail: z.string().optional() })).optional(),
    refused: z.array(z.object({ test: z.string(), message: z.string(), project: z.string().optional() })).optional(),
    used: z.array(slotSchema),
    tools: z.number().optional(),
    usedTools: z.array(slotSchema).optional(),
    misses: z.array(z.object({ test: z.string(), method: z.string(), url: z.string(), project: z.string().optional() })),
    fingerprint: z.string().optional(),
    projects: z.array(z.string()).optional(),
    projectsNotRun: z.array(z.string()).optional(),
    projectFilter: z.literal(true).optional(),
    config: z.string().optional(),
  }) satisfies z.ZodType<CassetteUsageReport>
})

/**
 * `value` as a {@link CassetteUsageReport}, or why it is not one (the first problem: field path and what is
 * wrong, e.g. `used.0: Invalid input: expected object, received null`).
 */
export function parseUsageReport(value: unknown): { report: CassetteUsageReport } | { problem: string } {
  if (isWrittenUsageReport(value)) return { report: value }
  const checked = usageReportSchema().safeParse(value)
  if (checked.success) return { report: checked.data }
  const issue = checked.error.issues[0]
  return { problem: issue ? `${issue.path.join('.') || 'report'}: ${issue.message}` : 'not a usage report' }
}

/** The report on a file task's meta, if it holds one. */
export function usageReportOf(meta: unknown): CassetteUsageReport | undefined {
  const value = (meta as Record<string, unknown> | undefined)?.[USAGE_META_KEY]
  if (value === undefined) return undefined // a file that made no model call (and no need to load zod to say so)
  const parsed = parseUsageReport(value)
  return 'report' in parsed ? parsed.report : undefined
}

// An own `__proto__` key (JSON.parse makes one) is left out by zod's loose object: such a report takes zod's path.
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !Object.hasOwn(value, '__proto__')
// zod's z.number() refuses NaN and infinities.
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const optional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value)
/** An object with exactly the keys of `checks`, each passing its check (zod's `z.object` drops other keys: such a value takes zod's path). */
const exact = (value: unknown, checks: Record<string, (field: unknown) => boolean>): boolean =>
  isRecord(value) && Object.keys(value).length === Object.keys(checks).length && Object.entries(checks).every(([key, check]) => key in value && check(value[key]))
const isString = (value: unknown): boolean => typeof value === 'string'
// By index, not `every`, which skips holes: zod reads a hole as undefined and refuses it.
const listOf = (check: (item: unknown) => boolean) => (value: unknown): boolean => {
  if (!Array.isArray(value)) return false
  for (let index = 0; index < value.length; index++) if (!check(value[index])) return false
  return true
}
const isCounts = (value: unknown): boolean => exact(value, { entries: isNumber, tools: isNumber })
const isSlot = (value: unknown): boolean => exact(value, { test: isString, repeat: isNumber, call: isNumber })
/** `exact`, where the item may also name its project. */
const withProject = (checks: Record<string, (field: unknown) => boolean>) => (value: unknown): boolean =>
  exact(value, checks) || exact(value, { ...checks, project: isString })
const UNFINISHED_REASONS: readonly unknown[] = ['test-timeout', 'app-abort', 'test-ended']
/** An unfinished call: its fields, and optionally its project, who cut it off and the app's abort reason's name. */
const isUnfinished = (value: unknown): boolean => {
  if (!isRecord(value)) return false
  const { reason, detail, project, ...call } = value
  return exact(call, { test: isString, key: isString, method: isString, url: isString }) && optional(project, isString) &&
    optional(reason, (given) => UNFINISHED_REASONS.includes(given)) && optional(detail, isString)
}
const isTestNames = (value: unknown): boolean => exact(value, { count: (count) => Number.isSafeInteger(count) && (count as number) >= 0, names: listOf(isString) })

/**
 * Whether `value` passes `usageReportSchema` unchanged (no key zod would drop): a report as a worker writes
 * it is checked without loading zod; anything else goes to zod, which may still accept it or says what is wrong.
 */
export function isWrittenUsageReport(value: unknown): value is CassetteUsageReport {
  if (!isRecord(value)) return false
  const { cassette, testFile, mode, at, startedAt, complete, successful, notRun, failed, total, written, alreadyRecorded, discardedOnRetry, replayedOutsideTests, restoredSidecars, unfinished, refused, used, tools, usedTools, misses, fingerprint, projects, projectsNotRun, projectFilter, config } = value
  return (
    isString(cassette) && isString(testFile) && isString(mode) && isString(at) && optional(startedAt, isString) && typeof complete === 'boolean' &&
    optional(successful, (flag) => typeof flag === 'boolean') && optional(notRun, isTestNames) && optional(failed, isTestNames) &&
    isNumber(total) && optional(written, isNumber) && optional(alreadyRecorded, isCounts) && optional(discardedOnRetry, isCounts) && optional(replayedOutsideTests, isNumber) && optional(restoredSidecars, isNumber) && optional(unfinished, listOf(isUnfinished)) && optional(refused, listOf(withProject({ test: isString, message: isString }))) &&
    listOf(isSlot)(used) && optional(tools, isNumber) && optional(usedTools, listOf(isSlot)) &&
    listOf(withProject({ test: isString, method: isString, url: isString }))(misses) &&
    optional(fingerprint, isString) && optional(projects, listOf(isString)) && optional(projectsNotRun, listOf(isString)) && optional(projectFilter, (flag) => flag === true) && optional(config, isString)
  )
}
