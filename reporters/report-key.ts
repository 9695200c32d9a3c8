/**
 * FNV-1a (32 bit) of a string's UTF-16 code units, as 8 hex digits: short, fast and the same in every
 * report, so a row's key in a shared link (`#case=…`) keeps pointing at the same case.
 *
 * @example
 * fnv1a('qa\u0000capital-of-france') // 'f1a15395'
 */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/**
 * A key per (suite, case id): the FNV-1a hash of `suite \0 id`; cases whose hashes collide get `-2`, `-3`, …
 * in the order of their `suite \0 id` text (not the run's order), so each key depends only on the set of cases.
 *
 * @example
 * rowKeys([{ suite: 'qa', id: 'a' }, { suite: 'qa', id: 'b' }]) // ['b9b6a46c', 'bcb6a925']
 */
export function rowKeys(rows: readonly { suite: string; id: string }[]): string[] {
  const names = rows.map((row) => `${row.suite}\u0000${row.id}`)
  const hashes = names.map(fnv1a)
  const byHash = new Map<string, string[]>()
  hashes.forEach((hash, index) => {
    const same = byHash.get(hash)
    if (same) same.push(names[index] as string)
    else byHash.set(hash, [names[index] as string])
  })
  return hashes.map((hash, index) => {
    const same = byHash.get(hash) as string[]
    if (same.length === 1) return hash
    const rank = [...new Set(same)].sort().indexOf(names[index] as string)
    return rank === 0 ? hash : `${hash}-${rank + 1}`
  })
}
