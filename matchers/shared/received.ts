import { ConfigError } from '../../src/errors/index.js'

/** The value as a string, or a ConfigError saying which argument of which matcher was not one. */
export function requireString(matcherName: string, argument: string, value: unknown): string {
  if (typeof value === 'string') return value
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
  // The received value is the model's text; any other argument (a reference, a question, a baseline) is the test's own.
  const advice = argument.startsWith('output') ? "Pass the model's text (e.g. `response.output_text`)." : `Pass the ${argument} as text (a string), e.g. from the dataset row.`
  throw new ConfigError(`${matcherName}() needs the ${argument} as a string, got ${kind}. ${advice}`)
}
