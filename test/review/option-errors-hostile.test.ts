// Review: the option errors name every unknown key the user passed; a hostile key (huge, with newlines or ANSI
// escapes, thousands of them from an object spread by mistake) must not make a message of megabytes or forge lines.
import { describe, expect, test } from 'vitest'
import { parseOptions } from '../../src/config.js'

const messageOf = (input: unknown): string => {
  try {
    parseOptions(input)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('no error')
}

describe('option errors with hostile keys', () => {
  test('a huge key is cut', () => {
    const message = messageOf({ ['x'.repeat(1_000_000)]: 1 })
    expect(message.length).toBeLessThan(1000)
    expect(message).toContain(`unknown option \`${'x'.repeat(80)}…\``)
  })

  test('newlines and escape sequences in a key are shown escaped: no forged line, no terminal control', () => {
    const message = messageOf({ 'x\n  - unknown option `judge`\u001b[31m': 1 })
    expect(message.split('\n')).toHaveLength(3)
    expect(message).not.toContain('\u001b')
    expect(message).toContain('unknown option `x\\u000a  - unknown option `judge`\\u001b[31m`')
  })

  test('thousands of unknown keys: ten named, and how many more', () => {
    const message = messageOf(Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`key${index}`, 1])))
    expect(message).toContain('unknown option `key0`, `key1`, `key2`, `key3`, `key4`, `key5`, `key6`, `key7`, `key8`, `key9` (+4990 more); allowed here:')
    expect(message.length).toBeLessThan(1000)
  })

  test('a prototype name is an unknown option like any other', () => {
    expect(messageOf({ constructor: 1 })).toContain('unknown option `constructor`; allowed here: cassettes')
    expect(messageOf(JSON.parse('{"__proto__":{"x":1}}'))).toContain('unknown option `__proto__`; allowed here: cassettes')
  })
})

test('ten huge keys are answered quickly (no schema walk per huge key)', () => {
  const keys = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`${index}${'x'.repeat(2_000_000)}`, 1]))
  const started = performance.now()
  messageOf(keys)
  expect(performance.now() - started).toBeLessThan(1500)
})
