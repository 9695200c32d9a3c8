import { keyedRequest, stableStringify, type CanonicalRequest, type NormalizeRequest } from './canonical.js'

/** One place where two requests differ. */
export interface RequestDifference {
  path: string
  recorded: string
  received: string
}

const MISSING = '(absent)'

function preview(value: unknown): string {
  if (value === undefined) return MISSING
  const text = typeof value === 'string' ? JSON.stringify(value) : stableStringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

function walk(path: string, recorded: unknown, received: unknown, out: RequestDifference[]): void {
  if (stableStringify(recorded) === stableStringify(received)) return
  const bothObjects = recorded !== null && received !== null && typeof recorded === 'object' && typeof received === 'object'
  if (bothObjects && Array.isArray(recorded) === Array.isArray(received)) {
    const keys = new Set([...Object.keys(recorded), ...Object.keys(received)])
    for (const key of keys) {
      const child = Array.isArray(recorded) ? `${path}[${key}]` : `${path}.${key}`
      walk(child, (recorded as Record<string, unknown>)[key], (received as Record<string, unknown>)[key], out)
    }
    return
  }
  out.push({ path, recorded: preview(recorded), received: preview(received) })
}

/**
 * Where two requests differ once normalised as keys are (volatile fields removed, user hook applied).
 *
 * @example
 * diffRequests(recorded, received) // [{ path: 'body.model', recorded: '"gpt-4o"', received: '"gpt-4.1"' }]
 */
export function diffRequests(recorded: CanonicalRequest, received: CanonicalRequest, normalize?: NormalizeRequest): RequestDifference[] {
  const out: RequestDifference[] = []
  const a = keyedRequest(recorded, normalize)
  const b = keyedRequest(received, normalize)
  walk('method', a.method, b.method, out)
  walk('path', a.path, b.path, out)
  walk('query', a.query, b.query, out)
  walk('headers', a.headers, b.headers, out)
  walk('body', a.body, b.body, out)
  return out
}

/** The candidate with the fewest differences from `received`, with those differences. */
export function nearestRequest<T extends { request: CanonicalRequest }>(
  candidates: readonly T[],
  received: CanonicalRequest,
  normalize?: NormalizeRequest,
): { candidate: T; differences: RequestDifference[] } | undefined {
  let best: { candidate: T; differences: RequestDifference[] } | undefined
  for (const candidate of candidates) {
    if (candidate.request.method !== received.method || candidate.request.path !== received.path) continue
    const differences = diffRequests(candidate.request, received, normalize)
    if (!best || differences.length < best.differences.length) best = { candidate, differences }
  }
  return best
}
