import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { optionRows, replaceOptionsTable } from '../../src/config-reference.js'

describe('the options reference', () => {
  test('lists every option of the schema with its type and a description', () => {
    const rows = optionRows()
    expect(rows.map((row) => row.path)).toContain('cassettes.normalizeRequest')
    expect(rows.find((row) => row.path === 'cassettes.mode')?.type).toBe("'replay' \\| 'auto' \\| 'record' \\| 'passthrough'")
    expect(rows.find((row) => row.path === 'cassettes.redact')?.type).toBe('(string \\| RegExp)[]')
    expect(rows.find((row) => row.path === 'gate.agreement.minN')?.type).toBe('integer')
    expect(rows.find((row) => row.path === 'judge.baseURL')?.type).toBe('string (URL)')
    expect(rows.filter((row) => row.type === 'unknown').map((row) => row.path)).toEqual([])
    expect(rows.filter((row) => row.description === '').map((row) => row.path)).toEqual([])
  })

  test('the table in docs/configuration.md is up to date (run `npm run docs:options` after changing an option)', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../docs/configuration.md'), 'utf8')
    expect(replaceOptionsTable(readme)).toBe(readme)
  })
})
