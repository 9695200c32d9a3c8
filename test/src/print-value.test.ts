import { describe, expect, test } from 'vitest'
import { MAX_PRINT_DEPTH, printValue } from '../../src/print-value.js'

describe('printValue', () => {
  test('prints plain data as JSON.stringify does', () => {
    const value = { city: 'Paris', tags: ['a', 1, true, null], nested: { n: 1.5 } }
    expect(printValue(value)).toBe(JSON.stringify(value))
    expect(printValue(value, { indent: 2 })).toBe(JSON.stringify(value, null, 2))
    expect(printValue([])).toBe('[]')
    expect(printValue('as is')).toBe('as is')
  })

  test('a value nested 100,000 levels deep prints without overflowing the stack', () => {
    let value: unknown = 1
    for (let i = 0; i < 100_000; i++) value = [value]
    const text = printValue(value)
    expect(text.startsWith('['.repeat(MAX_PRINT_DEPTH) + '"[… nested deeper]"')).toBe(true)
    expect(text.length).toBeLessThan(200)
  })

  test('circular references, functions, bigints and undefined are named, never thrown on', () => {
    const value: Record<string, unknown> = { n: 10n, f: function tool() {}, u: undefined }
    value['self'] = value
    expect(printValue(value)).toBe('{"n":10n,"f":[Function tool],"u":undefined,"self":"[Circular]"}')
  })

  test('output is cut at maxChars', () => {
    const text = printValue({ long: 'x'.repeat(1000) }, { maxChars: 50 })
    expect(text).toHaveLength(50 + '… (+more)'.length)
    expect(text.endsWith('… (+more)')).toBe(true)
  })

  test('a string, a proxy that throws, a getter that throws and a million keys are all bounded and never throw', () => {
    expect(printValue('x'.repeat(1_000), { maxChars: 10 })).toBe(`${'x'.repeat(10)}… (+more)`)
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('boom') } })
    expect(printValue(proxy)).toBe('[a value that cannot be printed: boom]')
    const getter = { ok: 1, get bad(): unknown { throw new Error('getter') } }
    expect(printValue(getter)).toBe('{"ok":1,"bad":"[getter threw]"}')
    const wide: Record<string, number> = {}
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = i
    const text = printValue(wide, { maxChars: 100 })
    expect(text.endsWith('… (+more)')).toBe(true)
    expect(text.length).toBeLessThan(120)
  })

  test('toJSON is honoured (dates)', () => {
    expect(printValue({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}')
  })
})
