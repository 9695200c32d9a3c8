// Runs secretlint rules on a text through the rule API every secretlint rule implements (@secretlint/types:
// `rule.create(context, options)` returns `{ file(source) }`, which reports ranges), without @secretlint/core.
// The core's load (~60 ms of wall time, ~100 ms of CPU: `debug` and its own modules) was most of the secret
// scanner's cost in a run's main process, and it rebuilt every rule for each text (issue 17, BENCHMARKS.md).
// What the core adds on top of the rules — comment filters, masking, sorting — this library does not use:
// test/src/cassettes/secret-rules.test.ts checks the findings equal the core's on every rule of the preset.
import type { SecretLintRuleContext, SecretLintRuleCreator, SecretLintRuleLocalizeMessages, SecretLintSourceCode } from '@secretlint/types'
import { createRequire } from 'node:module'
import type { StructuredSource } from 'structured-source'

/** One finding of a rule: its range in the scanned text and the data its message names (the value, for most rules). */
export interface RuleFinding {
  ruleId: string
  messageId: string
  range: readonly [number, number]
  data?: object
}

/** Per-rule settings, as in a `.secretlintrc` preset entry: options given to the rule, message ids not reported. */
export interface RuleSettings {
  options?: object
  allowMessageIds?: readonly string[]
}

/**
 * A secretlint rule (`SecretLintRuleCreator` of @secretlint/types), as the preset exports it. Not named by its type in
 * the signatures: @secretlint/types is a dev dependency, and a published declaration naming it fails a user's type
 * check (TS2307 with skipLibCheck off).
 */
export type SecretlintRule = object

/** The name the scanned text is given: a rule that reads files by name (`.npmrc`, `.p12`) sees none of its own. */
const SCANNED_NAME = 'scanned.txt'

/**
 * Every finding of `rules` in `content`, in the order the rules report them. Rules are created for each text,
 * as secretlint does (a rule may keep state while it reads one file). A rule's `ignore` (comment filters)
 * is not honoured: scanned text is model output and user data, and nothing in it may turn the scan off.
 *
 * @example
 * await runRules(presetRules, `token ${githubToken}`, {}) // [{ ruleId: '@secretlint/secretlint-rule-github', messageId: 'GITHUB_TOKEN', range: [6, 46], data: { … } }]
 */
export async function runRules(rules: readonly SecretlintRule[], content: string, settings: Readonly<Record<string, RuleSettings>>): Promise<RuleFinding[]> {
  const found: RuleFinding[] = []
  for (const read of ruleReads(rules as readonly SecretLintRuleCreator<object>[], content, settings, found)) await read.run()
  return found
}

/**
 * {@link runRules}, synchronously, for a caller that cannot wait (the reporter's usage reports built from errors).
 * Every rule of the recommended preset reads a text synchronously; one that answers with a promise throws, as a
 * failed scan: the caller then keeps none of the text.
 *
 * @example
 * runRulesSync(presetRules, `token ${githubToken}`, {}) // [{ ruleId: '@secretlint/secretlint-rule-github', … }]
 */
export function runRulesSync(rules: readonly SecretlintRule[], content: string, settings: Readonly<Record<string, RuleSettings>>): RuleFinding[] {
  const found: RuleFinding[] = []
  for (const read of ruleReads(rules as readonly SecretLintRuleCreator<object>[], content, settings, found)) {
    const done: unknown = read.run()
    if (typeof (done as PromiseLike<void> | undefined)?.then !== 'function') continue
    ;(done as Promise<void>).catch(() => undefined)
    throw new Error(`the secretlint rule ${read.id} reads asynchronously: it cannot run in a synchronous scan`)
  }
  return found
}

/** Each rule that reads `content`, ready to run: its findings go to `found`. */
function* ruleReads(rules: readonly SecretLintRuleCreator<object>[], content: string, settings: Readonly<Record<string, RuleSettings>>, found: RuleFinding[]): Generator<{ id: string; run(): void | Promise<void> }> {
  const source = sourceCode(content)
  for (const rule of rules) {
    if (rule.meta.type !== 'scanner' || !reads(rule, source)) continue
    const { options = {}, allowMessageIds = [] } = settings[rule.meta.id] ?? {}
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: translator,
      report: ({ message, range }) => {
        if (!allowMessageIds.includes(message.messageId)) found.push({ ruleId: rule.meta.id, messageId: message.messageId, range, ...(message.data ? { data: message.data } : {}) })
      },
      ignore: () => undefined,
    }
    yield { id: rule.meta.id, run: () => rule.create(context, options).file?.(source) }
  }
}

function reads(rule: SecretLintRuleCreator<object>, source: SecretLintSourceCode): boolean {
  const types: readonly string[] = rule.meta.supportedContentTypes
  return types.includes('all') || types.includes(source.contentType)
}

/** A rule's messages in English, with the data they name (what the rule reports as the secret). */
function translator<T extends SecretLintRuleLocalizeMessages>(messages: T) {
  return (messageId: keyof T, props?: Record<string, unknown>) => {
    // secretlint allows a plain function for a message as well as one per locale.
    const message = messages[messageId] as SecretLintRuleLocalizeMessages[string] | ((props?: object) => string) | undefined
    if (!message) throw new Error(`secretlint rule message ${String(messageId)} is missing from the rule's messages`)
    return { message: typeof message === 'function' ? message(props) : message.en(props), messageId: String(messageId), data: props }
  }
}

function sourceCode(content: string): SecretLintSourceCode {
  let lines: StructuredSource | undefined
  // Loaded on first use (few rules ask for positions): the synchronous scan is imported where a replay only may scan.
  const structured = () => (lines ??= new (createRequire(import.meta.url)('structured-source') as typeof import('structured-source')).StructuredSource(content))
  return {
    hasBOM: false,
    content,
    filePath: SCANNED_NAME,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => SCANNED_NAME,
    getPhysicalFilePath: () => undefined,
    locationToRange: (loc) => structured().locationToRange(loc),
    rangeToLocation: (range) => structured().rangeToLocation(range),
    positionToIndex: (position) => structured().positionToIndex(position),
    indexToPosition: (index) => structured().indexToPosition(index),
  }
}
