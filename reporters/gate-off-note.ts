// The gate is off unless `gate` is set: a run whose table marks a regression ✗ still exits 0. Said once, with how
// to turn it on, so the ✗ is not mistaken for a failed gate (nor a passing run for a checked one).
import { styleText } from 'node:util'
import { docsLocation } from '../src/docs-location.js'
import type { RunComparison } from './compare.js'

/**
 * The line printed under the scores when a regression is shown but no `gate` is set; undefined otherwise
 * (a gate set, even with `failOnRegression: false`, is the user's choice and needs no note). `docs`: where the
 * options are documented; default: the installed docs/configuration.md.
 *
 * @example
 * const note = gateOffNote(comparison, options.gate, { color: false })
 * if (note) logger.log(note)
 */
export function gateOffNote(comparison: Pick<RunComparison, 'rows'>, gate: object | undefined, options: { color: boolean; docs?: string }): string | undefined {
  if (gate !== undefined) return undefined
  const regressed = comparison.rows.filter((row) => row.regressed).length
  if (regressed === 0) return undefined
  const text = ` gate off: ${regressed === 1 ? 'the regression above does' : `the ${regressed} regressions above do`} not fail the run. To fail it, add \`gate: { failOnRegression: true }\` to the llmEvals() options (see ${options.docs ?? docsLocation('configuration.md')}).`
  return options.color ? styleText('yellow', text, { validateStream: false }) : text
}
