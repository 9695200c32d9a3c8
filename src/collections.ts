/**
 * Appends `value` to the list of `key` (in place: building a new array per item, as `[...list, value]`
 * does, makes grouping quadratic, which shows at thousands of cases).
 *
 * @example
 * const byMetric = new Map<string, number[]>()
 * for (const record of records) pushTo(byMetric, record.metric, record.score)
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
