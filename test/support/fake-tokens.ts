// Made-up tokens of each well-known shape the worker scrubs (src/well-known-tokens.ts), and ordinary text of
// similar looks it must leave alone. Each is built from parts, so this file holds no literal token a push scanner flags.

const alnum = (length: number, seed = 1): string => {
  const characters = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7nP9rS1uX3wY5'
  return Array.from({ length }, (_, index) => characters[(index * 7 + seed) % characters.length]).join('')
}
const upper = (length: number): string => Array.from({ length }, (_, index) => 'Z7Q2M4N6P8R0T1V3W5'[index % 18]).join('')
const body = Array.from({ length: 3 }, (_, index) => alnum(64, index)).join('\n')

/** One made-up token per family, by family name. */
export const FAKE_TOKENS: Readonly<Record<string, string>> = {
  'GitHub personal token (ghp_)': 'gh' + 'p_' + 'abcdefghijklmnopqrstuvwxyz0123456789',
  'GitHub OAuth token (gho_)': 'gh' + 'o_' + alnum(36),
  'GitHub user-to-server token (ghu_)': 'gh' + 'u_' + alnum(36, 2),
  'GitHub server-to-server token (ghs_)': 'gh' + 's_' + alnum(36, 3),
  'GitHub refresh token (ghr_)': 'gh' + 'r_' + alnum(36, 4),
  'GitHub fine-grained token (github_pat_)': 'github' + '_pat_' + '11ABCDEFG0' + alnum(72),
  'GitHub app installation token (ghs_<id>_<JWT>)': 'gh' + 's_' + '1234567_' + 'eyJhbGciOiJSUzI1NiJ9.' + alnum(40) + '.' + alnum(43, 5),
  'Slack bot token (xoxb-)': 'xo' + 'xb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn',
  'Slack user token (xoxp-)': 'xo' + 'xp-2345678901-3456789012-4567890123-' + alnum(32),
  'AWS access key id (AKIA)': 'AK' + 'IA' + upper(16),
  'AWS temporary access key id (ASIA)': 'AS' + 'IA' + upper(16).split('').reverse().join(''),
  'Google API key (AIza)': 'AI' + 'za' + 'Sy' + alnum(33),
  'Stripe live secret key (sk_live_)': 'sk' + '_live_' + alnum(24),
  'Stripe restricted key (rk_live_)': 'rk' + '_live_' + alnum(30, 6),
  'npm access token (npm_)': 'np' + 'm_' + alnum(36, 7),
  'private key block': '-----BEGIN RSA ' + 'PRIVATE KEY-----\n' + body + '\n-----END RSA ' + 'PRIVATE KEY-----',
}

/** Text that looks a little like a token but is none: left as it is. */
export const ORDINARY_TEXTS: readonly string[] = [
  'The quick brown fox jumps over the lazy dog. Aida read about the AIDA model and npm install.',
  'sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12, sha256 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08',
  'request 3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b and order A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D',
  'npm_config_registry=https://registry.npmjs.org npm_package_version=1.2.3',
  'xoxo-love-you, a gh_pages branch, ghp_short, sk_live_short, AKIAshort, the public key block -----BEGIN PUBLIC KEY-----',
  'ASIAN markets and AKIA are words here; AIzaShort is too short.',
]
