import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { parseCommandArgs } from './command-args.js'
import { formatOf, readRecords } from '../datasets/read-records.js'
import { guardWrite, liveSecrets } from '../cassettes/redact.js'
import { writeFileSetAtomic } from '../atomic-file-set.js'
import { docsLocation } from '../docs-location.js'
import { ConfigError } from '../errors/index.js'
import { missingSubcommandMessage, unknownCommandMessage } from './unknown-command.js'
import { importError, type ImportResult } from '../importers/checks.js'
import { importOpenAIEval, parseOpenAIEval, type OpenAIItemRecord } from '../importers/openai-eval.js'
import { usedCheckTypes } from '../importers/render-checks.js'
import { renderImport } from '../importers/render-suite.js'

const USAGE = `Usage: llm-evals import promptfoo <promptfooconfig.yaml> [options]
       llm-evals import openai-evals <eval.json | export dir> [--items <items.jsonl>] [options]
       llm-evals import openai-evals <registry/evals/name.yaml> [--items <samples.jsonl>] [options]

Writes a typed describeEval suite (<name>.eval.test.ts) and its dataset (<name>.jsonl), and lists
what could not be imported.

openai-evals: <eval.json> is the eval object (GET /v1/evals/{id}); --items is the run data source
(one { "item": …, "sample"?: … } per line). A directory holding eval.json and one .jsonl works too.
A legacy openai/evals registry YAML reads its samples_jsonl (beside it or in the registry's data/).

Options:
  --out <dir>      Where to write (default: the current directory)
  --name <name>    File name stem (default: from the eval's name or description)
  --force          Replace files that exist
  -h, --help       Show this help`

const safe = (text: string) => stripVTControlCharacters(text)
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'imported'

/** Stops unless `file` is a file: one that is not there, and a folder given in its place, each said as it is. */
function requireFile(file: string, example: string): void {
  const info = statSync(file, { throwIfNoEntry: false })
  if (info === undefined) importError(file, 'not found', `Check the path (looked at ${resolve(file)})`)
  if (info.isDirectory()) importError(file, `a folder, not a file (${resolve(file)})`, `Name the file in it, e.g. ${JSON.stringify(join(file, example))}.`)
  if (!info.isFile()) importError(file, `not a regular file (${resolve(file)})`, 'Name the file to import')
}

async function readText(file: string): Promise<string> {
  requireFile(file, 'promptfooconfig.yaml')
  return readFile(file, 'utf8')
}

async function readItemRecords(file: string): Promise<OpenAIItemRecord[]> {
  requireFile(file, 'samples.jsonl')
  const records: OpenAIItemRecord[] = []
  for await (const record of readRecords(file, formatOf(file))) {
    if ('parseError' in record) importError(`${file}:${record.line ?? record.row}`, record.parseError, 'Fix that line')
    records.push({ ...(record.line === undefined ? {} : { line: record.line }), value: record.value })
  }
  return records
}

async function importPromptfooFile(file: string): Promise<ImportResult> {
  const text = await readText(file)
  // The YAML parser is loaded only for promptfoo imports.
  const { importPromptfoo } = await import('../importers/promptfoo-config.js')
  // A `file://` reference is read only inside the config's folder: a config from elsewhere must not copy
  // ~/.aws/credentials or ../../secrets.txt into a suite you commit.
  const folder = resolve(dirname(file))
  const near = (ref: string) => {
    const path = resolve(folder, ref)
    const inside = relative(folder, path)
    if (inside.startsWith('..') || isAbsolute(inside)) {
      importError(basename(file), `file://${ref} is outside the config's folder (${folder}), so it was not read`, "Copy the file into the config's folder (or below it), point the reference there and import again")
    }
    return path
  }
  return importPromptfoo(basename(file), text, {
    text: async (ref) => (existsSync(near(ref)) ? readFile(near(ref), 'utf8') : undefined),
    records: async (ref) => (existsSync(near(ref)) ? readItemRecords(near(ref)) : undefined),
  })
}

/** A legacy openai/evals registry YAML; its samples are found beside it or in the registry's `data/`. */
async function importLegacyFile(file: string, itemsOption: string | undefined): Promise<ImportResult> {
  const text = await readText(file)
  const { importLegacyOpenAIEval, legacyEvalSpec } = await import('../importers/openai-legacy.js')
  const spec = legacyEvalSpec(file, text)
  // Only inside the registry: a registry file from elsewhere must not read any JSONL on the machine into the dataset.
  const within = (base: string) => {
    const inside = relative(base, resolve(base, spec.samples))
    return inside.startsWith('..') || isAbsolute(inside) ? [] : [resolve(base, spec.samples)]
  }
  const candidates = itemsOption ? [itemsOption] : [...within(resolve(dirname(file))), ...within(resolve(dirname(file), '..', 'data'))]
  if (candidates.length === 0) importError(file, `samples_jsonl ${spec.samples} is outside the registry, so it was not read`, 'Pass the samples with --items <samples.jsonl>')
  const samples = candidates.find((candidate) => existsSync(candidate)) ?? candidates[0] ?? spec.samples
  return importLegacyOpenAIEval(spec, file, samples, await readItemRecords(samples))
}

async function importOpenAIFile(path: string, itemsOption: string | undefined): Promise<ImportResult> {
  if (/\.ya?ml$/i.test(path)) return importLegacyFile(path, itemsOption)
  let evalFile = path
  let items = itemsOption
  if (existsSync(path) && statSync(path).isDirectory()) {
    const names = readdirSync(path)
    evalFile = join(path, names.includes('eval.json') ? 'eval.json' : (names.find((name) => name.endsWith('.json')) ?? 'eval.json'))
    items ??= names.filter((name) => name.endsWith('.jsonl')).map((name) => join(path, name))[0]
  }
  const text = await readText(evalFile)
  parseOpenAIEval(evalFile, text) // the eval's own errors first, before looking for its items
  if (!items) throw new ConfigError(`import openai-evals needs the items: --items <items.jsonl> (the run data source, one { "item": … } per line).\n\n${USAGE}`)
  return importOpenAIEval(evalFile, text, items, await readItemRecords(items))
}

/**
 * The summary: what was written, the TODOs, the notes, and every grader or assertion not imported.
 *
 * @example
 * for (const line of formatImportSummary(result, ['qa.eval.test.ts', 'qa.jsonl'])) console.log(line)
 */
export function formatImportSummary(result: ImportResult, written: string[]): string[] {
  const withOutput = result.rows.filter((row) => row.output !== undefined).length
  const checks = result.rows.reduce((sum, row) => sum + row.checks.length, 0)
  const lines = [`Imported ${result.rows.length} cases with ${checks} checks from ${result.source}:`, ...written.map((file) => `  wrote ${file}`), '']
  if (withOutput < result.rows.length) {
    lines.push(`TODO: write callModel() in the suite: ${result.rows.length - withOutput} of ${result.rows.length} cases have no recorded output and call your model${result.prompts.length ? ` with the imported prompt${result.prompts.length > 1 ? 's' : ''}` : ''}.`)
  } else lines.push('Every case has a recorded output: the suite scores those without calling a model (write callModel() to test new outputs).')
  const judged = usedCheckTypes(result.rows).filter((type) => type === 'rubric' || type === 'factual')
  if (judged.length) lines.push(`Judge: the rubric and factuality checks need a judge model: set one in vitest.config.ts, e.g. llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' } }) (${docsLocation('judges.md')}).`)
  for (const note of result.notes) lines.push(`Note: ${safe(note)}`)
  if (result.notImported.length === 0) return [...lines, '', 'Everything was imported.']
  lines.push('', `Not imported (${result.notImported.length}):`)
  for (const item of result.notImported) {
    lines.push(`  - ${safe(item.type)} at ${safe(item.where)}: ${safe(item.why)}.`, `    To do: ${safe(item.todo)}.`)
    if (item.code) lines.push(...safe(item.code).split('\n').slice(0, 12).map((line) => `    | ${line}`))
  }
  return lines
}

/**
 * `llm-evals import promptfoo|openai-evals …`: a describeEval suite and a dataset from another tool's evals.
 *
 * @example
 * await run(['promptfoo', 'promptfooconfig.yaml', '--out', 'evals'])
 */
export async function run(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const options = { out: { type: 'string' }, name: { type: 'string' }, items: { type: 'string' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const
  const { values, positionals } = parseCommandArgs('import', argv, options, true)
  const [tool, source] = positionals
  if (values.help) {
    print(USAGE)
    return 0
  }
  if (tool === undefined) throw new ConfigError(missingSubcommandMessage('import', USAGE))
  if (tool !== 'promptfoo' && tool !== 'openai-evals') throw new ConfigError(unknownCommandMessage(['import', tool], USAGE))
  if (!source) throw new ConfigError(`import ${tool} needs the file to import.\n\n${USAGE}`)
  const result = tool === 'promptfoo' ? await importPromptfooFile(source) : await importOpenAIFile(source, values.items)
  const out = resolve(values.out ?? '.')
  const stem = slug(values.name ?? result.name)
  const suiteFile = join(out, `${stem}.eval.test.ts`)
  const datasetFile = join(out, `${stem}.jsonl`)
  const existing = [suiteFile, datasetFile].filter((file) => existsSync(file))
  if (existing.length && !values.force) {
    throw new ConfigError(`Not overwriting ${existing.map((file) => relative(process.cwd(), file)).join(' and ')}: pass --force to replace, or --name / --out to write elsewhere.`)
  }
  const command = `llm-evals import ${tool} ${basename(source)}`
  const rendered = renderImport(result, { datasetFile: basename(datasetFile), command })
  // Like every file the library writes: refused when it would hold a live key's value (a var, a prompt file).
  guardWrite(datasetFile, rendered.dataset, liveSecrets(), 'import')
  guardWrite(suiteFile, rendered.suite, liveSecrets(), 'import')
  // Atomic, both together: a failed write (permissions, a full disk) leaves both files it would replace (--force) as they were.
  writeFileSetAtomic([
    { file: datasetFile, data: rendered.dataset },
    { file: suiteFile, data: rendered.suite },
  ])
  const shown = (file: string) => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file))
  for (const line of formatImportSummary(result, [suiteFile, datasetFile].map(shown))) print(line)
  return 0
}
