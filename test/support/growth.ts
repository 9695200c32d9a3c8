// How a piece of work's time grows with its input, for cost tests that must hold on a loaded machine: an absolute bound
// (under 3 s) fails when other workers take the cores, a growth bound does not (load slows both sizes alike).

/** The least time of `runs` calls of `work` (ms). */
function leastTime(work: () => void, runs: number): number {
  let least = Infinity
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    work()
    least = Math.min(least, performance.now() - started)
  }
  return least
}

/**
 * How many times longer `work` takes on the text `make(4 * n)` than on `make(n)` (the least of a few runs each,
 * measured again while over 8, up to 6 rounds: load comes in bursts). Linear work gives ~4, quadratic ~16; a few ms
 * are added to both so that tiny times' noise does not count.
 *
 * @example
 * expect(growthAt4x((n) => 'ghp_'.repeat(n), 250_000, scrubShown)).toBeLessThan(8)
 */
export function growthAt4x(make: (n: number) => string, n: number, work: (text: string) => unknown): number {
  const small = make(n)
  const large = make(4 * n)
  let ratio = Infinity
  for (let round = 0; round < 6 && ratio >= 8; round++) {
    const atN = leastTime(() => work(small), 3) + 2
    const at4N = leastTime(() => work(large), 2) + 2
    ratio = Math.min(ratio, at4N / atN)
  }
  return ratio
}
