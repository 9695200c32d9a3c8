/**
 * Average precision of a ranked list judged useful / not useful: the mean of precision@k over the
 * positions k of the useful items (context precision in RAGAS). 0 when nothing is useful.
 *
 * @example
 * averagePrecision([true, false, true]) // (1/1 + 2/3) / 2 = 0.8333
 */
export function averagePrecision(useful: readonly boolean[]): number {
  let hits = 0
  let sum = 0
  useful.forEach((isUseful, index) => {
    if (!isUseful) return
    hits += 1
    sum += hits / (index + 1)
  })
  return hits === 0 ? 0 : sum / hits
}
