// The shapes of well-known credentials that every printed or stored string is scrubbed of in the worker, where
// secretlint (heavy) is not loaded: the common token families its recommended preset finds in free text, plus
// Google API keys. Each shape starts with a fixed prefix, so one regular expression of prefixes
// (KNOWN_SECRET_HINT in src/cassettes/redact.ts) tells the common case (no prefix: nothing to scrub). Pure.

/**
 * Token shapes, each a fixed prefix and the characters of its kind (lengths and separators as secretlint's rules
 * have them), checked so that ordinary text (words, hex hashes, UUIDs, `npm_config_…` names) is left alone.
 */
export const WELL_KNOWN_TOKEN_PATTERNS: readonly RegExp[] = [
  // GitHub: classic tokens (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh),
  // fine-grained personal tokens, and the newer app installation tokens (ghs_<app id>_<JWT>).
  /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9_]{36,}/g,
  /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}/g,
  /(?<![A-Za-z0-9])ghs_[0-9]{1,20}_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g,
  // Slack bot, user, app and workspace tokens: dash-separated parts, one with a digit ("xoxo-love-you" is prose).
  /\b(?:xox[abposr]|xapp)-(?=[A-Za-z0-9-]*[0-9])[A-Za-z0-9]{1,40}(?:-[A-Za-z0-9]{1,40})+/g,
  // AWS access key ids (AKIA long-term, ASIA temporary) and the other key-id prefixes secretlint reports.
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/g,
  // Google API keys (Gemini, Maps, Firebase): "AIza" and 35 characters.
  /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  // Stripe secret and restricted keys, live and test.
  /(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{24,}/g,
  // npm access tokens: "npm_" and 36 letters or digits (an `npm_config_…` variable's name has underscores).
  /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  // A private key block, or its start when the text was cut before its end (the body as written, or as JSON).
  /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:,-]*)/g,
]

