/**
 * Escapes text for HTML content and attribute values. Everything from a model, a tool or a user goes through it.
 *
 * @example
 * escapeHtml('<b>"hi"</b>') // '&#60;b&#62;&#34;hi&#34;&#60;/b&#62;'
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
