// The shapes of well-known credentials that every printed or stored string is scrubbed of in the worker, where
// secretlint (heavy) is not loaded: the common token families its recommended preset finds in free text, plus
// Google API keys. Each shape starts with a fixed prefix, so one regular expression of prefixes
// (KNOWN_SECRET_HINT in src/cassettes/redact.ts) tells the common case (no prefix: nothing to scrub). Pure.

/**
 * Token shapes, each a fixed prefix and the characters of its kind (lengths and separators as secretlint's rules
 * have them), checked so that ordinary text (words, hex hashes, UUIDs, `npm_config_…` names) is left alone.
 */
export const WELL_KNOWN_TOKEN_PATTERNS: readonly RegExp[] = [
  // Every run bounded (no token is 10,000 characters long): an unbounded run over megabytes of token characters
  // overflows V8's regular expression stack (a RangeError), and an unbounded lookahead rescans the rest of the text
  // from every prefix (quadratic). A longer run is left for the main process's secret scan of written files.
  // GitHub: classic tokens (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh),
  // fine-grained personal tokens, and the newer app installation tokens (ghs_<app id>_<JWT>). A token's body is
  // random: it has a digit (a snake_case identifier such as `ghs_compute_weighted_average` has none).
  /(?<![A-Za-z0-9])gh[pousr]_(?=[A-Za-z_]{0,255}[0-9])[A-Za-z0-9_]{36,10000}/g,
  /(?<![A-Za-z0-9])github_pat_(?=[A-Za-z_]{0,255}[0-9])[A-Za-z0-9_]{22,10000}/g,
  /(?<![A-Za-z0-9])ghs_[0-9]{1,20}_[A-Za-z0-9_-]{1,10000}\.[A-Za-z0-9_-]{1,10000}\.[A-Za-z0-9_-]{1,10000}/g,
  // Slack bot, user, app and workspace tokens: dash-separated parts, one with a digit ("xoxo-love-you" is prose).
  /\b(?:xox[abposr]|xapp)-(?=[A-Za-z0-9-]{0,250}[0-9])[A-Za-z0-9]{1,40}(?:-[A-Za-z0-9]{1,40}){1,10}/g,
  // AWS access key ids (AKIA long-term, ASIA temporary) and the other key-id prefixes secretlint reports; AWS's
  // documentation example ids (`AKIAIOSFODNN7EXAMPLE`) are left, as secretlint leaves them.
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)(?![A-Z0-9]{9}EXAMPLE\b)[A-Z0-9]{16}\b/g,
  // Google API keys (Gemini, Maps, Firebase): "AIza" and 35 characters.
  /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  // Stripe secret and restricted keys, live and test.
  /(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{24,10000}/g,
  // npm access tokens: "npm_" and 36 letters or digits (an `npm_config_…` variable's name has underscores).
  /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  // A private key block, or its start and base64 lines when the text was cut before its end (the body as written,
  // or as JSON): a header in prose ("starts with -----BEGIN PRIVATE KEY----- followed by…") is left alone.
  /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,20000}?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:(?:\r?\n|\\r?\\n)[A-Za-z0-9+/=]{16,100}){1,400})/g,
]

