/** Model API hosts cassettes always own. */
export const DEFAULT_HOSTS: readonly string[] = ['api.openai.com', 'api.anthropic.com']

/**
 * True for requests to a model API host: the default hosts, the `cassettes.hosts` option, and the hosts of
 * `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL` as they are set when the request is made (tests often set them
 * after start-up, e.g. to a local stand-in server).
 *
 * @example
 * ownsUrl(new URL('https://api.openai.com/v1/chat/completions'), []) // true
 */
export function ownsUrl(url: URL, extraHosts: readonly string[]): boolean {
  const matches = (host: string) => host === url.host || host === url.hostname
  if (DEFAULT_HOSTS.some(matches) || extraHosts.some(matches)) return true
  for (const name of ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL']) {
    const value = process.env[name]
    if (!value) continue
    try {
      if (matches(new URL(value).host)) return true
    } catch {
      // An unparsable base URL is the SDK's error to report, not ours.
    }
  }
  return false
}
