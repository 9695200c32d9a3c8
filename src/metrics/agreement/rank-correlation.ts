function checkPaired(x: readonly number[], y: readonly number[], name: string): void {
  if (x.length !== y.length) throw new RangeError(`[vitest-llm-evals] ${name} needs two lists of the same length, got ${x.length} and ${y.length}.`)
  if ([...x, ...y].some((value) => !Number.isFinite(value))) throw new RangeError(`[vitest-llm-evals] ${name} needs finite numbers.`)
}

/** Ranks from 1, ties sharing their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value)
  const ranks = new Array<number>(values.length)
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++
    const rank = (start + end) / 2 + 1
    for (let position = start; position <= end; position++) ranks[(order[position] as { index: number }).index] = rank
    start = end + 1
  }
  return ranks
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length
  const meanX = x.reduce((sum, value) => sum + value, 0) / n
  const meanY = y.reduce((sum, value) => sum + value, 0) / n
  let covariance = 0
  let varianceX = 0
  let varianceY = 0
  for (let index = 0; index < n; index++) {
    const dx = (x[index] as number) - meanX
    const dy = (y[index] as number) - meanY
    covariance += dx * dy
    varianceX += dx * dx
    varianceY += dy * dy
  }
  return varianceX === 0 || varianceY === 0 ? null : covariance / Math.sqrt(varianceX * varianceY)
}

/**
 * Spearman's rank correlation (Pearson correlation of average ranks, so ties are handled).
 * `null` with fewer than two pairs or when either list is constant.
 *
 * @example
 * spearman([1, 2, 3, 4], [1, 3, 2, 4]) // 0.8
 */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  checkPaired(x, y, 'spearman')
  return x.length < 2 ? null : pearson(averageRanks(x), averageRanks(y))
}

/**
 * Kendall's tau-b: (concordant − discordant) pairs over the geometric mean of pairs untied in each list.
 * `null` with fewer than two pairs or when either list is constant. O(n²): meant for label sets (thousands).
 *
 * @example
 * kendallTauB([1, 2, 3, 4], [1, 3, 2, 4]) // 0.6667
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
  checkPaired(x, y, 'kendallTauB')
  let concordant = 0
  let discordant = 0
  let untiedX = 0
  let untiedY = 0
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign((x[i] as number) - (x[j] as number))
      const dy = Math.sign((y[i] as number) - (y[j] as number))
      if (dx !== 0) untiedX++
      if (dy !== 0) untiedY++
      if (dx * dy > 0) concordant++
      else if (dx * dy < 0) discordant++
    }
  }
  return untiedX === 0 || untiedY === 0 ? null : (concordant - discordant) / Math.sqrt(untiedX * untiedY)
}
