// A test's `meta` (output, input, expected, trace, conversation, score records with their reasons) goes to the main
// process and into Vitest's JSON and blob reports as it is: a key the model echoed would be written there. Each
// try's meta is checked as its try ends, with the light helpers failing matcher messages use (no secretlint in the
// worker). It runs for every test, so the common case is one walk that tests each string with one regular
// expression and allocates nothing (cheaper than JSON.stringify: 1.5 µs for a scored test's meta, not 3).
import { hideSecrets, liveSecrets, scrubString, writtenForms } from './cassettes/redact.js'

type Secret = ReturnType<typeof liveSecrets>[number]

/** Deeper values are not checked but rewritten (the rewrite follows cycles once). */
const MAX_CHECKED_DEPTH = 100

/** Every known key pattern of `scrubString` contains one of these (any case). */
const KNOWN_SECRET_HINTS = ['sk-', 'bearer']

/**
 * Hides keys in test and file `meta`: the live values of key-like environment variables become
 * `[REDACTED <NAME>]`, text that looks like a key (`sk-…`, bearer tokens) `[REDACTED]`. The values are those set
 * when it is made (the setup file makes one per test file).
 *
 * @example
 * const secrets = new MetaSecrets()
 * secrets.hideIn(task.meta) // task.meta.output: 'key [REDACTED OPENAI_API_KEY]'
 */
export class MetaSecrets {
  readonly #secrets: readonly Secret[]
  /** Matches a text (or its JSON) that may hold a secret: a hit is then rewritten exactly, a miss is left alone. */
  readonly #hint: RegExp

  constructor(secrets: readonly Secret[] = liveSecrets()) {
    this.#secrets = secrets
    // Each value in every form hideSecrets replaces, as it appears in a string and in that string's JSON.
    const forms = secrets.flatMap(({ value }) => writtenForms(value).flatMap((form) => [form, JSON.stringify(form).slice(1, -1)]))
    const escaped = [...new Set([...KNOWN_SECRET_HINTS, ...forms])].map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    this.#hint = new RegExp(escaped.join('|'), 'i')
  }

  /** Rewrites the fields of `meta` that hold a secret (a field's value is replaced by a copy, never changed in place). */
  hideIn(meta: object | undefined): void {
    if (meta === undefined || meta === null || !this.#mayHold(meta, 0)) return
    const fields = meta as Record<string, unknown>
    const seen = new WeakSet<object>([meta])
    for (const key of Object.keys(fields)) {
      const value = fields[key]
      const hidden = this.#hide(value, seen)
      const name = this.#text(key)
      if (name !== key) delete fields[key]
      if (name !== key || hidden !== value) define(fields, name, hidden)
    }
  }

  /** True when a string in `value` (keys included) may hold a secret; also past {@link MAX_CHECKED_DEPTH} (a cycle). */
  #mayHold(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.#hint.test(value)
    if (typeof value !== 'object' || value === null) return false
    if (depth > MAX_CHECKED_DEPTH) return true
    if (Array.isArray(value)) {
      for (const item of value) if (this.#mayHold(item, depth + 1)) return true
      return false
    }
    for (const key in value) {
      if (Object.hasOwn(value, key) && (this.#hint.test(key) || this.#mayHold((value as Record<string, unknown>)[key], depth + 1))) return true
    }
    return false
  }

  #text(text: string): string {
    return this.#hint.test(text) ? scrubString(hideSecrets(text, this.#secrets)) : text
  }

  /** `value`, or a copy of it with its secrets hidden: unchanged parts are kept, not copied. */
  #hide(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.#text(value)
    if (typeof value !== 'object' || value === null || seen.has(value)) return value
    seen.add(value)
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined
      value.forEach((item: unknown, index) => {
        const hidden = this.#hide(item, seen)
        if (hidden !== item) (copy ??= value.slice())[index] = hidden
      })
      return copy ?? value
    }
    const prototype: unknown = Object.getPrototypeOf(value)
    // Class instances (a Date, a Map) are left as they are: only JSON-like data is rebuilt.
    if (prototype !== Object.prototype && prototype !== null) return value
    let copy: Record<string, unknown> | undefined
    const fields = value as Record<string, unknown>
    for (const key of Object.keys(fields)) {
      const hidden = this.#hide(fields[key], seen)
      const name = this.#text(key)
      if (hidden === fields[key] && name === key) continue
      if (!copy) {
        copy = {}
        for (const each of Object.keys(fields)) define(copy, each, fields[each])
      }
      if (name !== key) delete copy[key]
      define(copy, name, hidden)
    }
    return copy ?? value
  }
}

/** Sets a field, an own `__proto__` (JSON.parse makes one from model output) included. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
