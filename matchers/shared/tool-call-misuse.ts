// What is wrong in the arguments of toCallTool / toCallTools, field by field: zod says only "Invalid input" for
// a union (an expected call is a name or an object), so `[{ tool: 'x' }]` would not name the `name` it lacks.
// Hand checks, run only on misuse; each names the field, what it must be, what it got, and the field meant
// (a typo, or the name another library uses for it). What they find nothing wrong in goes to zod.
import { closestName } from '../../src/closest-name.js'
import { hideSecrets, liveSecrets, scrubShown } from '../../src/cassettes/redact.js'
import { gotText } from './options.js'

/** True for an object literal (or a null-prototype one): not an array, a class instance or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** Whether `args` is an argument expectation: an object (a partial match, a schema, an asymmetric matcher) or a predicate. */
export function isArgsExpectation(args: unknown): boolean {
  return typeof args === 'function' || (typeof args === 'object' && args !== null && !Array.isArray(args))
}

/** The modes of toCallTools. */
export const TOOL_CALLS_MODES = ['strict', 'unordered', 'subset', 'superset'] as const
/** The named rules of toCallTools' `args` option. */
export const ARGS_MODES = ['partial', 'exact', 'ignore'] as const

/** A tool call's fields as other libraries name them: OpenAI (`function`, `arguments`), Anthropic (`input`), the AI SDK (`toolName`). */
const FIELD_ALIASES: Readonly<Record<string, string>> = {
  tool: 'name',
  toolName: 'name',
  tool_name: 'name',
  function: 'name',
  functionName: 'name',
  arguments: 'args',
  input: 'args',
  parameters: 'args',
  params: 'args',
  minimum: 'min',
  atLeast: 'min',
  maximum: 'max',
  atMost: 'max',
}

/** Words for the modes that are not their names (`in_order`), and for the `args` rules (`loose`). */
const VALUE_ALIASES: Readonly<Record<string, string>> = {
  in_order: 'strict',
  inOrder: 'strict',
  ordered: 'strict',
  sequence: 'strict',
  any_order: 'unordered',
  anyOrder: 'unordered',
  loose: 'partial',
  subset: 'partial',
  equal: 'exact',
  strict: 'exact',
  any: 'ignore',
}

/**
 * The error message for toCallTool's tool name when it is not a non-empty string, else undefined.
 *
 * @example
 * toolNameMisuse({ name: 'a' }) // 'toCallTool() needs the tool name as a non-empty string, … (got an object); for { name, args } write …'
 */
export function toolNameMisuse(name: unknown): string | undefined {
  if (typeof name === 'string' && name !== '') return undefined
  const hint = Array.isArray(name)
    ? '; to check several calls, use toCallTools([...])'
    : isPlainObject(name) && 'name' in name
      ? '; for { name, args } write toCallTool(name, { args })'
      : ''
  return `toCallTool() needs the tool name as a non-empty string, e.g. \`toCallTool('lookup_order')\`${gotText(name)}${hint}.`
}

/** A count of calls, as `times` takes it. */
export const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0

/** What an `args` expectation must be, for the messages (the zod schema's too). */
export const ARGS_EXPECTATION = 'must be an object (matched as a deep subset), a Standard Schema such as a zod schema, or a predicate (args) => boolean'
const WHOLE_COUNT = 'must be a whole number >= 0'

/** The allowed name `key` most likely stands for: another word for it (`aliases`), or the closest spelling. */
function meant(key: string, allowed: readonly string[], aliases = FIELD_ALIASES): string | undefined {
  const alias = Object.hasOwn(aliases, key) ? aliases[key] : undefined
  return alias !== undefined && allowed.includes(alias) ? alias : closestName(key, allowed)
}

const didYouMean = (guess: string | undefined): string => (guess === undefined ? '' : `; did you mean \`${guess}\`?`)

/** A key of the user's object as the message shows it: cut, on one line, control characters escaped, secrets hidden. */
function keyText(key: string): string {
  const cut = key.length > 60 ? `${key.slice(0, 60)}…` : key
  return JSON.stringify(hideSecrets(scrubShown(cut), liveSecrets())).slice(1, -1)
}

// The keys a message names: an object of thousands of keys (a record passed by mistake) gives a short message.
const MAX_KEYS_NAMED = 5

function keyList(keys: readonly string[]): string {
  const more = keys.length > MAX_KEYS_NAMED ? ` (+${keys.length - MAX_KEYS_NAMED} more)` : ''
  return keys.slice(0, MAX_KEYS_NAMED).map(keyText).join(', ') + more
}

function unknownKeys(keys: readonly string[], allowed: readonly string[], where: string, hint = (key: string) => didYouMean(meant(key, allowed))): string[] {
  const unknown = keys.filter((key) => !allowed.includes(key))
  const named = unknown.slice(0, MAX_KEYS_NAMED).map((key) => `${where} has an unknown key \`${keyText(key)}\` (allowed: ${allowed.join(', ')})${hint(key)}`)
  return unknown.length > MAX_KEYS_NAMED ? [...named, `${where} has ${unknown.length - MAX_KEYS_NAMED} more unknown keys`] : named
}

const countHint = (key: string): string => (key === 'times' ? '; to count the calls of one tool, use toCallTool(name, { times })' : didYouMean(meant(key, ['name', 'args'])))

function expectedCallProblems(item: unknown, index: number): string[] {
  const where = `expected calls[${index}]`
  if (typeof item === 'string') return item === '' ? [`${where} is an empty tool name`] : []
  if (!isPlainObject(item)) {
    // A class instance goes to zod, which decides; anything else is neither a name nor a { name, args? }.
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) return []
    return [`${where} must be a tool name or a { name, args? } object${item === undefined ? ' (got an empty slot or undefined)' : gotText(item)}`]
  }
  const problems: string[] = []
  const keys = Object.keys(item)
  let strays = keys.filter((key) => key !== 'name' && key !== 'args')
  if (item['name'] === undefined) {
    const nameLike = strays.find((key) => meant(key, ['name', 'args']) === 'name')
    const instead = nameLike === undefined ? '' : `; did you mean \`name\` instead of \`${keyText(nameLike)}\`?`
    problems.push(`${where} needs a \`name\` (a string); got keys: ${keys.length === 0 ? 'none' : keyList(keys)}${instead}`)
    strays = strays.filter((key) => key !== nameLike)
  } else if (typeof item['name'] !== 'string' || item['name'] === '') {
    problems.push(`${where}.name must be a non-empty string${gotText(item['name'])}`)
  }
  if (item['args'] !== undefined && !isArgsExpectation(item['args'])) problems.push(`${where}.args ${ARGS_EXPECTATION}${gotText(item['args'])}`)
  return [...problems, ...unknownKeys(strays, ['name', 'args'], where, countHint)]
}

/**
 * The problems of toCallTools' `expected` argument (at most 5 calls reported), or none.
 *
 * @example
 * expectedCallsProblems([{ tool: 'x' }]) // ['expected calls[0] needs a `name` (a string); got keys: tool; did you mean `name`?']
 */
export function expectedCallsProblems(expected: unknown): string[] {
  if (!Array.isArray(expected)) {
    const one = typeof expected === 'string' && expected !== '' ? `; for one tool write [${JSON.stringify(expected)}]` : ''
    return [`expected calls must be an array of tool names or { name, args? } objects${gotText(expected)}${one}`]
  }
  const problems: string[] = []
  for (let index = 0; index < expected.length && problems.length < 5; index++) problems.push(...expectedCallProblems(expected[index], index))
  return problems
}

/** Whether `rule` is one of toCallTools' `args` rules: a mode name or a comparator. */
export const isArgsRule = (rule: unknown): boolean => typeof rule === 'function' || (ARGS_MODES as readonly unknown[]).includes(rule)
const guessFrom = (value: unknown, known: readonly string[]): string => (typeof value === 'string' ? didYouMean(meant(value, known, VALUE_ALIASES)) : '')

/** Options that are no object at all (`toCallTools(['a'], 'unordered')`): the object they should be, with `example` made of them. */
function notAnObject(options: unknown, example: string): string[] {
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) return [] // a class instance: zod decides
  return [`options must be an object, e.g. ${example}${gotText(options)}`]
}

/**
 * The problems of toCallTools' options, or none.
 *
 * @example
 * toolCallsOptionsProblems({ mode: 'unorderd' }) // ['`mode` must be one of strict, unordered, subset, superset (got "unorderd"); did you mean `unordered`?']
 */
export function toolCallsOptionsProblems(options: unknown): string[] {
  if (!isPlainObject(options)) return notAnObject(options, (TOOL_CALLS_MODES as readonly unknown[]).includes(options) ? `{ mode: '${String(options)}' }` : "{ mode: 'unordered' }")
  const problems = unknownKeys(Object.keys(options), ['mode', 'args'], 'options')
  const { mode, args } = options
  if (mode !== undefined && !(TOOL_CALLS_MODES as readonly unknown[]).includes(mode)) {
    problems.push(`\`mode\` must be one of ${TOOL_CALLS_MODES.join(', ')}${gotText(mode)}${guessFrom(mode, TOOL_CALLS_MODES)}`)
  }
  const rule = `${ARGS_MODES.join(', ')} or a comparator (actual, expected, call) => boolean`
  if (isPlainObject(args)) {
    const bad = Object.entries(args).filter(([, perTool]) => !isArgsRule(perTool))
    for (const [tool, perTool] of bad.slice(0, MAX_KEYS_NAMED)) problems.push(`\`args.${keyText(tool)}\` must be ${rule}${gotText(perTool)}${guessFrom(perTool, ARGS_MODES)}`)
    if (bad.length > MAX_KEYS_NAMED) problems.push(`\`args\` has ${bad.length - MAX_KEYS_NAMED} more tools with such a rule`)
  } else if (args !== undefined && !isArgsRule(args)) {
    problems.push(`\`args\` must be ${rule}, or an object of those per tool name ('*' for the rest)${gotText(args)}${guessFrom(args, ARGS_MODES)}`)
  }
  return problems
}

function timesProblems(times: unknown): string[] {
  if (typeof times === 'number') return isCount(times) ? [] : [`\`times\` ${WHOLE_COUNT} or { min?, max? }${gotText(times)}`]
  if (!isPlainObject(times)) return [`\`times\` ${WHOLE_COUNT} or { min?, max? }${gotText(times)}`]
  const problems = unknownKeys(Object.keys(times), ['min', 'max'], '`times`')
  for (const bound of ['min', 'max'] as const) {
    if (times[bound] !== undefined && !isCount(times[bound])) problems.push(`\`times.${bound}\` ${WHOLE_COUNT}${gotText(times[bound])}`)
  }
  const { min, max } = times
  if (problems.length === 0 && isCount(min) && isCount(max) && (min as number) > (max as number)) problems.push(`\`times\`: min (${String(min)}) must not exceed max (${String(max)})`)
  return problems
}

/**
 * The problems of toCallTool's options, or none.
 *
 * @example
 * toolCallOptionsProblems({ tims: 1 }) // ['options has an unknown key `tims` (allowed: args, times); did you mean `times`?']
 */
export function toolCallOptionsProblems(options: unknown): string[] {
  if (!isPlainObject(options)) return notAnObject(options, isCount(options) ? `{ times: ${String(options)} }` : "{ args: { orderId: '123' } }")
  const problems = unknownKeys(Object.keys(options), ['args', 'times'], 'options')
  if (options['args'] !== undefined && !isArgsExpectation(options['args'])) problems.push(`\`args\` ${ARGS_EXPECTATION}${gotText(options['args'])}`)
  if (options['times'] !== undefined) problems.push(...timesProblems(options['times']))
  return problems
}
