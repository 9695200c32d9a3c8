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
