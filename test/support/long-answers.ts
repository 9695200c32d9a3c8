// Long model answers holding a secret at a chosen place, for the tests of cuts made as a cassette stores a text
// (a judge's or a simulated user's prompt). Keys are built here, never written as literals (secret scanners).

/** A fake OpenAI project key (`sk-proj-…T3BlbkFJ…`, 164 characters), different per `seed`. */
export const openaiKey = (seed: number): string => 'sk-' + 'proj-' + letters(74, seed) + 'T3Blbk' + 'FJ' + letters(74, seed + 1)

/** A fake Anthropic API key (`sk-ant-api03-…AA`, 108 characters), different per `seed`. */
export const anthropicKey = (seed: number): string => 'sk-' + 'ant-api03-' + letters(93, seed) + 'AA'

/** A fake GitHub personal access token. */
export const githubToken = 'gh' + 'p_' + 'abcdefghijklmnopqrstuvwxyz0123456789'

function letters(length: number, seed: number): string {
  return Array.from({ length }, (_, index) => 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7nP9rS1uX3wY5'[(index * 7 + seed) % 50]).join('')
}

/** Prose of `at` characters, then ` secret `, then prose up to `total` characters. */
export function answerWith(at: number, secret: string, total: number): string {
  const prose = (length: number) => 'The quarterly report covers revenue, costs and the outlook for next year. '.repeat(Math.ceil(length / 74)).slice(0, length)
  return `${prose(at - 1)} ${secret} ${prose(total - at - secret.length - 1)}`
}
