/**
 * Model API hosts cassettes always own: OpenAI, Anthropic, Google Gemini and Vertex AI, Azure OpenAI / AI
 * Foundry, AWS Bedrock runtime, Mistral, Groq, OpenRouter, DeepSeek, xAI, Together, Fireworks and the
 * Vercel AI Gateway. A `*` stands for one DNS label, or part of one (see {@link hostPatternMatches}).
 */
export const DEFAULT_HOSTS: readonly string[] = [
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com',
  '*-aiplatform.googleapis.com',
  '*.openai.azure.com',
  '*.services.ai.azure.com',
  '*.cognitiveservices.azure.com',
  'bedrock-runtime.*.amazonaws.com',
  'bedrock-runtime-fips.*.amazonaws.com',
  'api.mistral.ai',
  'api.groq.com',
  'openrouter.ai',
  'api.deepseek.com',
  'api.x.ai',
  'api.together.xyz',
  'api.together.ai',
  'api.fireworks.ai',
  'ai-gateway.vercel.sh',
]

const EXACT_DEFAULT_HOSTS: ReadonlySet<string> = new Set(DEFAULT_HOSTS.filter((pattern) => !pattern.includes('*')))

/** Environment variables the SDKs read their base URL from: their hosts are recorded when set. */
export const BASE_URL_VARIABLES: readonly string[] = [
  'OPENAI_BASE_URL',
  'ANTHROPIC_BASE_URL',
  'AZURE_OPENAI_ENDPOINT',
  'GOOGLE_GEMINI_BASE_URL',
  'GOOGLE_VERTEX_BASE_URL',
]

const LABEL = /^[a-z0-9*_-]+$/
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'https:': '443', 'http:': '80', 'wss:': '443', 'ws:': '80' }
const PORT = /^(\d{1,5}|\*)$/

/**
 * Why `pattern` is not a host pattern `cassettes.hosts` accepts, or `undefined` when it is one: a host name
 * (`llm.internal`), optionally with a port (`127.0.0.1:8080`, `localhost:*`), where `*` stands for one DNS
 * label or part of one (`*.openai.azure.com`, `*-aiplatform.googleapis.com`).
 *
 * @example
 * hostPatternProblem('https://x.openai.azure.com') // 'is a URL: give its host only, e.g. "x.openai.azure.com"'
 */
export function hostPatternProblem(pattern: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pattern)) {
    let host = ''
    try {
      host = new URL(pattern).host
    } catch {
      // Shown without an example below.
    }
    return `is a URL: give its host only${host ? `, e.g. "${host}"` : ''}`
  }
  if (pattern.startsWith('[')) return 'is an IPv6 address, which host patterns do not support: give a host name'
  const [name = '', port, ...rest] = pattern.toLowerCase().split(':')
  const portNumber = port === undefined || port === '*' ? undefined : Number(port)
  if (rest.length > 0 || (port !== undefined && !PORT.test(port)) || (portNumber !== undefined && (portNumber < 1 || portNumber > 65535))) {
    return 'has a bad port: write "name" or "name:port" (a number from 1 to 65535, or * for any port)'
  }
  const labels = name.split('.')
  if (labels.some((label) => !LABEL.test(label))) return 'is not a host name: letters, digits, "-", "." and "*" only'
  if (labels.some((label) => label.includes('**'))) return 'has "**": a * already stands for a whole label (or part of one), e.g. "*.example.com"'
  if (labels.every((label) => label === '*')) return 'matches every host: name the domain, e.g. "*.example.com"'
  return undefined
}

const ANY = '\u0000'

/**
 * True when one DNS label matches one label of a pattern, where each `*` stands for one or more characters.
 * Linear-time wildcard matching (backtracking only to the last `*`): no regular expression is built from
 * configuration, so no pattern (`********.com`) can make a long host name stall the worker.
 */
function labelMatches(pattern: string, label: string): boolean {
  // `*` is one or more characters: each becomes "one character" plus "zero or more".
  const glob = pattern.replace(/\*/g, `${ANY}*`)
  let p = 0
  let l = 0
  let star = -1
  let resume = 0
  while (l < label.length) {
    const char = glob[p]
    if (char === '*') {
      star = p++
      resume = l
    } else if (char === ANY || (char !== undefined && char === label[l])) {
      p++
      l++
    } else if (star !== -1) {
      p = star + 1
      l = ++resume
    } else {
      return false
    }
  }
  while (glob[p] === '*') p++
  return p === glob.length
}

/**
 * True when `host` (`name` or `name:port`, as in `URL.host`) matches `pattern`: equal names, `*` standing
 * for one DNS label or part of one; a pattern without a port matches every port.
 *
 * @example
 * hostPatternMatches('*.openai.azure.com', 'my-resource.openai.azure.com') // true
 * hostPatternMatches('*.openai.azure.com', 'openai.azure.com') // false
 */
export function hostPatternMatches(pattern: string, host: string): boolean {
  const [patternName = '', patternPort, ...patternRest] = pattern.toLowerCase().split(':')
  const [hostName = '', hostPort, ...hostRest] = host.toLowerCase().split(':')
  if (patternRest.length > 0 || hostRest.length > 0) return false
  if (patternPort !== undefined && patternPort !== '*' && patternPort !== hostPort) return false
  const patternLabels = patternName.split('.')
  const hostLabels = hostName.split('.')
  if (patternLabels.length !== hostLabels.length) return false
  return patternLabels.every((label, index) => labelMatches(label, hostLabels[index] as string))
}

/**
 * True for requests to a model API host: the default hosts, the `cassettes.hosts` option (wildcards allowed),
 * and the hosts of the SDKs' base URL variables (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`,
 * `AZURE_OPENAI_ENDPOINT`, `GOOGLE_GEMINI_BASE_URL`, `GOOGLE_VERTEX_BASE_URL`) as they are set when the
 * request is made (tests often set them after start-up, e.g. to a local stand-in server).
 *
 * @example
 * ownsUrl(new URL('https://api.openai.com/v1/chat/completions'), []) // true
 */
export function ownsUrl(url: URL, extraHosts: readonly string[]): boolean {
  // Checked on every fetch: a default host without a wildcard matches its name on any port.
  if (EXACT_DEFAULT_HOSTS.has(url.hostname)) return true
  const host = url.host
  // `URL.host` leaves out the scheme's default port: `llm.internal:443` must still match `https://llm.internal`.
  const defaultPort = url.port === '' ? DEFAULT_PORTS[url.protocol] : undefined
  const matches = (pattern: string) => hostPatternMatches(pattern, host) || (defaultPort !== undefined && hostPatternMatches(pattern, `${url.hostname}:${defaultPort}`))
  if (DEFAULT_HOSTS.some(matches) || extraHosts.some(matches)) return true
  for (const name of BASE_URL_VARIABLES) {
    const value = process.env[name]
    if (value && isBaseOf(value, url)) return true
  }
  const judges = coveredBaseUrls()
  return judges.size > 0 && [...judges].some((value) => isUnderBaseUrl(value, url))
}

/**
 * True when `url` is under a judge's `baseUrl`: same host and port (the scheme's default port when the base URL
 * names none) and, for HTTP, a path under the base URL's path, so a gateway serving a judge under `/llm/v1`
 * keeps its other APIs (`/api/orders`) and its other ports out of the cassettes.
 */
function isUnderBaseUrl(baseUrl: string, url: URL): boolean {
  let base: URL
  try {
    base = new URL(baseUrl)
  } catch {
    return false // an unparsable base URL is the SDK's error to report, not ours
  }
  if (base.hostname !== url.hostname) return false
  if ((base.port || DEFAULT_PORTS[base.protocol]) !== (url.port || DEFAULT_PORTS[url.protocol])) return false
  const prefix = base.pathname.replace(/\/+$/, '')
  // A connection check (the replay socket guard, the HTTP/2 bridge) asks with the bare origin, path `/`: it cannot
  // see the path, so the host and port decide (a request to the root itself is taken too).
  return prefix === '' || url.pathname === '/' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)
}

function isBaseOf(baseUrl: string, url: URL): boolean {
  try {
    const base = new URL(baseUrl)
    return base.host === url.host || (base.port === '' && base.hostname === url.hostname)
  } catch {
    // An unparsable base URL is the SDK's error to report, not ours.
    return false
  }
}

// Kept on globalThis: the judge and the worker's interception may load this module from different bundles.
const COVERED = Symbol.for('vitest-llm-evals.covered-base-urls')

function coveredBaseUrls(): Set<string> {
  const global = globalThis as { [COVERED]?: Set<string> }
  return (global[COVERED] ??= new Set())
}

/**
 * Makes the requests under `baseUrl` (its host and port, paths under its path) ones cassettes own in this process:
 * a judge given `baseURL` (a self-hosted vLLM, Ollama or gateway) is recorded and replayed like the default hosts,
 * and never reached in replay. Called when the judge is configured or created, before any call is made.
 *
 * @example
 * coverBaseUrl('http://127.0.0.1:8000/v1')
 */
export function coverBaseUrl(baseUrl: string): void {
  coveredBaseUrls().add(baseUrl)
}
