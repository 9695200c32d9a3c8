// Review of 01f0965 (toCallTool/toCallTools misuse names the field): the keys of the options a user passed are
// written into the error message. Values were cut, escaped and had secrets hidden (gotText); keys were not.
import { describe, expect, test } from 'vitest'
import { lazyMatchers } from '../../matchers/lazy.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'
import { ConfigError } from '../../src/errors/index.js'

expect.extend(lazyMatchers)
installAwaitGuard(Object.keys(lazyMatchers))

async function misuseOf(call: () => PromiseLike<unknown>): Promise<string> {
  const error = await Promise.resolve(call()).then(
    () => undefined,
    (rejection: unknown) => rejection,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return (error as Error).message
}

describe('toCallTools / toCallTool misuse with hostile keys', () => {
  test('fails with a short message when a key is 1 MB long', async () => {
    const message = await misuseOf(() => expect([]).toCallTools(['a'], { ['k'.repeat(1 << 20)]: 1 } as never))
    expect(message.length).toBeLessThan(1000)
    expect(message).toContain('unknown key `kkkk')
  })

  test('fails with the key escaped when it holds a newline or a terminal escape (no forged lines or colours)', async () => {
    const message = await misuseOf(() => expect([]).toCallTools(['a'], { 'x\n  - `mode` is fine\u001b[2J': 1 } as never))
    expect(message).not.toContain('\u001b')
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(1)
    expect(message).toContain('unknown key `x\\n  - ')
  })

  test('fails naming a few of 100,000 unknown keys, not all of them', async () => {
    const options = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`key${index}`, 1]))
    const message = await misuseOf(() => expect([]).toCallTools(['a'], options as never))
    expect(message.length).toBeLessThan(2000)
    const calls = await misuseOf(() => expect([]).toCallTools([options] as never))
    expect(calls.length).toBeLessThan(2000)
    const one = await misuseOf(() => expect([]).toCallTool('a', options as never))
    expect(one.length).toBeLessThan(2000)
  })

  test('fails naming `__proto__` as an unknown key, the prototype untouched', async () => {
    const message = await misuseOf(() => expect([]).toCallTools(['a'], JSON.parse('{"__proto__": {"polluted": true}}') as never))
    expect(message).toContain('unknown key `__proto__`')
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })

  test('passes when the options have a symbol key (not an option: ignored, as zod ignores it)', async () => {
    await expect([{ name: 'a', args: {} }]).toCallTools(['a'], { [Symbol('x')]: 1 } as never)
  })
})
