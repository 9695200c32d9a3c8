import type { MatcherState } from 'vitest'
import { ConfigError } from '../src/errors/index.js'
import { extractJson } from '../src/metrics/json/extract-json.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { printValue } from '../src/print-value.js'

/** A schema `toMatchSchema` accepts: any Standard Schema (zod 3.24+ and 4, valibot, arktype …). */
export interface SchemaLike {
  readonly '~standard': {
    validate(value: unknown): StandardSchemaResult | Promise<StandardSchemaResult>
  }
}

type PathSegment = PropertyKey | { readonly key: PropertyKey }

/** Outcome of a Standard Schema validation: issues on failure. */
export type StandardSchemaResult =
  | { readonly value: unknown; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PathSegment> | undefined }> }

/** One schema violation, as listed in the failure message and the score record's details. */
export type SchemaIssue = { path: string; message: string }

function formatPath(path: ReadonlyArray<PathSegment> = []): string {
  const text = path
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
  return text === '' ? '(root)' : text.replace(/^\./, '')
}

async function validate(schema: SchemaLike, value: unknown): Promise<SchemaIssue[]> {
  const result = await schema['~standard'].validate(value)
  return (result.issues ?? []).map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}

/**
 * Passes when the JSON in the output (bare, fenced or embedded in prose; a non-string output is used
 * as is) matches the schema. Score 1 or 0; the failure lists each issue with its path.
 *
 * @example
 * await expect(reply).toMatchSchema(z.object({ city: z.string(), population: z.number() }))
 * @see docs/matchers.md#tomatchschema
 */
export function toMatchSchema(this: MatcherState, output: unknown, schema: SchemaLike): Promise<MatcherOutcome> {
  if (typeof schema?.['~standard']?.validate !== 'function') {
    throw new ConfigError('toMatchSchema() needs a zod schema (or another Standard Schema), e.g. `z.object({ … })`.')
  }
  const extraction = typeof output === 'string' ? extractJson(output) : { found: true as const, value: output, source: 'value' }
  const checking = extraction.found ? validate(schema, extraction.value) : Promise.resolve(undefined)
  return checking.then((issues) => {
    const pass = issues !== undefined && issues.length === 0
    const reasons = issues === undefined ? [`no JSON found: ${extraction.found ? '' : extraction.reason}`] : issues.map((i) => `${i.path}: ${i.message}`)
    return toMatcherResult(this, {
      record: {
        metric: 'schema',
        score: pass ? 1 : 0,
        pass,
        ...(pass ? {} : { reason: reasons[0] }),
        details: { found: extraction.found, ...(extraction.found ? { source: extraction.source } : {}), issues: issues ?? [] },
      },
      report: {
        matcherName: 'toMatchSchema',
        expectedLabel: 'schema',
        expectation: 'to contain JSON that matches the schema',
        reasons: pass ? ['the JSON matches the schema'] : reasons,
        output: printValue(output, { indent: 2, maxChars: 20_000 }),
      },
    })
  })
}
