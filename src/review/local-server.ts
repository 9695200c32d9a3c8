// What every page this library serves shares (the review page, the live watch-mode report): bound to
// 127.0.0.1 only, a Host header check against DNS rebinding, a random token, and strict security headers.
import { nodeCrypto } from '../node-crypto.js'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** No inline script or style, no other origin: model output shown on a page can never run code. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
}

/** A server listening on 127.0.0.1. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  close(): Promise<void>
}

/**
 * Starts `handler` on 127.0.0.1 (never another interface); port 0 picks a free one. node:http is loaded
 * here, when a page is first served: importing the library does not pay for it. `unref`: the server alone
 * does not keep the process running.
 *
 * @example
 * const { origin, close } = await listenOnLoopback((request, response) => send(response, 200, 'text/plain', 'ok'), 0)
 */
export async function listenOnLoopback(handler: RequestListener, port: number, options: { unref?: boolean } = {}): Promise<LoopbackServer> {
  const { createServer } = await import('node:http')
  const server = createServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  if (options.unref) server.unref()
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/**
 * True when the request names this server as its Host: another site's page, or a DNS name rebound to
 * 127.0.0.1, sends its own name and is refused.
 *
 * @example
 * if (!isLoopbackHost(request, origin)) return send(response, 421, 'text/plain', 'Unexpected Host header.')
 */
export function isLoopbackHost(request: IncomingMessage, origin: string): boolean {
  const host = request.headers.host ?? ''
  const port = new URL(origin).port
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/**
 * A random token for a page's URL (128 bits, URL-safe).
 *
 * @example
 * const token = newToken() // 'q3K…'
 */
export function newToken(): string {
  return nodeCrypto().randomBytes(16).toString('base64url')
}

/**
 * Compares a token from a request with the server's in constant time.
 *
 * @example
 * tokenMatches(url.searchParams.get('token'), token)
 */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && nodeCrypto().timingSafeEqual(a, b)
}

/**
 * Sends a response with {@link SECURITY_HEADERS}; `headers` overrides some of them for one route.
 *
 * @example
 * send(response, 404, 'text/plain', 'Not found.')
 */
export function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': type })
  response.end(body)
}
