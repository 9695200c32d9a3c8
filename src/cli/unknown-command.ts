// What `llm-evals histroy` says: the command it was probably meant as, then the command list.
import { closestName, shownName } from '../closest-name.js'

/** Every command of the `llm-evals` bin, with its subcommands (none: the command runs as it is). */
export const COMMANDS: Readonly<Record<string, readonly string[]>> = {
  cassettes: ['check', 'prune'],
  history: [],
  report: [],
  baseline: ['set', 'show', 'clear'],
  review: [],
  dataset: ['inspect', 'export'],
  import: ['promptfoo', 'openai-evals'],
}

/** `given` when it is one of `names`, else the name it is a typo of; undefined when none is close. */
function nameFor(given: string, names: readonly string[]): string | undefined {
  return names.includes(given) ? given : closestName(given, names)
}

/**
 * The command `words` (the bin's first positionals) were probably meant as, when one is a typo of a known
 * command (`histroy` → `history`, `casettes check` → `cassettes check`, `dataset inpsect` → `dataset inspect`).
 *
 * @example
 * meantCommand(['histroy']) // 'history'
 * meantCommand(['colour']) // undefined
 */
export function meantCommand(words: readonly string[]): string | undefined {
  const [given = '', sub] = words
  const command = nameFor(given, Object.keys(COMMANDS))
  if (command === undefined) return undefined
  const subcommands = COMMANDS[command] ?? []
  const subcommand = subcommands.length === 0 || sub === undefined ? undefined : nameFor(sub, subcommands)
  // A subcommand close to none: no guess (`cassettes xyz` is not `cassettes`).
  if (subcommands.length > 0 && sub !== undefined && subcommand === undefined) return undefined
  const meant = subcommand === undefined ? command : `${command} ${subcommand}`
  const asGiven = words.slice(0, subcommands.length === 0 ? 1 : 2).join(' ')
  return meant === asGiven ? undefined : meant
}

/**
 * The message of a command group run without its subcommand (`llm-evals cassettes`): the subcommands it takes,
 * then `usage`.
 *
 * @example
 * missingSubcommandMessage('cassettes', USAGE) // '`llm-evals cassettes` needs a subcommand: `check` or `prune`.\n\nUsage: …'
 */
export function missingSubcommandMessage(command: string, usage: string): string {
  const subcommands = (COMMANDS[command] ?? []).map((name) => `\`${name}\``)
  const choices = subcommands.length > 1 ? `${subcommands.slice(0, -1).join(', ')} or ${subcommands.at(-1)}` : (subcommands[0] ?? '')
  return `\`llm-evals ${command}\` needs a subcommand: ${choices}, e.g. \`llm-evals ${command} ${COMMANDS[command]?.[0] ?? ''} --help\`.\n\n${usage}`
}

/**
 * The message of an unknown command: the words as given (bounded, escaped), the command they were probably
 * meant as, and `usage` (the command list).
 *
 * @example
 * unknownCommandMessage(['histroy'], USAGE) // 'Unknown command "histroy"; did you mean `llm-evals history`?\n\nUsage: …'
 */
export function unknownCommandMessage(words: readonly string[], usage: string): string {
  const [command = '', sub] = words
  if (sub === undefined && Object.hasOwn(COMMANDS, command) && (COMMANDS[command]?.length ?? 0) > 0) return missingSubcommandMessage(command, usage)
  const given = words.slice(0, 2).map((word) => shownName(word, 40)).join(' ')
  const meant = meantCommand(words)
  return `Unknown command "${given}"${meant ? `; did you mean \`llm-evals ${meant}\`?` : '.'}\n\n${usage}`
}
