// HTTP Basic credentials written out (`Authorization: Basic dXNlcjpwYXNz`, `curl -H "authorization: basic …"`): the
// base64 of "user:password". A bearer token has a pattern of its own; a Basic header in a tool's arguments or result,
// or in model text that quotes a request, was stored and shown as it was (secretlint reads passwords in URLs only).
// Counted only when the base64 decodes to "user:password" in printable text, so prose ("Basic training", "basic
// usage") and other base64 are left alone. Pure.

/** "Basic" (any common case), spaces, then base64: every run bounded, the spaces end each one (linear). */
const BASIC_AUTH = /(?<![A-Za-z0-9])(?:[Bb]asic|BASIC)\s{1,10}([A-Za-z0-9+/]{8,1000}={0,2})(?![A-Za-z0-9+/=])/g

/** True when `base64` decodes to `user:password`: printable, a colon, and a password after it. */
function isCredentials(base64: string): boolean {
  let decoded: string
  try {
    decoded = atob(base64)
  } catch {
    return false
  }
  return /^[\x20-\x39\x3b-\x7e]{0,256}:[\x20-\x7e]{1,512}$/.test(decoded)
}

/**
 * Each base64 credential of an HTTP Basic header in `text`, with its offset (the word "Basic" kept).
 *
 * @example
 * basicCredentialsIn('Authorization: Basic dXNlcjpwYXNzd29yZA==') // [{ value: 'dXNlcjpwYXNzd29yZA==', index: 21 }]
 */
export function basicCredentialsIn(text: string): { value: string; index: number }[] {
  const found: { value: string; index: number }[] = []
  for (const match of text.matchAll(BASIC_AUTH)) {
    const value = match[1]!
    if (isCredentials(value)) found.push({ value, index: match.index + match[0].length - value.length })
  }
  return found
}

/**
 * `text` with the base64 credential of every HTTP Basic header replaced by `replacement`.
 *
 * @example
 * hideBasicCredentials('Authorization: Basic dXNlcjpwYXNzd29yZA==', '[REDACTED]') // 'Authorization: Basic [REDACTED]'
 */
export function hideBasicCredentials(text: string, replacement: string): string {
  return text.replace(BASIC_AUTH, (match, value: string) => (isCredentials(value) ? match.slice(0, match.length - value.length) + replacement : match))
}
