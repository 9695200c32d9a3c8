// Printing a value a user's code or a model produced (a task's output, a parsed JSON answer) for a message or
// a report: bounded in depth and length, so a hostile value (nested 100,000 levels, megabytes long, circular)
// cannot overflow the stack or stall a worker. Pure: no Vitest.

/** How deep `printValue` descends before it writes `[…]` in place of the rest. */
export const MAX_PRINT_DEPTH = 64

/**
 * `value` as JSON text (strings as they are), at most `maxChars` long (cut with `… (+more)`) and at most
 * {@link MAX_PRINT_DEPTH} levels deep; circular references print as `[Circular]`, functions and symbols as
 * `[Function name]` / their description, bigints as digits. Never throws.
 *
 * @example
 * printValue({ city: 'Paris' }) // '{"city":"Paris"}'
 */
export function printValue(value: unknown, options: { maxChars?: number; indent?: number } = {}): string {
  const maxChars = options.maxChars ?? 100_000
  if (typeof value === 'string') return value.length > maxChars ? `${value.slice(0, maxChars)}… (+more)` : value
  try {
    return printBounded(value, maxChars, options.indent ?? 0)
  } catch (error) {
    // A proxy or a getter that throws: say so rather than replace the failure being reported with this one.
    return `[a value that cannot be printed: ${error instanceof Error ? error.message : String(error)}]`
  }
}

function printBounded(value: unknown, maxChars: number, indent: number): string {
  const parts: string[] = []
  let length = 0
  let full = false
  const seen = new Set<object>()
  const push = (text: string) => {
    if (full) return
    if (length + text.length > maxChars) {
      parts.push(text.slice(0, Math.max(0, maxChars - length)), '… (+more)')
      full = true
      return
    }
    parts.push(text)
    length += text.length
  }
  const newline = (depth: number) => (indent > 0 ? `\n${' '.repeat(indent * depth)}` : '')
  const write = (item: unknown, depth: number): void => {
    if (full) return
    if (item === null || typeof item === 'number' || typeof item === 'boolean') return push(JSON.stringify(item) ?? 'null')
    if (item === undefined) return push('undefined')
    if (typeof item === 'string') return push(JSON.stringify(item))
    if (typeof item === 'bigint') return push(`${item}n`)
    if (typeof item === 'function') return push(`[Function ${item.name || 'anonymous'}]`)
    if (typeof item === 'symbol') return push(item.toString())
    const object = item as object
    if (seen.has(object)) return push('"[Circular]"')
    if (depth >= MAX_PRINT_DEPTH) return push('"[… nested deeper]"')
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      let json: unknown
      try {
        json = (object as { toJSON: () => unknown }).toJSON()
      } catch {
        json = '[toJSON threw]'
      }
      if (json !== object) return write(json, depth)
    }
    seen.add(object)
    const isArray = Array.isArray(object)
    push(isArray ? '[' : '{')
    // Keys are read one at a time and reading stops once the text is full: a million keys cost what is printed.
    let index = 0
    const member = (key: string | undefined, inner: () => unknown) => {
      push(`${index > 0 ? ',' : ''}${newline(depth + 1)}`)
      if (key !== undefined) push(`${JSON.stringify(key)}:${indent > 0 ? ' ' : ''}`)
      let read: unknown
      try {
        read = inner()
      } catch {
        read = '[getter threw]'
      }
      write(read, depth + 1)
      index++
    }
    if (isArray) {
      const array = object as unknown[]
      for (let at = 0; at < array.length && !full; at++) member(undefined, () => array[at])
    } else {
      for (const key in object) {
        if (full) break
        if (Object.prototype.hasOwnProperty.call(object, key)) member(key, () => (object as Record<string, unknown>)[key])
      }
    }
    if (index > 0) push(newline(depth))
    push(isArray ? ']' : '}')
    seen.delete(object)
  }
  write(value, 0)
  return parts.join('')
}
