/**
 * FNV-1a (32 bit) of a string's UTF-16 code units, as 8 hex digits: short, fast and the same in every
 * report, so a row's key in a shared link (`#case=…`) keeps pointing at the same case.
 *
 * @example
 * fnv1a('qa\u0000capital-of-france') // 'f1a15395'
 */
export function fnv1a(text: string): string {
  return hex(fnv1aFrom(FNV_OFFSET, text))
}

const FNV_OFFSET = 0x811c9dc5
const hex = (hash: number) => (hash >>> 0).toString(16).padStart(8, '0')
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** FNV-1a state after `text`, from the state `hash`: the hash of a concatenation without building it. */
function fnv1aFrom(hash: number, text: string): number {
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash
}

/**
 * A key per (suite, case id): the FNV-1a hash of `suite \0 id`; cases whose hashes collide get `-2`, `-3`, …
 * in the order of their `suite \0 id` text (not the run's order), so each key depends only on the set of cases;
 * rows whose suite and id join to the same text (a NUL in one) get the ranks after those.
 *
 * @example
 * rowKeys([{ suite: 'qa', id: 'a' }, { suite: 'qa', id: 'b' }]) // ['b9b6a46c', 'bcb6a925']
 */
export function rowKeys(rows: readonly { suite: string; id: string }[]): string[] {
  // The hash of `suite \0 id`, continued from each suite's own (computed once per suite); the names themselves are
  // built only for hashes several rows share (5,000 names and their hashes cost ~10 ms at the end of a run, cold).
  const suiteStates = new Map<string, number>()
  const hashes = rows.map((row) => {
    let state = suiteStates.get(row.suite)
    if (state === undefined) suiteStates.set(row.suite, (state = fnv1aFrom(FNV_OFFSET, `${row.suite}\u0000`)))
    return hex(fnv1aFrom(state, row.id))
  })
  const nameOf = (index: number) => `${(rows[index] as { suite: string }).suite}\u0000${(rows[index] as { id: string }).id}`
  // Collisions are rare: rows are counted per hash, and only the names of a hash several rows share are listed,
  // once per hash (not a list per row: thousands at the end of a run).
  const counts = new Map<string, number>()
  for (const hash of hashes) counts.set(hash, (counts.get(hash) ?? 0) + 1)
  if (counts.size === hashes.length) return hashes
  const sharing = new Map<string, number[]>()
  hashes.forEach((hash, index) => {
    if (counts.get(hash) === 1) return
    const same = sharing.get(hash)
    if (same) same.push(index)
    else sharing.set(hash, [index])
  })
  const keys = [...hashes]
  for (const [hash, indexes] of sharing) {
    const same = [...new Set(indexes.map(nameOf))].sort()
    // A suite or id holding \0 can give two rows one name ('a' + 'b\0c', 'a\0b' + 'c'): the row of the first suite
    // (in text order) keeps the name's key, the others get the ranks after every name's, so no other key moves.
    const firstSuite = new Map<string, string>()
    for (const index of indexes) {
      const name = nameOf(index)
      const suite = (rows[index] as { suite: string }).suite
      const first = firstSuite.get(name)
      if (first === undefined || suite < first) firstSuite.set(name, suite)
    }
    const extra = indexes.filter((index) => (rows[index] as { suite: string }).suite !== firstSuite.get(nameOf(index)))
    extra.sort((a, b) => compareText(nameOf(a), nameOf(b)) || compareText((rows[a] as { suite: string }).suite, (rows[b] as { suite: string }).suite))
    for (const index of indexes) {
      const rank = extra.includes(index) ? same.length + extra.indexOf(index) : same.indexOf(nameOf(index))
      keys[index] = rank === 0 ? hash : `${hash}-${rank + 1}`
    }
  }
  return keys
}
