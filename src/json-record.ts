/**
 * What `JSON.parse(JSON.stringify(record))` gives for a flat record, at a fraction of its cost: own enumerable
 * fields in order, `undefined`, functions and symbols left out, non-finite numbers as `null`, nested values
 * (and anything with `toJSON`) through a JSON round trip of their own. Score records are made per case, thousands
 * per run; most of their fields are strings and numbers.
 *
 * @example
 * jsonRecord({ metric: 'm', score: 1, reason: undefined, details: { at: new Date(0) } })
 * // { metric: 'm', score: 1, details: { at: '1970-01-01T00:00:00.000Z' } }
 */
export function jsonRecord(record: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(record)) {
    const value = (record as Record<string, unknown>)[key]
    switch (typeof value) {
      case 'string':
      case 'boolean':
        copy[key] = value
        break
      case 'number':
        copy[key] = Number.isFinite(value) ? value : null
        break
      case 'undefined':
      case 'function':
      case 'symbol':
        break
      default: {
        // Objects, null and bigints (JSON.stringify throws for a bigint, as the whole round trip would).
        const text = JSON.stringify(value)
        if (text !== undefined) copy[key] = JSON.parse(text) as unknown
      }
    }
  }
  return copy
}
