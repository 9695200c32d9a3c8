// Every command's option errors, as a user sees them from the bin: the prefix, the option as given, the option
// it was probably meant as, the command's options, exit code 2, newline-terminated (the next output starts on
// a line of its own). Runs dist/ (`npm run build` first).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { run as history } from '../../../src/cli/history-command.js'
import { appendRun } from '../../../src/history/history-file.js'
import { historyRun } from '../../reporters/fixtures.js'

const bin = join(import.meta.dirname, '../../../dist/src/cli/bin.js')
const root = mkdtempSync(join(tmpdir(), 'option-errors-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** stderr of the bin run with `args`; fails unless it exits with code 2 and ends its output with a newline. */
function usageError(...args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root })
  expect(result.status, result.stderr).toBe(2)
  expect(result.stderr.endsWith('\n'), JSON.stringify(result.stderr)).toBe(true)
  return result.stderr.trimEnd()
}

describe('unknown and invalid options', () => {
  test('a --root that names no folder says so and where it looked (was a bare ENOENT scandir)', () => {
    for (const command of ['check', 'prune']) {
      expect(usageError('cassettes', command, '--root', 'nope')).toBe(
        `[vitest-llm-evals] --root nope names no folder (looked at ${join(root, 'nope')}). Pass the project's root folder (where you run vitest), or leave --root out to use the current directory.`,
      )
    }
  })

  test('fails with the option meant and the command options, for a misspelt option', () => {
    expect(usageError('history', '--limt', '3')).toMatchInlineSnapshot(`"[vitest-llm-evals] Unknown option --limt for \`llm-evals history\`; did you mean --limit? Options of \`llm-evals history\`: --root, --config, --file, --limit, --metric, -h/--help (\`llm-evals history --help\` says what they do)."`)
    expect(usageError('cassettes', 'check', '--max-ag', '30')).toContain('Unknown option --max-ag for `llm-evals cassettes`; did you mean --max-age? Options of `llm-evals cassettes`: --root, --max-age,')
    expect(usageError('dataset', 'inspect', 'rows.jsonl', '--labl', 'x')).toContain('Unknown option --labl for `llm-evals dataset`; did you mean --label?')
    expect(usageError('import', 'promptfoo', 'p.yaml', '--foce')).toContain('Unknown option --foce for `llm-evals import`; did you mean --force?')
    expect(usageError('review', '--agrement')).toContain('Unknown option --agrement for `llm-evals review`; did you mean --agreement?')
    expect(usageError('report', '--ot', 'r.html')).toContain('Unknown option --ot for `llm-evals report`; did you mean --out?')
    expect(usageError('baseline', 'show', '--fiel', 'h.jsonl')).toContain('Unknown option --fiel for `llm-evals baseline`; did you mean --file?')
  })

  test('fails with the command options, for an option close to none', () => {
    expect(usageError('history', '--last')).toMatchInlineSnapshot(`"[vitest-llm-evals] Unknown option --last for \`llm-evals history\`. Options of \`llm-evals history\`: --root, --config, --file, --limit, --metric, -h/--help (\`llm-evals history --help\` says what they do)."`)
  })

  test('fails saying what is wrong, for a missing value, a value given to a flag, an argument a command does not take', () => {
    expect(usageError('history', '--limit')).toMatchInlineSnapshot(`"[vitest-llm-evals] Option --limit of \`llm-evals history\` needs a value: --limit <value>."`)
    expect(usageError('cassettes', 'check', '--strict=yes')).toMatchInlineSnapshot(`"[vitest-llm-evals] Option --strict of \`llm-evals cassettes\` takes no value: write --strict alone."`)
    expect(usageError('report', 'latest')).toContain('[vitest-llm-evals] Unexpected argument "latest" for `llm-evals report`: it takes options only. Options of `llm-evals report`: --root,')
  })

  test('shows a hostile option bounded and escaped', () => {
    expect(usageError('history', `--\u001b[2J${'x'.repeat(500)}`).split('.')[0]).toMatchInlineSnapshot(`"[vitest-llm-evals] Unknown option --\\u001b[2Jxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… for \`llm-evals history\`"`)
  })
})

describe('a command group without its subcommand', () => {
  test('fails naming the subcommands it takes', () => {
    expect(usageError('cassettes').split('\n')[0]).toMatchInlineSnapshot(`"[vitest-llm-evals] \`llm-evals cassettes\` needs a subcommand: \`check\` or \`prune\`, e.g. \`llm-evals cassettes check --help\`."`)
    expect(usageError('dataset').split('\n')[0]).toContain('`llm-evals dataset` needs a subcommand: `inspect` or `export`')
    expect(usageError('baseline').split('\n')[0]).toContain('`llm-evals baseline` needs a subcommand: `set`, `show` or `clear`')
    expect(usageError('import').split('\n')[0]).toContain('`llm-evals import` needs a subcommand: `promptfoo` or `openai-evals`')
  })
})

describe('llm-evals history --metric', () => {
  test('fails naming the metrics there are, for a metric no run has', async () => {
    const file = join(root, '.evals', 'history.jsonl')
    appendRun(file, historyRun('r1', { similarity: 0.9, bleu: 0.5 }))
    appendRun(file, historyRun('r2', { 'tool-calls': 1 }))
    await expect(history(['--root', root, '--metric', 'similarty'], () => undefined)).rejects.toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] No run in .evals/history.jsonl has the metric "similarty"; did you mean "similarity"? Metrics in the history: bleu, similarity, tool-calls.]`)
    const printed: string[] = []
    expect(await history(['--root', root, '--metric', 'bleu'], (line) => printed.push(line))).toBe(0)
    expect(printed[0]).toContain(' bleu ')
  })
})
