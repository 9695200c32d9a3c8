import { ConfigError } from '../../src/errors/index.js'

/** The value as a string, or a ConfigError saying which argument of which matcher was not one. */
export function requireString(matcherName: string, argument: string, value: unknown): string {
  if (typeof value === 'string') return value
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
  throw new ConfigError(`${matcherName}() needs the ${argument} as a string, got ${kind}. Pass the model's text (e.g. \`response.output_text\`).`)
}
