import { resolve } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { parseCommandArgs } from './command-args.js'
import { z } from 'zod'
import { inspectDataset, type DatasetReport } from '../datasets/inspect-dataset.js'
import { writeFineTuningJsonl, type FineTuningFormat } from '../datasets/fine-tuning.js'
import { loadDataset, SCHEMA_ADVICE } from '../datasets/load-dataset.js'
import { examplesFromReviewedFailures } from '../datasets/reviewed-failures.js'
import { readHistory } from '../history/history-file.js'
import { ConfigError, DatasetError } from '../errors/index.js'
import { missingSubcommandMessage, unknownCommandMessage } from './unknown-command.js'
import { groupThousands } from '../format-number.js'

const USAGE = `Usage: llm-evals dataset inspect <file> [options]   Counts, imbalance, duplicates, leakage, empty/long fields
       llm-evals dataset export <file> --format openai|anthropic --input <field> --output <field> --out <file> [options]
       llm-evals dataset export --reviewed --format openai|anthropic --out <file> [--history <file>]

Files: .jsonl, .json (array) or .csv (header row).

inspect options:
  --label <field>          Class label: counts per label, imbalance warning
  --task <field>           Task of each row: counts per task
  --text <field>           Text compared for duplicates (default: every string field)
  --against <file>         Training set: report eval rows found in it (leakage)
  --purpose eval|training  What the rows are for: sets the default of --min-per-task (eval: 30, training: 1000)
  --min-per-task <n>       Warn under this many examples per task
  --imbalance-ratio <r>    Warn when largest / smallest class exceeds r (default 3)
  --near-duplicate <s>     Dice similarity counted as near-duplicate (default 0.9)
  --json                   Print the report as JSON
  --strict                 Exit 1 when there are warnings

export options:
  --system <text>          System prompt for every example
  --context <field>        Retrieved passages to put before the input (RAG fine-tuning)
  --reviewed               Build examples from reviewed failures in the score history instead of a file
  --history <file>         History file for --reviewed (default .evals/history.jsonl)
  --force                  Replace --out if it exists`

const AnyRow = z.looseObject({})

/** Dataset text is untrusted: no terminal control sequences, newlines shown as ⏎. */
const safe = (text: string) => stripVTControlCharacters(text).replace(/[\u0000-\u001f\u007f]/g, (char) => (char === '\n' ? '⏎' : ' '))
const number = (value: number) => groupThousands(value)

function positive(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${flag} needs a positive number, got "${text}".`)
  return value
}

/** The report as lines: a table of tasks, then warnings and the first findings of each kind. */
export function formatDatasetReport(file: string, report: DatasetReport, limit = 10): string[] {
  const lines = [`${safe(file)}: ${number(report.rows)} rows`]
  const table = [['task', 'rows', 'labels'], ...report.tasks.map((task) => [safe(task.task), number(task.rows), Object.entries(task.labels).sort((a, b) => b[1] - a[1]).map(([label, count]) => `${safe(label)} ${number(count)}`).join(' · ')])]
  const widths = [0, 1].map((column) => Math.max(...table.map((row) => (row[column] ?? '').length)))
  for (const row of table) lines.push(`  ${(row[0] ?? '').padEnd(widths[0] ?? 0)}  ${(row[1] ?? '').padStart(widths[1] ?? 0)}  ${row[2] ?? ''}`.trimEnd())
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return
    lines.push('', `${title} (${number(items.length)}${items.length > limit ? `, first ${limit}` : ''}):`, ...items.slice(0, limit).map((item) => `  ${item}`))
  }
  section('Warnings', report.warnings.map((warning) => `! ${safe(warning)}`))
  section('Exact duplicates', report.exactDuplicates.map((ids) => ids.map(safe).join(' = ')))
  section('Near duplicates', report.nearDuplicates.map((pair) => `${safe(pair.ids[0])} ~ ${safe(pair.ids[1])} (${pair.similarity.toFixed(2)})`))
  section('Leakage', report.leakage.map((leak) => `${safe(leak.id)} in training set as ${safe(leak.trainingId)} (${leak.similarity.toFixed(2)})`))
  section('Empty fields', report.emptyFields.map((field) => `${safe(field.id)}.${safe(field.field)}`))
  section('Over-long fields', report.longFields.map((field) => `${safe(field.id)}.${safe(field.field)}: ${number(field.chars)} characters`))
  return lines
}

function parse(argv: string[]) {
  return parseCommandArgs('dataset', argv, {
    label: { type: 'string' }, task: { type: 'string' }, text: { type: 'string' }, against: { type: 'string' },
    'min-per-task': { type: 'string' }, purpose: { type: 'string' }, 'imbalance-ratio': { type: 'string' }, 'near-duplicate': { type: 'string' },
    json: { type: 'boolean', default: false }, strict: { type: 'boolean', default: false },
    format: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, out: { type: 'string' },
    system: { type: 'string' }, context: { type: 'string' }, reviewed: { type: 'boolean', default: false },
    history: { type: 'string' }, force: { type: 'boolean', default: false }, root: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, true)
}

type Parsed = ReturnType<typeof parse>

/** A dataset error as the CLI says it: it passes no schema of the user's, so there is none to change. */
function withoutSchemaAdvice(error: unknown): never {
  if (error instanceof DatasetError && error.message.endsWith(SCHEMA_ADVICE)) error.message = `${error.message.slice(0, -SCHEMA_ADVICE.length)}Fix these rows in the file.`
  throw error
}

async function inspect({ values, positionals }: Parsed, print: (line: string) => void): Promise<number> {
  const file = positionals[1]
  if (!file) throw new ConfigError(`dataset inspect needs a dataset file.\n\n${USAGE}`)
  const load = (path: string) => loadDataset(path, AnyRow, { duplicates: 'keep' }).catch(withoutSchemaAdvice)
  const minPerTask = positive(values['min-per-task'], '--min-per-task')
  const purpose = values.purpose
  if (purpose !== undefined && purpose !== 'eval' && purpose !== 'training') throw new ConfigError(`--purpose needs eval or training, got "${purpose}".`)
  const imbalanceRatio = positive(values['imbalance-ratio'], '--imbalance-ratio')
  const nearDuplicate = positive(values['near-duplicate'], '--near-duplicate')
  const report = inspectDataset(await load(file), {
    ...(values.label ? { label: values.label } : {}),
    ...(values.task ? { task: values.task } : {}),
    ...(values.text ? { text: values.text } : {}),
    ...(values.against ? { against: await load(values.against) } : {}),
    ...(minPerTask === undefined ? {} : { minPerTask }),
    ...(purpose === undefined ? {} : { purpose }),
    ...(imbalanceRatio === undefined ? {} : { imbalanceRatio }),
    ...(nearDuplicate === undefined ? {} : { nearDuplicate }),
  })
  if (values.json) print(JSON.stringify(report, null, 2))
  else for (const line of formatDatasetReport(file, report)) print(line)
  return values.strict && report.warnings.length > 0 ? 1 : 0
}

async function exportExamples({ values, positionals }: Parsed, print: (line: string) => void): Promise<number> {
  const format = values.format
  if (format !== 'openai' && format !== 'anthropic') throw new ConfigError(`dataset export needs --format openai or --format anthropic${format ? `, got "${format}"` : ''}.`)
  if (!values.out) throw new ConfigError('dataset export needs --out <file> for the training data.')
  const out = values.out
  const common = { format: format as FineTuningFormat, overwrite: values.force, ...(values.system ? { system: values.system } : {}) }
  if (values.reviewed) {
    const root = resolve(values.root ?? process.cwd())
    const historyFile = resolve(root, values.history ?? '.evals/history.jsonl')
    const runs = readHistory(historyFile, (warning) => print(`[vitest-llm-evals] ${warning.file}:${warning.line}: ${warning.message}.`))
    const examples = examplesFromReviewedFailures(runs)
    if (examples.length === 0) {
      print(`No reviewed failures in ${historyFile} (${runs.length} runs read): a case needs to have failed, carry a human label and keep its input. Nothing written.`)
      return 1
    }
    const count = writeFineTuningJsonl(out, examples, { ...common, input: 'input', output: 'output' })
    print(`Wrote ${number(count)} ${format} examples from reviewed failures to ${out}.`)
    return 0
  }
  const file = positionals[1]
  if (!file || !values.input || !values.output) throw new ConfigError(`dataset export needs a dataset file, --input <field> and --output <field>.\n\n${USAGE}`)
  const rows = await loadDataset(file, AnyRow).catch(withoutSchemaAdvice)
  const count = writeFineTuningJsonl(out, rows, { ...common, input: values.input, output: values.output, ...(values.context ? { context: values.context } : {}) })
  print(`Wrote ${number(count)} ${format} examples to ${out}.`)
  return 0
}

/**
 * `llm-evals dataset inspect|export …`: dataset health report, and fine-tuning files.
 *
 * @example
 * await run(['inspect', 'evals/intents.jsonl', '--label', 'intent'])
 */
export async function run(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const parsed = parse(argv)
  const command = parsed.positionals[0]
  if (parsed.values.help) {
    print(USAGE)
    return 0
  }
  if (command === undefined) throw new ConfigError(missingSubcommandMessage('dataset', USAGE))
  if (command === 'inspect') return inspect(parsed, print)
  if (command === 'export') return exportExamples(parsed, print)
  throw new ConfigError(unknownCommandMessage(['dataset', command], USAGE))
}
