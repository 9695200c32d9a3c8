// A test's `meta` (output, input, expected, trace, conversation, score records with their reasons) goes to the main
// process and into Vitest's JSON and blob reports as it is: a key the model echoed would be written there. Each
// try's meta is checked as its try ends, with the light helpers failing matcher messages use (no secretlint in the
// worker). It runs for every test, so the common case is one walk that tests each string with one regular
// expression and allocates nothing (cheaper than JSON.stringify: 1.5 µs for a scored test's meta, not 3).
import { types } from 'node:util'
import { hideSecrets, KNOWN_SECRET_HINT, liveSecrets, scrubShown, writtenForms } from './cassettes/redact.js'

type Secret = ReturnType<typeof liveSecrets>[number]

/** Deeper values are not checked but rewritten, and so is a meta of more objects (one shared at every level). */
const MAX_CHECKED_DEPTH = 100
const MAX_CHECKED_OBJECTS = 10_000
/** Deeper values are replaced by {@link TOO_DEEP}: rewriting them would overflow the stack. */
const MAX_REWRITE_DEPTH = 1000
const TOO_DEEP = `[REDACTED: nested more than ${MAX_REWRITE_DEPTH} levels deep]`
/** An object whose rewrite has begun: one reached again through a cycle is copied too (see `#hide`). */
const REWRITING = Symbol('rewriting')


/**
 * Hides keys in test and file `meta`: the live values of key-like environment variables become
 * `[REDACTED <NAME>]`, text that looks like a key (`sk-…`, bearer tokens, the token shapes of secretlint's rules:
 * GitHub, GitLab, Slack, AWS, Google, Stripe, npm, SendGrid, Shopify, Hugging Face…, private key blocks, passwords in
 * URLs; see src/well-known-tokens.ts) `[REDACTED]`. The values are those set
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
    // Every pattern of scrubString contains a prefix of KNOWN_SECRET_HINT; the values are matched as written.
    const escaped = [...new Set(forms)].map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    this.#hint = new RegExp([KNOWN_SECRET_HINT.source, ...escaped].join('|'))
  }

  /** Rewrites the fields of `meta` that hold a secret (a field's value is replaced by a copy, never changed in place). */
  hideIn(meta: object | undefined): void {
    if (meta === undefined || meta === null) return
    this.#checked = 0
    if (!this.#mayHold(meta, 0)) return
    const fields = meta as Record<string, unknown>
    const rewritten = new Map<object, unknown>([[meta, meta]])
    for (const key of Object.keys(fields)) {
      const value = fields[key]
      const hidden = this.#hide(value, rewritten, 1)
      const name = this.#text(key)
      if (name !== key) delete fields[key]
      if (name !== key || hidden !== value) define(fields, name, hidden)
    }
  }

  /** Objects `#mayHold` has entered in this meta. */
  #checked = 0

  /**
   * True when a string in `value` (keys included) may hold a secret; also past {@link MAX_CHECKED_DEPTH} (a cycle)
   * and {@link MAX_CHECKED_OBJECTS} (sharing can make the paths through a small meta exponentially many).
   */
  #mayHold(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.#hint.test(value)
    if (typeof value !== 'object' || value === null) return false
    if (depth > MAX_CHECKED_DEPTH || ++this.#checked > MAX_CHECKED_OBJECTS) return true
    if (Array.isArray(value)) {
      for (const item of value) if (this.#mayHold(item, depth + 1)) return true
      return false
    }
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = kindOf(value)
      if (kind === 'opaque') return false
      if (kind === 'text') return this.#hint.test(String(value))
      if (kind === 'map' || kind === 'set') {
        for (const item of value as Map<unknown, unknown> | Set<unknown>) if (this.#mayHold(item, depth + 1)) return true
        return false
      }
    }
    for (const key in value) {
      if (Object.hasOwn(value, key) && (this.#hint.test(key) || this.#mayHold((value as Record<string, unknown>)[key], depth + 1))) return true
    }
    return false
  }

  #text(text: string): string {
    return this.#hint.test(text) ? scrubShown(hideSecrets(text, this.#secrets)) : text
  }

  /**
   * `value`, or a copy of it with its secrets hidden: unchanged parts are kept, not copied. An object reached twice
   * is rewritten once (`rewritten`), so a copy replaces it everywhere; one reached again through a cycle while it is
   * rewritten gets an empty copy at once, filled when its rewrite ends, so the copied cycle leads back to the copy.
   */
  #hide(value: unknown, rewritten: Map<object, unknown>, depth: number): unknown {
    if (typeof value === 'string') return this.#text(value)
    if (typeof value !== 'object' || value === null) return value
    const kind = kindOf(value)
    if (kind === 'opaque') return value
    if (kind === 'text') {
      const text = String(value)
      const hidden = this.#text(text)
      return hidden === text ? value : hidden
    }
    if (rewritten.has(value)) {
      const known = rewritten.get(value)
      if (known !== REWRITING) return known
      const early = emptyOf(kind)
      rewritten.set(value, early)
      return early
    }
    if (depth > MAX_REWRITE_DEPTH) return TOO_DEEP
    rewritten.set(value, REWRITING)
    const copy = this.#copy(value, kind, rewritten, depth)
    const early = rewritten.get(value)
    if (early === REWRITING) {
      rewritten.set(value, copy ?? value)
      return copy ?? value
    }
    fill(early as object, copy ?? value, kind)
    return early
  }

  /** A copy of `value` with its secrets hidden, or undefined when it holds none. */
  #copy(value: object, kind: Kind, rewritten: Map<object, unknown>, depth: number): object | undefined {
    if (kind === 'array') {
      const items = value as unknown[]
      let copy: unknown[] | undefined
      for (let index = 0; index < items.length; index++) {
        const hidden = this.#hide(items[index], rewritten, depth + 1)
        if (hidden !== items[index]) (copy ??= items.slice())[index] = hidden
      }
      return copy
    }
    if (kind === 'map' || kind === 'set') {
      let changed = false
      const entries: [unknown, unknown][] = []
      for (const [key, item] of (value as Map<unknown, unknown>).entries()) {
        const hiddenKey = this.#hide(key, rewritten, depth + 1)
        const hidden = kind === 'set' ? hiddenKey : this.#hide(item, rewritten, depth + 1)
        changed ||= hiddenKey !== key || hidden !== item
        entries.push([hiddenKey, hidden])
      }
      if (!changed) return undefined
      return kind === 'map' ? new Map(entries) : new Set(entries.map(([key]) => key))
    }
    // JSON-like data, and what Vitest sends as such (a class instance's or another realm's object: its own fields).
    let copy: Record<string, unknown> | undefined
    const fields = value as Record<string, unknown>
    for (const key of Object.keys(fields)) {
      const hidden = this.#hide(fields[key], rewritten, depth + 1)
      const name = this.#text(key)
      if (hidden === fields[key] && name === key) continue
      if (!copy) {
        copy = {}
        for (const each of Object.keys(fields)) define(copy, each, fields[each])
      }
      if (name !== key) delete copy[key]
      define(copy, name, hidden)
    }
    return copy
  }
}

/**
 * How a value reaches the reporters: arrays, Maps and Sets with their items, a String object as its text, other
 * built-ins (a Date, an Error, bytes) as they are (Vitest's JSON and blob reports write no text of theirs), any
 * other object as its own fields. By tag, not prototype: a VM pool's test and setup files have their own globals.
 */
type Kind = 'array' | 'map' | 'set' | 'text' | 'opaque' | 'fields'
function kindOf(value: object): Kind {
  if (Array.isArray(value)) return 'array'
  if (types.isMap(value)) return 'map'
  if (types.isSet(value)) return 'set'
  if (types.isStringObject(value)) return 'text'
  if (types.isBoxedPrimitive(value) || types.isDate(value) || types.isRegExp(value) || types.isNativeError(value)) return 'opaque'
  if (types.isArrayBufferView(value) || types.isAnyArrayBuffer(value) || types.isPromise(value) || types.isWeakMap(value) || types.isWeakSet(value)) return 'opaque'
  return 'fields'
}

function emptyOf(kind: Kind): object {
  if (kind === 'array') return []
  if (kind === 'map') return new Map()
  if (kind === 'set') return new Set()
  return {}
}

/** Fills `target`, made by {@link emptyOf} before `source` (the rewritten value) was known. */
function fill(target: object, source: object, kind: Kind): void {
  if (kind === 'array') for (const item of source as unknown[]) (target as unknown[]).push(item)
  else if (kind === 'map') for (const [key, item] of source as Map<unknown, unknown>) (target as Map<unknown, unknown>).set(key, item)
  else if (kind === 'set') for (const item of source as Set<unknown>) (target as Set<unknown>).add(item)
  else for (const key of Object.keys(source)) define(target as Record<string, unknown>, key, (source as Record<string, unknown>)[key])
}

/** Sets a field, an own `__proto__` (JSON.parse makes one from model output) included. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
