import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../../src/lazy-schema.js'

describe('lazySchema', () => {
  test('builds nothing until the getter is first called', () => {
    let builds = 0
    const schema = lazySchema(() => {
      builds += 1
      return z.object({ x: z.number() })
    })
    expect(builds).toBe(0)
    expect(schema().parse({ x: 1 })).toEqual({ x: 1 })
    expect(builds).toBe(1)
  })

  test('returns the same instance on every call (built once)', () => {
    let builds = 0
    const schema = lazySchema(() => {
      builds += 1
      return z.string()
    })
    const first = schema()
    expect(schema()).toBe(first)
    expect(schema()).toBe(first)
    expect(builds).toBe(1)
  })

  test('a schema built from another lazy schema reuses that instance', () => {
    const inner = lazySchema(() => z.object({ id: z.string() }))
    const outer = lazySchema(() => inner().extend({ score: z.number() }))
    expect(outer().shape.id).toBe(inner().shape.id)
    expect(outer().safeParse({ id: 'a', score: 1 }).success).toBe(true)
    expect(outer().safeParse({ id: 'a' }).success).toBe(false)
  })

  test('does not memoise a build that throws: the next call builds again', () => {
    let calls = 0
    const schema = lazySchema(() => {
      calls += 1
      if (calls === 1) throw new Error('first build fails')
      return z.boolean()
    })
    expect(() => schema()).toThrow('first build fails')
    expect(schema().parse(true)).toBe(true)
    expect(calls).toBe(2)
  })

  test('memoises a falsy value (built once even when it is undefined)', () => {
    let builds = 0
    const value = lazySchema(() => {
      builds += 1
      return undefined
    })
    expect(value()).toBeUndefined()
    expect(value()).toBeUndefined()
    expect(builds).toBe(1)
  })
})
