import { describe, expect, test } from 'vitest'
import { meantCommand, unknownCommandMessage } from '../../../src/cli/unknown-command.js'

describe('meantCommand', () => {
  test('finds the command a typo was meant as, at either word', () => {
    expect(meantCommand(['histroy'])).toBe('history')
    expect(meantCommand(['Report'])).toBe('report')
    expect(meantCommand(['casettes', 'check'])).toBe('cassettes check')
    expect(meantCommand(['cassettes', 'chek'])).toBe('cassettes check')
    expect(meantCommand(['dataset', 'inpsect', 'rows.jsonl'])).toBe('dataset inspect')
    expect(meantCommand(['improt', 'promptfoo', 'promptfooconfig.yaml'])).toBe('import promptfoo')
  })

  test('guesses nothing for a word close to no command, or a command given right', () => {
    expect(meantCommand(['colour'])).toBeUndefined()
    expect(meantCommand(['cassettes', 'vacuum'])).toBeUndefined()
    expect(meantCommand(['history'])).toBeUndefined()
    expect(meantCommand([''])).toBeUndefined()
    expect(meantCommand(['constructor'])).toBeUndefined()
  })
})

describe('unknownCommandMessage', () => {
  test('says the command as given, the one it was meant as, then the usage', () => {
    expect(unknownCommandMessage(['histroy'], 'Usage: llm-evals <command>')).toMatchInlineSnapshot(`
      "Unknown command "histroy"; did you mean \`llm-evals history\`?

      Usage: llm-evals <command>"
    `)
    expect(unknownCommandMessage(['colour'], 'Usage: llm-evals <command>')).toMatchInlineSnapshot(`
      "Unknown command "colour".

      Usage: llm-evals <command>"
    `)
  })

  test('shows a hostile word bounded and escaped', () => {
    expect(unknownCommandMessage([`\u001b[2J${'x'.repeat(1000)}`], 'Usage')).toMatchInlineSnapshot(`
      "Unknown command "\\u001b[2Jxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…".

      Usage"
    `)
  })
})
