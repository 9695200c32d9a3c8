// Side-effect-free barrel of the matchers only, so `expect.extend(matchers)` registers exactly these.
export { toBeSimilarTo } from './to-be-similar-to.js'
export { toFollowInstructions } from './to-follow-instructions.js'
export { toMatchHumanLabel } from './to-match-human-label.js'
export { toMatchResponseSnapshot } from './to-match-response-snapshot.js'
export { toMatchSchema } from './to-match-schema.js'
export { toRetrieve } from './to-retrieve.js'
export type { LlmEvalsMatchers } from './types.js'
