import { afterEach, describe, expect, test, vi } from 'vitest'
import { loadZod, withoutRequireEsmWarning } from '../../src/load-zod.js'

describe('loadZod', () => {
  afterEach(() => vi.restoreAllMocks())

  test('gives the zod a user imports: one instance, schemas from either work with the other', async () => {
    const { z } = await import('zod')
    expect(loadZod().z).toBe(z)
    expect(loadZod().z.array(z.string()).safeParse(['a']).success).toBe(true)
  })

  test('drops only the require(esm) warning Node 22.12 prints for a linked copy; others pass', () => {
    const seen: string[] = []
    vi.spyOn(process, 'emitWarning').mockImplementation(((warning: string | Error) => void seen.push(String(warning))) as typeof process.emitWarning)
    const result = withoutRequireEsmWarning(() => {
      process.emitWarning('CommonJS module /x/dist/a.js is loading ES Module /x/node_modules/zod/index.js using require().\nSupport for loading ES Module in require() is an experimental feature', 'ExperimentalWarning')
      process.emitWarning('something else', 'ExperimentalWarning')
      process.emitWarning('loading ES Module using require()', 'DeprecationWarning')
      return 42
    })
    expect(result).toBe(42)
    expect(seen).toEqual(['something else', 'loading ES Module using require()'])
    process.emitWarning('after', 'ExperimentalWarning')
    expect(seen.at(-1)).toBe('after')
  })
})
