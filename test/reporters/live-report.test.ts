import { request } from 'node:http'
import { describe, expect, test, vi } from 'vitest'
import type { Vitest } from 'vitest/node'
import { LiveReport, wantsLiveReport, writesInWatch } from '../../reporters/live-report.js'
import { startLiveReportServer } from '../../reporters/live-report-server.js'

/** A request with a chosen method and Host header (fetch does not let a caller set Host). */
function call(url: string, options: { host?: string; method?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const req = request({ agent: false, host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

const watchConfig = { watch: true, shard: undefined, mergeReports: undefined } as unknown as Vitest['config']

describe('when the live report runs', () => {
  test('in watch mode only, outside CI, unless turned off', () => {
    expect(wantsLiveReport(watchConfig, undefined, {})).toBe(true)
    expect(wantsLiveReport(watchConfig, { html: false }, { CI: 'false' })).toBe(true)
    expect(wantsLiveReport({ ...watchConfig, watch: false }, undefined, {})).toBe(false)
    expect(wantsLiveReport(watchConfig, undefined, { CI: 'true' })).toBe(false)
    expect(wantsLiveReport(watchConfig, { live: false }, {})).toBe(false)
    expect(wantsLiveReport(watchConfig, false, {})).toBe(false)
    expect(wantsLiveReport({ ...watchConfig, shard: { index: 1, count: 2 } } as Vitest['config'], undefined, {})).toBe(false)
  })

  test('history is written in watch mode only with history.watch', () => {
    expect(writesInWatch(undefined)).toBe(false)
    expect(writesInWatch(false)).toBe(false)
    expect(writesInWatch({ file: 'h.jsonl' })).toBe(false)
    expect(writesInWatch({ watch: true })).toBe(true)
  })
})

describe('live report server', () => {
  test('serves the newest page behind its token and Host check, with a strict policy', async () => {
    const live = await startLiveReportServer()
    try {
      const { origin, searchParams } = new URL(live.url)
      const token = searchParams.get('token') ?? ''
      expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const shell = await call(live.url)
      expect(shell.status).toBe(200)
      expect(shell.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
      expect(shell.headers['referrer-policy']).toBe('no-referrer')
      // Nothing inline: the policy would block it.
      expect(shell.body).not.toMatch(/<script>|<style>| style=/)

      expect(JSON.parse((await call(`${origin}/version?token=${token}`)).body)).toEqual({ version: 0 })
      expect((await call(`${origin}/report?token=${token}`)).body).toContain('Waiting for the first run')
      live.update('<!doctype html><p>run one</p>')
      expect(JSON.parse((await call(`${origin}/version?token=${token}`)).body)).toEqual({ version: 1 })
      const report = await call(`${origin}/report?token=${token}`)
      expect(report.body).toBe('<!doctype html><p>run one</p>')
      expect(report.headers['x-frame-options']).toBe('SAMEORIGIN')

      expect((await call(`${origin}/report`)).status).toBe(403)
      expect((await call(`${origin}/report?token=${token}x`)).status).toBe(403)
      expect((await call(`${origin}/?token=${token}`, { host: `rebound.example:${new URL(origin).port}` })).status).toBe(421)
      expect((await call(`${origin}/version?token=${token}`, { method: 'POST' })).status).toBe(405)
      expect((await call(`${origin}/nothing?token=${token}`)).status).toBe(404)
      expect((await call(`http://localhost:${new URL(origin).port}/version?token=${token}`, { host: `localhost:${new URL(origin).port}` })).status).toBe(200)
    } finally {
      await live.close()
    }
  })

  test('each server has its own token', async () => {
    const [a, b] = await Promise.all([startLiveReportServer(), startLiveReportServer()])
    expect(new URL(a.url).searchParams.get('token')).not.toBe(new URL(b.url).searchParams.get('token'))
    await Promise.all([a.close(), b.close()])
  })
})

describe('LiveReport', () => {
  test('prints its address once, shows each run, and closes when Vitest closes', async () => {
    const closers: (() => Promise<void>)[] = []
    const vitest = { logger: { warn: vi.fn() }, onClose: (fn: () => Promise<void>) => closers.push(fn) } as unknown as Vitest
    const live = new LiveReport(vitest)
    const logged: string[] = []
    await live.show(undefined, (text) => logged.push(text))
    const url = /live report: (\S+)/.exec(logged[0] ?? '')?.[1] ?? ''
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{22}$/)
    const { origin, searchParams } = new URL(url)
    const version = async () => JSON.parse((await call(`${origin}/version?token=${searchParams.get('token')}`)).body) as { version: number }
    expect(await version()).toEqual({ version: 0 })
    await live.show(undefined, (text) => logged.push(text))
    expect(logged).toHaveLength(1)

    expect(closers).toHaveLength(1)
    await closers[0]?.()
    await expect(version()).rejects.toThrow(/ECONNREFUSED/)
    expect(vitest.logger.warn).not.toHaveBeenCalled()
  })
})
