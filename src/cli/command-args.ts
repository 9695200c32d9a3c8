// The options of a command, parsed with node:util's parseArgs, whose own errors (`Unknown option '--limt'. To
// specify a positional argument starting with a '-', …`) say nothing of the command, of the option meant, or of
// the options there are. Every command parses through here, so every option error reads the same.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { closestName, shownName } from '../closest-name.js'
import { ConfigError } from '../errors/index.js'

type OptionSpecs = NonNullable<ParseArgsConfig['options']>

/** `--root`, or `-h/--help` for an option with a short form. */
function flag(name: string, spec: OptionSpecs[string]): string {
  return spec.short ? `-${spec.short}/--${name}` : `--${name}`
}

/** The options of a command as its errors list them. */
function optionList(options: OptionSpecs): string {
  return Object.entries(options).map(([name, spec]) => flag(name, spec)).join(', ')
}

/** The option token parseArgs stopped at, found by parsing again without failing. */
function offendingToken(argv: string[], options: OptionSpecs, allowPositionals: boolean) {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true })
  for (const token of tokens) {
    if (token.kind === 'positional' && !allowPositionals) return { kind: 'positional' as const, text: token.value }
    if (token.kind !== 'option') continue
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined
    if (!spec) return { kind: 'unknown' as const, text: token.rawName, name: token.name }
    if (spec.type === 'string' && token.value === undefined) return { kind: 'needs value' as const, text: token.rawName }
    if (spec.type === 'boolean' && token.value !== undefined) return { kind: 'takes no value' as const, text: token.rawName }
  }
  return undefined
}

/** The message of a parseArgs failure on `argv` of `command` (e.g. `history`, `cassettes check`). */
export function commandArgsMessage(command: string, argv: string[], options: OptionSpecs, allowPositionals: boolean): string | undefined {
  const token = offendingToken(argv, options, allowPositionals)
  if (!token) return undefined
  const shown = shownName(token.text, 40)
  const bin = command === '' ? 'llm-evals' : `llm-evals ${command}`
  const list = `Options of \`${bin}\`: ${optionList(options)} (\`${bin} --help\` says what they do).`
  if (token.kind === 'positional') return `Unexpected argument "${shown}" for \`${bin}\`: it takes options only. ${list}`
  if (token.kind === 'needs value') return `Option ${shown} of \`${bin}\` needs a value: ${shown} <value>.`
  if (token.kind === 'takes no value') return `Option ${shown} of \`${bin}\` takes no value: write ${shown} alone.`
  const meant = closestName(token.name, Object.keys(options))
  return `Unknown option ${shown} for \`${bin}\`${meant === undefined ? '.' : `; did you mean --${meant}?`} ${list}`
}

/**
 * `parseArgs` (strict) for the command `command`; an unknown option, a missing value or an unexpected argument is
 * a ConfigError (exit code 2) naming the command, the option as given (bounded, escaped), the option it was
 * probably meant as, and the command's options.
 *
 * @example
 * const { values } = parseCommandArgs('history', argv, { limit: { type: 'string' } }, true)
 * // llm-evals history --limt 3 → [vitest-llm-evals] Unknown option --limt for `llm-evals history`; did you mean --limit? …
 */
export function parseCommandArgs<const Options extends OptionSpecs>(command: string, argv: string[], options: Options, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true })
  } catch (error) {
    const message = commandArgsMessage(command, argv, options, allowPositionals)
    if (message === undefined) throw error
    throw new ConfigError(message, { cause: error })
  }
}
