// The tool records of one cassette, indexed for lookup; the store keeps one beside its model entries and
// writes both together. No I/O here.
import { attemptId, compareEntries, type ToolRecord } from './entry.js'
import { scrubDeep, scrubString, type RedactRule } from './redact.js'
import { toolKey } from './tool-key.js'
import { decodeToolValue, encodeToolValue } from './tool-value.js'

/** Stored tool records by test attempt, key and occurrence (a lookup per call stays O(1)). */
export class ToolRecordIndex {
  private answers = new Map<string, ToolRecord>()

  /** `project`: with test.projects, its own record of a call answers it, else another project's. */
  constructor(
    readonly all: readonly ToolRecord[],
    project?: string,
  ) {
    const ownFirst = (a: ToolRecord, b: ToolRecord) => Number(b.project === project) - Number(a.project === project)
    for (const record of [...all].sort((a, b) => (project === undefined ? 0 : ownFirst(a, b)) || compareEntries(a, b))) {
      // Found by the key it was recorded with (0.1: of the live call), and by the key of its stored arguments (so a
      // record whose arguments were edited by hand answers to what it now says).
      for (const key of new Set([record.key, toolKey(record.name, record.args)])) {
        const slot = lookupSlot(record.test, record.repeat, key, record.occurrence)
        if (!this.answers.has(slot)) this.answers.set(slot, record)
      }
    }
  }

  /** The record answering the `occurrence`-th call (0-based) with `key` in one test attempt. */
  find(test: string, repeat: number, key: string, occurrence: number): ToolRecord | undefined {
    return this.answers.get(lookupSlot(test, repeat, key, occurrence))
  }

  /** How many of the first `occurrences` calls with `key` in a test attempt have a record. */
  recordedCount(test: string, repeat: number, key: string, occurrences: number): number {
    let count = 0
    for (let occurrence = 0; occurrence < occurrences; occurrence++) if (this.find(test, repeat, key, occurrence)) count++
    return count
  }
}

function lookupSlot(test: string, repeat: number, key: string, occurrence: number): string {
  return `${attemptId(test, repeat)}\u0000${key}\u0000${occurrence}`
}

/** A tool record as it will be stored: every string of its arguments, result and error (a thrown value too) scrubbed. */
export function scrubToolRecord(record: ToolRecord, rules: readonly RedactRule[]): ToolRecord {
  const scrubbed: ToolRecord = { ...record, args: scrubDeep(record.args, rules) }
  if (record.result !== undefined) scrubbed.result = scrubToolValue(record.result, rules)
  const { error } = record
  if (error?.name === undefined) {
    if (error) scrubbed.error = { value: scrubToolValue(error.value, rules) }
  } else {
    const { code, value } = error
    scrubbed.error = {
      name: scrubString(error.name, rules), message: scrubString(error.message, rules),
      ...(code === undefined ? {} : { code: typeof code === 'string' ? scrubString(code, rules) : code }),
      ...(value === undefined ? {} : { value: scrubToolValue(value, rules) }),
    }
  }
  return scrubbed
}

/** A stored result or thrown value scrubbed as the value it stands for: a rule never rewrites a tag (see tool-value.ts). */
function scrubToolValue(stored: unknown, rules: readonly RedactRule[]): unknown {
  return encodeToolValue(scrubDeep(decodeToolValue(stored), rules))
}
