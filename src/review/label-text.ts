// The free text of a human label (its note, who gave it, a hand-written label value) is typed or pasted by people and
// may hold a key. It reaches reports (report.html, summary.json), disagreement exports and the review page only as
// read here: scrubbed once, where labels are read, so no renderer has to remember to.
import { liveSecrets, REDACTED, scrubShown, writtenForms, type RedactRule } from '../cassettes/redact.js'
import { visibleText } from '../visible-text.js'
import type { HumanLabel } from './labels-file.js'

type Secret = { name: string; value: string }

/**
 * The label fields people write freely: scrubbed of token shapes when read and when stored. The label value is matched
 * to a grader's category (a category may look like a token: `sk-…`), so it loses only live values and controls when
 * shown; ids (case, metric, suite) are matched, never scrubbed.
 */
const FREE_TEXT_FIELDS = ['note', 'by'] as const

/** Literal rules for every form a live value takes in text (as is, JSON- or HTML-escaped, URL-encoded), the longest first. */
function liveRules(secrets: readonly Secret[]): RedactRule[] {
  const forms = secrets.flatMap((secret) => writtenForms(secret.value)).filter((form) => form !== '')
  return [...new Set(forms)].sort((a, b) => b.length - a.length).map((literal) => ({ literal }))
}

/**
 * `label` as reports and the review page show it: in its note and reviewer, what looks like a secret
 * (`scrubShown`'s token shapes) and the values of live credential variables are `[REDACTED]`; in its label value
 * (matched to a grader's category, which may look like a token) only live values are; control and
 * bidirectional characters are written as escapes (`\u001b`) in all three. The same label object when nothing changes.
 *
 * @example
 * shownLabel({ caseId: 'q1', metric: 'factual', label: 'fail', note: 'quoted ghp_0123456789abcdefghijABCDEFGHIJ012345', at: '…' }).note // 'quoted [REDACTED]'
 */
export function shownLabel(label: HumanLabel, secrets: readonly Secret[] = liveSecrets()): HumanLabel {
  return labelShower(secrets)(label)
}

/** {@link shownLabel} for many labels: the rules for `secrets` made once. */
export function labelShower(secrets: readonly Secret[] = liveSecrets()): (label: HumanLabel) => HumanLabel {
  const rules = liveRules(secrets)
  const shown = (text: string) => visibleText(scrubShown(text, rules))
  const literals = rules.map((rule) => ('literal' in rule ? rule.literal : '')).filter(Boolean)
  const shownValue = (text: string) => visibleText(literals.reduce((value, literal) => value.split(literal).join(REDACTED), text))
  return (label) => {
    const scrubbed = withFields(label, shown)
    if (typeof scrubbed.label !== 'string') return scrubbed
    const value = shownValue(scrubbed.label)
    return value === scrubbed.label ? scrubbed : { ...scrubbed, label: value }
  }
}

/**
 * `label` as the labels file stores it: what looks like a secret in its note and reviewer is `[REDACTED]` (the label
 * value is kept: it is matched to a category)
 * (a live credential value is refused before, with a message naming the field: see `appendLabel`).
 *
 * @example
 * storedLabel({ caseId: 'q1', metric: 'factual', label: 'fail', note: 'token ghp_0123456789abcdefghijABCDEFGHIJ012345', at: '…' }).note // 'token [REDACTED]'
 */
export function storedLabel(label: HumanLabel): HumanLabel {
  return withFields(label, (text) => scrubShown(text))
}

function withFields(label: HumanLabel, change: (text: string) => string): HumanLabel {
  let copy: HumanLabel | undefined
  for (const field of FREE_TEXT_FIELDS) {
    const text = label[field]
    if (typeof text !== 'string') continue
    const changed = change(text)
    if (changed !== text) (copy ??= { ...label })[field] = changed
  }
  return copy ?? label
}
