import { pyStrip } from './text.js'

/** One of IFEval's loose-evaluation variants of a response. */
export interface LooseVariant {
  name: string
  text: string
}

/**
 * IFEval's 8 loose variants of a response, in the reference's order: the response itself, without
 * every `*`, without its first line, without its last line, without both, and each of the last
 * three without every `*`. Variants with removed lines are stripped of surrounding whitespace.
 *
 * @example
 * looseVariants('Sure!\n**Answer**').map((variant) => variant.text)
 * // ['Sure!\n**Answer**', 'Sure!\nAnswer', '**Answer**', 'Sure!', '', 'Answer', 'Sure!', '']
 */
export function looseVariants(response: string): LooseVariant[] {
  const lines = response.split('\n')
  const withoutFirst = pyStrip(lines.slice(1).join('\n'))
  const withoutLast = pyStrip(lines.slice(0, -1).join('\n'))
  const withoutBoth = pyStrip(lines.slice(1, -1).join('\n'))
  const noStars = (text: string) => text.replaceAll('*', '')
  return [
    { name: 'as is', text: response },
    { name: 'without *', text: noStars(response) },
    { name: 'first line removed', text: withoutFirst },
    { name: 'last line removed', text: withoutLast },
    { name: 'first and last lines removed', text: withoutBoth },
    { name: 'first line removed, without *', text: noStars(withoutFirst) },
    { name: 'last line removed, without *', text: noStars(withoutLast) },
    { name: 'first and last lines removed, without *', text: noStars(withoutBoth) },
  ]
}
