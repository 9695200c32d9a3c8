// Untrusted text (model output, a judge's reason, a dataset's case id) as a terminal or CI log shows it. Pure.

// C0/C1 controls (but newline and tab), DEL, line and paragraph separators, and the bidirectional overrides and
// isolates: in a terminal or CI log they can move the cursor, erase lines, or make a line read otherwise than it holds.
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g

/**
 * Untrusted text (model output, a judge's reason) as a failure message shows it: every character a terminal would
 * act on instead of print is written as its escape (`\u001b`), so the text reads as it is, newlines and tabs kept.
 *
 * @example
 * visibleText('ok\u001b[2K\u001b[1A✓ all good') // 'ok\\u001b[2K\\u001b[1A✓ all good'
 */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_CHARACTER, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

const SINGLE_UNSAFE = new RegExp(`^${UNSAFE_CHARACTER.source}$`)

/**
 * {@link visibleText} of `text`, at most `limit` characters long as shown (escapes counted at their 6 characters), cut
 * with `… (+N chars)` (N: characters of `text` left out). A cut never splits an escape or a surrogate pair (an emoji),
 * and costs at most `limit` steps whatever the length of `text`: 10,000 control characters show as `limit` characters.
 *
 * @example
 * visibleTextCut('\u0000'.repeat(10), 12) // '\\u0000\\u0000… (+8 chars)'
 */
export function visibleTextCut(text: string, limit: number): string {
  if (text.length <= limit) {
    const visible = visibleText(text)
    if (visible.length <= limit) return visible
  }
  let shown = 0
  let at = 0
  const parts: string[] = []
  while (at < text.length) {
    const code = text.charCodeAt(at)
    // A pair only when a low half follows: a lone high half must not carry the next character (ESC, BEL) past the escape.
    const next = at + 1 < text.length ? text.charCodeAt(at + 1) : 0
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff
    const character = text.slice(at, at + (pair ? 2 : 1))
    const visible = !pair && SINGLE_UNSAFE.test(character) ? visibleText(character) : character
    if (shown + visible.length > limit) return `${parts.join('')}… (+${text.length - at} chars)`
    parts.push(visible)
    shown += visible.length
    at += character.length
  }
  return parts.join('')
}
