// gate.minScore per metric name: a name no suite of the run scored (a typo, or `factual` for `factuality`) would
// leave its floor silently unapplied, and a failing suite would pass.

const SHOWN_METRICS = 10

/**
 * A warning for each metric `gate.minScore` names that no suite of this run scored, with the likely name meant.
 * The name matcher is imported only when there is one (it is not part of the reporter's chunk).
 *
 * @example
 * await unknownFloorWarnings({ factual: 0.8 }, ['factuality', 'similarity'])
 * // ['[vitest-llm-evals] gate.minScore names the metric "factual", which no suite of this run scored (did you mean "factuality"?): …']
 */
export async function unknownFloorWarnings(minScore: number | Record<string, number> | undefined, metrics: readonly string[]): Promise<string[]> {
  if (minScore === undefined || typeof minScore === 'number') return []
  const known = [...new Set(metrics)]
  const unknown = Object.keys(minScore).filter((name) => !known.includes(name))
  if (unknown.length === 0 || known.length === 0) return []
  const { closestName } = await import('../src/closest-name.js')
  const listed = known.slice(0, SHOWN_METRICS).map((name) => JSON.stringify(name)).join(', ') + (known.length > SHOWN_METRICS ? `, … (${known.length} in all)` : '')
  return unknown.map((name) => {
    const near = closestName(name, known) ?? known.find((metric) => metric.startsWith(name) || name.startsWith(metric))
    return `[vitest-llm-evals] gate.minScore names the metric ${JSON.stringify(name)}, which no suite of this run scored${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}: its floor was applied to nothing. Metrics of this run: ${listed}.`
  })
}
