import http from 'node:http'
import https from 'node:https'
import type { ModuleHooks, RegisterHooksOptions } from 'node:module'
import { describe, expect, test } from 'vitest'
import { whenHttpLoads } from '../../../src/cassettes/interceptor.js'

type Resolve = NonNullable<RegisterHooksOptions['resolve']>

/** A stand-in for `module.registerHooks` that records the hook, so the test can play Node's part. */
function fakeRegisterHooks() {
  const state: { resolve?: Resolve; deregistered: boolean } = { deregistered: false }
  const registerHooks = (options: RegisterHooksOptions): ModuleHooks => {
    state.resolve = options.resolve
    return { deregister: () => void (state.deregistered = true) }
  }
  const resolve = (specifier: string) =>
    state.resolve?.(specifier, { conditions: [], importAttributes: {}, parentURL: undefined }, (next) => ({ url: `node:${next}`, format: 'builtin', shortCircuit: true }))
  return { registerHooks: registerHooks as typeof import('node:module').registerHooks, state, resolve }
}

describe('whenHttpLoads', () => {
  test('without module.registerHooks (Node < 22.15), patches node:http and node:https at once', () => {
    const seen: unknown[] = []
    whenHttpLoads((httpModule, httpsModule) => seen.push(httpModule, httpsModule), null)
    expect(seen).toEqual([http, https])
  })

  test("when module.registerHooks throws (Vitest's VM pools), patches node:http and node:https at once", () => {
    const seen: unknown[] = []
    const throwing = (() => {
      throw new Error('[vitest] "registerHooks" is not available when running in Vitest.')
    }) as typeof import('node:module').registerHooks
    whenHttpLoads((httpModule, httpsModule) => seen.push(httpModule, httpsModule), throwing)
    expect(seen).toEqual([http, https])
  })

  test('with it, patches when http or https is first resolved, once, then stops listening', () => {
    const fake = fakeRegisterHooks()
    let patched = 0
    whenHttpLoads(() => patched++, fake.registerHooks)
    expect(fake.resolve('node:path')).toEqual({ url: 'node:node:path', format: 'builtin', shortCircuit: true })
    expect(patched).toBe(0)
    fake.resolve('https')
    expect(patched).toBe(1)
    expect(fake.state.deregistered).toBe(true)
    fake.resolve('node:http')
    expect(patched).toBe(1)
  })
})
