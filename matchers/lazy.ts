// The matchers as the worker setup file registers them: each loads its implementation (and what that
// needs: judges, instruction checkers, language detection, zod schemas) on its first call, so a test file
// pays only for the matchers it uses. Every matcher is asynchronous already, so this changes no behaviour:
// a misuse rejects on every call, as on the first (inside the import's `then`).
import type { MatcherState } from 'vitest'
import type * as Matchers from './index.js'
import { pointedAtCaller } from './shared/caller-stack.js'
import { noteMatcherCall } from './shared/call-site.js'
import { keepOutput, OUTPUT_MATCHERS } from './shared/keep-output.js'

type MatcherName = keyof typeof Matchers
type AnyMatcher = (this: MatcherState, ...args: never[]) => unknown

// Typed against the barrel: a matcher added there and not here fails the type check.
const loaders: { [Name in MatcherName]: () => Promise<(typeof Matchers)[Name]> } = {
  toBeFactual: async () => (await import('./to-be-factual.js')).toBeFactual,
  toBeGroundedIn: async () => (await import('./to-be-grounded-in.js')).toBeGroundedIn,
  toBeRelevantTo: async () => (await import('./to-be-relevant-to.js')).toBeRelevantTo,
  toBeSimilarTo: async () => (await import('./to-be-similar-to.js')).toBeSimilarTo,
  toCallTool: async () => (await import('./to-call-tool.js')).toCallTool,
  toCallTools: async () => (await import('./to-call-tools.js')).toCallTools,
  toCompleteTask: async () => (await import('./to-complete-task.js')).toCompleteTask,
  toFollowInstructions: async () => (await import('./to-follow-instructions.js')).toFollowInstructions,
  toHaveContextPrecision: async () => (await import('./to-have-context-precision.js')).toHaveContextPrecision,
  toMatchHumanLabel: async () => (await import('./to-match-human-label.js')).toMatchHumanLabel,
  toMatchResponseSnapshot: async () => (await import('./to-match-response-snapshot.js')).toMatchResponseSnapshot,
  toMatchSchema: async () => (await import('./to-match-schema.js')).toMatchSchema,
  toPreferOver: async () => (await import('./to-prefer-over.js')).toPreferOver,
  toRecallReference: async () => (await import('./to-recall-reference.js')).toRecallReference,
  toRetainKnowledge: async () => (await import('./to-retain-knowledge.js')).toRetainKnowledge,
  toRetrieve: async () => (await import('./to-retrieve.js')).toRetrieve,
  toSatisfyRubric: async () => (await import('./to-satisfy-rubric.js')).toSatisfyRubric,
}

function lazyMatcher(load: () => Promise<AnyMatcher>, keepsOutput: boolean): AnyMatcher {
  let implementation: AnyMatcher | undefined
  return function (this: MatcherState, ...args: never[]) {
    // Where the test called the matcher, for the score's annotation (the score comes after awaits) and for
    // the call's failures to point at.
    const callSite = noteMatcherCall(this)
    // The text scored, so a plain test's output shows in the report and on the review page.
    if (keepsOutput) keepOutput(this, args[0])
    let result: PromiseLike<unknown>
    // A misuse (a ConfigError thrown before the matcher's first await) rejects, on the first call (inside
    // the import's `then`) as on later ones, as Vitest's own async assertions do: one way, one stack.
    try {
      result = implementation
        ? (implementation.apply(this, args) as PromiseLike<unknown>)
        : load().then((loaded) => {
            implementation = loaded
            return loaded.apply(this, args)
          })
    } catch (misuse) {
      result = Promise.reject(misuse)
    }
    return callSite ? pointedAtCaller(result, callSite) : result
  }
}

/**
 * Every matcher of `vitest-llm-evals/matchers`, each loading its implementation on first use.
 *
 * @example
 * expect.extend(lazyMatchers)
 */
export const lazyMatchers = Object.fromEntries(
  Object.entries(loaders).map(([name, load]) => [name, lazyMatcher(load as () => Promise<AnyMatcher>, OUTPUT_MATCHERS.has(name))]),
) as unknown as typeof Matchers
