// How a tool call's arguments are checked against what a test expects: a partial object (deep subset),
// an exact object, a Standard Schema (zod …) or a predicate. Each failure says where the arguments differ.
// Pure: leaf values are compared by the `equals` it is given (the matchers pass Vitest's, so asymmetric
// matchers such as `expect.closeTo` work), else by a structural equality of its own.
import { isJsonObject } from './tool-call-args.js'
import type { ToolCall } from './types.js'

/** A Standard Schema (zod 3.24+ and 4, valibot, arktype …), as far as argument checks use it. */
export interface ArgsSchema {
  readonly '~standard': {
    validate(value: unknown): ArgsSchemaResult | Promise<ArgsSchemaResult>
  }
}

type ArgsSchemaResult = { readonly value?: unknown; readonly issues?: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined }> | undefined }

/** The plain arguments object of a call. */
export type ToolArgs = Record<string, unknown>

/**
 * A check of a call's arguments: true when they are as expected. May be async, and may throw (an
 * `expect(…)` inside it): the call then does not match, with the thrown message as the reason.
 */
export type ArgsPredicate<Args = ToolArgs> = {
  // A method signature, so a predicate typed for one tool's arguments (`(args: { orderId: string }) => …`) fits.
  check(args: Args, call: ToolCall): boolean | Promise<boolean>
}['check']

/** Expected arguments: a partial object (deep subset; asymmetric matchers allowed), a Standard Schema, or a predicate. */
export type ArgsExpectation<Args = ToolArgs> = ToolArgs | ArgsSchema | ArgsPredicate<Args>

/** How plain-object expectations compare: `partial` (a deep subset, the default), `exact` (deep equality), `ignore` (names only). */
export type ArgsMode = 'partial' | 'exact' | 'ignore'

/** A per-tool comparison of actual and expected arguments, for what a subset cannot say (tolerances, case). */
export type ArgsComparator = {
  compare(actual: ToolArgs, expected: ToolArgs, call: ToolCall): boolean | Promise<boolean>
}['compare']

/** Compares two leaf values; the matchers pass Vitest's `this.equals`. */
export type ArgsEquals = (actual: unknown, expected: unknown) => boolean

/** The outcome of one argument check: `reason` says where the arguments differ. */
export interface ArgsVerdict {
  pass: boolean
  reason?: string
}

/** How one call's arguments are checked. */
export interface ArgsCheck {
  mode?: ArgsMode
  comparator?: ArgsComparator
  equals?: ArgsEquals
}

interface AsymmetricMatcherLike {
  asymmetricMatch(other: unknown): boolean
  toAsymmetricMatcher?(): string
}

function isAsymmetric(value: unknown): value is AsymmetricMatcherLike {
  return isJsonObject(value) && typeof (value as Partial<AsymmetricMatcherLike>).asymmetricMatch === 'function'
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isJsonObject(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** True for a Standard Schema. */
export function isArgsSchema(value: unknown): value is ArgsSchema {
  return isJsonObject(value) && typeof (value as Partial<ArgsSchema>)['~standard']?.validate === 'function'
}

/** Structural equality with asymmetric matchers honoured: what is used without Vitest. */
export function structuralEquals(actual: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual)
  if (Object.is(actual, expected)) return true
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => structuralEquals(actual[index], item))
  if (!isJsonObject(expected) || !isJsonObject(actual) || Array.isArray(actual)) return false
  const keys = Object.keys(expected).filter((key) => expected[key] !== undefined)
  const actualKeys = Object.keys(actual).filter((key) => actual[key] !== undefined)
  return keys.length === actualKeys.length && keys.every((key) => structuralEquals(actual[key], expected[key]))
}

/**
 * A short, readable rendering of an expected or actual value (asymmetric matchers by name), built only as
 * far as `limit` characters: a huge or deeply nested value costs no more than a small one.
 */
export function previewValue(value: unknown, limit = 60): string {
  const text = renderValue(value, limit + 1, 0)
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text
}

function renderValue(value: unknown, budget: number, depth: number): string {
  if (isAsymmetric(value)) return value.toAsymmetricMatcher?.() ?? String(value)
  if (typeof value === 'function') return '<predicate>'
  if (isArgsSchema(value)) return '<schema>'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value) || isPlainObject(value)) {
    if (depth > 6) return Array.isArray(value) ? '[…]' : '{…}'
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
    let text = open
    const keys = Array.isArray(value) ? undefined : Object.keys(value)
    const count = keys ? keys.length : (value as unknown[]).length
    for (let index = 0; index < count; index++) {
      if (text.length > budget) return `${text}…`
      const key = keys?.[index]
      const item = key === undefined ? (value as unknown[])[index] : (value as Record<string, unknown>)[key]
      text += `${index === 0 ? '' : ','}${key === undefined ? '' : `${JSON.stringify(key)}:`}${renderValue(item, budget - text.length, depth + 1)}`
    }
    return text + close
  }
  if (typeof value === 'string') return JSON.stringify(value.length > budget ? value.slice(0, budget) : value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Where `actual` first differs from `expected` (a path and what differs), or undefined when it matches. */
export function argsDifference(actual: unknown, expected: unknown, exact: boolean, equals: ArgsEquals, path = 'args'): string | undefined {
  if (isPlainObject(expected)) {
    if (!isJsonObject(actual) || Array.isArray(actual)) return `${path}: expected an object, received ${previewValue(actual)}`
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) continue
      if (actual[key] === undefined) return `${path}.${key}: missing (expected ${previewValue(value)})`
      const difference = argsDifference(actual[key], value, exact, equals, `${path}.${key}`)
      if (difference) return difference
    }
    if (exact) {
      const extra = Object.keys(actual).find((key) => actual[key] !== undefined && expected[key] === undefined)
      if (extra !== undefined) return `${path}.${extra}: not expected (received ${previewValue(actual[extra])})`
    }
    return undefined
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, received ${previewValue(actual)}`
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, received ${actual.length}`
    for (const [index, value] of expected.entries()) {
      const difference = argsDifference(actual[index], value, exact, equals, `${path}[${index}]`)
      if (difference) return difference
    }
    return undefined
  }
  return equals(actual, expected) ? undefined : `${path}: expected ${previewValue(expected)}, received ${previewValue(actual)}`
}

function thrown(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'an error'
}

function formatIssuePath(path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> = []): string {
  return path.map((segment) => (typeof segment === 'object' ? segment.key : segment)).map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')
}

/**
 * Checks a call's arguments against `expected` (nothing expected, or mode `ignore`: any arguments
 * pass). Arguments that were not valid JSON never match an expectation; the reason says so.
 *
 * @example
 * await checkArgs(call, { orderId: '123' })                 // { pass: true }
 * await checkArgs(call, { orderId: '124' })                 // { pass: false, reason: 'args.orderId: expected "124", received "123"' }
 */
export async function checkArgs(call: ToolCall, expected: ArgsExpectation | undefined, check: ArgsCheck = {}): Promise<ArgsVerdict> {
  const mode = check.mode ?? 'partial'
  if (expected === undefined || mode === 'ignore') return { pass: true }
  if (call.argsError !== undefined) return { pass: false, reason: `the arguments are not valid JSON (${call.argsError}): ${previewValue(call.args)}` }
  try {
    if (check.comparator && isPlainObject(expected)) {
      return (await check.comparator(call.args as ToolArgs, expected, call)) ? { pass: true } : { pass: false, reason: `the ${call.name} comparator returned false for ${previewValue(call.args)}` }
    }
    if (typeof expected === 'function') {
      return (await expected(call.args as ToolArgs, call)) ? { pass: true } : { pass: false, reason: `the args predicate returned false for ${previewValue(call.args)}` }
    }
  } catch (error) {
    return { pass: false, reason: `the ${typeof expected === 'function' ? 'args predicate' : `${call.name} comparator`} threw: ${thrown(error)}` }
  }
  if (isArgsSchema(expected)) {
    const result = await expected['~standard'].validate(call.args)
    const issues = result.issues ?? []
    if (issues.length === 0) return { pass: true }
    return { pass: false, reason: issues.slice(0, 3).map((issue) => `args${formatIssuePath(issue.path)}: ${issue.message}`).join('; ') }
  }
  const difference = argsDifference(call.args, expected, mode === 'exact', check.equals ?? structuralEquals)
  return difference === undefined ? { pass: true } : { pass: false, reason: difference }
}
