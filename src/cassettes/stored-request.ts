// The request as a cassette stores it, which is also what it is looked up by: a request replays when its stored form
// matches a recording's, whichever of its parts came live (the user's text, a judge's reference) and which came back
// redacted from the cassette (an earlier answer the app sends again, a simulated user's turn).
import type { CanonicalRequest } from './canonical.js'
import { KNOWN_SECRET_HINT, scrubDeep, type RedactRule } from './redact.js'
import { foundSecretRules } from './secret-scan-sync.js'

/**
 * `request` as a cassette stores it: known key patterns (`sk-…`, bearer tokens), what the secret scan finds in it and
 * the user's `cassettes.redact` rules replaced by `[REDACTED]` (see `CassetteStore.record`). Its key is the lookup key.
 *
 * @example
 * storedRequest({ method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { input: 'id cust_42' } }, [{ source: 'cust_\\w+', flags: 'g' }])
 * // body: { input: 'id [REDACTED]' }
 */
export function storedRequest(request: CanonicalRequest, redact: readonly RedactRule[]): CanonicalRequest {
  // Scanned as the cassette's text is (JSON): a value found inside a JSON string is redacted as the parsed string holds it.
  return scrubDeep(request, [...scanned([request.path, JSON.stringify(request.query), JSON.stringify(request.body) ?? '']), ...redact])
}

/**
 * The redaction rules of what the secret scan finds in `texts`, scanned only when one holds a known token's prefix
 * (see `KNOWN_SECRET_HINT`, which every rule of the preset needs): a scan costs ~0.2 ms even for a short text, on
 * every replayed call. Were the scan to find a secret without one, the key would still be the recording run's.
 */
function scanned(texts: readonly string[]): RedactRule[] {
  return texts.some((text) => KNOWN_SECRET_HINT.test(text)) ? foundSecretRules(texts) : []
}

/**
 * A `recordTool` call's arguments as a cassette stores them (redacted as {@link storedRequest} redacts a request): their
 * key is the call's lookup key, so a call whose arguments came back `[REDACTED]` from a replayed answer still replays.
 *
 * @example
 * storedToolArgs({ customer: 'cust_42' }, [{ source: 'cust_\\w+', flags: 'g' }]) // { customer: '[REDACTED]' }
 */
export function storedToolArgs(args: unknown, redact: readonly RedactRule[]): unknown {
  if (args === undefined) return undefined
  return scrubDeep(args, [...scanned([JSON.stringify(args) ?? '']), ...redact])
}
