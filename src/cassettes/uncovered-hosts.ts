// Model calls to hosts cassettes do not cover go to the network untouched ("everything else is left alone").
// When one looks like a model API call (a base URL set in code, not through OPENAI_BASE_URL), the user is
// told once per host and test file, with the line that makes it recorded; in `replay`, such a call that fails
// (no server in CI) also fails its test with that explanation, not only the SDK's bare "Connection error.".
import { docsLocation } from '../docs-location.js'
import { CassetteError } from '../errors/index.js'
import { looksLikeModelCall, type RequestSigns } from './model-call-signs.js'
import type { CassetteMode } from './mode.js'
import { oneLine } from './one-line.js'
import { scrubForSharing } from './redact.js'
import type { TestScope } from './scope.js'

/** A request to a host cassettes do not cover, as the interceptor sees it. */
export interface UncoveredRequest extends RequestSigns {
  url: URL
}

/** Called when an uncovered model call got no response (a connection error), with what it failed with. */
export type UncoveredFailure = (error: unknown) => void

/** The base URL variable of the SDK that sent a request, for the message's second way to fix it. */
function baseUrlVariable(request: UncoveredRequest): string {
  if (request.header('anthropic-version') || /^Anthropic\//i.test(request.header('user-agent') ?? '')) return 'ANTHROPIC_BASE_URL'
  if (/genai/i.test(request.header('x-goog-api-client') ?? '') || /:(?:stream)?generateContent$/.test(request.path)) return 'GOOGLE_GEMINI_BASE_URL'
  return 'OPENAI_BASE_URL'
}

/**
 * Notes requests to hosts cassettes do not cover: each model-looking one is told once per host and test file
 * (`console.warn`, which Vitest shows with the test's output), and in `replay` one that fails fails its test.
 *
 * @example
 * const uncovered = new UncoveredHosts('auto', [])
 * const onFailure = uncovered.see(request, currentTestScope()) // warns once for request.url.host
 */
export class UncoveredHosts {
  private warned = new Set<string>()
  private readonly failures = new WeakMap<TestScope, Error>()

  constructor(
    private readonly mode: CassetteMode,
    private readonly hosts: readonly string[],
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** A new test file: its first model call to each uncovered host is told again. */
  beginFile(): void {
    this.warned = new Set()
  }

  /** The error a test fails with: an uncovered model call of it failed in `replay`. */
  failureOf(scope: TestScope): Error | undefined {
    return this.failures.get(scope)
  }

  /** Notes `request`; for a model call, returns what to call if it fails (in `replay`), else `undefined`. */
  see(request: UncoveredRequest, scope: TestScope | undefined): UncoveredFailure | undefined {
    if (!looksLikeModelCall(request)) return undefined
    const host = request.url.host
    if (!this.warned.has(host)) {
      this.warned.add(host)
      this.warn(this.message(request, 'warning'))
    }
    if (this.mode !== 'replay' || !scope) return undefined
    return (error) => {
      if (isAbort(error) || this.failures.has(scope)) return
      this.failures.set(scope, new CassetteError(this.message(request, 'failure'), { cause: error }))
    }
  }

  /** The warning, or the test's error in `replay`: what was called, why it was not recorded, how to fix it. */
  message(request: UncoveredRequest, kind: 'warning' | 'failure'): string {
    const host = request.url.host
    // The path only: a query may hold a key (`?key=` for Gemini); headers are never shown.
    const call = oneLine(`${request.method.toUpperCase()} ${request.url.protocol}//${host}${request.url.pathname}`, 160)
    const fate =
      kind === 'failure'
        ? 'it was sent to the network (cassettes do not cover that host) and failed: no server answered there. In replay mode it is not served from a cassette'
        : this.mode === 'replay'
          ? 'it went to the network, not served from a cassette (cassette mode: replay)'
          : `it went to the network and was not recorded (cassette mode: ${this.mode})`
    const hosts = [...this.hosts, host].map((name) => `'${name}'`).join(', ')
    const text =
      `[vitest-llm-evals] ${call} looks like a model API call, but cassettes do not cover ${host}: ${fate}. ` +
      `(Said once per host and test file.)\n` +
      `  To record and replay it: llmEvals({ cassettes: { hosts: [${hosts}] } }) in vitest.config.ts, ` +
      `or set the base URL through ${baseUrlVariable(request)} (its host is recorded) instead of in code. ` +
      `See "Which requests are recorded" in ${docsLocation('cassettes.md')}.`
    return scrubForSharing(text)
  }
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && ((error as { name?: unknown }).name === 'AbortError' || (error as { name?: unknown }).name === 'TimeoutError')
}
